import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { allProfiles } from '../../../domain/policy';
import { CONFIGURABLE_VALUE } from '../../../domain/policy/profile';
import { api, ApiProblem, unwrap, type Answer } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { useLoad } from '../components/use-load';
import { useNames, useText } from '../i18n';
import { beijingTime } from '../format';
import { href } from '../router';

type JurisdictionMonitoring = Answer<'/monitoring/{jurisdiction}', 'get'>;
type MonitoredSystem = JurisdictionMonitoring['items'][number];
type SystemMonitoring = Answer<'/projects/{projectId}/monitoring', 'get'>;
type HealthCheck = NonNullable<MonitoredSystem['lastCheck']>;

/** The jurisdictions whose rules monitor systems in operation every month (the profiles the API runs). */
const MONITORED = allProfiles.filter((profile) => profile.monitoring).map((profile) => profile.jurisdiction);
const policyOf = (jurisdiction: string) => allProfiles.find((profile) => profile.jurisdiction === jurisdiction)?.monitoring;
const PAGE = 50;

const texts = {
  'zh-CN': {
    title: '运行监测',
    jurisdiction: '地区',
    intro: (failing: number, window: number) => `在运行的信息系统每月检查一次；连续 ${failing} 个月运行异常即进入强制退出程序，${window} 个月内未恢复的强制退出。`,
    configurable: '（月数为可配置数值，政策未规定具体数字。）',
    rule: '依据',
    loading: '正在加载…',
    noMonitoring: (where: string) => `${where}没有对在运行系统的运行监测。`,
    empty: '没有在运行的信息系统。',
    systems: '在运行的系统',
    healthyNow: '最近一次检查正常',
    failingNow: '最近一次检查异常',
    onForcedExit: '强制退出程序中',
    blocksInForce: '生效的资金冻结',
    project: '系统（项目）',
    unit: '建设单位',
    lastCheck: '最近一次检查',
    neverChecked: '尚未检查',
    failingMonths: '连续异常月数',
    ofThreshold: (count: number) => `阈值 ${count} 个月`,
    forcedExit: '强制退出',
    blocks: '资金冻结',
    none: '无',
    unknown: '无法读取',
    healthy: '正常',
    unhealthy: '异常',
    sources: { schedule: '每月例行检查', recheck: '修复后复查', manual: '人工报告' } as Record<string, string>,
    exitStatuses: { open: '整改期中', recovered: '已恢复', expired: '期满未恢复，强制退出' } as Record<string, string>,
    rectifyBy: (date: string) => `须于 ${date} 前恢复`,
    since: '起始时间',
    scope: '冻结范围',
    reason: '原因',
    months: '逐月检查',
    showMonths: '查看逐月检查',
    hideMonths: '收起逐月检查',
    month: '月份',
    result: '结果',
    scheduled: '例行检查',
    checks: '全部检查记录',
    checkedAt: '检查时间',
    source: '来源',
    detail: '情况',
    endpoint: '检查地址',
    recordedBy: '记录人',
    yes: '是',
    no: '否',
    previous: '上一页',
    next: '下一页',
  },
  en: {
    title: 'Monitoring',
    jurisdiction: 'Jurisdiction',
    intro: (failing: number, window: number) => `Systems in operation are checked every month; ${failing} failing months in a row open the forced-exit path, and a system not recovered within ${window} months is forced out.`,
    configurable: '(The numbers of months are configurable: the policy sets none.)',
    rule: 'Article',
    loading: 'Loading…',
    noMonitoring: (where: string) => `${where} has no monitoring of systems in operation.`,
    empty: 'No system is in operation.',
    systems: 'Systems in operation',
    healthyNow: 'Healthy at the last check',
    failingNow: 'Failing at the last check',
    onForcedExit: 'On the forced-exit path',
    blocksInForce: 'Money blocks in force',
    project: 'System (project)',
    unit: 'Construction unit',
    lastCheck: 'Newest check',
    neverChecked: 'Not checked yet',
    failingMonths: 'Failing months in a row',
    ofThreshold: (count: number) => `threshold ${count} months`,
    forcedExit: 'Forced exit',
    blocks: 'Money blocks',
    none: 'None',
    unknown: 'Could not be read',
    healthy: 'Healthy',
    unhealthy: 'Failing',
    sources: { schedule: 'Monthly round', recheck: 'Recheck after repair', manual: 'Reported by hand' } as Record<string, string>,
    exitStatuses: { open: 'Rectification window open', recovered: 'Recovered', expired: 'Not recovered: forced out' } as Record<string, string>,
    rectifyBy: (date: string) => `to recover by ${date}`,
    since: 'Since',
    scope: 'Scope',
    reason: 'Reason',
    months: 'Month by month',
    showMonths: 'Show month by month',
    hideMonths: 'Hide month by month',
    month: 'Month',
    result: 'Result',
    scheduled: 'Monthly round',
    checks: 'Every check recorded',
    checkedAt: 'Checked at',
    source: 'Source',
    detail: 'Finding',
    endpoint: 'Endpoint',
    recordedBy: 'Recorded by',
    yes: 'Yes',
    no: 'No',
    previous: 'Previous',
    next: 'Next',
  },
};
type MonitoringTexts = (typeof texts)['zh-CN'];

