import type { ProjectProposal } from '../../domain/project';
import { lifecycleInputFor } from '../../domain/policy';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { SERVICE_TARGET } from '../../domain/policy/profile';
import { businessDateOf } from '../../domain/records';
import { closeProjectUpdate, decideChangeUpdate, projectStateQuery, recordEvaluationUpdate, requestChangeUpdate, terminateUpdate } from '../../workflows/messages';
import { actor, decide, driveUntil, eventually, historyLength, submit, waitFor, waitForPending, weekdaysBetween, type ProjectHandle } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { TASK_QUEUE } from '../helpers/temporal';
import { refusal, useWorkflowEnvironment } from '../helpers/workflow-context';

/** Nanfeng (000): four review stages with working-day clocks, 3/6-month trial, 5-day archive filing. */
const context = useWorkflowEnvironment('timeSkipping');

const DAY = 86_400_000;
import { NANFENG_UNIT } from '../helpers/lifecycle';

function start(overrides: Partial<ProjectProposal> = {}): Promise<ProjectHandle> {
  const proposal = aProposal({ jurisdiction: 'nanfeng', unit: NANFENG_UNIT, investmentFen: 800_000 * 100, ...overrides });
  return context.env.client.workflow.start(ProjectLifecycle, { taskQueue: TASK_QUEUE, workflowId: proposal.projectId, args: [lifecycleInputFor(proposal)] });
}



