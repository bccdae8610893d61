import type { ProjectProposal } from '../../domain/project';
import { SERVICE_TARGET } from '../../domain/policy/profile';
import { annualPlanStateQuery, retentionStateQuery, calendarUpdatedSignal, compilePlanUpdate, decideChangeUpdate, requestChangeUpdate, terminateUpdate } from '../../workflows/messages';
import { annualPlanId } from '../../domain/annual-plan';
import { publishCalendarYear } from '../../activities/calendar/calendar-data';
import { businessDateOf } from '../../activities/calendar/working-days';
import { actor, contractFor, endStartedProjects, decide, driveUntil, eventTypesSince, EXPERTS, historyLength, openPlanYear, startProject, pollQuery, settledHistoryLength, submit, SUPERVISOR, waitFor, waitForPending } from '../helpers/lifecycle';
import { refusal, useWorkflowEnvironment } from '../helpers/workflow-context';
import { as, testApp } from '../helpers/api';

/**
 * Full lives of Yiyang (001) projects on the Java time-skipping test server, with the real activities
 * on SQLite: months and years pass in seconds.
 */
const context = useWorkflowEnvironment('timeSkipping');

const DAY = 86_400_000;
const wan = (n: number) => n * 1_000_000;

const start = (overrides: Partial<ProjectProposal> = {}) => startProject(context.env, overrides);


const rows = (table: 'stage_events' | 'contracts' | 'retention_tranches' | 'reviews' | 'notification_outbox', projectId: string) =>
  context.storage.db.selectFrom(table).selectAll().where('project_id', '=', projectId).execute();

