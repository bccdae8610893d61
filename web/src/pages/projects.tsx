import { useState } from 'preact/hooks';
import { api, ApiProblem, unwrap } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useLoad } from '../components/use-load';
import { useNames, useText } from '../i18n';
import { yuan } from '../format';
import { jurisdictionIds } from '../../../domain/policy';
import { href } from '../router';
import type { Me } from '../session';
import { PendingAction, type ProjectView } from './pending-action';

const PAGE = 20;
const texts = {
  'zh-CN': {
    mine: '我的项目', all: '项目', register: '申报新项目', id: '编号', name: '项目名称', unit: '建设单位', jurisdiction: '地区', year: '计划年度',
    investment: '投资估算', stage: '当前环节', waiting: '等待的事项', empty: '还没有项目。', previous: '上一页', next: '下一页',
    waitingHint: '“等待的事项”取自每个项目的流程状态。', filterJurisdiction: '地区', any: '全部', unreadable: '暂时无法读取',
  },
  en: {
    mine: 'My projects', all: 'Projects', register: 'Register a proposal', id: 'Id', name: 'Name', unit: 'Construction unit', jurisdiction: 'Jurisdiction', year: 'Plan year',
    investment: 'Investment estimate', stage: 'Stage', waiting: 'Waiting for', empty: 'No projects yet.', previous: 'Previous', next: 'Next',
    waitingHint: "'Waiting for' is read from each project's workflow.", filterJurisdiction: 'Jurisdiction', any: 'All', unreadable: 'Cannot be read now',
  },
};

/** Projects from the system of record (a unit sees its own), each with the action it waits for. */
export function ProjectsPage({ me }: { me: Me }) {
  const t = useText(texts);
  const names = useNames();
  const [offset, setOffset] = useState(0);
  const [jurisdiction, setJurisdiction] = useState('');
  const list = useLoad(async () => {
    const page = await unwrap(api.GET('/projects', { params: { query: { limit: PAGE, offset, ...(jurisdiction ? { jurisdiction: jurisdiction as 'yiyang' } : {}) } } }));
    // The action each waits for is in its workflow's state: one read per project on this page. A read
    // that fails says so on its row (never "nothing pending").
    const views = await Promise.all(
      page.items.map((row) =>
        unwrap(api.GET('/projects/{projectId}', { params: { path: { projectId: row.projectId } } })).catch((error: unknown) => (error instanceof ApiProblem ? error : new ApiProblem({ type: 'about:blank', title: String(error), status: 0 }))),
      ),
    );
    return { rows: page.items, views: new Map(page.items.map((row, index) => [row.projectId, views[index]!] as const)) };
  }, [offset, jurisdiction]);
  const rows = list.data?.rows ?? [];
  return (
    <>
      <h1>{me.role === 'unit' ? t.mine : t.all}</h1>
      <div class="row">
        <div>
          <label for="jurisdiction-filter">{t.filterJurisdiction}</label>
          <select id="jurisdiction-filter" value={jurisdiction} onChange={(e) => { setOffset(0); setJurisdiction(e.currentTarget.value); }}>
            <option value="">{t.any}</option>
            {jurisdictionIds.map((j) => <option key={j} value={j}>{names.jurisdiction(j)}</option>)}
          </select>
        </div>
        {(me.role === 'unit' || me.role === 'reviewOffice') && <a href={href('projects', 'new')}>{t.register}</a>}
      </div>
      <ProblemNotice error={list.error} />
      {list.data && rows.length === 0 && <p>{t.empty}</p>}
      {rows.length > 0 && (
        <>
          <p class="hint">{t.waitingHint}</p>
          <table data-testid="projects">
            <thead>
              <tr><th scope="col">{t.id}</th><th scope="col">{t.name}</th><th scope="col">{t.unit}</th><th scope="col">{t.jurisdiction}</th><th scope="col" class="num">{t.investment}</th><th scope="col">{t.stage}</th><th scope="col">{t.waiting}</th></tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.projectId} data-testid={`project-row-${row.projectId}`}>
                  <td><a href={href('projects', row.projectId)}>{row.projectId}</a></td>
                  <td>{row.name}<div class="hint">{t.year} {row.planYear}</div></td>
                  <td>{row.unit}</td>
                  <td>{names.jurisdiction(row.jurisdiction)}</td>
                  <td class="num">{yuan(row.investmentFen)}</td>
                  <Waiting row={row} view={list.data!.views.get(row.projectId)} unreadable={t.unreadable} />
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t.previous}</button>
          <button type="button" class="secondary" disabled={rows.length < PAGE} onClick={() => setOffset(offset + PAGE)}>{t.next}</button>
        </>
      )}
    </>
  );
}

/** The stage and the action a project waits for, from its workflow; or why they cannot be read now. */
function Waiting({ row, view, unreadable }: { row: { stage: string }; view: ProjectView | ApiProblem | undefined; unreadable: string }) {
  const names = useNames();
  if (view instanceof ApiProblem || !view) {
    return (
      <>
        <td>{names.stage(row.stage)}</td>
        <td class="field-error">{unreadable}{view ? `: ${view.problem.detail ?? view.problem.title}` : ''}</td>
      </>
    );
  }
  return (
    <>
      <td>{names.stage(view.stage)}</td>
      <td><PendingAction pending={view.pending} /></td>
    </>
  );
}