describe('Nanfeng (000) lifecycle', () => {
  it('opens the initial review with a 7-working-day clock and refuses outright on coded grounds (000 §8(2), §8(2)2)', async () => {
    const handle = await start();
    const open = await waitFor(handle, (s) => s.pending?.stage === 'initialReview' && s.pending.dueDate !== undefined, 'the initial review');
    expect(open.pending).toMatchObject({ role: 'reviewOffice', rule: '000 §8(2)' });
    expect(weekdaysBetween(open.registeredAt.slice(0, 10), open.pending!.dueDate!)).toBeGreaterThanOrEqual(7);

    expect(await refusal(decide(handle, { stage: 'initialReview', decision: 'reject', role: 'reviewOffice', reasons: ['数据未上云'] }))).toMatch(/000 §8\(2\)2: a refusal must cite grounds/);
    expect(await refusal(decide(handle, { stage: 'initialReview', decision: 'reject', role: 'reviewOffice', reasons: ['x'], refusalGrounds: ['notAGround'] }))).toMatch(/unknown: notAGround/);
    await decide(handle, { stage: 'initialReview', decision: 'reject', role: 'reviewOffice', reasons: ['数据存储于第三方云'], refusalGrounds: ['dataNotOnGovCloud'] });
    const ended = await handle.result();
    expect(ended).toMatchObject({ stage: 'rejected', status: 'ended', outcome: { rule: '000 §8(2)2' } });
    expect(ended.timeline.find((t) => t.kind === 'decision')?.reasons).toContain('ground:dataNotOnGovCloud');
  });

  it('gives the unit 10 working days to revise at the upper review, and restarts the review clock (000 §8(3)); the opinion follows within 3 working days (000 §8(4))', async () => {
    const handle = await start();
    await driveUntil(context.env, handle, (s) => s.stage === 'upperReview');
    const first = await waitFor(handle, (s) => s.pending?.dueDate !== undefined, 'the upper review clock');
    // 000 §8(3) gives the upper review no period of its own: its clock is the office's service target.
    expect(first.pending).toMatchObject({ role: 'technicalReviewer', rule: SERVICE_TARGET });

    await context.env.sleep(15 * DAY);
    await decide(handle, { stage: 'upperReview', decision: 'requestRevision', role: 'technicalReviewer', reasons: ['补充密码应用方案'] });
    const revising = await waitFor(handle, (s) => s.pending?.kind === 'revision' && s.pending.dueDate !== undefined, 'the revision deadline');
    expect(revising.pending).toMatchObject({ role: 'unit', rule: '000 §8(3)' });
    const askedOn = revising.timeline.filter((t) => t.kind === 'decision').pop()!.at.slice(0, 10);
    expect(weekdaysBetween(askedOn, revising.pending!.dueDate!)).toBeGreaterThanOrEqual(10);

    await context.env.sleep(5 * DAY);
    await submit(handle, { action: 'revision' }, NANFENG_UNIT);
    const restarted = await waitFor(handle, (s) => s.pending?.kind === 'review' && s.pending.dueDate !== undefined && s.pending.dueDate !== first.pending!.dueDate, 'the restarted clock');
    const resubmittedOn = restarted.timeline.filter((t) => t.kind === 'submission').pop()!.at.slice(0, 10);
    // A full review period again from the resubmission, not the remainder.
    expect(weekdaysBetween(resubmittedOn, restarted.pending!.dueDate!)).toBeGreaterThanOrEqual(20);

    await decide(handle, { stage: 'upperReview', decision: 'approve', role: 'technicalReviewer' });
    const opinion = await waitFor(handle, (s) => s.pending?.stage === 'reviewOpinion' && s.pending.dueDate !== undefined, 'the opinion clock');
    expect(opinion.pending).toMatchObject({ role: 'reviewOffice', rule: '000 §8(4)' });
    const opened = opinion.timeline.filter((t) => t.stage === 'reviewOpinion' && t.kind === 'entered').pop()!.at;
    expect(weekdaysBetween(businessDateOf(new Date(opened)), opinion.pending!.dueDate!)).toBeGreaterThanOrEqual(3);
  });

  it('files the contract (000 §9), requires 6 months of running for a major project, the data catalogue (000 §13), pre-acceptance and archive filing in 5 working days (000 §12, §14, §15), then yearly evaluations and closure (000 §18, §22)', async () => {
    const handle = await start({ flags: { major: true } });
    const procurement = await driveUntil(context.env, handle, (s) => s.pending?.stage === 'procurement');
    expect(procurement.pending).toMatchObject({ kind: 'submission', action: 'contract', rule: '000 §9' });
    expect(await refusal(submit(handle, { action: 'contract' }, NANFENG_UNIT))).toMatch(/^000 §9: the contract .* is required/);
    await driveUntil(context.env, handle, (s) => s.stage === 'acceptanceApplication');
    const application = await waitFor(handle, (s) => s.pending?.notBeforeDate !== undefined, 'the trial-run end');
    const goLive = application.timeline.find((t) => t.stage === 'implementation' && t.kind === 'submission' && t.reasons?.includes('goLive'))!;
    expect(Date.parse(`${application.pending!.notBeforeDate}T00:00:00+08:00`) - Date.parse(goLive.at)).toBeGreaterThanOrEqual(180 * DAY);
    // Civil Code art. 201–202: allowed only after six months — from the day after the corresponding
    // day, whether or not that is a working day (art. 203 moves deadlines, not waiting periods).
    const [y, m, d] = businessDateOf(new Date(goLive.at)).split('-').map(Number) as [number, number, number];
    const lastDayOfMonth = new Date(Date.UTC(y, m - 1 + 6 + 1, 0)).getUTCDate();
    const lastDay = Date.UTC(y, m - 1 + 6, Math.min(d, lastDayOfMonth));
    expect(application.pending!.notBeforeDate).toBe(new Date(lastDay + DAY).toISOString().slice(0, 10));
    expect(application.pending!.notBeforeAt).toBe(new Date(lastDay + DAY - 8 * 3_600_000).toISOString());
    expect(await refusal(submit(handle, { action: 'acceptanceApplication', preconditionsMet: ['dataCatalogue'] }, NANFENG_UNIT))).toMatch(/^000 §12: the trial run is not over/);

    await context.env.sleep(Date.parse(application.pending!.notBeforeAt!) - (await context.env.currentTimeMs()) + DAY);
    // The trial run's end was announced to the unit when it came, once.
    const over = await waitFor(handle, (s) => s.timeline.some((t) => t.kind === 'trialRunComplete'), 'the trial-run notice');
    const notice = over.timeline.filter((t) => t.kind === 'trialRunComplete');
    expect(notice).toEqual([expect.objectContaining({ stage: 'acceptanceApplication', rule: '000 §12' })]);
    expect(Date.parse(notice[0]!.at)).toBeGreaterThanOrEqual(Date.parse(application.pending!.notBeforeAt!));
    const sent = await context.storage.db.selectFrom('notification_outbox').selectAll().where('project_id', '=', handle.workflowId).where('kind', '=', 'trialRunComplete').execute();
    expect(sent).toEqual([expect.objectContaining({ recipient_role: 'unit' })]);
    expect(await refusal(submit(handle, { action: 'acceptanceApplication' }, NANFENG_UNIT))).toMatch(/^000 §13: acceptance preconditions missing: 政务信息资源目录/);
    await submit(handle, { action: 'acceptanceApplication', preconditionsMet: ['dataCatalogue'] }, NANFENG_UNIT);
    const pre = await waitFor(handle, (s) => s.pending?.stage === 'preAcceptance' && s.pending.dueDate !== undefined, 'pre-acceptance');
    expect(pre.pending).toMatchObject({ role: 'reviewOffice', rule: '000 §14' });
    await decide(handle, { stage: 'preAcceptance', decision: 'approve', role: 'reviewOffice' });
    await waitForPending(handle, 'finalAcceptance', 'review');
    await decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'unit', unit: NANFENG_UNIT });

    // 000 §15: from acceptance until the report is filed the project counts as under construction: its
    // O&M money is blocked, in the system of record, and finance is told; 5 working days to file.
    const filing = await waitFor(handle, (s) => s.pending?.stage === 'archiveFiling' && s.pending.dueAt !== undefined, 'archive filing');
    expect(filing.omFundingBlocked).toBe(true);
    const blocks = () => context.storage.db.selectFrom('payment_blocks').selectAll().where('project_id', '=', handle.workflowId).orderBy('since').execute();
    expect(await blocks()).toEqual([expect.objectContaining({ scope: 'omFunding', rule: '000 §15', lifted_at: null })]);
    await context.env.sleep(Date.parse(filing.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
    const late = await waitFor(handle, (s) => s.timeline.some((t) => t.stage === 'archiveFiling' && t.kind === 'breach'), 'the missed filing');
    expect(late.timeline.some((t) => t.stage === 'archiveFiling' && t.kind === 'breach' && t.rule === '000 §15')).toBe(true);
    await submit(handle, { action: 'archiveFiling' }, NANFENG_UNIT);
    const filed = await waitFor(handle, (s) => s.stage === 'operations', 'O&M');
    expect(filed).toMatchObject({ omFundingBlocked: false, retentionWorkflowId: null });
    expect(await blocks()).toEqual([expect.objectContaining({ scope: 'omFunding', rule: '000 §15', lifted_at: expect.any(String) })]);
    const toFinance = await context.storage.db.selectFrom('notification_outbox').select('kind').where('project_id', '=', handle.workflowId).where('recipient_role', '=', 'finance').execute();
    expect(toFinance.map((m) => m.kind)).toEqual(['paymentsBlocked', 'paymentsUnblocked']);
    expect(filed.timeline.map((t) => t.stage)).not.toContain('postEvaluation');
    expect(await historyLength(context.env.client, handle.workflowId)).toBeLessThan(1000);

    // O&M: the unit records its yearly evaluation (000 §18); an idle system is closed by the review office's letter (000 §22).
    expect(filed.pending).toMatchObject({ kind: 'evaluation', role: 'unit', rule: '000 §18' });
    const evaluate = (role: 'unit' | 'reviewOffice') => handle.executeUpdate(recordEvaluationUpdate, { args: [{ year: 1, passed: true, actor: actor(role, NANFENG_UNIT) }] });
    expect(await refusal(evaluate('reviewOffice'))).toMatch(/^000 §18: evaluations are recorded by unit/);
    expect((await evaluate('unit')).evaluations).toEqual([{ year: 1, passed: true, reasons: [] }]);
    // 000 §18: the evaluation is copied to the integrated command centre (the review office).
    const copies = await context.storage.db.selectFrom('notification_outbox').selectAll().where('project_id', '=', handle.workflowId).where('kind', '=', 'filingReceived').execute();
    expect(copies).toEqual([expect.objectContaining({ recipient_role: 'reviewOffice' })]);
    expect(copies[0]!.body).toMatch(/000 §18/);
    const close = (role: 'unit' | 'reviewOffice') => handle.executeUpdate(closeProjectUpdate, { args: [{ kind: 'closure', reasons: ['系统长期闲置'], actor: actor(role, NANFENG_UNIT) }] });
    expect(await refusal(close('unit'))).toMatch(/^000 §22: a closure letter is issued by reviewOffice/);
    // 000 §22: closure stops the O&M funding; finance is told and sees the block.
    expect(await close('reviewOffice')).toMatchObject({ stage: 'closed', status: 'ended', outcome: { rule: '000 §22' }, omFundingBlocked: true });
    // (The answer comes as the project ends; its record is written a moment later.)
    const open = await eventually(blocks, (rows) => rows.some((b) => b.lifted_at === null), 'the closure block in the system of record', 10_000);
    expect(open.filter((b) => b.lifted_at === null)).toEqual([expect.objectContaining({ scope: 'omFunding', rule: '000 §22' })]);
    const stopped = await context.storage.db.selectFrom('notification_outbox').select('kind').where('project_id', '=', handle.workflowId).where('recipient_role', '=', 'finance').execute();
    expect(stopped.map((m) => m.kind)).toEqual(['paymentsBlocked', 'paymentsUnblocked', 'paymentsBlocked']);
  });
});