/** A system with its own monitoring (consecutive failing months, forced exit, checks), or null if that could not be read. */
type SystemView = MonitoredSystem & { monitoring: SystemMonitoring | null };

/**
 * The review office's view of monthly monitoring (Suqian, 002 (二)): every system in operation with its
 * newest check, its run of failing months and forced-exit path, and the money blocks in force.
 */
export function MonitoringPage() {
  const t = useText(texts);
  const names = useNames();
  const [jurisdiction, setJurisdiction] = useState(MONITORED.includes('suqian') ? 'suqian' : (MONITORED[0] ?? 'suqian'));
  const [offset, setOffset] = useState(0);
  const [expanded, setExpanded] = useState<string | null>(null);

  const view = useLoad(async () => {
    let page: JurisdictionMonitoring;
    try {
      page = await unwrap(api.GET('/monitoring/{jurisdiction}', { params: { path: { jurisdiction }, query: { limit: PAGE, offset } } }));
    } catch (error) {
      // A jurisdiction without monitoring is a fact to state, not a failure.
      if (error instanceof ApiProblem && error.problem.status === 422) return null;
      throw error;
    }
    // The run of failing months and the forced exit are in each system's workflow: one read per system on the page.
    const systems: SystemView[] = await Promise.all(
      page.items.map(async (system) => ({
        ...system,
        monitoring: await unwrap(api.GET('/projects/{projectId}/monitoring', { params: { path: { projectId: system.projectId } } })).catch(() => null),
      })),
    );
    return { rule: page.rule, systems };
  }, [jurisdiction, offset]);

  const systems = view.data?.systems ?? [];
  const policy = policyOf(jurisdiction);
  const blocks = systems.flatMap((system) => system.blocks.map((block) => ({ ...block, projectId: system.projectId, name: system.name })));

  return (
    <>
      <h1>{t.title}</h1>
      <div class="row">
        <div>
          <label for="monitoring-jurisdiction">{t.jurisdiction}</label>
          <select
            id="monitoring-jurisdiction"
            value={jurisdiction}
            onChange={(e) => {
              setOffset(0);
              setExpanded(null);
              setJurisdiction(e.currentTarget.value);
            }}
          >
            {MONITORED.map((id) => (
              <option key={id} value={id}>{names.jurisdiction(id)}</option>
            ))}
          </select>
        </div>
      </div>
      {policy && (
        <p class="hint">
          {t.intro(policy.failingMonths.count, policy.rectificationWindow.months)}
          {(policy.failingMonths.rule === CONFIGURABLE_VALUE || policy.rectificationWindow.rule === CONFIGURABLE_VALUE) && <> {t.configurable}</>} {t.rule} {policy.rule}
        </p>
      )}
      <ProblemNotice error={view.error} />
      {view.loading && !view.data && !view.error && <p aria-busy="true">{t.loading}</p>}
      {view.data === null && !view.loading && <p data-testid="monitoring-none">{t.noMonitoring(names.jurisdiction(jurisdiction))}</p>}
      {view.data && (
        <>
          <Summary t={t} systems={systems} blocks={blocks.length} />
          <section class="card" aria-labelledby="monitoring-systems-title">
            <h2 id="monitoring-systems-title">{t.systems}</h2>
            {systems.length === 0 && offset === 0 && <p data-testid="monitoring-empty">{t.empty}</p>}
            {systems.length > 0 && (
              <table data-testid="monitoring-systems">
                <thead>
                  <tr>
                    <th scope="col">{t.project}</th>
                    <th scope="col">{t.lastCheck}</th>
                    <th scope="col" class="num">{t.failingMonths}</th>
                    <th scope="col">{t.forcedExit}</th>
                    <th scope="col">{t.blocks}</th>
                    <th scope="col"><span class="sr-only">{t.months}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {systems.map((system) => {
                    const open = expanded === system.projectId;
                    return (
                      <Fragment key={system.projectId}>
                        <SystemRow t={t} system={system} open={open} onToggle={() => setExpanded(open ? null : system.projectId)} />
                        {open && (
                          <tr id={`months-${system.projectId}`}>
                            <td colSpan={6}>
                              <SystemChecks t={t} system={system} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            )}
            {(offset > 0 || view.data.systems.length === PAGE) && (
              <div>
                <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t.previous}</button>
                <button type="button" class="secondary" disabled={view.data.systems.length < PAGE} onClick={() => setOffset(offset + PAGE)}>{t.next}</button>
              </div>
            )}
          </section>
          <section class="card" aria-labelledby="monitoring-blocks-title">
            <h2 id="monitoring-blocks-title">{t.blocksInForce}</h2>
            {blocks.length === 0 ? (
              <p>{t.none}</p>
            ) : (
              <table data-testid="monitoring-blocks">
                <thead>
                  <tr>
                    <th scope="col">{t.project}</th>
                    <th scope="col">{t.scope}</th>
                    <th scope="col">{t.reason}</th>
                    <th scope="col">{t.rule}</th>
                    <th scope="col">{t.since}</th>
                  </tr>
                </thead>
                <tbody>
                  {blocks.map((block) => (
                    <tr key={`${block.projectId}|${block.scope}|${block.since}`}>
                      <td>
                        <a href={href('projects', block.projectId)}>{block.name}</a>
                        <div class="hint">{block.projectId}</div>
                      </td>
                      <td>{names.blockScope(block.scope)}</td>
                      <td>{block.reason}</td>
                      <td>{block.rule}</td>
                      <td>{beijingTime(block.since)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </>
  );
}

function Summary({ t, systems, blocks }: { t: MonitoringTexts; systems: SystemView[]; blocks: number }) {
  const cards = [
    { id: 'monitoring-count', label: t.systems, value: systems.length },
    { id: 'monitoring-healthy', label: t.healthyNow, value: systems.filter((s) => s.lastCheck?.healthy === true).length },
    { id: 'monitoring-failing', label: t.failingNow, value: systems.filter((s) => s.lastCheck?.healthy === false).length },
    { id: 'monitoring-forced-exit', label: t.onForcedExit, value: systems.filter((s) => s.monitoring?.monitoring.forcedExit?.status === 'open').length },
    { id: 'monitoring-blocks-count', label: t.blocksInForce, value: blocks },
  ];
  return (
    <div class="grid monitoring-summary">
      {cards.map((card) => (
        <div key={card.id} class="stat" data-testid={card.id}>
          <div class="value">{card.value}</div>
          <div class="label">{card.label}</div>
        </div>
      ))}
    </div>
  );
}

function HealthBadge({ t, healthy }: { t: MonitoringTexts; healthy: boolean }) {
  return <span class={`badge ${healthy ? 'healthy' : 'unhealthy'}`}>{healthy ? t.healthy : t.unhealthy}</span>;
}

function CheckSummary({ t, check }: { t: MonitoringTexts; check: HealthCheck | null }) {
  if (!check) return <span class="hint">{t.neverChecked}</span>;
  return (
    <>
      <HealthBadge t={t} healthy={check.healthy} /> {beijingTime(check.checkedAt)}
      <div class="hint">{check.period} · {t.sources[check.source] ?? check.source} · {check.detail}</div>
    </>
  );
}

function SystemRow({ t, system, open, onToggle }: { t: MonitoringTexts; system: SystemView; open: boolean; onToggle: () => void }) {
  const names = useNames();
  const state = system.monitoring?.monitoring;
  const forcedExit = state?.forcedExit ?? null;
  return (
    <tr data-testid={`monitoring-${system.projectId}`} data-healthy={system.lastCheck ? String(system.lastCheck.healthy) : undefined}>
      <td>
        <a href={href('projects', system.projectId)}>{system.name}</a>
        <div class="hint">{system.projectId} · {system.unit}</div>
      </td>
      <td><CheckSummary t={t} check={system.lastCheck} /></td>
      <td class="num" data-testid="failing-months">
        {state ? state.consecutiveFailures : <span class="hint">{t.unknown}</span>}
        {system.monitoring && <div class="hint">{t.ofThreshold(system.monitoring.policy.failingMonths.count)}</div>}
      </td>
      <td data-testid="forced-exit" data-status={forcedExit?.status ?? 'none'}>
        {!state ? (
          <span class="hint">{t.unknown}</span>
        ) : forcedExit ? (
          <>
            <span class={`badge ${forcedExit.status === 'recovered' ? 'healthy' : 'overdue'}`}>{t.exitStatuses[forcedExit.status] ?? forcedExit.status}</span>
            {forcedExit.status === 'open' && <div class="hint">{t.rectifyBy(forcedExit.rectifyBy)}</div>}
            {forcedExit.reasons.length > 0 && <div class="hint">{forcedExit.reasons.join('；')}</div>}
          </>
        ) : (
          t.none
        )}
      </td>
      <td>
        {system.blocks.length === 0
          ? t.none
          : system.blocks.map((block) => (
              <div key={`${block.scope}|${block.since}`}>
                <span class="badge blocked">{names.blockScope(block.scope)}</span> {t.rule} {block.rule}
              </div>
            ))}
      </td>
      <td>
        {system.monitoring && (
          <button type="button" class="secondary" aria-expanded={open} aria-controls={open ? `months-${system.projectId}` : undefined} onClick={onToggle}>
            {open ? t.hideMonths : t.showMonths}
            <span class="sr-only"> {system.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

/** The system's months (each month's result is its last check) and every check the record keeps, newest first. */
function SystemChecks({ t, system }: { t: MonitoringTexts; system: SystemView }) {
  if (!system.monitoring) return null;
  const { monitoring, checks } = system.monitoring;
  const newestFirst = [...checks].sort((a, b) => b.checkedAt.localeCompare(a.checkedAt));
  return (
    <div class="system-checks" data-testid={`monitoring-months-${system.projectId}`}>
      <h3 id={`months-title-${system.projectId}`}>{t.months} · {system.name}</h3>
      {monitoring.months.length === 0 ? (
        <p class="hint">{t.neverChecked}</p>
      ) : (
        <table aria-labelledby={`months-title-${system.projectId}`}>
          <thead>
            <tr>
              <th scope="col">{t.month}</th>
              <th scope="col">{t.result}</th>
              <th scope="col">{t.checkedAt}</th>
              <th scope="col">{t.scheduled}</th>
            </tr>
          </thead>
          <tbody>
            {monitoring.months.map((month) => (
              <tr key={month.period}>
                <th scope="row">{month.period}</th>
                <td><HealthBadge t={t} healthy={month.healthy} /></td>
                <td>{beijingTime(month.at)}</td>
                <td>{month.scheduled ? t.yes : t.no}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {newestFirst.length > 0 && (
        <>
          <h3 id={`checks-title-${system.projectId}`}>{t.checks}</h3>
          <table aria-labelledby={`checks-title-${system.projectId}`}>
            <thead>
              <tr>
                <th scope="col">{t.checkedAt}</th>
                <th scope="col">{t.month}</th>
                <th scope="col">{t.source}</th>
                <th scope="col">{t.result}</th>
                <th scope="col">{t.detail}</th>
                <th scope="col">{t.recordedBy}</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((check) => (
                <tr key={check.checkKey}>
                  <td>{beijingTime(check.checkedAt)}</td>
                  <td>{check.period}</td>
                  <td>{t.sources[check.source] ?? check.source}</td>
                  <td><HealthBadge t={t} healthy={check.healthy} /></td>
                  <td>{check.detail}{check.endpoint && <div class="hint">{t.endpoint}: {check.endpoint}</div>}</td>
                  <td>{check.recordedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
