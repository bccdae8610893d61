import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { annualPlanId } from '../../domain/annual-plan';
import { openPlanYear as openPlanYearAt } from '../../domain/policy/intake';
import { yiyangProfile } from '../../domain/policy/yiyang';
import type { Actor, DecideInput, ProjectState, SubmitInput } from '../../domain/lifecycle';
import type { Role } from '../../domain/records';
import {
  annualPlanStateQuery,
  approvePlanUpdate,
  compilePlanUpdate,
  decideUpdate,
  projectStateQuery,
  submitUpdate,
  registeredUpdate,
} from '../../workflows/messages';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { lifecycleInputFor } from '../../domain/policy';
import type { ProjectProposal } from '../../domain/project';
import { aProposal } from './proposals';
import { TASK_QUEUE } from './temporal';

export const UNIT = '益阳市城市管理局';
export const NANFENG_UNIT = '南丰镇集成指挥中心业务科';
export const JIAN_UNIT = '吉安市行政审批局';
export const BIJIE_UNIT = '毕节市人力资源和社会保障局';
/** A Suqian city unit (002). */
export const SUQIAN_UNIT = '宿迁市民政局';
/** A unit of a Bijie county (七星关区), registered with its county. */
export const BIJIE_COUNTY_UNIT = '七星关区数据局';

/** A tester acting in a role; a unit names its unit, a county its county. */
export const actor = (role: Role, unit = UNIT): Actor => ({ id: `${role}:tester`, role, ...(role === 'unit' || role === 'county' ? { unit } : {}) });

export type ProjectHandle = WorkflowHandle<typeof ProjectLifecycle>;

/** What driving a lifecycle needs of its environment: a client and its clock (which time skipping can move). */
export type LifecycleEnv = Pick<TestWorkflowEnvironment, 'client' | 'currentTimeMs' | 'sleep'>;

/** Working days (Mon–Fri) after `from` up to `to`, holidays aside: a lower bound of a period's length, for checking clocks. */
export function weekdaysBetween(from: string, to: string): number {
  const day = 86_400_000;
  let count = 0;
  for (let t = Date.parse(`${from}T00:00:00Z`) + day; t <= Date.parse(`${to}T00:00:00Z`); t += day) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

/** Polls `read` until `accept` holds (the system acts on real activities meanwhile). */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls a workflow query until `accept` holds. */
export const pollQuery = <T>(handle: WorkflowHandle, query: QueryDefinition<T>, accept: (state: T) => boolean, what: string): Promise<T> =>
  // Up to a minute: under a loaded CI machine activities and workflow tasks can be slow.
  eventually(() => handle.query(query), accept, what, 60_000);

export const waitFor = (handle: ProjectHandle, accept: (state: ProjectState) => boolean, what: string) =>
  pollQuery(handle, projectStateQuery, accept, what);

export const waitForPending = (handle: ProjectHandle, stage: string, kind?: string) =>
  waitFor(handle, (s) => s.pending?.stage === stage && (kind === undefined || s.pending.kind === kind) && (s.pending.kind !== 'review' || s.pending.dueDate !== undefined || s.pending.rule !== undefined), `${kind ?? 'action'} at ${stage}`);

export function decide(handle: ProjectHandle, input: Omit<DecideInput, 'actor'> & { role: Role; unit?: string }) {
  const { role, unit, ...rest } = input;
  return handle.executeUpdate(decideUpdate, { args: [{ ...rest, actor: actor(role, unit) }] });
}

export function submit(handle: ProjectHandle, input: Omit<SubmitInput, 'actor'>, unit = UNIT) {
  return handle.executeUpdate(submitUpdate, { args: [{ ...input, actor: actor('unit', unit) }] });
}

export const EXPERTS = ['张教授', '李高工', '王研究员'];
/** The engineering supervision firm a contract filing names where the project is under supervision (001 §24, 004 §14). */
export const SUPERVISOR = '湖南某工程监理有限公司';

/** Every acceptance precondition declared met (001 §26(3)(4), 000 §13). */
export const ALL_PRECONDITIONS: SubmitInput['preconditionsMet'] = ['dataSharing', 'dataCatalogue', 'mlpsAssessment', 'cryptoAssessment', 'softwareTesting', 'classifiedSystemTesting'];

export function contractFor(projectId: string, sumFen = 3_000_000 * 100) {
  return { contractId: `${projectId}-HT1`, contractor: '湖南某信息技术有限公司', sumFen, omYears: 3, signedDate: '2026-10-15' };
}

/** The plan year whose intake is open at the environment's current time (cut-off 30 September). */
export async function openPlanYear(env: LifecycleEnv): Promise<number> {
  return openPlanYearAt(yiyangProfile, new Date(await env.currentTimeMs()));
}

/** Closes the intake, compiles the plan with everything enrolled, and has it approved (001 §6). */
export async function publishPlan(env: LifecycleEnv, jurisdiction: string, planYear: number, exclude: Record<string, string> = {}) {
  const plan = env.client.workflow.getHandle(annualPlanId(jurisdiction, planYear));
  const before = await plan.query(annualPlanStateQuery);
  const untilCutoff = Date.parse(before.intakeClosesAt) - (await env.currentTimeMs());
  if (untilCutoff > 0) await env.sleep(untilCutoff + 60_000);
  const enrolled = (await plan.query(annualPlanStateQuery)).proposals.map((p) => p.projectId);
  await plan.executeUpdate(compilePlanUpdate, {
    args: [{
      included: enrolled.filter((id) => !(id in exclude)),
      excluded: Object.entries(exclude).map(([projectId, reason]) => ({ projectId, reason })),
      actor: actor('reviewOffice'),
    }],
  });
  await plan.executeUpdate(approvePlanUpdate, { args: [{ step: 'leadingGroup', approved: true, actor: actor('reviewOffice') }] });
  return plan.executeUpdate(approvePlanUpdate, { args: [{ step: 'executiveMeeting', approved: true, actor: actor('reviewOffice') }] });
}

/**
 * Takes the happy path one step: approves the open review as its role, or makes the unit's expected
 * submission with the usual payload, sleeping through a trial run when it must.
 */
export async function happyStep(env: LifecycleEnv, handle: ProjectHandle): Promise<ProjectState> {
  const state = await waitFor(handle, (s) => s.status === 'ended' || (s.pending !== null && s.pending.kind !== 'plan') || s.stage === 'annualPlan', 'a pending action');
  const pending = state.pending;
  if (state.stage === 'annualPlan' && (!pending || pending.kind === 'plan')) {
    await waitFor(handle, (s) => s.pending?.kind === 'plan', 'plan enrolment');
    // Give the enrolment activity time to reach the plan workflow.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publishPlan(env, state.jurisdiction, state.planYear);
    return waitFor(handle, (s) => s.stage !== 'annualPlan', 'leaving the annual plan');
  }
  if (!pending) throw new Error(`nothing pending at ${state.stage}`);
  switch (pending.kind) {
    case 'review':
      return decide(handle, { stage: pending.stage, decision: 'approve', role: pending.role, experts: EXPERTS, unit: state.unit });
    case 'implementation':
      return submit(handle, { action: 'goLive' }, state.unit);
    case 'revision':
    case 'rectification':
      return submit(handle, { action: 'revision' }, state.unit);
    case 'submission': {
      if (pending.notBeforeAt) {
        const wait = Date.parse(pending.notBeforeAt) - (await env.currentTimeMs());
        if (wait > 0) await env.sleep(wait + 60_000);
      }
      const action = pending.action!;
      return submit(handle, {
        action,
        designAgency: action === 'preliminaryDesign' ? '湖南省某设计院' : undefined,
        contract: action === 'contract' ? contractFor(state.projectId) : undefined,
        supervisor: action === 'contract' ? SUPERVISOR : undefined,
        preconditionsMet: action === 'acceptanceApplication' ? ALL_PRECONDITIONS : [],
      }, state.unit);
    }
    default:
      throw new Error(`no happy step for ${pending.kind} at ${pending.stage}`);
  }
}

/** Happy steps until `accept` holds. */
export async function driveUntil(env: LifecycleEnv, handle: ProjectHandle, accept: (state: ProjectState) => boolean, maxSteps = 40): Promise<ProjectState> {
  for (let step = 0; step < maxSteps; step += 1) {
    const state = await handle.query(projectStateQuery);
    if (accept(state)) return state;
    if (state.status === 'ended') throw new Error(`project ended at ${state.stage}: ${state.outcome?.reason}`);
    await happyStep(env, handle);
  }
  throw new Error('too many steps');
}

/** Events in one run's history (a run must stay under 1,000 events). */
export async function historyLength(client: Client, workflowId: string, runId?: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  return history.events?.length ?? 0;
}

/** The event type names a run's history gained since it had `since` events. */
export async function eventTypesSince(client: Client, workflowId: string, since: number): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).slice(since).map((event) => temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType));
}

