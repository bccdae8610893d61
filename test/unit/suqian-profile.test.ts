import { consecutiveFailingMonths, withCheck } from '../../domain/monitoring';
import { citedArticles } from '../../domain/policy/catalogue';
import { profileFor } from '../../domain/policy';
import { CONFIGURABLE_VALUE, declaredFactRefusal, SERVICE_TARGET, wan, yearlyReportsOf } from '../../domain/policy/profile';
import { suqianProfile } from '../../domain/policy/suqian';
import { projectProposalSchema } from '../../domain/project';
import type { Actor, ProjectState } from '../../domain/lifecycle';
import type { Role } from '../../domain/records';
import { initialState, type Inbox } from '../../workflows/lifecycle/run';
import { validateHealthEndpoint, validateHealthReport, type LifecycleView } from '../../workflows/lifecycle/validators';
import { aProposal } from '../helpers/proposals';

/** The Suqian (002) profile as data and its pure rules: no Temporal server. */
const SUQIAN_UNIT = '宿迁市民政局';
const ENDPOINT = 'http://127.0.0.1:9/health';
const NOW = new Date('2027-01-20T02:00:00Z');
const actor = (role: Role): Actor => ({ id: `${role}:tester`, role, ...(role === 'unit' ? { unit: SUQIAN_UNIT } : {}) });
const suqian = (overrides: Record<string, unknown> = {}) => aProposal({ jurisdiction: 'suqian', unit: SUQIAN_UNIT, ...overrides });
const issues = (proposal: unknown) => {
  const parsed = projectProposalSchema.safeParse(proposal);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

function operatingView(stage: ProjectState['stage'] = 'operations', monitoring: Partial<NonNullable<ProjectState['monitoring']>> = {}): LifecycleView {
  const proposal = suqian({ flags: { stockSystem: true }, healthEndpoint: ENDPOINT });
  const stages = suqianProfile.stages({ investmentFen: proposal.investmentFen, planKind: proposal.planKind, flags: proposal.flags });
  const state = initialState(proposal, suqianProfile, stages, '2027-01-04T01:00:00.000Z');
  state.stage = stage;
  state.monitoring = { ...state.monitoring!, ...monitoring };
  const inbox: Inbox = { changeRequests: [], changeDecisions: [], calendarChanged: false };
  return { state, profile: suqianProfile, stages, inbox, completedAt: {} };
}

describe('Suqian (002) path', () => {
  it('reviews a new project in the six steps of 002 (五), implements it centrally (002 (六)) and accepts it after a trial run of configurable length (002 (七))', () => {
    const stages = suqianProfile.stages({ investmentFen: wan(200), planKind: 'annual', flags: {} });
    expect(stages.map((s) => `${s.id} ${s.rule}`)).toEqual([
      'libraryRegistration 002 (五)', 'schemePreReview 002 (五)', 'budgetReview 002 (五)', 'listManagement 002 (五)', 'preImplementationReview 002 (五)', 'approval 002 (五)',
      'procurement 002 (六)', 'implementation 002 (六)', 'acceptanceApplication 002 (七)', 'finalAcceptance 002 (七)',
    ]);
    // The seed sets no figure: every clock is a service target, the trial run a configurable value.
    for (const stage of stages) if (stage.kind === 'review') expect(stage.clock?.rule).toBe(SERVICE_TARGET);
    expect(stages.find((s) => s.id === 'acceptanceApplication')).toMatchObject({ notBefore: { months: 3, after: 'implementation', rule: CONFIGURABLE_VALUE } });
    // Units do not build on their own (002 (二)): there is no self-implementation ceiling.
    expect(suqianProfile.selfImplementationCeilingFen).toBeNull();
  });

  it('registers a stock system with no construction path (002 (一)), only where the seed has stock systems, and only with the health endpoint the monitoring calls (002 (二))', () => {
    expect(suqianProfile.stages({ investmentFen: wan(50), planKind: 'annual', flags: { stockSystem: true } })).toEqual([]);
    expect(issues(suqian({ flags: { stockSystem: true }, healthEndpoint: ENDPOINT }))).toEqual([]);
    expect(issues(suqian({ flags: { stockSystem: true } }))).toEqual(['healthEndpoint: 002 (二): a system in operation is monitored every month; a stock system declares its health endpoint at registration']);
    expect(issues(aProposal({ flags: { stockSystem: true } }))).toEqual(['flags.stockSystem: yiyang registers no stock systems: seed 001 has no such procedure']);
    expect(issues(aProposal({ healthEndpoint: ENDPOINT }))).toEqual(['healthEndpoint: yiyang has no monitoring of systems: seed 001 has no such procedure']);
    expect(issues(suqian({ healthEndpoint: 'ftp://127.0.0.1/health' }))).toEqual(['healthEndpoint: must be an http:// or https:// URL']);
    expect(issues(suqian({ healthEndpoint: 'http://ops:secret@10.1.2.3/health' }))).toEqual(['healthEndpoint: must not carry a user name or password']);
    expect(issues(suqian({ healthEndpoint: 'http://169.254.169.254/latest/meta-data' }))).toEqual(['healthEndpoint: must not be a link-local address (169.254.0.0/16, fe80::/10)']);
    expect(issues(aProposal({ flags: { keyProject: true } }))).toEqual(['flags.keyProject: yiyang designates no key projects: seed 001 has no such procedure']);
  });

  it('lets only the bureau register a stock system past the six steps (002 (一)) and designate a key project (002 (八)), not the unit for itself', () => {
    expect(declaredFactRefusal(suqianProfile, { stockSystem: true }, 'unit')).toEqual({ field: '/body/flags/stockSystem', rule: '002 (一)', message: 'a stock system is registered into operation by reviewOffice, not unit' });
    expect(declaredFactRefusal(suqianProfile, { keyProject: true }, 'unit')).toEqual({ field: '/body/flags/keyProject', rule: '002 (八)', message: 'a key project is designated by reviewOffice, not unit' });
    expect(declaredFactRefusal(suqianProfile, { stockSystem: true, keyProject: true }, 'reviewOffice')).toBeNull();
    expect(declaredFactRefusal(suqianProfile, {}, 'unit')).toBeNull();
  });

  it("owes the yearly O&M service report for a stock project and the third-party evaluation for a key project (002 (八)), nothing for an ordinary new one", () => {
    const kinds = (flags: Record<string, boolean>) => yearlyReportsOf(suqianProfile, { investmentFen: wan(50), planKind: 'annual', flags }).map((r) => `${r.kind} ${r.rule} ${r.periodRule}`);
    expect(kinds({})).toEqual([]);
    expect(kinds({ stockSystem: true })).toEqual(['omServiceReport 002 (八) 002 (八)']);
    expect(kinds({ keyProject: true })).toEqual([`performanceEvaluation 002 (八) ${CONFIGURABLE_VALUE}`]);
    // Bijie's reports apply to every project, as before.
    expect(yearlyReportsOf(profileFor('bijie'), { investmentFen: wan(50), planKind: 'annual', flags: {} })).toHaveLength(4);
  });
});

describe('monitoring (002 (二))', () => {
  it('counts consecutive failing months ending with the latest month: a month without a check ends the run, a recheck replaces its month, a recovery starts the count again', () => {
    const check = (period: string, healthy: boolean, at = `${period}-01T01:00:00.000Z`) => ({ period, healthy, at });
    expect(consecutiveFailingMonths([])).toBe(0);
    expect(consecutiveFailingMonths([check('2026-11', false), check('2026-12', false), check('2027-01', false)])).toBe(3);
    expect(consecutiveFailingMonths([check('2026-09', false), check('2026-11', false), check('2026-12', false)])).toBe(2);
    expect(consecutiveFailingMonths([check('2026-11', false), check('2026-12', false), check('2026-12', true)])).toBe(0);
    expect(consecutiveFailingMonths([check('2026-12', false), check('2026-10', false), check('2026-11', false)])).toBe(3);
    expect(consecutiveFailingMonths([check('2026-11', false), check('2026-12', true), check('2027-01', false)])).toBe(1);
    // After a recovery (a recheck on 5 December) the months it answered for are not counted again.
    const recovered = '2026-12-05T02:00:00.000Z';
    const history = [check('2026-10', false), check('2026-11', false), check('2026-12', false), check('2026-12', true, recovered), check('2026-12', false, '2026-12-20T02:00:00.000Z')];
    expect(consecutiveFailingMonths(history)).toBe(3);
    expect(consecutiveFailingMonths(history, recovered)).toBe(1);

    // A month is one result however many checks it had: thirty rechecks in January push no month out of the count.
    let months = withCheck(withCheck([], { period: '2026-11', healthy: false, at: '2026-11-01T01:00:00.000Z', scheduled: true }), { period: '2026-12', healthy: false, at: '2026-12-01T01:00:00.000Z', scheduled: true });
    for (let day = 1; day <= 30; day += 1) months = withCheck(months, { period: '2027-01', healthy: false, at: `2027-01-${String(day).padStart(2, '0')}T03:00:00.000Z`, scheduled: false });
    expect(months.map((m) => [m.period, m.scheduled])).toEqual([['2026-11', true], ['2026-12', true], ['2027-01', false]]);
    expect(consecutiveFailingMonths(months)).toBe(3);
    // The round's check marks its month checked (so its retries check once), and a later recheck keeps the mark.
    months = withCheck(withCheck(months, { period: '2027-01', healthy: false, at: '2027-01-31T01:00:00.000Z', scheduled: true }), { period: '2027-01', healthy: true, at: '2027-01-31T05:00:00.000Z', scheduled: false });
    expect(months.at(-1)).toEqual({ period: '2027-01', healthy: true, at: '2027-01-31T05:00:00.000Z', scheduled: true });
  });

  it('has the unit declare its endpoint and ask for a recheck (one a day), the review office report a month by hand and change the endpoint during a forced exit; none of it in a jurisdiction without monitoring (002 (二))', () => {
    expect(validateHealthEndpoint(operatingView(), { endpoint: ENDPOINT, actor: actor('unit') })).toBeNull();
    expect(validateHealthEndpoint(operatingView(), { endpoint: ENDPOINT, actor: actor('reviewOffice') })).toMatchObject({ kind: 'forbidden', rule: '002 (二)' });
    expect(validateHealthReport(operatingView(), { source: 'recheck', actor: actor('unit') }, NOW)).toBeNull();
    expect(validateHealthReport(operatingView(), { source: 'manual', healthy: false, reasons: ['登录失败'], actor: actor('reviewOffice') }, NOW)).toBeNull();
    expect(validateHealthReport(operatingView(), { source: 'manual', healthy: true, reasons: ['正常'], actor: actor('unit') }, NOW)).toMatchObject({ kind: 'forbidden', rule: '002 (二)', field: 'actor.role' });
    expect(validateHealthReport(operatingView('archiveFiling'), { source: 'recheck', actor: actor('unit') }, NOW)).toMatchObject({ kind: 'conflict', rule: '002 (二)', field: 'stage' });
    expect(validateHealthReport(operatingView('operations', { endpoint: null }), { source: 'recheck', actor: actor('unit') }, NOW)).toMatchObject({ kind: 'rule', rule: '002 (二)' });
    const expired = operatingView('operations', { forcedExit: { since: '2027-01-01T01:00:00.000Z', rectifyBy: '2027-03-01', rectifyByAt: '2027-03-01T16:00:00.000Z', status: 'expired', reasons: [] } });
    expect(validateHealthReport(expired, { source: 'recheck', actor: actor('unit') }, NOW)).toMatchObject({ kind: 'conflict', rule: '002 (二)' });

    // One recheck a business day (the limit is configurable, not a rule): each check stays in the year's history.
    const rechecked = operatingView('operations', { checks: [{ period: '2027-01', source: 'recheck', healthy: false, detail: 'HTTP 503', at: '2027-01-20T01:00:00.000Z' }] });
    expect(validateHealthReport(rechecked, { source: 'recheck', actor: actor('unit') }, NOW)).toMatchObject({ kind: 'conflict', rule: CONFIGURABLE_VALUE });
    expect(validateHealthReport(rechecked, { source: 'recheck', actor: actor('unit') }, new Date('2027-01-20T16:00:00Z'))).toBeNull();
    // On the forced-exit path only the bureau changes the endpoint the recovery is judged by.
    const onExit = operatingView('operations', { forcedExit: { since: '2027-01-01T01:00:00.000Z', rectifyBy: '2027-03-01', rectifyByAt: '2027-03-01T16:00:00.000Z', status: 'open', reasons: [] } });
    expect(validateHealthEndpoint(onExit, { endpoint: ENDPOINT, actor: actor('unit') })).toMatchObject({ kind: 'forbidden', rule: '002 (二)' });
    expect(validateHealthEndpoint(onExit, { endpoint: ENDPOINT, actor: actor('reviewOffice') })).toBeNull();

    const yiyang = operatingView();
    yiyang.profile = profileFor('yiyang');
    expect(validateHealthEndpoint(yiyang, { endpoint: ENDPOINT, actor: actor('unit') })).toMatchObject({ kind: 'rule', rule: 'seed 001' });
  });

  it("reads 002's section citations in test names the way the rules catalogue counts them", () => {
    expect([...citedArticles('retires it (002 (二), (七))')]).toEqual(['002 (二)', '002 (七)']);
    expect([...citedArticles('the six steps of 002 (五) and 001 §11')]).toEqual(['001 §11', '002 (五)']);
  });
});
