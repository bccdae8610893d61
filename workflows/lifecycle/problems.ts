import type { z } from 'zod';
import type { problemInputSchema, problemReportInputSchema, problemVerdictInputSchema, ProjectState } from '../../domain/lifecycle';
import type { Transition } from '../../activities/transitions';
import { act } from '../activity-proxies';
import { deadlineOn, until } from '../timing';
import { event, handIn, notice, nowIso } from './recorder';
import type { LifecycleRun } from './run';

type Problem = ProjectState['problems'][number];

/**
 * 003 §31: a problem found in supervision is rectified as required and the result reported to the
 * department; a project that does not rectify, or whose rectification falls short, gets no further
 * project money until it is rectified. The block is a record in the system of record (scope
 * projectFunds), which finance reads and its payments are checked against. Problems come at any stage
 * after the contract, so their handlers record them; a watch per open problem waits out its date.
 */
export async function recordProblem(run: LifecycleRun, input: z.infer<typeof problemInputSchema>): Promise<void> {
  const { state } = run;
  const { rule } = run.profile.problems!;
  const problemId = state.problems.length + 1;
  const recorded = event(run, state.stage, 'decision', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: input.actor.role,
    reasons: [`problem ${problemId}: ${input.kind}, to be rectified by ${input.rectifyBy}`, ...input.reasons], rule,
  });
  const problem: Problem = { problemId, kind: input.kind, reasons: input.reasons, rectifyBy: input.rectifyBy, status: 'open', blocksMoney: null, since: recorded.occurredAt, reports: 0 };
  state.problems.push(problem);
  await act.recordTransition({
    events: [recorded],
    notifications: [notice(run, 'actionRequired', 'unit', { dueDate: input.rectifyBy, reasons: [input.kind, ...input.reasons], rule })],
  });
  watchProblem(run, problem);
}

/** The unit reports its rectification; the department's verdict is awaited in its review inbox. */
export async function reportProblemRectification(run: LifecycleRun, input: z.infer<typeof problemReportInputSchema>): Promise<void> {
  const { state } = run;
  const { role, rule } = run.profile.problems!;
  const problem = state.problems.find((p) => p.problemId === input.problemId)!;
  problem.status = 'reported';
  problem.reports += 1;
  const recorded = event(run, state.stage, 'submission', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: 'unit',
    reasons: [`problem ${problem.problemId} rectified (report ${problem.reports})`, ...input.reasons, ...handIn(run, input.documents)], rule,
  });
  await act.recordTransition({
    events: [recorded],
    openReview: {
      reviewKey: reportKey(state, problem), projectId: state.projectId, jurisdiction: state.jurisdiction, unit: state.unit, stage: state.stage,
      assigneeRole: role, openedAt: recorded.occurredAt, dueDate: null, dueProvisional: false,
    },
    notifications: [notice(run, 'actionRequired', role, { reasons: input.reasons, rule })],
  });
}

/**
 * The department's verdict: rectified as required closes the problem and, with the last blocking one,
 * frees the project's money; rectified short (整改后不符合要求) blocks it and sets a new date.
 */
