import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useLoad } from '../components/use-load';
import { useNames, useText } from '../i18n';
import { yuan } from '../format';
import type { Me } from '../session';
import { PendingAction } from './pending-action';
import { DecisionForm } from './project-decision';
import { SubmissionForm } from './project-submission';
import { ProjectTimeline } from './project-timeline';
import { AuditTrail } from './project-audit';
import { ProjectDocuments } from './project-documents';
import { ProjectMoney, useRetention } from './project-money';

/** How often, and how many times, the page re-reads a project that is between two steps. */
const REREAD_MS = 700;
const MAX_REREADS = 20;

const texts = {
  'zh-CN': {
    unit: '建设单位', jurisdiction: '地区（规则版本）', planYear: '计划年度', investment: '投资估算', stage: '当前环节', status: '状态', waiting: '等待的事项',
    planKind: '计划类型', annual: '年度计划', supplementary: '增补计划（一事一议）', flags: '申报的项目特征', noFlags: '无',
    opening: '流程正在打开下一步…', decided: '决定已记录。', submitted: '已提交。', active: '进行中', ended: '已结束', outcome: '结果', accepted: '验收日期', acceptanceDue: '应验收日期', county: '县（市、区）', refresh: '刷新',
  },
  en: {
    unit: 'Construction unit', jurisdiction: 'Jurisdiction (rules version)', planYear: 'Plan year', investment: 'Investment estimate', stage: 'Stage', status: 'Status', waiting: 'Waiting for',
    planKind: 'Plan', annual: 'Annual plan', supplementary: 'Supplementary plan', flags: 'Declared characteristics', noFlags: 'None',
    opening: 'The workflow is opening the next step…', decided: 'The decision is recorded.', submitted: 'Handed in.', active: 'Active', ended: 'Ended', outcome: 'Outcome', accepted: 'Accepted on', acceptanceDue: 'To be accepted by', county: 'County', refresh: 'Refresh',
  },
};

/**
 * One project's whole life as its workflow reports it (GET /projects/{id}): what it waits for, the
 * decision form when the caller's role is the one awaited, the timeline, the money ahead and blocked,
 * the documents and the audit trail. Nothing here is per jurisdiction: the profile's stages, roles and
 * articles all come from the project's state.
 */
export function ProjectPage({ projectId, me }: { projectId: string; me: Me }) {
  const t = useText(texts);
  const names = useNames();
  const project = useLoad(() => unwrap(api.GET('/projects/{projectId}', { params: { path: { projectId } } })), [projectId]);
  const documents = useLoad(() => unwrap(api.GET('/projects/{projectId}/documents', { params: { path: { projectId } } })).then((d) => d.items), [projectId]);
  const retentions = useRetention(project.data, me);
  // What the caller just did stays confirmed here after the project moves on (the form it used may be gone).
  const [done, setDone] = useState<'decided' | 'submitted' | null>(null);
  // An active project between two steps (registered a moment ago, or just decided) has nothing pending
  // for an instant: read it again shortly, a bounded number of times, instead of showing "nothing pending".
  const [rereads, setRereads] = useState(0);
  const between = project.data?.status === 'active' && project.data.pending === null;
  useEffect(() => {
    if (!between || rereads >= MAX_REREADS) return;
    const timer = setTimeout(() => {
      setRereads((n) => n + 1);
      project.reload();
    }, REREAD_MS);
    return () => clearTimeout(timer);
  }, [between, rereads, project.data]);
  const state = project.data;
  if (!state) return <ProblemNotice error={project.error} />;
  const tranches = (retentions.data ?? []).flatMap((r) => r.tranches.map((tranche) => ({ ...tranche, contractId: r.contractId })));
  const pending = state.pending;
  const awaitsMe = pending !== null && pending.role === me.role;
  /** Reads the project again; after the caller's own action, with its confirmation. */
  const reload = (what: 'decided' | 'submitted' | null) => {
    setDone(what);
    setRereads(0);
    project.reload();
    documents.reload();
    retentions.reload();
  };
  return (
    <>
      <h1>
        {state.name} <span class="hint">{state.projectId}</span>
      </h1>
      <section class="card">
        <dl class="facts">
          <dt>{t.unit}</dt><dd>{state.unit}{state.county && ` · ${t.county} ${state.county}`}</dd>
          <dt>{t.jurisdiction}</dt><dd>{names.jurisdiction(state.jurisdiction)} ({state.profileVersion})</dd>
          <dt>{t.planYear}</dt><dd>{state.planYear}</dd>
          <dt>{t.investment}</dt><dd>{yuan(state.investmentFen)}</dd>
          <dt>{t.planKind}</dt><dd>{state.planKind === 'annual' ? t.annual : t.supplementary}</dd>
          <dt>{t.flags}</dt><dd data-testid="project-flags">{Object.entries(state.flags).filter(([, on]) => on).map(([flag]) => names.flag(flag)).join('、') || t.noFlags}</dd>
          <dt>{t.stage}</dt><dd data-testid="project-stage" data-stage={state.stage}>{names.stage(state.stage)}</dd>
          <dt>{t.status}</dt><dd>{state.status === 'active' ? t.active : t.ended}</dd>
          {state.outcome && (<><dt>{t.outcome}</dt><dd>{names.stage(state.outcome.stage)}: {state.outcome.reason} ({state.outcome.rule})</dd></>)}
          {state.acceptanceDue && (<><dt>{t.acceptanceDue}</dt><dd>{state.acceptanceDue.date} ({state.acceptanceDue.rule})</dd></>)}
          {state.acceptedOn && (<><dt>{t.accepted}</dt><dd>{state.acceptedOn}</dd></>)}
          <dt>{t.waiting}</dt><dd>{between && rereads < MAX_REREADS ? <span class="hint" aria-busy="true">{t.opening}</span> : <PendingAction pending={pending} />}</dd>
        </dl>
        <button type="button" class="secondary" onClick={() => reload(null)}>{t.refresh}</button>
      </section>
      {done && <p class="notice" role="status">{t[done]}</p>}
      {/* A form per open action (keyed by it): the next review or submission gets a fresh form. */}
      {awaitsMe && pending.kind === 'review' && (
        <DecisionForm key={pending.reviewKey ?? pending.stage} project={state} pending={pending} documents={documents.data ?? []} onDecided={() => reload('decided')} />
      )}
      {awaitsMe && (pending.kind === 'submission' || pending.kind === 'revision') && (
        <SubmissionForm key={`${pending.stage}:${pending.action ?? pending.kind}`} project={state} pending={pending} documents={documents.data ?? []} onSubmitted={() => reload('submitted')} />
      )}
      <ProjectTimeline project={state} tranches={tranches} />
      <ProjectMoney project={state} me={me} retentions={retentions.data ?? []} retentionError={retentions.error} />
      <ProjectDocuments projectId={state.projectId} documents={documents.data} error={documents.error} me={me} onUploaded={documents.reload} />
      <AuditTrail project={state} />
    </>
  );
}
