import type { ProjectState, RetentionState } from '../../domain/lifecycle';
import { retentionStateQuery } from '../../workflows/messages';
import { as } from '../helpers/api';
import { useKillableDevServer } from '../helpers/dev-server-process';
import { ALL_PRECONDITIONS, driveUntil, eventually, pendingTimerIds, startProject, waitFor, type LifecycleEnv } from '../helpers/lifecycle';
import { temporalCliPath } from '../helpers/temporal';

/**
 * Timers across a crash of the Temporal server, on the real dev server: the server is SIGKILLed while
 * projects wait on their timers and started again on the same SQLite file later — weeks, then a year
 * — as if it had been down that long (the clock-shift build of the same pinned CLI, see
 * scripts/obtain-temporal-cli.sh). Timers that came due during the outage fire on restart;
 * timers still ahead fire when their time comes; each fires once and does what its rule says.
 */
jest.setTimeout(8 * 60_000);

/** How far ahead of a timer the server is restarted: time to check that it has not fired yet. */
const LEAD_MS = 30_000;
const SUPPLEMENTARY = { planKind: 'supplementary' as const, supplementaryBasis: '省政务服务一体化平台对接要求' };

describe('timers survive SIGKILL of the Temporal dev server and fire on time', () => {
  const context = useKillableDevServer(temporalCliPath());

  /** Projects are driven on the server's clock; a dev server cannot skip time, so nothing sleeps. */
  const driver = (): LifecycleEnv => ({
    client: context.client,
    currentTimeMs: async () => context.server.now(),
    sleep: async () => {
      throw new Error('a dev server cannot skip time; restart it later instead');
    },
  });

  /** SIGKILL, then a restart whose clock reads `at` (the server "was down" until then). */
  async function crashAndRestartAt(at: number): Promise<void> {
    await context.server.kill('SIGKILL');
    await context.server.start({ wallClockShiftSeconds: Math.ceil((at - Date.now()) / 1000) });
  }

  const project = async (id: string) => (await as(context.app, 'auditor').get(`/projects/${id}`).expect(200)).body as ProjectState;
  const retention = async (contractId: string) => (await as(context.app, 'finance').get(`/contracts/${contractId}/retention`).expect(200)).body as RetentionState;
  const outbox = (projectId: string, kind: string) =>
    context.storage.db.selectFrom('notification_outbox').select(['recipient_role', 'kind']).where('project_id', '=', projectId).where('kind', '=', kind).execute();
  /**
   * Waits until a workflow is idle — no workflow task, no activity in flight — and returns the ids of
   * the timers it then waits on (their TimerStarted events), so the test can tell that the timer fired
   * after the restart is the one the server persisted, not one the workflow armed again.
   */
  async function idleTimers(workflowId: string): Promise<string[]> {
    const handle = context.client.workflow.getHandle(workflowId);
    await eventually(() => handle.describe(), ({ raw }) => !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0, `${workflowId} idle`, 60_000);
    return pendingTimerIds(context.client, workflowId);
  }
  /** The TimerStarted ids of the timers a workflow has seen fire. */
  async function firedTimers(workflowId: string): Promise<string[]> {
    const events = (await context.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    return events.flatMap((e) => (e.timerFiredEventAttributes ? [String(e.timerFiredEventAttributes.startedEventId)] : []));
  }

  it('fires review deadlines missed during an outage, and trial-run and retention timers after restarts', async () => {
    const { server, client, storage, app } = context;
    // Three projects, each waiting on a timer: a review's SLA (reminder, then breach), a trial run
    // (3 months, 001 §26(2)) and a contract's first retention tranche (a year after acceptance, 001 §19).
    const review = await startProject(driver());
    const trial = await startProject(driver(), { investmentFen: 3_000_000 * 100, ...SUPPLEMENTARY });
    const retained = await startProject(driver(), { investmentFen: 1_500_000 * 100, ...SUPPLEMENTARY, flags: { mlpsRequired: true } });

    const atReview = await waitFor(review, (s) => s.pending?.dueAt !== undefined, 'the review deadline');
    await driveUntil(driver(), trial, (s) => s.stage === 'acceptanceApplication');
    const atTrial = await waitFor(trial, (s) => s.pending?.notBeforeAt !== undefined, 'the end of the trial run');
    const inOperations = await driveUntil(driver(), retained, (s) => s.stage === 'operations' && s.retentionWorkflowId !== null);
    const contractId = inOperations.contract!.contractId;
    const retentionHandle = client.workflow.getHandle(inOperations.retentionWorkflowId!);
    const scheduled = await eventually(() => retentionHandle.query(retentionStateQuery), (r) => r.tranches.length === 3, 'the retention schedule', 30_000);
    expect(scheduled.tranches[0]).toMatchObject({ trancheNo: 1, status: 'scheduled', condition: 'postEvaluation' });

    const reviewDueAt = Date.parse(atReview.pending!.dueAt!);
    const trialEndsAt = Date.parse(atTrial.pending!.notBeforeAt!);
    const trancheDueAt = Date.parse(`${scheduled.tranches[0]!.dueDate}T00:00:00+08:00`);
    expect(reviewDueAt).toBeLessThan(trialEndsAt - LEAD_MS);
    expect(trialEndsAt).toBeLessThan(trancheDueAt - LEAD_MS);
    // Each waits on exactly one timer, persisted by the server, when the server is killed.
    const [reminderTimer, trialTimer, trancheTimer] = await Promise.all([review.workflowId, trial.workflowId, retentionHandle.workflowId].map(idleTimers));
    expect([reminderTimer, trialTimer, trancheTimer].map((ids) => ids.length)).toEqual([1, 1, 1]);
    await idleTimers(retained.workflowId);
    expect((await project(review.workflowId)).timeline.map((t) => t.kind)).toEqual(['entered']);

    // Outage 1: the server is down past the review's whole deadline, until just before the trial ends.
    await crashAndRestartAt(trialEndsAt - LEAD_MS);

    // On the restarted server's clock the trial run is not over yet: the application is refused.
    expect(server.now()).toBeLessThan(trialEndsAt);
    const early = await as(app, 'unit').post(`/projects/${trial.workflowId}/submissions`).send({ action: 'acceptanceApplication', preconditionsMet: ALL_PRECONDITIONS });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ rule: '001 §26(2)', detail: expect.stringContaining(`allowed from ${atTrial.pending!.notBeforeDate}`) });
    expect((await project(trial.workflowId)).timeline.some((t) => t.kind === 'trialRunComplete')).toBe(false);
    expect(server.now()).toBeLessThan(trialEndsAt);

    // The review's reminder came due while the server was down: its timer fires on restart, and the
    // breach (its timer armed after the reminder, also already due) follows — once each; the overdue
    // review is escalated to the review office, never approved by the clock.
    const overdue = await eventually(() => project(review.workflowId), (s) => s.timeline.some((t) => t.kind === 'breach'), 'the missed deadline', 60_000);
    expect(await firedTimers(review.workflowId)).toEqual([reminderTimer[0], expect.any(String)]);
    expect(overdue.timeline.map((t) => t.kind)).toEqual(['entered', 'reminder', 'breach']);
    expect(overdue.timeline[2]).toMatchObject({ stage: 'preTechnicalReview', rule: atReview.pending!.rule });
    expect(Date.parse(overdue.timeline[2]!.at)).toBeGreaterThanOrEqual(reviewDueAt);
    expect(overdue).toMatchObject({ stage: 'preTechnicalReview', status: 'active', pending: { kind: 'review', role: 'technicalReviewer' } });
    // The system of record follows in the transition activity, notices last.
    const escalations = await eventually(() => outbox(review.workflowId, 'reviewOverdue'), (rows) => rows.length >= 2, 'the overdue notices', 30_000);
    expect(escalations.map((m) => m.recipient_role).sort()).toEqual(['reviewOffice', 'technicalReviewer']);
    expect(await outbox(review.workflowId, 'reviewReminder')).toEqual([{ recipient_role: 'technicalReviewer', kind: 'reviewReminder' }]);
    expect(await storage.db.selectFrom('reviews').select(['status', 'breached']).where('project_id', '=', review.workflowId).execute())
      .toEqual([{ status: 'open', breached: 1 }]);
    await as(app, 'technicalReviewer').post(`/projects/${review.workflowId}/decisions`).send({ stage: 'preTechnicalReview', decision: 'approve' }).expect(200);

    // The trial-run timer armed before the crash fires on time and tells the unit, once.
    const over = await eventually(() => project(trial.workflowId), (s) => s.timeline.some((t) => t.kind === 'trialRunComplete'), 'the end of the trial run', LEAD_MS + 60_000);
    expect(await firedTimers(trial.workflowId)).toContain(trialTimer[0]);
    const complete = over.timeline.filter((t) => t.kind === 'trialRunComplete');
    expect(complete).toEqual([expect.objectContaining({ stage: 'acceptanceApplication', rule: '001 §26(2)' })]);
    expect(Date.parse(complete[0]!.at)).toBeGreaterThanOrEqual(trialEndsAt);
    expect(Date.parse(complete[0]!.at)).toBeLessThan(trialEndsAt + 30_000);
    expect(await eventually(() => outbox(trial.workflowId, 'trialRunComplete'), (rows) => rows.length > 0, 'the trial-run notice', 30_000))
      .toEqual([{ recipient_role: 'unit', kind: 'trialRunComplete' }]);
    await as(app, 'unit').post(`/projects/${trial.workflowId}/submissions`).send({ action: 'acceptanceApplication', preconditionsMet: ALL_PRECONDITIONS }).expect(200);
    await waitFor(trial, (s) => s.stage !== 'acceptanceApplication', 'acceptance');

    // Outage 2: down until just before the first retention tranche falls due, a year after acceptance.
    await Promise.all([review.workflowId, trial.workflowId, retained.workflowId].map(idleTimers));
    expect(await idleTimers(retentionHandle.workflowId)).toEqual(trancheTimer);
    await crashAndRestartAt(trancheDueAt - LEAD_MS);
    const beforeDue = await retention(contractId);
    expect(server.now()).toBeLessThan(trancheDueAt);
    expect(beforeDue.tranches.map((t) => t.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
    await as(app, 'finance').post(`/contracts/${contractId}/retention/releases`).send({ trancheNo: 1, voucherRef: 'PZ-2028-001' }).expect(409);

    // The tranche's timer fires when the year is up: its condition (the post-evaluation) was met, so it
    // is due — announced to finance once — and finance releases it against a voucher.
    const due = await eventually(() => retention(contractId), (r) => r.tranches[0]!.status !== 'scheduled', 'the first tranche', LEAD_MS + 60_000);
    expect(await firedTimers(retentionHandle.workflowId)).toEqual(trancheTimer);
    expect(server.now()).toBeGreaterThanOrEqual(trancheDueAt);
    expect(due.tranches.map((t) => t.status)).toEqual(['due', 'scheduled', 'scheduled']);
    // (The retention is read from the ledger, which the workflow writes through its activity as it decides.)
    expect(await eventually(() => outbox(retained.workflowId, 'trancheDue'), (rows) => rows.length > 0, 'the due notice', 30_000))
      .toEqual([{ recipient_role: 'finance', kind: 'trancheDue' }]);
    const released = await as(app, 'finance').post(`/contracts/${contractId}/retention/releases`).send({ trancheNo: 1, voucherRef: 'PZ-2028-001' }).expect(200);
    expect(released.body.tranches[0]).toMatchObject({ status: 'released', voucherRef: 'PZ-2028-001', amountFen: scheduled.tranches[0]!.amountFen });
    expect((await as(app, 'auditor').get('/audit/verification').expect(200)).body).toMatchObject({ ok: true });
  });
});
