import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { cloudActionLabels, cloudStageLabels } from '../../../domain/cloud';
import { api, unwrap, type Answer } from '../api/client';
import type { paths } from '../api/schema';
import { ProblemNotice } from '../components/problem-notice';
import { useLoad } from '../components/use-load';
import { useNames, useText, type Language } from '../i18n';
import { beijingTime, linesOf } from '../format';
import { href, useRoute } from '../router';
import type { Me } from '../session';

type CloudRow = Answer<'/cloud-resources', 'get'>['items'][number];
type CloudState = Answer<'/cloud-resources/{resourceId}', 'get'>;
type CloudPending = CloudState['pending'][number];
type CloudStage = CloudState['stage'];
type CloudActionName = CloudPending['action'];
type Resources = CloudState['requested'];
type DecisionBody = paths['/cloud-resources/{resourceId}/decisions']['post']['requestBody']['content']['application/json'];
type Decision = DecisionBody['decision'];
type Subject = DecisionBody['subject'];

const PAGE = 50;
const DIMENSIONS = ['vcpu', 'memoryGiB', 'storageGiB'] as const;

/** English names of the stages and steps; the Chinese are the domain's own (domain/cloud.ts), as notifications have them. */
const stageNamesEn: Record<CloudStage, string> = {
  review: 'Application review',
  revision: 'Application being revised',
  sizing: 'Expert sizing of the resources',
  responsibilityLetter: 'Responsibility letter and opening confirmation form',
  openingNotice: 'Notice to the provider to open',
  opening: 'Opening the resources',
  deployment: 'Deployment, testing, security pre-assessment and cut-over',
  inService: 'In service',
  exitReview: 'Exit review',
  migration: 'Data migration window',
  dataErasure: 'Data erasure',
  reclamation: 'Reclamation of the resources',
  rejected: 'Application rejected',
  reclaimed: 'Exited and reclaimed',
};
const actionNamesEn: Record<CloudActionName, string> = {
  decide: 'Decision',
  revise: 'Revise the application',
  size: 'Record the expert sizing',
  signLetter: 'Sign the responsibility letter and fill in the confirmation form',
  notifyProvider: 'Notify the provider to open',
  opened: 'Open the resources',
  cutover: 'Deploy, test, pre-assess security and cut over',
  fallbackDecommissioned: 'Decommission the old system',
  requestResize: 'Request a resize',
  resizeApplied: 'Carry out the resize',
  requestExit: 'Apply to exit',
  migrationComplete: 'Complete the data migration',
  dataErasure: 'Erase the data',
  reclamation: 'Reclaim the resources',
};
const stageName = (stage: string, language: Language) => (language === 'zh-CN' ? cloudStageLabels[stage as CloudStage] : stageNamesEn[stage as CloudStage]) ?? stage;
const actionName = (action: string, language: Language) => (language === 'zh-CN' ? cloudActionLabels[action as CloudActionName] : actionNamesEn[action as CloudActionName]) ?? action;

