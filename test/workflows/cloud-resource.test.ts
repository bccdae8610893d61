import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { cloudWorkflowId, type CloudActionInput, type CloudApplication, type CloudResourceState } from '../../domain/cloud';
import type { Actor } from '../../domain/lifecycle';
import { profileFor } from '../../domain/policy';
import { SERVICE_TARGET } from '../../domain/policy/profile';
import { correspondingDay, nextDate } from '../../domain/periods';
import { businessDateOf, type Role } from '../../domain/records';
import { createStore } from '../../activities/storage/store';
import { CloudResource } from '../../workflows/cloud-resource';
import { validateApplication } from '../../workflows/cloud/validators';
import { cloudActionUpdate, cloudResourceStateQuery } from '../../workflows/messages';
import { eventually, pollQuery, weekdaysBetween } from '../helpers/lifecycle';
import { TASK_QUEUE } from '../helpers/temporal';
import { refusal, useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * Ji'an's government cloud (seed 004, 吉安市政务云管理办法) on Temporal's time-skipping test server:
 * a resource through every step, the periods of its provider and its unit (3 working days to open, 30 to
 * cut over, 3 months of fallback, 20 of migration), the forced exit, a county's application and a
 * rejection. Each test ends the resources it started, so the server skips time with nothing else running.
 */
const context = useWorkflowEnvironment('timeSkipping');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CITY_UNIT = '吉安市行政审批局';
const COUNTY_UNIT = '吉水县行政审批局';
const RESOURCES = { vcpu: 8, memoryGiB: 32, storageGiB: 500 };
const EXPERTS = ['张高工', '李教授', '王研究员'];
const ALL_DONE = ['deployment', 'testing', 'securityRiskPreAssessment', 'cutover'] as const;

const actor = (role: Role, unit?: string): Actor => ({ id: `${role}:tester`, role, ...(role === 'unit' ? { unit: unit ?? CITY_UNIT } : {}) });
const unit = actor('unit');
const authority = actor('bigDataCentre');
const provider = actor('cloudProvider');

type ResourceHandle = WorkflowHandleWithFirstExecutionRunId<typeof CloudResource>;
const started = new Set<string>();
let sequence = 0;

async function apply(overrides: Partial<CloudApplication> = {}, applicant: Actor = unit, maxHistoryEvents?: number): Promise<ResourceHandle> {
  const application: CloudApplication = {
    resourceId: `JA-CLOUD-${Date.now().toString(36)}-${(sequence += 1)}`, jurisdiction: 'jian', systemName: '吉安市一网通办平台', unit: CITY_UNIT, county: false, resources: RESOURCES, ...overrides,
  };
  const workflowId = cloudWorkflowId(application.resourceId);
  started.add(workflowId);
  return context.env.client.workflow.start(CloudResource, {
    taskQueue: TASK_QUEUE, workflowId, args: [{ application, applicant, profileVersion: profileFor('jian').version, ...(maxHistoryEvents ? { maxHistoryEvents } : {}) }],
  });
}

afterEach(async () => {
  for (const workflowId of started) await context.env.client.workflow.getHandle(workflowId).terminate('test finished').catch(() => undefined);
  started.clear();
});

const step = (handle: ResourceHandle, input: CloudActionInput) => handle.executeUpdate(cloudActionUpdate, { args: [input] });
const waitFor = (handle: ResourceHandle, accept: (state: CloudResourceState) => boolean, what: string) => pollQuery(handle, cloudResourceStateQuery, accept, what);
const today = async () => businessDateOf(new Date(await context.env.currentTimeMs()));
/** Sleeps (skipping time) until just past an instant. */
const sleepPast = async (instant: string, margin = HOUR) => {
  const wait = Date.parse(instant) - (await context.env.currentTimeMs()) + margin;
  if (wait > 0) await context.env.sleep(wait);
};
const outbox = (resourceId: string) => context.storage.db.selectFrom('notification_outbox').selectAll().where('project_id', '=', resourceId).execute();


/** Application → review → sizing → letter → notice: the provider's opening period runs. */
async function toOpening(handle: ResourceHandle, user: Actor = unit): Promise<CloudResourceState> {
  await waitFor(handle, (s) => s.pending[0]?.dueDate !== undefined, 'the review clock');
  await step(handle, { action: 'decide', subject: 'application', decision: 'approve', actor: authority });
  await step(handle, { action: 'size', experts: EXPERTS, resources: RESOURCES, actor: authority });
  await step(handle, { action: 'signLetter', signedBy: '王主任', signedOn: await today(), confirmationFormFilled: true, fileNumbers: ['DOC-LETTER-1', 'DOC-FORM-1'], actor: user });
  return step(handle, { action: 'notifyProvider', actor: authority });
}

describe("Ji'an government cloud (004 cloud measures)", () => {
  it('takes a resource through every step: review, sizing, letter, opening in 3 working days, cut-over, 3 months of fallback, resizes up and down, exit, erasure after the migration window, reclamation (004 cloud §9, §11, §12, §13, §14, §15)', async () => {
    const handle = await apply();
    const resourceId = (await handle.query(cloudResourceStateQuery)).resourceId;
    const review = await waitFor(handle, (s) => s.pending[0]?.dueDate !== undefined, 'the review clock');
    // The seed sets no review period: the clock is the office's service target, not an article.
    expect(review.pending).toEqual([expect.objectContaining({ action: 'decide', subject: 'application', roles: ['bigDataCentre'], rule: SERVICE_TARGET })]);
    expect(review.timeline.map((t) => [t.kind, t.rule])).toEqual([['applied', '004 cloud §10'], ['entered', '004 cloud §11']]);

    await step(handle, { action: 'decide', subject: 'application', decision: 'approve', actor: authority });
    expect(await refusal(step(handle, { action: 'size', experts: [], resources: RESOURCES, actor: authority }))).toMatch(/^004 cloud §11: the experts who fixed the resources must be named/);
    const sized = await step(handle, { action: 'size', experts: EXPERTS, resources: { ...RESOURCES, storageGiB: 400 }, actor: authority });
    expect(sized).toMatchObject({ stage: 'responsibilityLetter', sized: { storageGiB: 400 }, experts: EXPERTS });
    expect(await refusal(step(handle, { action: 'signLetter', signedBy: '王主任', signedOn: await today(), confirmationFormFilled: false, actor: unit }))).toMatch(/^004 cloud §12: the opening confirmation form/);
    await step(handle, { action: 'signLetter', signedBy: '王主任', signedOn: await today(), confirmationFormFilled: true, actor: unit });
    const opening = await step(handle, { action: 'notifyProvider', actor: authority });
    // The answer comes once the notice is recorded: the provider's 3 working days are known.
    const noticeOn = businessDateOf(new Date(opening.steps.providerNotified!));
    expect(opening.pending).toEqual([expect.objectContaining({ action: 'opened', roles: ['cloudProvider'], rule: '004 cloud §12' })]);
    expect(weekdaysBetween(noticeOn, opening.pending[0]!.dueDate!)).toBeGreaterThanOrEqual(3);
    expect(await refusal(step(handle, { action: 'opened', actor: unit }))).toMatch(/^004 cloud §12: opening the resources is for the cloud provider/);

    const deploying = await step(handle, { action: 'opened', actor: provider });
    expect(deploying).toMatchObject({ stage: 'deployment', allocated: { storageGiB: 400 }, pending: [{ action: 'cutover', rule: '004 cloud §13' }] });
    expect(weekdaysBetween(await today(), deploying.pending[0]!.dueDate!)).toBeGreaterThanOrEqual(30);
    expect(await refusal(step(handle, { action: 'cutover', completed: ['deployment', 'testing'], actor: unit }))).toMatch(/^004 cloud §13: before the cut-over is reported, declare done: 安全风险预评估/);
    const live = await step(handle, { action: 'cutover', completed: [...ALL_DONE], actor: unit });
    // Civil Code art. 201–202: kept 3 months, decommissioned from the day after the corresponding day.
    const cutoverOn = businessDateOf(new Date(live.steps.cutover!));
    const allowedFrom = nextDate(correspondingDay(cutoverOn, 3));
    expect(live).toMatchObject({ stage: 'inService', fallback: { cutoverOn, allowedFrom, decommissionedAt: null } });
    expect(await refusal(step(handle, { action: 'fallbackDecommissioned', actor: unit }))).toMatch(new RegExp(`^004 cloud §13: the old system is kept at least 3 months .* from ${allowedFrom} \\(earliest allowed date\\)`));

    // 004 cloud §14: an increase is reviewed and sized like an application, then carried out by the provider (in its opening period).
    const bigger = { vcpu: 16, memoryGiB: 64, storageGiB: 400 };
    await step(handle, { action: 'requestResize', direction: 'scaleUp', resources: bigger, reasons: ['业务量增长'], actor: unit });
    expect(await refusal(step(handle, { action: 'decide', subject: 'resize', decision: 'approve', actor: authority }))).toMatch(/^004 cloud §14: an increase is sized like an application/);
    expect(await refusal(step(handle, { action: 'decide', subject: 'resize', decision: 'reject', actor: authority }))).toMatch(/^004 cloud §14: a rejection must give its reasons/);
    const approvedUp = await step(handle, { action: 'decide', subject: 'resize', decision: 'approve', resources: { ...bigger, vcpu: 12 }, experts: EXPERTS, actor: authority });
    expect(approvedUp.pending).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'resizeApplied', roles: ['cloudProvider'], rule: '004 cloud §14', dueDate: expect.any(String) })]));
    expect((await step(handle, { action: 'resizeApplied', actor: provider })).allocated).toEqual({ ...bigger, vcpu: 12 });
    // A decrease: approved by the authority, carried out by the provider.
    await step(handle, { action: 'requestResize', direction: 'scaleDown', resources: { ...bigger, vcpu: 12, memoryGiB: 48 }, actor: unit });
    await step(handle, { action: 'decide', subject: 'resize', decision: 'approve', actor: authority });
    const reduced = await step(handle, { action: 'resizeApplied', actor: provider });
    expect(reduced.allocated).toEqual({ ...bigger, vcpu: 12, memoryGiB: 48 });
    expect(reduced.resizes.map((r) => [r.resizeNo, r.direction, r.status])).toEqual([[1, 'scaleUp', 'applied'], [2, 'scaleDown', 'applied']]);

    // The fallback period ends: the unit is told, and may now decommission the old system.
    await sleepPast(live.fallback!.allowedFromAt);
    const over = await waitFor(handle, (s) => s.timeline.some((t) => t.kind === 'periodOver'), 'the end of the fallback period');
    expect(over.timeline.find((t) => t.kind === 'periodOver')).toMatchObject({ rule: '004 cloud §13', reasons: [`the old system may be decommissioned from ${allowedFrom}`] });
    await step(handle, { action: 'fallbackDecommissioned', actor: unit });

    // 004 cloud §15: exit on the unit's request, approved; 20 working days to migrate; erasure only after them.
    await step(handle, { action: 'requestExit', reasons: ['系统整合至省平台'], actor: unit });
    const migrating = await step(handle, { action: 'decide', subject: 'exit', decision: 'approve', actor: authority });
    const window = migrating.exit!.migrationWindow!;
    expect(migrating).toMatchObject({ stage: 'migration', exit: { forced: false } });
    expect(weekdaysBetween(await today(), window.date)).toBeGreaterThanOrEqual(20);
    expect(await refusal(step(handle, { action: 'dataErasure', actor: provider }))).toMatch(/^004 cloud §15: the data are erased after the 20-working-day migration window/);
    await step(handle, { action: 'migrationComplete', actor: unit });
    await sleepPast(window.endsAt);
    await waitFor(handle, (s) => s.stage === 'dataErasure', 'the end of the migration window');
    await step(handle, { action: 'dataErasure', actor: unit });
    expect((await step(handle, { action: 'dataErasure', actor: provider })).stage).toBe('reclamation');
    await step(handle, { action: 'reclamation', actor: provider });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'ended', stage: 'reclaimed', outcome: { stage: 'reclaimed', rule: '004 cloud §15' } });
    // A migration reported in time is no breach; nothing in the walk was late.
    expect(result.timeline.filter((t) => t.kind === 'breach')).toEqual([]);

    // The system of record: the row with every step's time, each event once, chained into a verifying audit trail.
    const store = createStore(context.storage);
    const row = await eventually(() => store.cloudResourceRecord(resourceId), (r) => r?.stage === 'reclaimed', 'the reclaimed row', 60_000);
    expect(row).toMatchObject({ status: 'ended', unit: CITY_UNIT, exit_forced: 0, fallback_allowed_from: allowedFrom, migration_due_date: window.date });
    for (const column of ['reviewed_at', 'sized_at', 'letter_signed_at', 'provider_notified_at', 'opened_at', 'cutover_at', 'fallback_decommissioned_at', 'exit_requested_at', 'exit_approved_at', 'migrated_at', 'erased_at', 'reclaimed_at'] as const) {
      expect({ column, value: row![column] }).toEqual({ column, value: expect.any(String) });
    }
    const events = await store.cloudEventsOf(resourceId);
    expect(events.map((e) => [e.kind, e.action, e.rule])).toEqual(result.timeline.map((t) => [t.kind, t.action ?? null, t.rule]));
    expect(events.find((e) => e.action === 'opened')).toMatchObject({ actor_role: 'cloudProvider', actor_id: 'cloudProvider:tester' });
    const audit = await context.storage.db.selectFrom('audit_log').select('action').where('subject', '=', resourceId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['cloud.applied', 'cloud.decision.decide', 'cloud.action.cutover', 'cloud.action.reclamation']));
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it('records a late opening as a breach escalated to the authority, and the provider still opens (004 cloud §12)', async () => {
    const handle = await apply();
    const opening = await toOpening(handle);
    const resourceId = opening.resourceId;
    await sleepPast(opening.pending[0]!.dueAt!, DAY);
    const late = await waitFor(handle, (s) => s.timeline.some((t) => t.kind === 'escalation'), 'the breach of the opening period');
    expect(late.timeline.filter((t) => ['reminder', 'breach', 'escalation'].includes(t.kind)).map((t) => [t.kind, t.action, t.rule])).toEqual([
      ['reminder', 'opened', '004 cloud §12'], ['breach', 'opened', '004 cloud §12'], ['escalation', 'opened', '004 cloud §12'],
    ]);
    // Late is a breach, not an end: the opening still awaits the provider.
    expect(late).toMatchObject({ status: 'active', stage: 'opening', pending: [{ action: 'opened', roles: ['cloudProvider'] }] });
    const sent = await eventually(() => outbox(resourceId), (rows) => rows.some((r) => r.kind === 'cloudOverdue' && r.recipient_role === 'bigDataCentre'), 'the escalation notice', 60_000);
    expect(sent.filter((r) => r.kind === 'cloudOverdue').map((r) => r.recipient_role).sort()).toEqual(['bigDataCentre', 'cloudProvider']);
    expect(sent.filter((r) => r.kind === 'cloudReminder').map((r) => r.recipient_role)).toEqual(['cloudProvider']);
    const opened = await step(handle, { action: 'opened', actor: provider });
    expect(opened.stage).toBe('deployment');
    expect(opened.timeline.find((t) => t.action === 'opened' && t.kind === 'action')?.reasons).toEqual([`late: due ${opening.pending[0]!.dueDate}`]);
  });

  it('puts a system not cut over within 30 working days on the exit path: forced exit, migration window, erasure, reclamation (004 cloud §13, §15)', async () => {
    const handle = await apply();
    await toOpening(handle);
    const deploying = await step(handle, { action: 'opened', actor: provider });
    const due = deploying.pending[0]!;
    expect(due).toMatchObject({ action: 'cutover', rule: '004 cloud §13' });
    await sleepPast(due.dueAt!);
    const exiting = await waitFor(handle, (s) => s.stage === 'migration' && s.exit?.migrationWindow !== null, 'the forced exit');
    expect(exiting.exit).toMatchObject({ forced: true, rule: '004 cloud §13', requestedBy: null, reasons: [expect.stringMatching(/^deployment, testing, security-risk pre-assessment and cut-over were not completed within 30 working days/)] });
    expect(exiting.timeline.filter((t) => t.stage === 'deployment' && ['reminder', 'breach', 'forcedExit'].includes(t.kind)).map((t) => [t.kind, t.rule])).toEqual([
      ['reminder', '004 cloud §13'], ['breach', '004 cloud §13'], ['forcedExit', '004 cloud §13'],
    ]);
    expect(await refusal(step(handle, { action: 'cutover', completed: [...ALL_DONE], actor: unit }))).toMatch(/is not expected now; .* is at migration/);
    expect(await refusal(step(handle, { action: 'dataErasure', actor: unit }))).toMatch(/^004 cloud §15: the data are erased after the 20-working-day migration window/);

    // The window ends without a reported migration: a breach, and the data are erased all the same (过渡期满后).
    await sleepPast(exiting.exit!.migrationWindow!.endsAt);
    const erasing = await waitFor(handle, (s) => s.stage === 'dataErasure', 'the end of the migration window');
    expect(erasing.timeline.filter((t) => t.stage === 'migration' && t.kind === 'breach').map((t) => t.rule)).toEqual(['004 cloud §15']);
    await step(handle, { action: 'dataErasure', actor: provider });
    await step(handle, { action: 'dataErasure', actor: unit });
    await step(handle, { action: 'reclamation', actor: provider });
    const result = await handle.result();
    expect(result).toMatchObject({ stage: 'reclaimed', outcome: { rule: '004 cloud §15', reason: expect.stringMatching(/^exited by rule \(004 cloud §13\)/) } });
    const row = await eventually(() => createStore(context.storage).cloudResourceRecord(result.resourceId), (r) => r?.stage === 'reclaimed', 'the reclaimed row', 60_000);
    expect(row).toMatchObject({ exit_forced: 1, cutover_at: null });
  });

  it("takes a county's application from the county government, revised and reviewed again; a unit may not apply for a county's system (004 cloud §10, §11)", async () => {
    // The API refuses a unit's county application before any workflow starts.
    expect(validateApplication(profileFor('jian'), { resourceId: 'JA-CLOUD-X', jurisdiction: 'jian', systemName: '吉水县智慧社区', unit: COUNTY_UNIT, county: true, resources: RESOURCES }, actor('unit', COUNTY_UNIT)))
      .toMatchObject({ kind: 'forbidden', rule: '004 cloud §10', field: 'county' });

    const county = actor('county');
    const handle = await apply({ systemName: '吉水县智慧社区', unit: COUNTY_UNIT, county: true }, county);
    const first = await waitFor(handle, (s) => s.pending[0]?.dueDate !== undefined, 'the review clock');
    expect(first).toMatchObject({ county: true, unit: COUNTY_UNIT, applicant: { role: 'county' } });
    expect(first.timeline[0]).toMatchObject({ kind: 'applied', actorRole: 'county', rule: '004 cloud §10', reasons: expect.arrayContaining([`for ${COUNTY_UNIT}, a county unit`]) });

    await context.env.sleep(5 * DAY);
    const revising = await step(handle, { action: 'decide', subject: 'application', decision: 'requestRevision', reasons: ['补充等保定级备案证明'], actor: authority });
    expect(revising).toMatchObject({ stage: 'revision', pending: [{ action: 'revise', roles: ['unit', 'county'], unit: COUNTY_UNIT }] });
    expect(await refusal(step(handle, { action: 'revise', actor: unit }))).toMatch(/^004 cloud §11: .* is not the unit using/);
    await context.env.sleep(10 * DAY);
    const resumed = await step(handle, { action: 'revise', resources: { ...RESOURCES, vcpu: 4 }, reasons: ['已补充'], actor: county });
    // The review clock paused while the county revised: it resumes with the working days left, later than first due.
    expect(resumed).toMatchObject({ stage: 'review', requested: { vcpu: 4 } });
    expect(resumed.pending[0]!.dueDate! > first.pending[0]!.dueDate!).toBe(true);

    await step(handle, { action: 'decide', subject: 'application', decision: 'approve', actor: authority });
    await step(handle, { action: 'size', experts: EXPERTS, resources: { ...RESOURCES, vcpu: 4 }, actor: authority });
    expect(await refusal(step(handle, { action: 'signLetter', signedBy: '李主任', signedOn: await today(), confirmationFormFilled: true, actor: unit }))).toMatch(/^004 cloud §12: .* is not the unit using/);
    await step(handle, { action: 'signLetter', signedBy: '吉水县人民政府 李主任', signedOn: await today(), confirmationFormFilled: true, actor: county });
    await step(handle, { action: 'notifyProvider', actor: authority });
    await step(handle, { action: 'opened', actor: provider });
    // The county's own unit deploys and cuts over its system.
    const live = await step(handle, { action: 'cutover', completed: [...ALL_DONE], actor: actor('unit', COUNTY_UNIT) });
    expect(live).toMatchObject({ stage: 'inService', allocated: { vcpu: 4 } });
    const notices = await eventually(() => outbox(live.resourceId), (rows) => rows.some((r) => r.recipient_role === 'county'), 'notices to the county', 60_000);
    expect(notices.filter((r) => r.recipient_role === 'unit').every((r) => r.unit === COUNTY_UNIT)).toBe(true);
  });

  it('never decides an application by the clock: the review is reminded and breached, then rejected only with reasons (004 cloud §11)', async () => {
    const handle = await apply();
    const open = await waitFor(handle, (s) => s.pending[0]?.dueAt !== undefined, 'the review clock');
    await sleepPast(open.pending[0]!.dueAt!, DAY);
    const overdue = await waitFor(handle, (s) => s.timeline.some((t) => t.kind === 'escalation'), 'the breach of the review clock');
    expect(overdue.timeline.filter((t) => ['reminder', 'breach', 'escalation'].includes(t.kind)).map((t) => [t.kind, t.rule])).toEqual([
      ['reminder', SERVICE_TARGET], ['breach', SERVICE_TARGET], ['escalation', SERVICE_TARGET],
    ]);
    expect(overdue).toMatchObject({ stage: 'review', status: 'active' });
    expect(await refusal(step(handle, { action: 'decide', subject: 'application', decision: 'reject', actor: authority }))).toMatch(/^004 cloud §11: a rejection must give its reasons/);
    expect(await refusal(step(handle, { action: 'decide', subject: 'application', decision: 'reject', reasons: ['x'], actor: provider }))).toMatch(/^004 cloud §11: the review of an application is for the cloud's authority/);
    await step(handle, { action: 'decide', subject: 'application', decision: 'reject', reasons: ['可复用现有市级平台资源'], actor: authority });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'ended', stage: 'rejected', outcome: { stage: 'rejected', reason: '可复用现有市级平台资源', rule: '004 cloud §11' }, pending: [] });
    // The workflow has completed: nothing more is taken (the API answers 409 with the outcome).
    await expect(step(handle, { action: 'revise', actor: unit })).rejects.toThrow();
  });

  it('continues as new while idle in service, carrying its state, its fallback period and its rules (004 cloud §13, §14)', async () => {
    const handle = await apply({}, unit, 1);
    await toOpening(handle);
    await step(handle, { action: 'opened', actor: provider });
    const live = await step(handle, { action: 'cutover', completed: [...ALL_DONE], actor: unit });
    await eventually(() => handle.describe(), (d) => d.runId !== handle.firstExecutionRunId, 'a new run', 30_000);
    const carried = await handle.query(cloudResourceStateQuery);
    expect(carried).toMatchObject({ stage: 'inService', fallback: live.fallback, profileVersion: 'jian@2021' });
    expect(carried.timeline).toEqual(live.timeline);

    await step(handle, { action: 'requestResize', direction: 'scaleDown', resources: { ...RESOURCES, storageGiB: 100 }, actor: unit });
    await step(handle, { action: 'decide', subject: 'resize', decision: 'approve', actor: authority });
    expect((await step(handle, { action: 'resizeApplied', actor: provider })).allocated).toEqual({ ...RESOURCES, storageGiB: 100 });
    // The fallback's end, a timer of the first run, comes in a later one.
    await sleepPast(live.fallback!.allowedFromAt);
    await waitFor(handle, (s) => s.timeline.some((t) => t.kind === 'periodOver'), 'the end of the fallback period');
    const events = await createStore(context.storage).cloudEventsOf(live.resourceId);
    const final = await handle.query(cloudResourceStateQuery);
    // Event keys continue across runs: each event is in the system of record once.
    expect(new Set(events.map((e) => e.event_key)).size).toBe(final.timeline.length);
  });
});
