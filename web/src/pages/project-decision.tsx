import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useNames, useText } from '../i18n';
import { fenOf, linesOf } from '../format';
import type { Pending, ProjectView } from './pending-action';
import { DocumentChoice, type ProjectDocument } from './project-documents';

const texts = {
  'zh-CN': {
    title: (stage: string) => `评审决定：${stage}`, decision: '决定', approve: '通过', reject: '不予通过', requestRevision: '退回修改',
    reasons: '理由（每行一条；不予通过与退回修改须写明）', experts: '评审专家（每行一位，需要专家评审时填写抽取结果）', documents: '随决定提交的文件',
    submit: '提交决定', sending: '提交中…', due: '截止日期', rule: '依据',
    more: '其他决定事项（按规则需要时填写）', rectifyBy: '限期整改日期（验收不通过时）', acceptanceDueBy: '应完成验收日期（批复时）', tenderCeiling: '招标控制价（元，服务方案评审通过时）',
  },
  en: {
    title: (stage: string) => `Decide: ${stage}`, decision: 'Decision', approve: 'Approve', reject: 'Reject', requestRevision: 'Request revision',
    reasons: 'Reasons (one per line; required to reject or request revision)', experts: 'Experts (one per line: the draw, where an expert review is required)', documents: 'Documents handed in with the decision',
    submit: 'Record decision', sending: 'Recording…', due: 'Due', rule: 'Under',
    more: 'Other terms of the decision (where the rules ask for them)', rectifyBy: 'Rectify by (a failed acceptance)', acceptanceDueBy: 'To be accepted by (an approval)', tenderCeiling: 'Tender ceiling price (yuan, approving a service plan)',
  },
};


/**
 * The reviewer's decision on the open review (POST /projects/{id}/decisions, an Update with a
 * validator): the console does not second-guess the rules — the API's refusal, with its article, is
 * shown next to the form, and nothing is recorded.
 */
export function DecisionForm({ project, pending, documents, onDecided }: { project: ProjectView; pending: Pending; documents: ProjectDocument[]; onDecided: () => void }) {
  const t = useText(texts);
  const names = useNames();
  const [decision, setDecision] = useState<'approve' | 'reject' | 'requestRevision'>('approve');
  const [reasons, setReasons] = useState('');
  const [experts, setExperts] = useState('');
  const [documentIds, setDocumentIds] = useState<string[]>([]);
  const [terms, setTerms] = useState({ rectifyBy: '', acceptanceDueBy: '', tenderCeiling: '' });
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(
        api.POST('/projects/{projectId}/decisions', {
          params: { path: { projectId: project.projectId } },
          body: {
            stage: pending.stage,
            decision,
            ...(linesOf(reasons).length ? { reasons: linesOf(reasons) } : {}),
            ...(linesOf(experts).length ? { experts: linesOf(experts) } : {}),
            ...(documentIds.length ? { documentIds } : {}),
            ...(terms.rectifyBy ? { rectifyBy: terms.rectifyBy } : {}),
            ...(terms.acceptanceDueBy ? { acceptanceDueBy: terms.acceptanceDueBy } : {}),
            ...(terms.tenderCeiling.trim() ? { tenderCeilingFen: fenOf(terms.tenderCeiling) } : {}),
          },
        }),
      );
      setDone(true);
      onDecided();
    } catch (refused) {
      setError(refused);
    } finally {
      setBusy(false);
    }
  }

  // Sent: the project page confirms it and re-reads the project; this action's form is over.
  if (done) return null;
  return (
    <form class="card" onSubmit={submit} aria-labelledby="decision-title" data-testid="decision-form">
      <h2 id="decision-title">{t.title(names.stage(pending.stage))}</h2>
      <p class="hint">
        {pending.dueDate && <>{t.due} {pending.dueDate} · </>}
        {pending.rule && <>{t.rule} {pending.rule}</>}
      </p>
      <fieldset>
        <legend>{t.decision}</legend>
        {(['approve', 'reject', 'requestRevision'] as const).map((value) => (
          <label class="inline" key={value}>
            <input type="radio" name="decision" value={value} checked={decision === value} onChange={() => setDecision(value)} />
            {t[value]}
          </label>
        ))}
      </fieldset>
      <label for="reasons">{t.reasons}</label>
      <textarea id="reasons" value={reasons} onInput={(e) => setReasons(e.currentTarget.value)} />
      <label for="experts">{t.experts}</label>
      <textarea id="experts" value={experts} onInput={(e) => setExperts(e.currentTarget.value)} />
      <details>
        <summary>{t.more}</summary>
        <div class="row">
          <div>
            <label for="rectifyBy">{t.rectifyBy}</label>
            <input id="rectifyBy" type="date" value={terms.rectifyBy} onInput={(e) => setTerms({ ...terms, rectifyBy: e.currentTarget.value })} />
          </div>
          <div>
            <label for="acceptanceDueBy">{t.acceptanceDueBy}</label>
            <input id="acceptanceDueBy" type="date" value={terms.acceptanceDueBy} onInput={(e) => setTerms({ ...terms, acceptanceDueBy: e.currentTarget.value })} />
          </div>
          <div>
            <label for="tenderCeiling">{t.tenderCeiling}</label>
            <input id="tenderCeiling" inputMode="decimal" value={terms.tenderCeiling} onInput={(e) => setTerms({ ...terms, tenderCeiling: e.currentTarget.value })} />
          </div>
        </div>
      </details>
      <DocumentChoice legend={t.documents} documents={documents} chosen={documentIds} onChange={setDocumentIds} />
      <ProblemNotice error={error} />
      <button type="submit" disabled={busy}>{busy ? t.sending : t.submit}</button>
    </form>
  );
}