const texts = {
  'zh-CN': {
    title: '政务云资源',
    statusFilter: '状态',
    statuses: { '': '全部', active: '办理中或在用', ended: '已结束' } as Record<string, string>,
    empty: '没有政务云资源在使用。',
    emptyEnded: '没有已结束的政务云资源。',
    resource: '资源编号',
    system: '信息系统',
    unit: '使用单位',
    county: '县（市、区）',
    jurisdiction: '地区',
    project: '项目',
    stage: '阶段',
    status: '状态',
    due: '当前期限',
    updated: '更新时间',
    previous: '上一页',
    next: '下一页',
    statusNames: { active: '办理中', ended: '已结束' } as Record<string, string>,
    selectHint: '点击资源编号查看详情和待办事项。',
    back: '返回列表',
    loading: '正在加载…',
    facts: '基本情况',
    applicant: '申请人',
    purpose: '用途',
    outcome: '结果',
    awaits: '待办事项',
    nothingAwaits: '没有待办事项。',
    by: '办理',
    dueBy: '截止',
    provisional: '暂定',
    notBefore: '最早可于',
    rule: '依据',
    subjects: { application: '资源申请', resize: '扩容或减容申请', exit: '退出申请' } as Record<string, string>,
    resources: '资源',
    kind: '类别',
    requested: '申请',
    sized: '专家核定',
    allocated: '已开通',
    dimensions: { vcpu: 'vCPU（核）', memoryGiB: '内存（GiB）', storageGiB: '存储（GiB）' } as Record<string, string>,
    experts: '评审专家',
    periods: '期限',
    clocks: { review: '审核', opening: '开通', deployment: '部署与割接上线', fallback: '原系统保留', resize: '扩容或减容', migration: '数据迁移' } as Record<string, string>,
    fallbackKept: (until: string, from: string) => `原系统保留至 ${until}，${from} 起可下线`,
    steps: '已办理的步骤',
    stepNames: {
      applied: '提出申请', reviewed: '审核', sized: '确定资源使用量', letterSigned: '签订责任书', providerNotified: '通知开通', opened: '开通',
      cutover: '割接上线', fallbackDecommissioned: '原系统下线', exitRequested: '申请退出', exitApproved: '批准退出', migrated: '数据迁移完成', erased: '数据清除', reclaimed: '资源回收',
    } as Record<string, string>,
    letter: '责任书',
    signedBy: (by: string, on: string) => `${by} 于 ${on} 签订`,
    resizes: '扩容与减容',
    resizeNo: '序号',
    direction: '方向',
    directions: { scaleUp: '扩容', scaleDown: '减容' } as Record<string, string>,
    resizeStatuses: { requested: '待审核', approved: '已批准', rejected: '未批准', applied: '已实施' } as Record<string, string>,
    reasons: '理由',
    decided: '决定时间',
    applied: '实施时间',
    exit: '退出',
    forced: '强制退出（未按期割接上线）',
    requestedExit: '申请退出',
    migrationWindow: '迁移期满',
    erasedByUnit: '使用单位确认清除',
    erasedByProvider: '云服务商确认清除',
    timeline: '办理记录',
    kinds: { applied: '申请', entered: '进入阶段', decision: '决定', action: '办理', reminder: '提醒', breach: '超期', escalation: '上报', periodOver: '期满', forcedExit: '强制退出' } as Record<string, string>,
    decisionTitle: (subject: string) => `审核${subject}`,
    decision: '审核决定',
    decisions: { approve: '批准', reject: '驳回', requestRevision: '退回修改' } as Record<string, string>,
    decisionReasons: '理由（每行一条）',
    reasonsHint: '驳回或退回修改须写明全部理由，一次性告知。',
    expertsInput: '评审专家（每行一位）',
    sizedResources: '专家核定的资源',
    submitDecision: '提交审核决定',
    decidedNotice: '审核决定已提交。',
    yes: '是',
  },
  en: {
    title: 'Government cloud resources',
    statusFilter: 'Status',
    statuses: { '': 'All', active: 'In progress or in use', ended: 'Ended' } as Record<string, string>,
    empty: 'No cloud resources are in use.',
    emptyEnded: 'No cloud resource has ended.',
    resource: 'Resource',
    system: 'System',
    unit: 'Using unit',
    county: 'County',
    jurisdiction: 'Jurisdiction',
    project: 'Project',
    stage: 'Stage',
    status: 'Status',
    due: 'Current deadline',
    updated: 'Updated',
    previous: 'Previous',
    next: 'Next',
    statusNames: { active: 'Active', ended: 'Ended' } as Record<string, string>,
    selectHint: 'Open a resource for its details and what awaits whom.',
    back: 'Back to the list',
    loading: 'Loading…',
    facts: 'Facts',
    applicant: 'Applicant',
    purpose: 'Purpose',
    outcome: 'Outcome',
    awaits: 'What awaits whom',
    nothingAwaits: 'Nothing awaits anyone.',
    by: 'by',
    dueBy: 'due',
    provisional: 'provisional',
    notBefore: 'not before',
    rule: 'under',
    subjects: { application: 'the application', resize: 'the resize', exit: 'the exit' } as Record<string, string>,
    resources: 'Resources',
    kind: 'Kind',
    requested: 'Requested',
    sized: 'Sized by experts',
    allocated: 'Opened',
    dimensions: { vcpu: 'vCPU', memoryGiB: 'Memory (GiB)', storageGiB: 'Storage (GiB)' } as Record<string, string>,
    experts: 'Experts',
    periods: 'Deadlines',
    clocks: { review: 'Review', opening: 'Opening', deployment: 'Deployment and cut-over', fallback: 'Old system kept', resize: 'Resize', migration: 'Data migration' } as Record<string, string>,
    fallbackKept: (until: string, from: string) => `The old system is kept until ${until}; it may be decommissioned from ${from}`,
    steps: 'Steps taken',
    stepNames: {
      applied: 'Applied', reviewed: 'Reviewed', sized: 'Sized', letterSigned: 'Letter signed', providerNotified: 'Provider notified', opened: 'Opened',
      cutover: 'Cut over', fallbackDecommissioned: 'Old system decommissioned', exitRequested: 'Exit requested', exitApproved: 'Exit approved', migrated: 'Migrated', erased: 'Data erased', reclaimed: 'Reclaimed',
    } as Record<string, string>,
    letter: 'Responsibility letter',
    signedBy: (by: string, on: string) => `Signed by ${by} on ${on}`,
    resizes: 'Resizes',
    resizeNo: 'No.',
    direction: 'Direction',
    directions: { scaleUp: 'Scale up', scaleDown: 'Scale down' } as Record<string, string>,
    resizeStatuses: { requested: 'Awaiting review', approved: 'Approved', rejected: 'Rejected', applied: 'Carried out' } as Record<string, string>,
    reasons: 'Reasons',
    decided: 'Decided',
    applied: 'Carried out',
    exit: 'Exit',
    forced: 'Forced exit (not cut over in time)',
    requestedExit: 'Exit requested',
    migrationWindow: 'Migration window ends',
    erasedByUnit: 'Erasure confirmed by the unit',
    erasedByProvider: 'Erasure confirmed by the provider',
    timeline: 'Record',
    kinds: { applied: 'Applied', entered: 'Entered', decision: 'Decision', action: 'Action', reminder: 'Reminder', breach: 'Overdue', escalation: 'Escalated', periodOver: 'Period over', forcedExit: 'Forced exit' } as Record<string, string>,
    decisionTitle: (subject: string) => `Decide ${subject}`,
    decision: 'Decision',
    decisions: { approve: 'Approve', reject: 'Reject', requestRevision: 'Request revision' } as Record<string, string>,
    decisionReasons: 'Reasons (one per line)',
    reasonsHint: 'A rejection or a revision request gives all its reasons at once.',
    expertsInput: 'Experts (one per line)',
    sizedResources: 'Resources the experts fixed',
    submitDecision: 'Submit the decision',
    decidedNotice: 'The decision is recorded.',
    yes: 'Yes',
  },
};
type CloudTexts = (typeof texts)['zh-CN'];


