import type { Answer } from '../api/client';
import { useNames, useText } from '../i18n';

export type ProjectView = Answer<'/projects/{projectId}', 'get'>;
export type Pending = NonNullable<ProjectView['pending']>;

const texts = {
  'zh-CN': {
    kinds: { review: '评审', revision: '修改后重新提交', rectification: '整改', submission: '提交', plan: '纳入年度计划', implementation: '实施', evaluation: '运维考评', retirement: '停用处置' } as Record<string, string>,
    by: '由', due: '截止', provisional: '暂定', notBefore: '最早可于', rule: '依据', none: '无待办事项',
  },
  en: {
    kinds: { review: 'Review', revision: 'Revision to hand in', rectification: 'Rectification', submission: 'Submission', plan: 'Annual plan', implementation: 'Implementation', evaluation: 'O&M evaluation', retirement: 'Retirement' } as Record<string, string>,
    by: 'by', due: 'due', provisional: 'provisional', notBefore: 'not before', rule: 'under', none: 'Nothing pending',
  },
};

/** What the project waits for, who must act, by when, and under which article — the same words everywhere. */
export function PendingAction({ pending }: { pending: Pending | null }) {
  const t = useText(texts);
  const names = useNames();
  if (!pending) return <span class="hint">{t.none}</span>;
  return (
    <span data-testid="pending-action">
      {t.kinds[pending.kind] ?? pending.kind}
      {pending.action && pending.kind === 'submission' ? `（${names.submissionAction(pending.action)}）` : ''} · {names.stage(pending.stage)} · {t.by} {names.role(pending.role)}
      {pending.dueDate && <> · {t.due} {pending.dueDate}{pending.provisional && <span class="badge provisional">{t.provisional}</span>}</>}
      {pending.notBeforeDate && <> · {t.notBefore} {pending.notBeforeDate}</>}
      {pending.rule && <> · {t.rule} {pending.rule}</>}
    </span>
  );
}