/** The TimerStarted event ids of the timers a workflow waits on (started, neither fired nor canceled). */
export async function pendingTimerIds(client: Client, workflowId: string): Promise<string[]> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const ended = new Set(events.flatMap((e) => [e.timerFiredEventAttributes?.startedEventId, e.timerCanceledEventAttributes?.startedEventId]).map(String));
  return events.filter((e) => e.timerStartedEventAttributes && !ended.has(String(e.eventId))).map((e) => String(e.eventId));
}

/** History length once the workflow has gone idle (no activity or task in flight). */
export async function settledHistoryLength(client: Client, workflowId: string): Promise<number> {
  let previous = -1;
  for (;;) {
    const length = await historyLength(client, workflowId);
    if (length === previous) return length;
    previous = length;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

const startedProjects = new Set<string>();

/** Starts a project (Yiyang by default) for the plan year whose intake is open in the environment. */
export async function startProject(env: LifecycleEnv, overrides: Partial<ProjectProposal> = {}): Promise<ProjectHandle> {
  const proposal = aProposal({ planYear: await openPlanYear(env), ...overrides });
  startedProjects.add(proposal.projectId);
  // As the API registers it: update-with-start, answered with the first state.
  const start = new WithStartWorkflowOperation(ProjectLifecycle, { taskQueue: TASK_QUEUE, workflowId: proposal.projectId, args: [lifecycleInputFor(proposal)], workflowIdConflictPolicy: 'FAIL' });
  await env.client.workflow.executeUpdateWithStart(registeredUpdate, { startWorkflowOperation: start });
  return start.workflowHandle();
}

/**
 * Ends what the test's projects left running (their O&M years, their retention children), so the next
 * test starts on an idle server: a time-skipping server that carries every earlier test's decade-long
 * workflows along while it skips years stalls after a few simulated years of them (seen at ~10 years,
 * a dozen projects).
 */
export async function endStartedProjects(client: Client): Promise<void> {
  for (const projectId of startedProjects) {
    const handle = client.workflow.getHandle<typeof ProjectLifecycle>(projectId);
    const state = await handle.query(projectStateQuery).catch(() => null);
    for (const workflowId of [state?.retentionWorkflowId, projectId]) {
      if (workflowId) await client.workflow.getHandle(workflowId).terminate('test finished').catch(() => undefined);
    }
  }
  startedProjects.clear();
}