/** The deadline of the period the resource is in, as the system of record keeps it. */
function currentDue(row: CloudRow): string | null {
  switch (row.stage) {
    case 'review':
      return row.dueDates.review;
    case 'opening':
      return row.dueDates.opening;
    case 'deployment':
      return row.dueDates.deployment;
    case 'migration':
      return row.dueDates.migration;
    default:
      return null;
  }
}

/** The caller may act on a pending step when the API names the caller's role (and, for a county's system, its county). */
const awaitsCaller = (pending: CloudPending, me: Me) => pending.roles.some((role) => role === me.role) && (!pending.unit || pending.unit === me.unit);

/**
 * The government cloud (Ji'an's cloud measures): the resources from the system of record, and one resource as
 * its workflow sees it (#/cloud/ID) — what awaits whom, by when — with the authority's decision form when it
 * is the authority's turn.
 */
export function CloudPage({ me }: { me: Me }) {
  const t = useText(texts);
  const names = useNames();
  const [, selected] = useRoute();
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState<'' | 'active' | 'ended'>('');
  const list = useLoad(
    () => unwrap(api.GET('/cloud-resources', { params: { query: { limit: PAGE, offset, ...(status ? { status } : {}) } } })).then((page) => page.items),
    [offset, status],
  );
  const rows = list.data ?? [];

  return (
    <>
      <h1>{t.title}</h1>
      <div class="row">
        <div>
          <label for="cloud-status">{t.statusFilter}</label>
          <select
            id="cloud-status"
            value={status}
            onChange={(e) => {
              setOffset(0);
              setStatus(e.currentTarget.value as '' | 'active' | 'ended');
            }}
          >
            {(['', 'active', 'ended'] as const).map((value) => (
              <option key={value} value={value}>{t.statuses[value]}</option>
            ))}
          </select>
        </div>
      </div>
      <ProblemNotice error={list.error} />
      {list.data && rows.length === 0 && offset === 0 && <p data-testid="cloud-empty">{status === 'ended' ? t.emptyEnded : t.empty}</p>}
      {rows.length > 0 && (
        <>
          <p class="hint">{t.selectHint}</p>
          <table class="cloud-list" data-testid="cloud-resources">
            <thead>
              <tr>
                <th scope="col">{t.resource}</th>
                <th scope="col">{t.system}</th>
                <th scope="col">{t.unit}</th>
                <th scope="col">{t.project}</th>
                <th scope="col">{t.stage}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.due}</th>
                <th scope="col">{t.updated}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.resourceId} data-testid={`cloud-row-${row.resourceId}`} aria-current={row.resourceId === selected ? 'true' : undefined}>
                  <td><a href={href('cloud', row.resourceId)}>{row.resourceId}</a></td>
                  <td>{row.systemName}</td>
                  <td>
                    {row.unit}
                    {row.county && <span class="badge">{t.county}</span>}
                    <div class="hint">{names.jurisdiction(row.jurisdiction)}</div>
                  </td>
                  <td>{row.projectId ? <a href={href('projects', row.projectId)}>{row.projectId}</a> : '—'}</td>
                  <td>{stageName(row.stage, names.language)}</td>
                  <td><span class={`badge ${row.status}`}>{t.statusNames[row.status] ?? row.status}</span>{row.exitForced && <span class="badge overdue">{t.forced}</span>}</td>
                  <td>{currentDue(row) ?? '—'}</td>
                  <td>{beijingTime(row.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {(offset > 0 || rows.length === PAGE) && (
        <div>
          <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t.previous}</button>
          <button type="button" class="secondary" disabled={rows.length < PAGE} onClick={() => setOffset(offset + PAGE)}>{t.next}</button>
        </div>
      )}
      {selected && <CloudResourceDetail key={selected} t={t} resourceId={selected} me={me} onChanged={list.reload} />}
    </>
  );
}

function CloudResourceDetail({ t, resourceId, me, onChanged }: { t: CloudTexts; resourceId: string; me: Me; onChanged: () => void }) {
  const names = useNames();
  const resource = useLoad(() => unwrap(api.GET('/cloud-resources/{resourceId}', { params: { path: { resourceId } } })), [resourceId]);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening a resource from the list moves the focus to it, so keyboard and screen-reader users land there.
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const state = resource.data;
  const decisionPending = state?.pending.find((pending) => pending.action === 'decide' && awaitsCaller(pending, me));

  return (
    <section class="card cloud-detail" aria-labelledby="cloud-detail-title" data-testid="cloud-detail">
      <h2 id="cloud-detail-title" tabIndex={-1} ref={heading}>
        {t.resource} {resourceId}{state && <> · {state.systemName}</>}
      </h2>
      <p><a href={href('cloud')}>{t.back}</a></p>
      <ProblemNotice error={resource.error} />
      {!state && !resource.error && <p aria-busy="true">{t.loading}</p>}
      {notice && <p class="notice" role="status" data-testid="cloud-notice">{notice}</p>}
      {state && (
        <>
          <dl class="facts">
            <dt>{t.stage}</dt>
            <dd data-testid="cloud-stage" data-stage={state.stage}>{stageName(state.stage, names.language)}</dd>
            <dt>{t.status}</dt>
            <dd><span class={`badge ${state.status}`}>{t.statusNames[state.status] ?? state.status}</span></dd>
            {state.outcome && (
              <>
                <dt>{t.outcome}</dt>
                <dd>{stageName(state.outcome.stage, names.language)}: {state.outcome.reason} · {t.rule} {state.outcome.rule}</dd>
              </>
            )}
            <dt>{t.unit}</dt>
            <dd>{state.unit}{state.county && <span class="badge">{t.county}</span>} · {names.jurisdiction(state.jurisdiction)}</dd>
            <dt>{t.applicant}</dt>
            <dd>{state.applicant.id} · {names.role(state.applicant.role)}{state.applicant.unit && <> · {state.applicant.unit}</>}</dd>
            <dt>{t.project}</dt>
            <dd>{state.projectId ? <a href={href('projects', state.projectId)}>{state.projectId}</a> : '—'}</dd>
            {state.purpose && (
              <>
                <dt>{t.purpose}</dt>
                <dd>{state.purpose}</dd>
              </>
            )}
          </dl>

          <h3>{t.awaits}</h3>
          {state.pending.length === 0 ? (
            <p class="hint">{t.nothingAwaits}</p>
          ) : (
            <ul data-testid="cloud-pending">
              {state.pending.map((pending) => (
                <li key={`${pending.action}-${pending.subject ?? ''}-${pending.roles.join('+')}`}>
                  <strong>{actionName(pending.action, names.language)}</strong>
                  {pending.subject && <> · {t.subjects[pending.subject] ?? pending.subject}</>} · {t.by} {pending.roles.map((role) => names.role(role)).join('、')}
                  {pending.unit && <> ({pending.unit})</>}
                  {pending.dueDate && <> · {t.dueBy} {pending.dueDate}{pending.provisional && <span class="badge provisional">{t.provisional}</span>}</>}
                  {pending.notBeforeDate && <> · {t.notBefore} {pending.notBeforeDate}</>}
                  {pending.rule && <> · {t.rule} {pending.rule}</>}
                </li>
              ))}
            </ul>
          )}

          {decisionPending && (
            <DecisionForm
              key={`${decisionPending.subject ?? 'application'}-${state.resize?.resizeNo ?? 0}`}
              t={t}
              state={state}
              subject={decisionPending.subject ?? 'application'}
              onDecided={() => {
                setNotice(t.decidedNotice);
                resource.reload();
                onChanged();
              }}
            />
          )}

          <ResourcesTable t={t} state={state} />
          <Periods t={t} state={state} />
          <Steps t={t} state={state} />
          {state.resizes.length > 0 && <Resizes t={t} state={state} />}
          {state.exit && <ExitFacts t={t} exit={state.exit} />}
          {state.timeline.length > 0 && (
            <>
              <h3>{t.timeline}</h3>
              <ol class="timeline">
                {state.timeline.map((item, index) => (
                  <li key={`${item.at}-${index}`}>
                    <span class="when">{beijingTime(item.at)}</span>
                    {t.kinds[item.kind] ?? item.kind} · {stageName(item.stage, names.language)}
                    {item.action && <> · {actionName(item.action, names.language)}</>}
                    {item.decision && <> · {t.decisions[item.decision] ?? item.decision}</>}
                    {item.actorId && <> · {item.actorId}{item.actorRole && <> ({names.role(item.actorRole)})</>}</>}
                    {item.reasons && item.reasons.length > 0 && <> · {item.reasons.join('；')}</>}
                    <span class="hint"> · {t.rule} {item.rule}</span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </section>
  );
}

function ResourcesTable({ t, state }: { t: CloudTexts; state: CloudState }) {
  const lines: { key: string; label: string; resources: Resources | null }[] = [
    { key: 'requested', label: t.requested, resources: state.requested },
    { key: 'sized', label: t.sized, resources: state.sized },
    { key: 'allocated', label: t.allocated, resources: state.allocated },
  ];
  return (
    <>
      <h3 id="cloud-resources-title">{t.resources}</h3>
      <table aria-labelledby="cloud-resources-title" data-testid="cloud-resource-amounts">
        <thead>
          <tr>
            <th scope="col">{t.kind}</th>
            {DIMENSIONS.map((dimension) => <th key={dimension} scope="col" class="num">{t.dimensions[dimension]}</th>)}
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.key}>
              <th scope="row">{line.label}</th>
              {DIMENSIONS.map((dimension) => <td key={dimension} class="num">{line.resources ? line.resources[dimension] : '—'}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {state.experts.length > 0 && <p>{t.experts}: {state.experts.join('、')}</p>}
      {state.letter && <p>{t.letter}: {t.signedBy(state.letter.signedBy, state.letter.signedOn)}{state.letter.fileNumbers.length > 0 && <> · {state.letter.fileNumbers.join('、')}</>}</p>}
    </>
  );
}

function Periods({ t, state }: { t: CloudTexts; state: CloudState }) {
  const dues = Object.entries(state.dues);
  if (dues.length === 0 && !state.fallback) return null;
  return (
    <>
      <h3>{t.periods}</h3>
      <dl class="facts">
        {dues.map(([clock, date]) => (
          <Fragment key={clock}>
            <dt>{t.clocks[clock] ?? clock}</dt>
            <dd>{date}</dd>
          </Fragment>
        ))}
      </dl>
      {state.fallback && <p>{t.fallbackKept(state.fallback.keptUntil, state.fallback.allowedFrom)}</p>}
    </>
  );
}

function Steps({ t, state }: { t: CloudTexts; state: CloudState }) {
  const steps = Object.entries(state.steps).sort(([, a], [, b]) => a.localeCompare(b));
  if (steps.length === 0) return null;
  return (
    <>
      <h3>{t.steps}</h3>
      <dl class="facts">
        {steps.map(([step, at]) => (
          <Fragment key={step}>
            <dt>{t.stepNames[step] ?? step}</dt>
            <dd>{beijingTime(at)}</dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}

const describeResources = (t: CloudTexts, resources: Resources | null) => (resources ? DIMENSIONS.map((d) => `${t.dimensions[d]} ${resources[d]}`).join(' · ') : '—');

function Resizes({ t, state }: { t: CloudTexts; state: CloudState }) {
  return (
    <>
      <h3 id="cloud-resizes-title">{t.resizes}</h3>
      <table aria-labelledby="cloud-resizes-title" data-testid="cloud-resizes">
        <thead>
          <tr>
            <th scope="col" class="num">{t.resizeNo}</th>
            <th scope="col">{t.direction}</th>
            <th scope="col">{t.requested}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.sized}</th>
            <th scope="col">{t.reasons}</th>
            <th scope="col">{t.decided}</th>
            <th scope="col">{t.applied}</th>
          </tr>
        </thead>
        <tbody>
          {state.resizes.map((resize) => (
            <tr key={resize.resizeNo}>
              <td class="num">{resize.resizeNo}</td>
              <td>{t.directions[resize.direction] ?? resize.direction}</td>
              <td>{describeResources(t, resize.requested)}</td>
              <td>{t.resizeStatuses[resize.status] ?? resize.status}</td>
              <td>{describeResources(t, resize.sized)}{resize.experts.length > 0 && <div class="hint">{t.experts}: {resize.experts.join('、')}</div>}</td>
              <td>{[...resize.reasons, ...resize.decisionReasons].join('；') || '—'}</td>
              <td>{resize.decidedAt ? beijingTime(resize.decidedAt) : '—'}</td>
              <td>{resize.appliedAt ? beijingTime(resize.appliedAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ExitFacts({ t, exit }: { t: CloudTexts; exit: NonNullable<CloudState['exit']> }) {
  return (
    <>
      <h3>{t.exit}</h3>
      <dl class="facts" data-testid="cloud-exit">
        <dt>{exit.forced ? t.forced : t.requestedExit}</dt>
        <dd>{beijingTime(exit.requestedAt)}{exit.requestedBy && <> · {exit.requestedBy}</>} · {t.rule} {exit.rule}</dd>
        {exit.reasons.length > 0 && (
          <>
            <dt>{t.reasons}</dt>
            <dd>{exit.reasons.join('；')}</dd>
          </>
        )}
        {exit.approvedAt && (
          <>
            <dt>{t.stepNames.exitApproved}</dt>
            <dd>{beijingTime(exit.approvedAt)}</dd>
          </>
        )}
        {exit.migrationWindow && (
          <>
            <dt>{t.migrationWindow}</dt>
            <dd>{exit.migrationWindow.date}{exit.migrationWindow.provisional && <span class="badge provisional">{t.provisional}</span>}</dd>
          </>
        )}
        {exit.migratedAt && (
          <>
            <dt>{t.stepNames.migrated}</dt>
            <dd>{beijingTime(exit.migratedAt)}</dd>
          </>
        )}
        {exit.erasedByUnit && (
          <>
            <dt>{t.erasedByUnit}</dt>
            <dd>{beijingTime(exit.erasedByUnit.at)} · {exit.erasedByUnit.by}</dd>
          </>
        )}
        {exit.erasedByProvider && (
          <>
            <dt>{t.erasedByProvider}</dt>
            <dd>{beijingTime(exit.erasedByProvider.at)} · {exit.erasedByProvider.by}</dd>
          </>
        )}
        {exit.reclaimedAt && (
          <>
            <dt>{t.stepNames.reclaimed}</dt>
            <dd>{beijingTime(exit.reclaimedAt)}</dd>
          </>
        )}
      </dl>
    </>
  );
}

/**
 * The authority's decision on the application, a resize or an exit. An application may be sent back for
 * revision; a resize or an exit is approved or rejected. An approved increase is sized like an application,
 * so it names the experts and the resources they fixed.
 */
function DecisionForm({ t, state, subject, onDecided }: { t: CloudTexts; state: CloudState; subject: Subject; onDecided: () => void }) {
  const choices: Decision[] = subject === 'application' ? ['approve', 'reject', 'requestRevision'] : ['approve', 'reject'];
  const [decision, setDecision] = useState<Decision | null>(null);
  const [reasons, setReasons] = useState('');
  const [experts, setExperts] = useState('');
  const [sized, setSized] = useState<Resources>(state.resize?.requested ?? state.requested);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const sizesIncrease = subject === 'resize' && state.resize?.direction === 'scaleUp' && decision === 'approve';
  const subjectName = t.subjects[subject] ?? subject;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!decision) return;
    setBusy(true);
    setError(null);
    const body: DecisionBody = { subject, decision, reasons: linesOf(reasons), ...(sizesIncrease ? { experts: linesOf(experts), resources: sized } : {}) };
    try {
      await unwrap(api.POST('/cloud-resources/{resourceId}/decisions', { params: { path: { resourceId: state.resourceId } }, body }));
      onDecided();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form class="card cloud-decision" onSubmit={(e) => void submit(e)} aria-labelledby="cloud-decision-title" data-testid="cloud-decision">
      <h3 id="cloud-decision-title">{t.decisionTitle(subjectName)}</h3>
      <fieldset>
        <legend>{t.decision}</legend>
        {choices.map((choice) => (
          <label key={choice} class="inline" for={`cloud-decision-${choice}`}>
            <input type="radio" id={`cloud-decision-${choice}`} name="cloud-decision" value={choice} required checked={decision === choice} onChange={() => setDecision(choice)} />
            {t.decisions[choice]}
          </label>
        ))}
      </fieldset>
      <label for="cloud-decision-reasons">{t.decisionReasons}</label>
      <textarea id="cloud-decision-reasons" value={reasons} required={decision !== null && decision !== 'approve'} aria-describedby="cloud-decision-reasons-hint" onInput={(e) => setReasons(e.currentTarget.value)} />
      <p class="hint" id="cloud-decision-reasons-hint">{t.reasonsHint}</p>
      {sizesIncrease && (
        <>
          <label for="cloud-decision-experts">{t.expertsInput}</label>
          <textarea id="cloud-decision-experts" value={experts} required onInput={(e) => setExperts(e.currentTarget.value)} />
          <fieldset>
            <legend>{t.sizedResources}</legend>
            <div class="row">
              {DIMENSIONS.map((dimension) => (
                <div key={dimension}>
                  <label for={`cloud-decision-${dimension}`}>{t.dimensions[dimension]}</label>
                  <input
                    id={`cloud-decision-${dimension}`}
                    type="number"
                    min={dimension === 'storageGiB' ? 0 : 1}
                    step={1}
                    required
                    value={sized[dimension]}
                    onInput={(e) => setSized({ ...sized, [dimension]: Number(e.currentTarget.value) })}
                  />
                </div>
              ))}
            </div>
          </fieldset>
        </>
      )}
      <ProblemNotice error={error} />
      <button type="submit" disabled={busy || decision === null}>{t.submitDecision}</button>
    </form>
  );
}
