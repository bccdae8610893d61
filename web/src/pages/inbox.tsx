import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useLoad } from '../components/use-load';
import { useNames, useText } from '../i18n';
import { beijingTime } from '../format';
import { href } from '../router';

const PAGE = 50;
const texts = {
  'zh-CN': {
    title: '待办评审', empty: '没有待办的评审。', onlyOverdue: '只看已超期', project: '项目', unit: '建设单位', stage: '评审环节',
    opened: '开始时间', due: '截止日期（按工作日计）', open: '处理', overdue: '已超期', provisional: '暂定期限', breached: '已逾期上报',
    provisionalHint: '暂定期限：当年法定节假日安排尚未发布，发布后按工作日重算。', count: (from: number, to: number) => `第 ${from}–${to} 项`, previous: '上一页', next: '下一页',
  },
  en: {
    title: 'Review inbox', empty: 'No reviews are waiting for you.', onlyOverdue: 'Overdue only', project: 'Project', unit: 'Construction unit', stage: 'Review',
    opened: 'Opened', due: 'Due (working days)', open: 'Open', overdue: 'Overdue', provisional: 'Provisional', breached: 'Breach reported',
    provisionalHint: "Provisional: the year's official holiday schedule is not yet published; the due date is recomputed in working days when it is.", count: (from: number, to: number) => `${from}–${to}`, previous: 'Previous', next: 'Next',
  },
};

/** The caller's role's open reviews, by due date (GET /reviews/inbox); each opens on its project's page to decide. */
export function InboxPage() {
  const t = useText(texts);
  const names = useNames();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const inbox = useLoad(() => unwrap(api.GET('/reviews/inbox', { params: { query: { limit: PAGE, offset, ...(overdueOnly ? { overdue: 'true' } : {}) } } })), [overdueOnly, offset]);
  const items = inbox.data?.items ?? [];
  return (
    <>
      <h1>{t.title}</h1>
      <label class="inline">
        <input type="checkbox" checked={overdueOnly} onChange={(e) => { setOffset(0); setOverdueOnly(e.currentTarget.checked); }} />
        {t.onlyOverdue}
      </label>
      <ProblemNotice error={inbox.error} />
      {inbox.data && items.length === 0 && <p data-testid="inbox-empty">{t.empty}</p>}
      {items.length > 0 && (
        <>
          <p class="hint">{t.count(offset + 1, offset + items.length)} · {t.provisionalHint}</p>
          <table data-testid="inbox">
            <thead>
              <tr><th scope="col">{t.project}</th><th scope="col">{t.unit}</th><th scope="col">{t.stage}</th><th scope="col">{t.opened}</th><th scope="col">{t.due}</th><th scope="col"><span class="sr-only">{t.open}</span></th></tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.reviewKey} data-testid={`inbox-${item.projectId}`}>
                  <td>
                    <a href={href('projects', item.projectId)}>{item.projectName ?? item.projectId}</a>
                    <div class="hint">{item.projectId} · {names.jurisdiction(item.jurisdiction)}</div>
                  </td>
                  <td>{item.unit}</td>
                  <td>{names.stage(item.stage)}</td>
                  <td>{beijingTime(item.openedAt)}</td>
                  <td>
                    {item.dueDate ?? '—'}
                    {item.overdue && <span class="badge overdue">{t.overdue}</span>}
                    {item.provisional && <span class="badge provisional">{t.provisional}</span>}
                    {item.breached && <span class="badge overdue">{t.breached}</span>}
                  </td>
                  <td><a href={href('projects', item.projectId)} aria-label={`${t.open} ${item.projectName ?? item.projectId}`}>{t.open}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t.previous}</button>
          <button type="button" class="secondary" disabled={items.length < PAGE} onClick={() => setOffset(offset + PAGE)}>{t.next}</button>
        </>
      )}
    </>
  );
}