export async function decideProblemRectification(run: LifecycleRun, input: z.infer<typeof problemVerdictInputSchema>): Promise<void> {
  const { state } = run;
  const { rule } = run.profile.problems!;
  const problem = state.problems.find((p) => p.problemId === input.problemId)!;
  const recorded = event(run, state.stage, 'decision', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: input.actor.role, decision: input.accepted ? 'approve' : 'reject',
    reasons: [input.accepted ? `problem ${problem.problemId} closed: rectified as required` : `problem ${problem.problemId}: rectification short of the requirements, rectify by ${input.rectifyBy}`, ...input.reasons], rule,
  });
  const transition: Transition = {
    events: [recorded],
    closeReview: { reviewKey: reportKey(state, problem), status: input.accepted ? 'approved' : 'rejected', decidedAt: recorded.occurredAt },
    notifications: [notice(run, 'decisionRecorded', 'unit', { decision: input.accepted ? 'rectified' : 'rectification rejected', reasons: input.reasons, rule })],
  };
  if (input.accepted) {
    problem.status = 'closed';
    problem.closedAt = recorded.occurredAt;
    if (problem.blocksMoney) {
      problem.blocksMoney = null;
      transition.liftPaymentBlock = { projectId: state.projectId, scope: 'projectFunds', since: problem.blockedSince!, subject: blockSubject(problem), liftedAt: recorded.occurredAt };
      transition.notifications!.push(notice(run, 'paymentsUnblocked', 'finance', { decision: 'further project money', reasons: [`problem ${problem.problemId} rectified`], rule }));
    }
  } else {
    problem.status = 'open';
    problem.rectifyBy = input.rectifyBy!;
    if (!problem.blocksMoney) Object.assign(transition, blockMoney(run, problem, 'rectificationFailed', recorded.occurredAt));
  }
  await act.recordTransition(transition);
}

/**
 * A new run (continue-as-new) watches again the open problems whose date has not yet blocked the money,
 * and records again the blocks of the others: one whose recording was still under way when the last run
 * closed is recorded now (the record is idempotent by its key).
 */
export async function resumeProblemWatches(run: LifecycleRun): Promise<void> {
  const { state } = run;
  for (const problem of state.problems) if (problem.status === 'open' && !problem.blocksMoney) watchProblem(run, problem);
  for (const problem of state.problems.filter((p) => p.blocksMoney && p.status !== 'closed')) {
    const { rule } = run.profile.problems!;
    await act.recordTransition({ paymentBlock: { projectId: state.projectId, scope: 'projectFunds', reason: blockReason(problem), rule, since: problem.blockedSince!, subject: blockSubject(problem) } });
  }
}

/** Not reported by its date (未整改): the project's further money is blocked until the problem is closed. */
function watchProblem(run: LifecycleRun, problem: Problem): void {
  const { state } = run;
  const settled = () => problem.status !== 'open' || problem.blocksMoney !== null || state.status === 'ended';
  run.problemWatches.push(
    until(settled, deadlineOn(problem.rectifyBy).endsAt).then(async (acted) => {
      if (acted) return;
      const block = blockMoney(run, problem, 'notRectified', nowIso());
      const breach = event(run, state.stage, 'breach', { reasons: [`problem ${problem.problemId} not rectified by ${problem.rectifyBy}`], rule: run.profile.problems!.rule });
      await act.recordTransition({ ...block, events: [breach], notifications: [...block.notifications!, notice(run, 'reviewOverdue', 'unit', { dueDate: problem.rectifyBy, rule: run.profile.problems!.rule })] });
    }),
  );
}

function blockMoney(run: LifecycleRun, problem: Problem, why: NonNullable<Problem['blocksMoney']>, at: string): Pick<Transition, 'paymentBlock' | 'notifications'> {
  const { state } = run;
  const { rule } = run.profile.problems!;
  problem.blocksMoney = why;
  problem.blockedSince = at;
  const reason = blockReason(problem);
  return {
    paymentBlock: { projectId: state.projectId, scope: 'projectFunds', reason, rule, since: at, subject: blockSubject(problem) },
    notifications: [notice(run, 'paymentsBlocked', 'finance', { decision: 'further project money', reasons: [reason], rule })],
  };
}

const blockReason = (problem: Problem) =>
  `problem ${problem.problemId} (${problem.kind}) ${problem.blocksMoney === 'notRectified' ? `not rectified by ${problem.rectifyBy}` : 'rectified short of the requirements'}: ${problem.reasons.join('; ')}`;

/** Each problem's block is its own: two problems blocking at the same instant are two blocks, lifted one by one. */
const blockSubject = (problem: Problem) => `problem-${problem.problemId}`;

const reportKey = (state: ProjectState, problem: Problem) => `${state.projectId}:problem:${problem.problemId}:${problem.reports}`;