describe('Yiyang (001) lifecycle', () => {
  afterEach(() => endStartedProjects(context.env.client));
  it('001 §8: a project of exactly 50万 is exempt from plan and approval only — its contract is filed with the review office, it is implemented, accepted before use (001 §26) and its archive filed (001 §29)', async () => {
    const handle = await start({ investmentFen: wan(50) });
    const procurement = await waitForPending(handle, 'procurement', 'submission');
    expect(procurement.pending).toMatchObject({ action: 'contract', rule: '001 §8' });
    await submit(handle, { action: 'contract', contract: contractFor(handle.workflowId, wan(48)), supervisor: SUPERVISOR });
    expect(await rows('contracts', handle.workflowId)).toEqual([expect.objectContaining({ sum_fen: wan(48) })]);
    const filed = (await rows('notification_outbox', handle.workflowId)).filter((m) => m.kind === 'filingReceived');
    expect(filed).toEqual([expect.objectContaining({ recipient_role: 'reviewOffice' })]);
    expect(filed[0]!.body).toMatch(/001 §8/);
    const accepting = await driveUntil(context.env, handle, (s) => s.pending?.stage === 'finalAcceptance');
    expect(accepting.pending).toMatchObject({ role: 'unit', rule: '001 §26(1)' });
    const archive = await driveUntil(context.env, handle, (s) => s.pending?.stage === 'archiveFiling');
    expect(archive.pending).toMatchObject({ role: 'unit', rule: '001 §29' });
    const operating = await driveUntil(context.env, handle, (s) => s.stage === 'operations');
    expect(operating.timeline.map((t) => t.stage)).not.toContain('annualPlan');
    expect(operating.timeline.map((t) => t.stage)).not.toContain('approval');
  });

  it('a 300万 project goes through plan, expert scheme review, approval, trial run and expert acceptance into O&M (001 §11, §14, §26(2))', async () => {
    const handle = await start({ investmentFen: wan(300) });
    const atScheme = await driveUntil(context.env, handle, (s) => s.stage === 'schemeReview');
    expect(atScheme.timeline.map((t) => t.stage)).toEqual(expect.arrayContaining(['preTechnicalReview', 'annualPlan', 'designDocuments', 'schemeReview']));
    expect(atScheme.timeline.map((t) => t.stage)).not.toContain('feasibilityApproval');

    // ≥ 200万: the expert meeting must be recorded (001 §11); the refused update leaves no trace.
    const before = await settledHistoryLength(context.env.client, handle.workflowId);
    expect(await refusal(decide(handle, { stage: 'schemeReview', decision: 'approve', role: 'technicalReviewer' }))).toMatch(/001 §11: .*experts/);
    expect(await refusal(decide(handle, { stage: 'schemeReview', decision: 'approve', role: 'reviewOffice', experts: EXPERTS }))).toMatch(/decided by technicalReviewer/);
    expect(await refusal(decide(handle, { stage: 'approval', decision: 'approve', role: 'reviewOffice' }))).toMatch(/no open review at stage approval/);
    expect(await refusal(decide(handle, { stage: 'schemeReview', decision: 'reject', role: 'technicalReviewer', experts: EXPERTS }))).toMatch(/must give its reasons/);
    // Nothing of the refused updates is in history: no update events, no state change. (The Java test
    // server still logs the workflow tasks that ran the validators; the dev server does not.)
    const added = await eventTypesSince(context.env.client, handle.workflowId, before);
    expect(added.filter((type) => !type.startsWith('EVENT_TYPE_WORKFLOW_TASK_'))).toEqual([]);
    expect((await waitFor(handle, () => true, 'state')).timeline).toEqual(atScheme.timeline);

    // Approval: 10 working days (001 §14).
    await driveUntil(context.env, handle, (s) => s.pending?.stage === 'approval');
    const atApproval = await waitFor(handle, (s) => s.pending?.dueDate !== undefined, 'the approval deadline');
    expect(atApproval.pending).toMatchObject({ role: 'reviewOffice', rule: '001 §14' });

    // Preliminary acceptance starts the trial run; applying early is refused with the earliest date.
    await driveUntil(context.env, handle, (s) => s.stage === 'acceptanceApplication');
    const atApplication = await waitFor(handle, (s) => s.pending?.notBeforeDate !== undefined, 'the end of the trial run');
    const earliest = atApplication.pending!.notBeforeDate!;
    const message = await refusal(submit(handle, { action: 'acceptanceApplication', preconditionsMet: ['dataSharing'] }));
    expect(message).toMatch(/001 §26\(2\)/);
    expect(message).toContain(`allowed from ${earliest}`);
    const preliminary = atApplication.timeline.find((t) => t.stage === 'preliminaryAcceptance' && t.kind === 'submission')!;
    expect(Date.parse(`${earliest}T00:00:00+08:00`) - Date.parse(preliminary.at)).toBeGreaterThanOrEqual(89 * DAY);

    // ≥ 200万: the review office accepts with experts within 10 working days (001 §26(2)).
    await driveUntil(context.env, handle, (s) => s.pending?.stage === 'finalAcceptance');
    const atAcceptance = await waitFor(handle, (s) => s.pending?.dueDate !== undefined, 'the acceptance clock');
    expect(atAcceptance.pending).toMatchObject({ kind: 'review', role: 'reviewOffice', rule: '001 §26(2)' });
    expect(atAcceptance.timeline.filter((t) => t.stage === 'preliminaryAcceptance' && t.kind === 'submission')).toHaveLength(1);
    expect(await refusal(decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'reviewOffice' }))).toMatch(/^001 §26\(2\): .*experts/);
    expect(await refusal(decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'unit', experts: EXPERTS }))).toMatch(/^001 §26\(2\): .*decided by reviewOffice/);

    const inOperations = await driveUntil(context.env, handle, (s) => s.stage === 'operations');
    expect(inOperations).toMatchObject({ status: 'active', acceptanceFailures: 0, omYear: 1 });
    expect(inOperations.acceptedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(inOperations.retentionWorkflowId).toBe(`${handle.workflowId}.retention.${handle.workflowId}-HT1`);
    const stages = inOperations.timeline.filter((t) => t.kind === 'entered').map((t) => t.stage);
    expect(stages).toEqual([
      'preTechnicalReview', 'annualPlan', 'designDocuments', 'schemeReview', 'approval', 'implementationStart', 'budgetReview',
      'procurement', 'implementation', 'preliminaryAcceptance', 'acceptanceApplication', 'finalAcceptance', 'archiveFiling', 'postEvaluation', 'operations',
    ]);
    // The whole way to O&M stays far below 1,000 events in one run.
    expect(await historyLength(context.env.client, handle.workflowId)).toBeLessThan(1000);
    // Every timeline entry is in the system of record too (the last one may still be in flight).
    await settledHistoryLength(context.env.client, handle.workflowId);
    const final = await waitFor(handle, () => true, 'state');
    expect((await rows('stage_events', handle.workflowId)).length).toBe(final.timeline.length);
  });

  it('a project of 1000万 or more needs feasibility approval by reform, a professional design agency and every acceptance precondition', async () => {
    const handle = await start({ investmentFen: wan(1200), flags: { mlpsRequired: true, cryptoAssessmentRequired: true } });
    const atFeasibility = await driveUntil(context.env, handle, (s) => s.stage === 'feasibilityApproval');
    expect(atFeasibility.pending).toMatchObject({ role: 'reform', kind: 'review' });
    await decide(handle, { stage: 'feasibilityApproval', decision: 'approve', role: 'reform' });
    await waitForPending(handle, 'designDocuments', 'submission');
    expect(await refusal(submit(handle, { action: 'preliminaryDesign' }))).toMatch(/001 §10: .*professional agency/);

    await driveUntil(context.env, handle, (s) => s.stage === 'acceptanceApplication');
    const atApplication = await waitFor(handle, (s) => s.pending?.notBeforeAt !== undefined, 'the end of the trial run');
    await context.env.sleep(Date.parse(atApplication.pending!.notBeforeAt!) - (await context.env.currentTimeMs()) + 60_000);
    const missing = await refusal(submit(handle, { action: 'acceptanceApplication', preconditionsMet: ['dataSharing', 'mlpsAssessment'] }));
    expect(missing).toMatch(/^001 §26\(4\): acceptance preconditions missing: 密评/);
    const noSharing = await refusal(submit(handle, { action: 'acceptanceApplication', preconditionsMet: ['mlpsAssessment', 'cryptoAssessment'] }));
    expect(noSharing).toMatch(/^001 §26\(3\)/);
    await submit(handle, { action: 'acceptanceApplication', preconditionsMet: ['dataSharing', 'mlpsAssessment', 'cryptoAssessment'] });
    const accepted = await driveUntil(context.env, handle, (s) => s.stage === 'operations');
    expect(accepted.timeline.some((t) => t.stage === 'feasibilityApproval' && t.decision === 'approve' && t.actorRole === 'reform')).toBe(true);
  });

  it('001 §27: with state/provincial funds and city matching funds the city pre-accepts, the upper body accepts and the city records that it recognises the result', async () => {
    const handle = await start({ investmentFen: wan(250), flags: { stateOrProvincialFunding: true, cityMatchingFunds: true } });
    const pre = await driveUntil(context.env, handle, (s) => s.pending?.stage === 'preAcceptance' && s.pending.kind === 'review');
    // 001 §27 sets no period for it: the clock is the office's service target.
    expect(pre.pending).toMatchObject({ role: 'reviewOffice', rule: SERVICE_TARGET });
    expect(pre.timeline.filter((t) => t.kind === 'entered').map((t) => t.stage).slice(-2)).toEqual(['acceptanceApplication', 'preAcceptance']);
    expect(await refusal(decide(handle, { stage: 'preAcceptance', decision: 'approve', role: 'unit' }))).toMatch(/^001 §27: .*decided by reviewOffice/);
    await decide(handle, { stage: 'preAcceptance', decision: 'approve', role: 'reviewOffice' });
    const recognition = await waitForPending(handle, 'finalAcceptance', 'review');
    expect(recognition.pending).toMatchObject({ role: 'reviewOffice', rule: '001 §27' });
    await decide(handle, { stage: 'finalAcceptance', decision: 'approve', role: 'reviewOffice', reasons: ['省发改委验收意见（文号）已认可'] });
    await waitFor(handle, (s) => s.stage === 'archiveFiling', 'archive filing');

    // State or provincial funds alone: the ordinary acceptance, no city pre-acceptance.
    const upperOnly = await start({ investmentFen: wan(150), flags: { stateOrProvincialFunding: true } });
    const accepting = await driveUntil(context.env, upperOnly, (s) => s.pending?.stage === 'finalAcceptance');
    expect(accepting.timeline.map((t) => t.stage)).not.toContain('preAcceptance');
    expect(accepting.pending).toMatchObject({ role: 'unit', rule: '001 §26(1)' });
  });

  it('a late proposal is refused for the annual plan with the way to the supplementary plan, which then works (001 §5, §7)', async () => {
    const late = await start({ planYear: (await openPlanYear(context.env)) - 1 });
    const ended = await late.result();
    expect(ended).toMatchObject({ stage: 'excluded', status: 'ended' });
    expect(ended.outcome?.reason).toMatch(/001 §5: proposals for the \d{4} annual plan were due by \d{4}-09-30 23:59:59 \(Asia\/Shanghai\)/);
    expect(ended.outcome?.reason).toMatch(/supplementary/);

    // 001 §7: the joint review's opinion, the leading group's decision, the city government's approval.
    const urgent = await start({ planYear: (await openPlanYear(context.env)) - 1, planKind: 'supplementary', supplementaryBasis: '省政务服务一体化平台对接要求' });
    for (const stage of ['jointReview', 'leadingGroupDecision', 'governmentApproval'] as const) {
      const open = await waitForPending(urgent, stage, 'review');
      expect(open.pending).toMatchObject({ role: 'reviewOffice' });
      await decide(urgent, { stage, decision: 'approve', role: 'reviewOffice' });
    }
    const state = await waitForPending(urgent, 'designDocuments', 'submission');
    expect(state.timeline.filter((t) => t.kind === 'decision').map((t) => [t.stage, t.rule])).toEqual([
      ['jointReview', '001 §7'], ['leadingGroupDecision', '001 §7'], ['governmentApproval', '001 §7'],
    ]);
    expect(state.timeline.map((t) => t.stage)).not.toContain('annualPlan');

    // A rejection by the city government ends the proposal under 001 §7.
    const refused = await start({ planYear: (await openPlanYear(context.env)) - 1, planKind: 'supplementary', supplementaryBasis: '省级要求' });
    for (const stage of ['jointReview', 'leadingGroupDecision'] as const) {
      await waitForPending(refused, stage, 'review');
      await decide(refused, { stage, decision: 'approve', role: 'reviewOffice' });
    }
    await waitForPending(refused, 'governmentApproval', 'review');
    await decide(refused, { stage: 'governmentApproval', decision: 'reject', role: 'reviewOffice', reasons: ['不列入本年度增补计划'] });
    expect(await refused.result()).toMatchObject({ stage: 'rejected', outcome: { rule: '001 §7' } });
  });

  it('compiles the annual plan: an excluded proposal ends with the reason, an included one goes on (001 §6)', async () => {
    const planYear = await openPlanYear(context.env);
    const kept = await start({ planYear });
    const dropped = await start({ planYear });
    for (const handle of [kept, dropped]) {
      await waitForPending(handle, 'preTechnicalReview', 'review');
      await decide(handle, { stage: 'preTechnicalReview', decision: 'approve', role: 'technicalReviewer' });
      await waitFor(handle, (s) => s.pending?.kind === 'plan', 'plan enrolment');
    }
    const plan = context.env.client.workflow.getHandle(annualPlanId('yiyang', planYear));
    await pollQuery(plan, annualPlanStateQuery, (p) => p.proposals.length >= 2, 'both enrolments');
    expect(await refusal(plan.executeUpdate(compilePlanUpdate, { args: [{ included: [kept.workflowId], excluded: [], actor: actor('reviewOffice') }] }))).toMatch(/during intake/);
    // Compiled and approved over HTTP, as the review office does it.
    const app = testApp(context.env.client, context.storage);
    const closes = (await plan.query(annualPlanStateQuery)).intakeClosesAt;
    await context.env.sleep(Date.parse(closes) - (await context.env.currentTimeMs()) + 60_000);
    await as(app, 'reviewOffice').post(`/plans/yiyang/${planYear}/compilation`).send({ included: [kept.workflowId], excluded: [] }).expect(422);
    await as(app, 'reviewOffice').post(`/plans/yiyang/${planYear}/compilation`).send({ included: [kept.workflowId], excluded: [{ projectId: dropped.workflowId, reason: '与市级平台功能重复，建议复用' }] }).expect(200);
    await as(app, 'reviewOffice').post(`/plans/yiyang/${planYear}/approvals`).send({ step: 'executiveMeeting', approved: true }).expect(409);
    await as(app, 'reviewOffice').post(`/plans/yiyang/${planYear}/approvals`).send({ step: 'leadingGroup', approved: true }).expect(200);
    const published = (await as(app, 'reviewOffice').post(`/plans/yiyang/${planYear}/approvals`).send({ step: 'executiveMeeting', approved: true }).expect(200)).body;
    expect(published).toMatchObject({ phase: 'published', included: [kept.workflowId], excluded: [{ projectId: dropped.workflowId }] });
    expect(await dropped.result()).toMatchObject({ stage: 'excluded', outcome: { reason: '与市级平台功能重复，建议复用', rule: '001 §6' } });
    const next = await waitFor(kept, (s) => s.stage !== 'annualPlan', 'inclusion');
    expect(next.timeline.some((t) => t.kind === 'note' && t.reasons?.[0] === `included in annual-plan-yiyang-${planYear}`)).toBe(true);
  });

  it('not starting within 6 months of approval sends the project back for approval (001 §15)', async () => {
    const handle = await start({ investmentFen: wan(100) });
    await driveUntil(context.env, handle, (s) => s.stage === 'implementationStart');
    const waiting = await waitFor(handle, (s) => s.pending?.dueAt !== undefined, 'the 6-month start deadline');
    await context.env.sleep(Date.parse(waiting.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
    const back = await waitForPending(handle, 'approval', 'review');
    expect(back.timeline.some((t) => t.stage === 'implementationStart' && t.kind === 'breach' && t.rule === '001 §15')).toBe(true);
    expect(back.timeline.filter((t) => t.stage === 'approval' && t.kind === 'entered')).toHaveLength(2);
  });

  it('records change requests and terminates on a ground of 001 §20 with a written explanation', async () => {
    const handle = await start({ investmentFen: wan(150) });
    await driveUntil(context.env, handle, (s) => s.pending?.kind === 'implementation');
    const changed = await handle.executeUpdate(requestChangeUpdate, { args: [{ summary: '增加移动端模块', reason: '业务需要', actor: actor('unit') }] });
    expect(changed.changeRequests).toEqual([expect.objectContaining({ changeId: 1, status: 'pending' })]);
    expect(await refusal(handle.executeUpdate(decideChangeUpdate, { args: [{ changeId: 1, decision: 'approve', actor: actor('finance') }] }))).toMatch(/decided by reviewOffice/);
    const decided = await handle.executeUpdate(decideChangeUpdate, { args: [{ changeId: 1, decision: 'approve', actor: actor('reviewOffice') }] });
    expect(decided.changeRequests[0]?.status).toBe('approved');

    expect(await refusal(handle.executeUpdate(terminateUpdate, { args: [{ ground: 'forceMajeure', explanation: 'short', actor: actor('unit') }] }))).toMatch(/explanation/);
    await handle.executeUpdate(terminateUpdate, { args: [{ ground: 'contractorRefusesRectification', explanation: '承建单位不按批复方案执行且拒不整改，书面说明已报送。', actor: actor('unit') }] });
    const ended = await handle.result();
    expect(ended).toMatchObject({ stage: 'terminated', status: 'ended', outcome: { rule: '001 §20' } });
    expect(ended.outcome?.reason).toMatch(/^contractorRefusesRectification: /);
  });

  it('001 §28: a failed acceptance is rectified by the date the deciding body sets; failing again withholds every remaining payment of the project', async () => {
    const once = await start({ investmentFen: wan(120) });
    await driveUntil(context.env, once, (s) => s.pending?.stage === 'finalAcceptance' && s.pending.kind === 'review');
    expect(await refusal(decide(once, { stage: 'finalAcceptance', decision: 'reject', role: 'unit', reasons: ['性能测试未达标'] }))).toMatch(/^001 §28: .*rectifyBy/);
    const rectifyBy = businessDateOf(new Date((await context.env.currentTimeMs()) + 45 * DAY));
    await decide(once, { stage: 'finalAcceptance', decision: 'reject', role: 'unit', reasons: ['性能测试未达标'], rectifyBy });
    const rectifying = await waitForPending(once, 'finalAcceptance', 'rectification');
    // The date the deciding body set, not a fixed number of days.
    expect(rectifying.pending).toMatchObject({ role: 'unit', rule: '001 §28', dueDate: rectifyBy });
    await submit(once, { action: 'revision' });
    await waitForPending(once, 'finalAcceptance', 'review');
    await decide(once, { stage: 'finalAcceptance', decision: 'approve', role: 'unit' });
    expect(await waitFor(once, (s) => s.stage === 'archiveFiling', 'archive filing')).toMatchObject({ acceptanceFailures: 1 });

    const twice = await start({ investmentFen: wan(120) });
    await driveUntil(context.env, twice, (s) => s.pending?.stage === 'finalAcceptance' && s.pending.kind === 'review');
    const by = () => context.env.currentTimeMs().then((now) => businessDateOf(new Date(now + 30 * DAY)));
    await decide(twice, { stage: 'finalAcceptance', decision: 'reject', role: 'unit', reasons: ['数据未共享'], rectifyBy: await by() });
    await waitForPending(twice, 'finalAcceptance', 'rectification');
    await submit(twice, { action: 'revision' });
    await waitForPending(twice, 'finalAcceptance', 'review');
    await decide(twice, { stage: 'finalAcceptance', decision: 'reject', role: 'unit', reasons: ['整改后仍不达标'], rectifyBy: await by() });
    const forfeited = await twice.result();
    expect(forfeited).toMatchObject({ stage: 'forfeited', status: 'ended', acceptanceFailures: 2, outcome: { rule: '001 §28' }, paymentsWithheld: { rule: '001 §28' } });
    const ledger = await rows('retention_tranches', twice.workflowId);
    expect(ledger.map((t) => t.status)).toEqual(['forfeited', 'forfeited', 'forfeited']);
    // Not only the retention: every remaining payment of the project is blocked, and finance sees why.
    const blocks = await context.storage.db.selectFrom('payment_blocks').selectAll().where('project_id', '=', twice.workflowId).execute();
    expect(blocks).toEqual([expect.objectContaining({ scope: 'allPayments', rule: '001 §28', lifted_at: null })]);
    const told = (await rows('notification_outbox', twice.workflowId)).filter((m) => m.kind === 'paymentsBlocked');
    expect(told).toEqual([expect.objectContaining({ recipient_role: 'finance' })]);
  });

  it('001 §25, §19: a project procured in lots files the contract of each lot with the review office; each contract has its own retention', async () => {
    const handle = await start({ investmentFen: wan(180) });
    await driveUntil(context.env, handle, (s) => s.pending?.stage === 'procurement');
    const lot = (n: number, sumFen: number) => ({ ...contractFor(handle.workflowId, sumFen), contractId: `${handle.workflowId}-LOT${n}`, contractor: `承建单位${n}` });
    expect(await refusal(submit(handle, { action: 'contract', contracts: [lot(1, wan(100)), lot(1, wan(60))], supervisor: SUPERVISOR }))).toMatch(/^001 §25: contract .* is listed twice/);
    expect(await refusal(submit(handle, { action: 'contract', contracts: [lot(1, wan(100)), { ...lot(2, wan(60)), omYears: 1 }], supervisor: SUPERVISOR }))).toMatch(/^001 §21: /);
    await submit(handle, { action: 'contract', contracts: [lot(1, wan(100)), lot(2, wan(60))], supervisor: SUPERVISOR });
    expect((await rows('contracts', handle.workflowId)).map((c) => [c.contract_id, c.sum_fen]).sort()).toEqual([[`${handle.workflowId}-LOT1`, wan(100)], [`${handle.workflowId}-LOT2`, wan(60)]]);
    const filing = (await rows('notification_outbox', handle.workflowId)).find((m) => m.kind === 'filingReceived')!;
    expect(filing).toMatchObject({ recipient_role: 'reviewOffice' });
    expect(filing.body).toMatch(/LOT1.*LOT2/);
    const operating = await driveUntil(context.env, handle, (s) => s.stage === 'operations');
    expect(operating.retentionWorkflowIds).toEqual([`${handle.workflowId}.retention.${handle.workflowId}-LOT1`, `${handle.workflowId}.retention.${handle.workflowId}-LOT2`]);
    for (const [workflowId, sumFen] of [[operating.retentionWorkflowIds[0]!, wan(100)], [operating.retentionWorkflowIds[1]!, wan(60)]] as const) {
      const retention = await pollQuery(context.env.client.workflow.getHandle(workflowId), retentionStateQuery, (r) => r.tranches.length === 3, 'the retention of a lot');
      expect(retention).toMatchObject({ sumFen, withheldFen: sumFen * 0.15 });
    }
  });

  it('an overdue review is reminded, recorded as a breach and escalated, never approved by itself', async () => {
    const handle = await start({ investmentFen: wan(100) });
    await driveUntil(context.env, handle, (s) => s.stage === 'approval');
    const atApproval = await waitFor(handle, (s) => s.pending?.dueAt !== undefined, 'the approval deadline');
    await context.env.sleep(Date.parse(atApproval.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
    const overdue = await waitFor(handle, (s) => s.timeline.some((t) => t.stage === 'approval' && t.kind === 'breach'), 'the breach');
    expect(overdue.stage).toBe('approval');
    expect(overdue.pending).toMatchObject({ kind: 'review', stage: 'approval' });
    expect(overdue.timeline.filter((t) => t.stage === 'approval').map((t) => t.kind)).toEqual(['entered', 'reminder', 'breach']);
    const review = (await rows('reviews', handle.workflowId)).find((r) => r.stage === 'approval');
    expect(review).toMatchObject({ status: 'open', breached: 1 });
    const outbox = await rows('notification_outbox', handle.workflowId);
    expect(outbox.map((m) => m.kind)).toEqual(expect.arrayContaining(['reviewReminder', 'reviewOverdue']));
  });

  it('pauses the approval clock while the unit revises (001 §14): the remaining working days carry over', async () => {
    const handle = await start({ investmentFen: wan(100) });
    await driveUntil(context.env, handle, (s) => s.stage === 'approval');
    const opened = await waitFor(handle, (s) => s.pending?.dueDate !== undefined, 'the approval deadline');
    await context.env.sleep(2 * DAY);
    await decide(handle, { stage: 'approval', decision: 'requestRevision', role: 'reviewOffice', reasons: ['补充数据共享方案'] });
    await waitForPending(handle, 'approval', 'revision');
    await context.env.sleep(30 * DAY);
    await submit(handle, { action: 'revision' });
    const resumed = await waitFor(handle, (s) => s.pending?.kind === 'review' && s.pending.dueDate !== opened.pending!.dueDate, 'the resumed clock');
    // The new due date is later than the first (paused), but less than a full 10 working days after the resubmission.
    const resubmittedAt = Date.parse(resumed.timeline.filter((t) => t.kind === 'submission').pop()!.at);
    const due = Date.parse(`${resumed.pending!.dueDate}T00:00:00+08:00`);
    expect(due).toBeGreaterThan(Date.parse(`${opened.pending!.dueDate}T00:00:00+08:00`));
    expect(due - resubmittedAt).toBeLessThan(14 * DAY);
  });

  it('recomputes a provisional deadline when the State Council schedule for its year is published (calendarUpdated)', async () => {
    const handle = await start({ investmentFen: wan(100) });
    const opened = await waitFor(handle, (s) => s.pending?.stage === 'preTechnicalReview' && s.pending.dueDate !== undefined, 'the review clock');
    // The test server's clock is years ahead of the calendar data by now: the deadline is provisional.
    expect(opened.pending).toMatchObject({ provisional: true });
    const openedOn = businessDateOf(new Date(opened.timeline[0]!.at));
    const due = opened.pending!.dueDate!;
    // Publish the years the period spans, with one weekday inside it declared a holiday.
    const holiday = nextWeekday(openedOn);
    for (const year of new Set([Number(openedOn.slice(0, 4)), Number(due.slice(0, 4))])) {
      await publishCalendarYear(context.storage.db, { year, source: 'test schedule', holidays: year === Number(holiday.slice(0, 4)) ? { [holiday]: '测试假日' } : {} }, new Date().toISOString());
    }
    await handle.signal(calendarUpdatedSignal);
    const firm = await waitFor(handle, (s) => s.pending?.provisional === false, 'the firm deadline');
    expect(firm.pending!.dueDate).toBe(nextWeekday(due));
    const review = (await rows('reviews', handle.workflowId))[0];
    expect(review).toMatchObject({ due_date: firm.pending!.dueDate, due_provisional: 0 });
  });
});

/** The next Monday–Friday date after a business date. */
function nextWeekday(date: string): string {
  let t = Date.parse(`${date}T00:00:00Z`);
  do t += DAY; while ([0, 6].includes(new Date(t).getUTCDay()));
  return new Date(t).toISOString().slice(0, 10);
}