describe('Nanfeng (000) has neither termination nor forfeiture; its changes are filed', () => {
  it('000 §11: a change of content is filed with the centre, not approved; a termination is refused as no such procedure', async () => {
    const handle = await start();
    await driveUntil(context.env, handle, (s) => s.pending?.kind === 'implementation');
    await handle.executeUpdate(requestChangeUpdate, { args: [{ summary: '调整主要建设内容：增加移动端', reason: '业务需要', actor: actor('unit', NANFENG_UNIT) }] });
    expect(await refusal(handle.executeUpdate(decideChangeUpdate, { args: [{ changeId: 1, decision: 'approve', actor: actor('reviewOffice') }] }))).toMatch(/^000 §11: a change here is filed/);
    const filed = await handle.executeUpdate(decideChangeUpdate, { args: [{ changeId: 1, decision: 'file', actor: actor('reviewOffice') }] });
    expect(filed.changeRequests).toEqual([expect.objectContaining({ changeId: 1, status: 'filed' })]);
    expect(filed.timeline.filter((t) => t.kind === 'decision').pop()).toMatchObject({ rule: '000 §11', reasons: [expect.stringMatching(/^change 1 filed: /)] });
    expect(await refusal(handle.executeUpdate(terminateUpdate, { args: [{ ground: 'forceMajeure', explanation: '因不可抗力无法继续实施本项目', actor: actor('unit', NANFENG_UNIT) }] }))).toMatch(/no such procedure/);
    expect((await handle.query(projectStateQuery)).status).toBe('active');
  });

  it('000 has no forfeiture: a rectification date missed is a breach; the unit still rectifies and the project is accepted', async () => {
    const handle = await start();
    await driveUntil(context.env, handle, (s) => s.pending?.stage === 'finalAcceptance' && s.pending.kind === 'review');
    const rectifyBy = businessDateOf(new Date((await context.env.currentTimeMs()) + 20 * DAY));
    await decide(handle, { stage: 'finalAcceptance', decision: 'reject', role: 'unit', unit: NANFENG_UNIT, reasons: ['接口未联调'], rectifyBy });
    const rectifying = await waitForPending(handle, 'finalAcceptance', 'rectification');
    expect(rectifying.pending).toMatchObject({ dueDate: rectifyBy, rule: SERVICE_TARGET });
    await context.env.sleep(Date.parse(rectifying.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
    const late = await waitFor(handle, (s) => s.timeline.some((t) => t.stage === 'finalAcceptance' && t.kind === 'breach'), 'the missed rectification date');
    expect(late).toMatchObject({ status: 'active', paymentsWithheld: null });
    await submit(handle, { action: 'revision' }, NANFENG_UNIT);
    await waitForPending(handle, 'finalAcceptance', 'review');
    await decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'unit', unit: NANFENG_UNIT });
    expect(await waitFor(handle, (s) => s.stage === 'archiveFiling', 'archive filing')).toMatchObject({ acceptanceFailures: 1, status: 'active' });
  });
});
