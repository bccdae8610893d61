import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import type { Express } from 'express';
import { ALL_ROLES } from '../../api/route-spec';
import { oversightRoutes } from '../../api/routes/oversight';
import { projectRoutes } from '../../api/routes/project-actions';
import { createStore } from '../../activities/storage/store';
import { reconcileEndedOutside } from '../../worker/reconcile';
import { RECORD_INTEGRITY, type ProjectState } from '../../domain/lifecycle';
import type { Role } from '../../domain/records';
import { apiKeysFileSchema } from '../../api/auth';
import { as, bearer, JWT_SECRET, OTHER_UNIT, signJwt, testApp } from '../helpers/api';
import { tmpdir } from 'node:os';
import { eventually, historyLength, settledHistoryLength, SUPERVISOR, UNIT } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { TASK_QUEUE } from '../helpers/temporal';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * A whole project through HTTP on the real dev server, the way the README walks it: a 150万
 * supplementary-plan project (no plan wait, no trial run) from registration to O&M and finance's view
 * of its retention; plus the refusals and the role × endpoint matrix.
 */
const context = useWorkflowEnvironment('devServer');
let app: Express;
beforeAll(() => {
  app = testApp(context.env.client, context.storage);
});

async function pendingAt(projectId: string, stage: string, kind = 'review'): Promise<ProjectState> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const state = (await as(app, 'auditor').get(`/projects/${projectId}`).expect(200)).body as ProjectState;
    if (state.pending?.stage === stage && state.pending.kind === kind && (kind !== 'review' || state.pending.rule)) return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${projectId} never reached ${kind} at ${stage}`);
}

describe('a project through the HTTP API', () => {
  const proposal = aProposal({ investmentFen: 1_500_000 * 100, planKind: 'supplementary', supplementaryBasis: '省政务服务一体化平台对接要求', flags: { mlpsRequired: true } });
  const id = proposal.projectId;
  const contractId = `${id}-HT1`;

  it('registers, is reviewed, approved, procured, accepted and goes into O&M; finance sees the retention (001 §7, §13, §17, §19, §21, §24, §25, §26(1), §29, §31, §35, §36)', async () => {
    const created = await as(app, 'unit').post('/projects').send(proposal).expect(201);
    expect(created.body).toMatchObject({ stage: 'jointReview' });

    await pendingAt(id, 'jointReview');
    // The review office's inbox says which project, whose, and at what stage — not only an id.
    // (The review's row is written a moment after the review opens.)
    const inbox = await eventually(() => as(app, 'reviewOffice').get('/reviews/inbox').expect(200), (r) => r.body.items.some((item: { projectId: string }) => item.projectId === id), 'the review in the inbox', 10_000);
    expect(inbox.body.items.find((item: { projectId: string }) => item.projectId === id)).toMatchObject({
      projectName: proposal.name, unit: proposal.unit, jurisdiction: 'yiyang', stage: 'jointReview', overdue: false,
    });
    await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'jointReview', decision: 'approve' }).expect(200);
    // 001 §7: the leading group decides, the city government approves — each recorded by the review office.
    await pendingAt(id, 'leadingGroupDecision');
    await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'leadingGroupDecision', decision: 'approve', reasons: ['领导小组第3次会议审定'] }).expect(200);
    await pendingAt(id, 'governmentApproval');
    await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'governmentApproval', decision: 'approve', reasons: ['市政府同意列入年度增补计划'] }).expect(200);
    await pendingAt(id, 'designDocuments', 'submission');
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'preliminaryDesign' }).expect(200);
    await pendingAt(id, 'schemeReview');
    await as(app, 'technicalReviewer').post(`/projects/${id}/decisions`).send({ stage: 'schemeReview', decision: 'approve' }).expect(200);

    // Approval: wrong role 403, wrong stage 409, missing reasons 422 — each naming its rule; nothing changes.
    const atApproval = await pendingAt(id, 'approval');
    const historyBefore = await settledHistoryLength(context.env.client, id);
    const wrongRole = await as(app, 'technicalReviewer').post(`/projects/${id}/decisions`).send({ stage: 'approval', decision: 'approve' }).expect(403);
    expect(wrongRole.body).toMatchObject({ rule: '001 §13', detail: expect.stringMatching(/decided by reviewOffice/) });
    const wrongStage = await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'schemeReview', decision: 'approve' }).expect(409);
    expect(wrongStage.body.detail).toMatch(/no open review at stage schemeReview/);
    const noReasons = await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'approval', decision: 'reject' }).expect(422);
    expect(noReasons.body).toMatchObject({ rule: '001 §13', errors: [{ pointer: '/body/reasons' }] });
    expect((await as(app, 'auditor').get(`/projects/${id}`).expect(200)).body.timeline).toEqual(atApproval.timeline);
    // On a real server a refused Update leaves no trace at all in the workflow's history.
    expect(await historyLength(context.env.client, id)).toBe(historyBefore);

    // Two reviewers decide at once: exactly one decision wins, the other gets 409.
    const [first, second] = await Promise.all([
      as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'approval', decision: 'approve' }),
      as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'approval', decision: 'approve' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    // The loser is told what was decided, not that there is "no open review" at the stage it sees.
    const loser = first.status === 409 ? first : second;
    expect(loser.body.detail).toMatch(/^lifecycle: (the review at approval was already decided: approve by reviewOffice at |a decision on approval is already being recorded)/);
    const late = await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'approval', decision: 'approve' }).expect(409);
    expect(late.body.detail).toMatch(/already decided: approve by reviewOffice|no open review at stage approval; the project is at implementationStart/);

    await pendingAt(id, 'implementationStart', 'submission');
    await as(app, 'otherUnit').post(`/projects/${id}/submissions`).send({ action: 'startImplementation' }).expect(404);
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'startImplementation' }).expect(200);
    await pendingAt(id, 'budgetReview');
    const budgetByOthers = await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'budgetReview', decision: 'approve' }).expect(403);
    expect(budgetByOthers.body).toMatchObject({ rule: '001 §17', detail: expect.stringMatching(/decided by finance/) });
    await as(app, 'finance').post(`/projects/${id}/decisions`).send({ stage: 'budgetReview', decision: 'approve' }).expect(200);
    await pendingAt(id, 'procurement', 'submission');
    const contract = { contractId, contractor: '湖南某信息技术有限公司', sumFen: 1_400_000 * 100, omYears: 2, signedDate: '2026-10-15' };
    // A contract cannot be filed as signed on a day still to come.
    const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const future = await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'contract', contract: { ...contract, omYears: 3, signedDate: tomorrow }, supervisor: SUPERVISOR }).expect(422);
    expect(future.body).toMatchObject({ rule: RECORD_INTEGRITY, errors: [{ pointer: '/body/contract/signedDate' }] });
    expect(future.body.detail).toMatch(/after today/);
    const noContract = await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'contract' }).expect(422);
    expect(noContract.body).toMatchObject({ rule: '001 §25', errors: [{ pointer: '/body/contract' }] });
    const shortOm = await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'contract', contract, supervisor: SUPERVISOR }).expect(422);
    expect(shortOm.body).toMatchObject({ rule: '001 §21', errors: [{ pointer: '/body/contract/omYears' }] });
    // 001 §24: the project is under engineering supervision — the filing names the supervision firm.
    const noSupervisor = await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'contract', contract: { ...contract, omYears: 3 } }).expect(422);
    expect(noSupervisor.body).toMatchObject({ rule: '001 §24', errors: [{ pointer: '/body/supervisor' }] });
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'contract', contract: { ...contract, omYears: 3 }, supervisor: SUPERVISOR }).expect(200);
    await pendingAt(id, 'implementation', 'implementation');
    // 001 §25: the filed contract reaches the review office.
    const filings = await context.storage.db.selectFrom('notification_outbox').selectAll().where('project_id', '=', id).where('kind', '=', 'filingReceived').execute();
    expect(filings).toEqual([expect.objectContaining({ recipient_role: 'reviewOffice' })]);
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'goLive' }).expect(200);

    await pendingAt(id, 'acceptanceApplication', 'submission');
    const missing = await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'acceptanceApplication', preconditionsMet: ['dataSharing'] }).expect(422);
    expect(missing.body.detail).toMatch(/^001 §26\(4\): acceptance preconditions missing: 等保测评/);
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'acceptanceApplication', preconditionsMet: ['dataSharing', 'mlpsAssessment'] }).expect(200);
    await pendingAt(id, 'finalAcceptance');
    // Under 200万 the unit organises its own acceptance (001 §26(1)).
    const acceptedByOffice = await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'finalAcceptance', decision: 'approve' }).expect(403);
    expect(acceptedByOffice.body).toMatchObject({ rule: '001 §26(1)' });
    await as(app, 'unit').post(`/projects/${id}/decisions`).send({ stage: 'finalAcceptance', decision: 'approve' }).expect(200);
    expect((await pendingAt(id, 'archiveFiling', 'submission')).pending).toMatchObject({ role: 'unit', rule: '001 §29' });
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'archiveFiling' }).expect(200);
    await pendingAt(id, 'postEvaluation');
    const selfEvaluated = await as(app, 'unit').post(`/projects/${id}/decisions`).send({ stage: 'postEvaluation', decision: 'approve' }).expect(403);
    expect(selfEvaluated.body).toMatchObject({ rule: '001 §31' });
    await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'postEvaluation', decision: 'approve' }).expect(200);
    const operations = await pendingAt(id, 'operations', 'evaluation');
    expect(operations.retentionWorkflowId).toBe(`${id}.retention.${contractId}`);

    // Finance: the retention schedule of the contract — 15% in three 5% tranches.
    let retention: { body: { withheldFen: number; tranches: { amountFen: number; status: string; dueDate: string }[] } } | undefined;
    for (let attempt = 0; attempt < 200 && !retention; attempt += 1) {
      const response = await as(app, 'finance').get(`/contracts/${contractId}/retention`);
      if (response.status === 200) retention = response;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(retention!.body).toMatchObject({ withheldFen: 21_000_000, tranches: [{ amountFen: 7_000_000, status: 'scheduled' }, { amountFen: 7_000_000 }, { amountFen: 7_000_000 }] });
    const early = await as(app, 'finance').post(`/contracts/${contractId}/retention/releases`).send({ trancheNo: 1, voucherRef: 'PZ-1' }).expect(409);
    expect(early.body).toMatchObject({ rule: '001 §19' });
    await as(app, 'unit').post(`/contracts/${contractId}/retention/releases`).send({ trancheNo: 1, voucherRef: 'PZ-1' }).expect(403);
    await as(app, 'unit').get(`/contracts/${contractId}/retention`).expect(200);
    await as(app, 'otherUnit').get(`/contracts/${contractId}/retention`).expect(404);

    // Finance's cross-project views and the CSV; the auditor's chain check; the reviewer's inbox.
    // "What falls due in this range, and in what state?" — every tranche due in it, not only those already payable.
    const dueDates = retention!.body.tranches.map((t) => t.dueDate);
    const range = `from=${dueDates[0]}&to=${dueDates[2]}`;
    type Row = { contractId: string; trancheNo: number; amountFen: number; status: string; dueDate: string };
    const ours = (items: Row[]) => items.filter((t) => t.contractId === contractId).map((t) => [t.trancheNo, t.status, t.amountFen, t.dueDate]);
    let payable = await as(app, 'finance').get(`/retention/payable?${range}`).expect(200);
    for (let attempt = 0; attempt < 200 && ours(payable.body.items).length < 3; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // the ledger is written by the retention workflow's activity
      payable = await as(app, 'finance').get(`/retention/payable?${range}`).expect(200);
    }
    expect(ours(payable.body.items)).toEqual([1, 2, 3].map((n) => [n, 'scheduled', 7_000_000, dueDates[n - 1]]));
    const scheduled = (payable.body.items as Row[]).filter((t) => t.status === 'scheduled');
    expect(payable.body.totals).toMatchObject({
      scheduled: { count: scheduled.length, amountFen: scheduled.reduce((sum, t) => sum + t.amountFen, 0) },
      due: { count: 0, amountFen: 0 },
      released: { count: 0, amountFen: 0 },
    });
    // One day either side of a due date: the range is inclusive at both ends.
    expect(ours((await as(app, 'finance').get(`/retention/payable?from=${dueDates[1]}&to=${dueDates[1]}`).expect(200)).body.items)).toHaveLength(1);
    expect(ours((await as(app, 'finance').get(`/retention/payable?${range}&status=due`).expect(200)).body.items)).toEqual([]);
    await as(app, 'finance').get(`/retention/payable?${range}&status=overdue`).expect(422);
    const csv = await as(app, 'finance').get(`/retention/payable.csv?${range}`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('contract_id,project_id,tranche_no,amount_yuan,due_date,condition,status,blocked_reason,voucher_ref,released_at');
    expect(lines.filter((line) => line.startsWith(`${contractId},`)).map((line) => line.split(',').slice(2, 7))).toEqual(
      [1, 2, 3].map((n) => [String(n), '70000.00', dueDates[n - 1], n === 1 ? 'postEvaluation' : 'assessment', 'scheduled']),
    );
    await as(app, 'finance').get('/retention/payable?from=2027-02-30&to=2027-01-01').expect(422);
    expect((await as(app, 'auditor').get('/audit/verification').expect(200)).body).toMatchObject({ ok: true });
    // The list comes from the system of record, which the workflow's activity updates a moment later.
    let listed: string[] = [];
    for (let attempt = 0; attempt < 200 && !listed.includes(id); attempt += 1) {
      listed = (await as(app, 'unit').get('/projects?stage=operations').expect(200)).body.items.map((p: { projectId: string }) => p.projectId);
      if (!listed.includes(id)) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(listed).toContain(id);
    expect((await as(app, 'otherUnit').get('/projects?stage=operations').expect(200)).body.items).toEqual([]);
    await as(app, 'otherUnit').get(`/projects/${id}`).expect(404);

    // The yearly O&M assessment (001 §19) is the review office's; the request id of each API call is
    // kept with the action in the project's timeline.
    const evaluatedByUnit = await as(app, 'unit').post(`/projects/${id}/evaluations`).send({ year: 1, passed: true }).expect(403);
    expect(evaluatedByUnit.body).toMatchObject({ rule: '001 §19' });
    const traced = await as(app, 'reviewOffice').post(`/projects/${id}/evaluations`).set('X-Request-Id', 'eval-req-1').send({ year: 1, passed: true }).expect(200);
    expect(traced.body.timeline.pop()).toMatchObject({ actorId: 'reviewOffice:tester', requestId: 'eval-req-1' });
    const overdue = await as(app, 'reviewOffice').get('/reviews/inbox?overdue=true').expect(200);
    expect(overdue.body.items.every((item: { overdue: boolean }) => item.overdue)).toBe(true);

    // 001 §35: a system that does not share its data as required gets no O&M money, and its unit builds
    // nothing new — unless the review office approves a necessary one and registers it.
    const deficient = await as(app, 'reviewOffice').post(`/projects/${id}/deficiencies`).send({ ground: 'dataNotShared', reasons: ['城管案件数据未按目录共享'] }).expect(200);
    expect(deficient.body).toMatchObject({ omFundingBlocked: true, deficiencies: [{ deficiencyId: 1, status: 'open' }] });
    const blocked = (await as(app, 'finance').get(`/payments/blocks?projectId=${id}`).expect(200)).body.items;
    expect(blocked).toEqual(expect.arrayContaining([expect.objectContaining({ scope: 'omFunding', rule: '001 §35', liftedAt: null })]));
    const next = aProposal({ investmentFen: 800_000 * 100 });
    const barred = await as(app, 'unit').post('/projects').send(next).expect(422);
    expect(barred.body).toMatchObject({ rule: '001 §35', errors: [{ pointer: '/body/unit' }], detail: expect.stringMatching(/registered by reviewOffice once it approves it/) });
    const noGrounds = await as(app, 'reviewOffice').post('/projects').send(next).expect(422);
    expect(noGrounds.body).toMatchObject({ rule: '001 §35', detail: expect.stringMatching(/with its grounds in sharingException/) });
    await as(app, 'unit').post('/projects').send({ ...next, sharingException: '涉及公安内部数据，按规定不能共享；系统确有必要' }).expect(422);
    await as(app, 'reviewOffice').post('/projects').send({ ...next, sharingException: '涉及公安内部数据，按规定不能共享；市政务管理服务局会同市公安局审批同意' }).expect(201);
    // The grounds are in the project's timeline (its workflow notes them just after the registration record).
    const excepted = await eventually(() => as(app, 'auditor').get(`/projects/${next.projectId}`).expect(200), (r) => r.body.timeline.some((t: { kind: string }) => t.kind === 'note'), 'the exception noted', 60_000);
    expect(excepted.body.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'note', rule: '001 §35', reasons: [expect.stringMatching(/^registered as a data-sharing exception/)] })]));
    // The grounds are for a restricted unit only.
    await as(app, 'reviewOffice').post('/projects').send({ ...aProposal({ unit: OTHER_UNIT }), sharingException: '无' }).expect(422);
    const rectified = await as(app, 'reviewOffice').post(`/projects/${id}/deficiency-rectifications`).send({ deficiencyId: 1, reasons: ['已按目录共享'] }).expect(200);
    expect(rectified.body.omFundingBlocked).toBe(false);
    await as(app, 'unit').post('/projects').send(aProposal({ investmentFen: 800_000 * 100 })).expect(201);
    expect((await as(app, 'finance').get(`/payments/blocks?projectId=${id}`).expect(200)).body.items.find((b: { scope: string; rule: string }) => b.rule === '001 §35')).toMatchObject({ liftedAt: expect.any(String) });

    // The system is retired at the end of its life, with its data disposition (001 §36).
    const noDisposition = await as(app, 'unit').post(`/projects/${id}/closure`).send({ kind: 'retirement', reasons: ['业务已并入省级平台'] }).expect(422);
    expect(noDisposition.body).toMatchObject({ rule: '001 §36', errors: [{ pointer: '/body/dataDisposition' }] });
    const retired = await as(app, 'unit').post(`/projects/${id}/closure`).send({ kind: 'retirement', reasons: ['业务已并入省级平台'], dataDisposition: '业务数据迁移至省级平台，本地备份保存 5 年后销毁' }).expect(200);
    expect(retired.body).toMatchObject({ stage: 'retired', status: 'ended', outcome: { rule: '001 §36' } });
    // 001 §36: the retirement, with its data disposition, is filed with the review office.
    // (The project answers as it ends; the filing is written a moment later.)
    const officeFilings = () => context.storage.db.selectFrom('notification_outbox').selectAll().where('project_id', '=', id).where('kind', '=', 'filingReceived').where('recipient_role', '=', 'reviewOffice').execute();
    const filedRetirement = await eventually(officeFilings, (rows) => rows.length === 2, 'the retirement filed with the review office', 10_000);
    expect(filedRetirement.map((n) => n.body).join('\n')).toMatch(/本地备份保存 5 年后销毁/);
  });
});

describe('the other project endpoints', () => {
  it('answers an action on an ended project with 409 and the outcome, also when it races the end of the workflow', async () => {
    // A proposal rejected at the pre-technical review ends (001 §5); actions follow at once and later,
    // while the workflow records its end and after it has closed (Temporal then answers "not found").
    for (let round = 0; round < 4; round += 1) {
      const proposal = aProposal();
      const id = proposal.projectId;
      await as(app, 'unit').post('/projects').send(proposal).expect(201);
      await pendingAt(id, 'preTechnicalReview');
      // Actions sent together with the rejection race it: refused either as not expected while the
      // project is under review, or as ended — a 409 either way, never a 404 or a 500.
      const racing = [0, 1, 3, 6].map(async (delay) => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        return (await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'revision' })).status;
      });
      const rejected = await as(app, 'technicalReviewer').post(`/projects/${id}/decisions`).send({ stage: 'preTechnicalReview', decision: 'reject', reasons: ['与市级平台重复建设'] }).expect(200);
      expect(rejected.body).toMatchObject({ stage: 'rejected', status: 'ended' });
      expect(await Promise.all(racing)).toEqual([409, 409, 409, 409]);
      const answers = await Promise.all(
        [0, 2, 5, 10, 20, 40, 80, 160].map(async (delay) => {
          await new Promise((resolve) => setTimeout(resolve, delay));
          const response = await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'revision' });
          return { status: response.status, rule: response.body.rule, outcome: response.body.outcome };
        }),
      );
      expect(answers).toEqual(answers.map(() => ({ status: 409, rule: '001 §5', outcome: { stage: 'rejected', reason: '与市级平台重复建设', rule: '001 §5' } })));
    }
  });

  it('notices a project whose workflow was terminated in Temporal directly: recorded once, audited, answered as ended', async () => {
    const proposal = aProposal();
    const id = proposal.projectId;
    await as(app, 'unit').post('/projects').send(proposal).expect(201);
    await pendingAt(id, 'preTechnicalReview');
    // What anyone who reaches Temporal can do: `temporal workflow terminate`.
    await context.env.client.workflow.getHandle(id).terminate('操作员在 Temporal 界面误操作');
    const store = createStore(context.storage);
    // Temporal's visibility learns of the close a moment after it.
    await eventually(() => reconcileEndedOutside(context.env.client, store), (recorded) => recorded.includes(id), 'the reconciliation to see the terminated project', 30_000);
    expect(await reconcileEndedOutside(context.env.client, store)).not.toContain(id);
    const trail = await context.storage.db.selectFrom('audit_log').select(['action', 'actor']).where('subject', '=', id).where('action', '=', 'project.endedOutsideTheApplication').execute();
    expect(trail).toEqual([{ action: 'project.endedOutsideTheApplication', actor: 'system:reconciliation' }]);
    const read = await as(app, 'auditor').get(`/projects/${id}`).expect(200);
    expect(read.body).toMatchObject({ status: 'ended', pending: null, outcome: { stage: 'preTechnicalReview', reason: expect.stringMatching(/ended outside the application \(TERMINATED at /) } });
    const action = await as(app, 'technicalReviewer').post(`/projects/${id}/decisions`).send({ stage: 'preTechnicalReview', decision: 'approve' }).expect(409);
    expect(action.body.outcome.reason).toMatch(/ended outside the application/);
  });

  it('shows finance the money blocks with their reason and article; a unit sees only its own (000 §15, §22; 001 §28)', async () => {
    const proposal = aProposal();
    const id = proposal.projectId;
    await as(app, 'unit').post('/projects').send(proposal).expect(201);
    const store = createStore(context.storage);
    await store.blockPayments({ projectId: id, scope: 'allPayments', reason: 'acceptance failed 2 times', rule: '001 §28', since: '2027-05-06T02:00:00.000Z' });
    const seen = await as(app, 'finance').get('/payments/blocks').expect(200);
    expect(seen.body.items.filter((b: { projectId: string }) => b.projectId === id)).toEqual([
      { projectId: id, projectName: proposal.name, unit: proposal.unit, jurisdiction: 'yiyang', scope: 'allPayments', reason: 'acceptance failed 2 times', rule: '001 §28', since: '2027-05-06T02:00:00.000Z', liftedAt: null },
    ]);
    expect((await as(app, 'unit').get('/payments/blocks').expect(200)).body.items.map((b: { projectId: string }) => b.projectId)).toContain(id);
    expect((await as(app, 'otherUnit').get('/payments/blocks').expect(200)).body.items.map((b: { projectId: string }) => b.projectId)).not.toContain(id);
    await as(app, 'finance').get('/payments/blocks?limit=0').expect(422);
  });

  it('attaches documents by content (SHA-256), idempotently, scoped to the unit', async () => {
    const proposal = aProposal();
    await as(app, 'unit').post('/projects').send(proposal).expect(201);
    const file = Buffer.from('初步设计方案 v1 — 内容', 'utf8');
    const upload = () => as(app, 'unit').post(`/projects/${proposal.projectId}/documents?kind=preliminaryDesign&title=${encodeURIComponent('初步设计方案')}`).set('Content-Type', 'application/octet-stream').send(file);
    const first = await upload().expect(201);
    expect(first.body).toMatchObject({ kind: 'preliminaryDesign', sha256: createHash('sha256').update(file).digest('hex'), sizeBytes: file.length, uploadedBy: 'unit:tester' });
    await upload().expect(200);
    // The same bytes from someone else under another title: the answer is the record as stored, and the
    // second upload is in the audit trail.
    const again = await as(app, 'reviewOffice').post(`/projects/${proposal.projectId}/documents?kind=preliminaryDesign&title=${encodeURIComponent('另一个标题')}`).set('Content-Type', 'application/octet-stream').send(file).expect(200);
    expect(again.body).toEqual(first.body);
    const trail = await context.storage.db.selectFrom('audit_log').select(['action', 'actor']).where('subject', '=', proposal.projectId).where('action', 'like', 'document.%').orderBy('seq').execute();
    expect(trail).toEqual([
      { action: 'document.attached', actor: 'unit:tester' },
      { action: 'document.attachedAgain', actor: 'unit:tester' },
      { action: 'document.attachedAgain', actor: 'reviewOffice:tester' },
    ]);
    const listed = await as(app, 'auditor').get(`/projects/${proposal.projectId}/documents`).expect(200);
    expect(listed.body.items).toHaveLength(1);
    await as(app, 'unit').post(`/projects/${proposal.projectId}/documents?kind=preliminaryDesign&title=x`).send({ json: true }).expect(415);
    await as(app, 'unit').post(`/projects/${proposal.projectId}/documents?kind=poem&title=x`).set('Content-Type', 'application/octet-stream').send(file).expect(422);
    await as(app, 'otherUnit').get(`/projects/${proposal.projectId}/documents`).expect(404);

    // An upload's Idempotency-Key fingerprints its bytes: another file under the same key is refused, and
    // a first attempt refused for its content type does not poison the retry.
    const path = `/projects/${proposal.projectId}/documents?kind=testReport&title=${encodeURIComponent('测评报告')}`;
    const keyed = (bytes: Buffer, type = 'application/octet-stream') => as(app, 'unit').post(path).set('Idempotency-Key', `upload-${proposal.projectId}`).set('Content-Type', type).send(bytes);
    await keyed(Buffer.from('测评报告'), 'text/plain').expect(415);
    const report = await keyed(Buffer.from('测评报告')).expect(201);
    expect(report.body.sha256).toBe(createHash('sha256').update('测评报告').digest('hex'));
    expect((await keyed(Buffer.from('测评报告')).expect(201)).headers['idempotent-replayed']).toBe('true');
    const other = await keyed(Buffer.from('另一份报告')).expect(422);
    expect(other.body.detail).toMatch(/already used for a different request/);
  });

  it('answers the plan endpoints: the plan is readable; compiling during intake is refused as a conflict', async () => {
    const proposal = aProposal({ investmentFen: 3_000_000 * 100 });
    await as(app, 'unit').post('/projects').send(proposal).expect(201);
    await pendingAt(proposal.projectId, 'preTechnicalReview');
    await as(app, 'technicalReviewer').post(`/projects/${proposal.projectId}/decisions`).send({ stage: 'preTechnicalReview', decision: 'approve' }).expect(200);
    await pendingAt(proposal.projectId, 'annualPlan', 'plan');
    let plan = await as(app, 'reviewOffice').get(`/plans/yiyang/${proposal.planYear}`);
    for (let attempt = 0; attempt < 100 && !plan.body.proposals?.some((p: { projectId: string }) => p.projectId === proposal.projectId); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      plan = await as(app, 'reviewOffice').get(`/plans/yiyang/${proposal.planYear}`);
    }
    expect(plan.body).toMatchObject({ phase: 'intake', planYear: proposal.planYear });
    // A unit reads the plan with its own proposals only: another unit's projects are not shown to it.
    const ownView = (await as(app, 'unit').get(`/plans/yiyang/${proposal.planYear}`).expect(200)).body;
    expect(ownView.proposals.map((p: { projectId: string }) => p.projectId)).toContain(proposal.projectId);
    expect(ownView.proposals.every((p: { unit: string }) => p.unit === UNIT)).toBe(true);
    const otherView = (await as(app, 'otherUnit').get(`/plans/yiyang/${proposal.planYear}`).expect(200)).body;
    expect(otherView.proposals.map((p: { projectId: string }) => p.projectId)).not.toContain(proposal.projectId);
    const early = await as(app, 'reviewOffice').post(`/plans/yiyang/${proposal.planYear}/compilation`).send({ included: [proposal.projectId], excluded: [] }).expect(409);
    expect(early.body).toMatchObject({ rule: '001 §6', detail: expect.stringMatching(/during intake/) });
    await as(app, 'reviewOffice').get('/plans/yiyang/1999').expect(404);
    await as(app, 'reviewOffice').get('/plans/atlantis/2027').expect(404);
  });

  it('requests and decides a change, then terminates with a written explanation (001 §20, §22)', async () => {
    const proposal = aProposal({ investmentFen: 800_000 * 100, planKind: 'supplementary', supplementaryBasis: '国家部委统一部署要求' });
    const id = proposal.projectId;
    await as(app, 'unit').post('/projects').send(proposal).expect(201);
    for (const [role, stage] of [['reviewOffice', 'jointReview'], ['reviewOffice', 'leadingGroupDecision'], ['reviewOffice', 'governmentApproval']] as const) {
      await pendingAt(id, stage);
      await as(app, role).post(`/projects/${id}/decisions`).send({ stage, decision: 'approve' }).expect(200);
    }
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'preliminaryDesign' }).expect(200);
    await as(app, 'technicalReviewer').post(`/projects/${id}/decisions`).send({ stage: 'schemeReview', decision: 'approve' }).expect(200);
    await as(app, 'reviewOffice').post(`/projects/${id}/decisions`).send({ stage: 'approval', decision: 'approve' }).expect(200);
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'startImplementation' }).expect(200);
    await as(app, 'finance').post(`/projects/${id}/decisions`).send({ stage: 'budgetReview', decision: 'approve' }).expect(200);
    await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'contract', contract: { contractId: `${id}-HT`, contractor: '某公司', sumFen: 70_000_000, omYears: 3, signedDate: '2026-10-15' }, supervisor: SUPERVISOR }).expect(200);
    const changed = await as(app, 'unit').post(`/projects/${id}/change-requests`).send({ summary: '增加移动端', reason: '群众办事需要' }).expect(200);
    expect(changed.body.changeRequests).toEqual([expect.objectContaining({ changeId: 1, status: 'pending' })]);
    await as(app, 'reviewOffice').post(`/projects/${id}/change-decisions`).send({ changeId: 1, decision: 'reject' }).expect(422);
    await as(app, 'reviewOffice').post(`/projects/${id}/change-decisions`).send({ changeId: 1, decision: 'reject', reasons: ['超出批复范围'] }).expect(200);
    await as(app, 'unit').post(`/projects/${id}/termination`).send({ ground: 'becauseWeWantTo', explanation: '书面说明：不可抗力导致无法完成。' }).expect(422);
    const ended = await as(app, 'unit').post(`/projects/${id}/termination`).send({ ground: 'forceMajeure', explanation: '书面说明：不可抗力导致无法完成。' }).expect(200);
    expect(ended.body).toMatchObject({ stage: 'terminated', status: 'ended', outcome: { rule: '001 §20' } });
    const after = await as(app, 'unit').post(`/projects/${id}/submissions`).send({ action: 'goLive' }).expect(409);
    expect(after.body).toMatchObject({ rule: '001 §20', outcome: { stage: 'terminated', rule: '001 §20' } });
    expect((await as(app, 'finance').get('/retention/blocked').expect(200)).body).toHaveProperty('items');
  });
});

describe('administration', () => {
  it('configures notification routes, refusing an invalid channel target by field', async () => {
    const bad = await as(app, 'admin').put('/notification-routes/finance-robot').send({ role: 'finance', channel: 'dingtalk', target: { url: 'not a url' } }).expect(422);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/body/target/url', '/body/target/secret']));
    await as(app, 'admin').put('/notification-routes/finance-robot').send({ role: 'finance', channel: 'dingtalk', target: { url: 'http://127.0.0.1:9/robot/send?access_token=t', secret: 'SECabc' } }).expect(200);
    const routes = await as(app, 'admin').get('/notification-routes').expect(200);
    expect(routes.body.items).toEqual([expect.objectContaining({ routeId: 'finance-robot', channel: 'dingtalk', unit: '*' })]);
    expect(JSON.stringify(routes.body)).not.toContain('SECabc');
    await as(app, 'finance').put('/notification-routes/x').send({ role: 'finance', channel: 'log', target: {} }).expect(403);
  });

  it('takes units from the registry: an unregistered or look-alike unit is refused by field; an admin registers one', async () => {
    const unit = '益阳市数据资源局';
    const proposal = aProposal({ unit });
    const refused = await as(app, 'admin').post('/projects').send(proposal).expect(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ pointer: '/body/unit', detail: expect.stringMatching(/is not a registered unit of yiyang/) })]);
    // A name that only looks like a registered one (a trailing zero-width space) is refused as well.
    await as(app, 'admin').post('/projects').send(aProposal({ unit: `${UNIT}\u200B` })).expect(422);
    await as(app, 'unit').put(`/units/${encodeURIComponent(unit)}`).send({ jurisdiction: 'yiyang' }).expect(403);
    const added = await as(app, 'admin').put(`/units/${encodeURIComponent(unit)}`).send({ jurisdiction: 'yiyang' }).expect(200);
    expect(added.body).toEqual({ name: unit, jurisdiction: 'yiyang', county: null, created: true });
    expect((await as(app, 'admin').put(`/units/${encodeURIComponent(unit)}`).send({ jurisdiction: 'yiyang' }).expect(200)).body.created).toBe(false);
    await as(app, 'admin').put(`/units/${encodeURIComponent(unit)}`).send({ jurisdiction: 'nanfeng' }).expect(409);
    // A county's unit names its county (004 §8 ¶3, 004 cloud §10); the same name for another county is a conflict.
    const countyUnit = `吉水县数据局${Date.now().toString(36)}`;
    expect((await as(app, 'admin').put(`/units/${encodeURIComponent(countyUnit)}`).send({ jurisdiction: 'jian', county: '吉水县' }).expect(200)).body).toEqual({ name: countyUnit, jurisdiction: 'jian', county: '吉水县', created: true });
    await as(app, 'admin').put(`/units/${encodeURIComponent(countyUnit)}`).send({ jurisdiction: 'jian', county: '新干县' }).expect(409);
    expect((await as(app, 'auditor').get('/units?jurisdiction=jian').expect(200)).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ name: countyUnit, county: '吉水县' })]));
    const invisible = await as(app, 'admin').put(`/units/${encodeURIComponent('\u200B')}`).send({ jurisdiction: 'yiyang' }).expect(422);
    expect(invisible.body.errors[0].pointer).toBe('/path/unit');
    expect((await as(app, 'auditor').get('/units?jurisdiction=yiyang').expect(200)).body.items.map((u: { name: string }) => u.name)).toContain(unit);
    await as(app, 'admin').post('/projects').send(proposal).expect(201);
    // A Yiyang unit is no Nanfeng unit.
    await as(app, 'admin').post('/projects').send(aProposal({ jurisdiction: 'nanfeng', unit: UNIT })).expect(422);
  });

  it('names a malformed year in the path as the path parameter it is', async () => {
    const calendar = await as(app, 'admin').put('/calendar/years/abc').send({ source: '测试', holidays: {} }).expect(422);
    expect(calendar.body.errors).toEqual([expect.objectContaining({ pointer: '/path/year' })]);
    const plan = await as(app, 'reviewOffice').get('/plans/yiyang/abc').expect(422);
    expect(plan.body.errors).toEqual([expect.objectContaining({ pointer: '/path/planYear' })]);
  });

  it('publishes a calendar year and re-signals projects with provisional deadlines', async () => {
    const response = await as(app, 'admin').put('/calendar/years/2031').send({ source: '测试', holidays: { '2031-01-01': '元旦' } }).expect(200);
    expect(response.body).toMatchObject({ year: 2031, resignalled: expect.any(Array) });
    const outside = await as(app, 'admin').put('/calendar/years/2032').send({ source: '测试', holidays: { '2040-01-01': '元旦' } }).expect(422);
    expect(outside.body.detail).toMatch(/outside the 2032 schedule/);
  });
});

describe('authentication and authorisation', () => {
  it('answers 401 without a token or with a bad one, and accepts an SSO JWT', async () => {
    const none = await request(app).get('/projects').expect(401);
    expect(none.headers['content-type']).toMatch(/problem\+json/);
    await request(app).get('/projects').set('Authorization', 'Bearer not-a-key').expect(401);
    await request(app).get('/projects').set('Authorization', `Bearer ${await signJwt({ sub: 'zhang', role: 'finance' }, 'x'.repeat(64))}`).expect(401);
    await request(app).get('/projects').set('Authorization', `Bearer ${await signJwt({ sub: 'zhang', role: 'finance' }, undefined, '-1m')}`).expect(401);
    await request(app).get('/projects').set('Authorization', `Bearer ${await signJwt({ sub: 'zhang', role: 'emperor' })}`).expect(401);
    const viaJwt = await request(app).get('/reviews/inbox').set('Authorization', `Bearer ${await signJwt({ sub: 'li.reviewer', role: 'reviewOffice' })}`).expect(200);
    expect(viaJwt.body).toHaveProperty('items');
  });

  it('refuses at sign-in what it could not hold: a unit role without a unit, an overlong subject, a JWT without exp or valid too long', async () => {
    const signIn = async (token: string) => (await request(app).get('/projects').set('Authorization', `Bearer ${token}`).expect(401)).body.detail as string;
    // A unit token without its unit used to list every unit's projects.
    expect(await signIn(await signJwt({ sub: 'wang.ops', role: 'unit' }))).toMatch(/unit a unit role must name its unit/);
    // A 300-character subject used to sign in and then fail every action with 500.
    expect(await signIn(await signJwt({ sub: 'x'.repeat(300), role: 'finance' }))).toMatch(/^The token's claims are not accepted: sub /);
    const secret = new TextEncoder().encode(JWT_SECRET);
    const noExp = await new SignJWT({ sub: 'zhang', role: 'finance' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(secret);
    expect(await signIn(noExp)).toMatch(/exp is required/);
    expect(await signIn(await signJwt({ sub: 'zhang', role: 'finance' }, undefined, '30d'))).toMatch(/at most 43200 s/);
    // Dated in the future, a token gains no lifetime: it is measured from now.
    const later = Math.floor(Date.now() / 1000) + 30 * 86_400;
    const postdated = await new SignJWT({ sub: 'zhang', role: 'finance' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(later - 3600).setExpirationTime(later).sign(secret);
    expect(await signIn(postdated)).toMatch(/at most 43200 s/);
    // The caller learns what is wrong, not the token library's wording.
    expect(await signIn(await signJwt({ sub: 'zhang', role: 'finance' }, undefined, '-1m'))).toBe('The token has expired');
    expect(await signIn(await signJwt({ sub: 'zhang', role: 'finance' }, 'y'.repeat(64)))).toBe('The token is not valid (signature, algorithm or format)');
    // An API keys file with a unit key that names no unit does not load.
    expect(apiKeysFileSchema.safeParse([{ key: 'k'.repeat(24), id: 'unit:x', role: 'unit' }]).success).toBe(false);
  });

  it('throttles failed sign-ins per client address: guessing keys gets 429, not an endless stream of 401', async () => {
    const guarded = testApp(context.env.client, context.storage, { authFailuresPerMinute: 5 });
    const guess = () => request(guarded).get('/projects').set('Authorization', `Bearer wrong-${randomBytes(8).toString('hex')}`);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await guess()).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const refused = await guess().expect(429);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.detail).toMatch(/failed sign-ins/);
    // Successful requests do not count: another app with the same limit serves a real key any number of times.
    const fresh = testApp(context.env.client, context.storage, { authFailuresPerMinute: 5 });
    for (let i = 0; i < 8; i += 1) await request(fresh).get('/reviews/inbox').set('Authorization', bearer('reviewOffice')).expect(200);
  });

  it('verifies RS256 SSO tokens against a JWKS endpoint, with issuer and audience', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'sso-1', alg: 'RS256', use: 'sig' };
    const jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
      const sso = testApp(context.env.client, context.storage, { auth: { apiKeys: [], jwksUrl: url, issuer: 'https://sso.yiyang.gov.cn', audience: 'zhengwu-flow' } });
      const token = (audience: string) =>
        new SignJWT({ role: 'finance' }).setProtectedHeader({ alg: 'RS256', kid: 'sso-1' }).setSubject('wang.finance').setIssuer('https://sso.yiyang.gov.cn').setAudience(audience).setExpirationTime('5m').sign(privateKey);
      await request(sso).get('/retention/blocked').set('Authorization', `Bearer ${await token('zhengwu-flow')}`).expect(200);
      await request(sso).get('/retention/blocked').set('Authorization', `Bearer ${await token('another-app')}`).expect(401);
      await request(sso).get('/projects/X-1/decisions').set('Authorization', `Bearer ${await token('zhengwu-flow')}`).expect(404);
    } finally {
      jwks.closeAllConnections();
      await new Promise((resolve) => jwks.close(resolve));
    }
  });

  it('refuses every role an endpoint does not name with 403, and lets the named ones past the role check', async () => {
    const store = createStore(context.storage);
    const specs = [...projectRoutes(context.env.client, TASK_QUEUE, store, tmpdir()), ...oversightRoutes(context.env.client, context.storage, store)];
    const fill = (path: string) => path.replace(':projectId', 'NO-SUCH-PROJECT').replace(':contractId', 'NO-SUCH-CONTRACT').replace(':jurisdiction', 'yiyang').replace(':planYear', '2099').replace(':year', '2099');
    let checked = 0;
    for (const spec of specs) {
      for (const role of ALL_ROLES as Role[]) {
        const call = request(app)[spec.method](fill(spec.path)).set('Authorization', bearer(role));
        const response = spec.method === 'get' ? await call : await call.send({});
        if (spec.roles.includes(role)) {
          expect({ route: `${spec.method} ${spec.path}`, role, status: response.status }).not.toMatchObject({ status: 401 });
          if (response.status === 403) expect(response.body.detail).not.toMatch(/needs one of the roles/);
        } else {
          expect({ route: `${spec.method} ${spec.path}`, role, status: response.status }).toEqual({ route: `${spec.method} ${spec.path}`, role, status: 403 });
        }
        checked += 1;
      }
    }
    expect(checked).toBe(specs.length * ALL_ROLES.length);
  });

  it('limits requests per token (429 problem), and opens CORS only to configured origins', async () => {
    const limited = testApp(context.env.client, context.storage, { rateLimitPerMinute: 3, corsOrigins: ['https://portal.yiyang.gov.cn'] });
    for (let i = 0; i < 3; i += 1) await as(limited, 'auditor').get('/reviews/inbox').expect(403);
    const over = await as(limited, 'auditor').get('/reviews/inbox').expect(429);
    expect(over.body).toMatchObject({ status: 429, title: 'Too many requests' });
    await as(limited, 'finance').get('/retention/blocked').expect(200); // another token has its own budget
    const preflight = await request(limited).options('/projects').set('Origin', 'https://portal.yiyang.gov.cn').expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://portal.yiyang.gov.cn');
    const foreign = await request(limited).get('/health').set('Origin', 'https://elsewhere.example').expect(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("keeps unit ops to their own unit: another unit's project is answered exactly as one that does not exist", async () => {
    const theirs = aProposal({ unit: OTHER_UNIT });
    const registering = await as(app, 'unit').post('/projects').send(theirs).expect(403);
    expect(registering.body.detail).not.toContain(theirs.projectId);
    await as(app, 'otherUnit').post('/projects').send(theirs).expect(201);
    const hidden = await as(app, 'unit').get(`/projects/${theirs.projectId}`).expect(404);
    const missing = await as(app, 'unit').get(`/projects/${theirs.projectId}X`).expect(404);
    expect(hidden.body.detail).toBe(`No project ${theirs.projectId}`);
    expect(Object.keys(hidden.body).sort()).toEqual(Object.keys(missing.body).sort());
    expect(JSON.stringify(hidden.body)).not.toContain(OTHER_UNIT);
    await as(app, 'unit').get(`/projects/${theirs.projectId}/documents`).expect(404);
    await as(app, 'unit').post(`/projects/${theirs.projectId}/submissions`).send({ action: 'goLive' }).expect(404);
    await as(app, 'unit').post(`/projects/${theirs.projectId}/decisions`).send({ stage: 'jointReview', decision: 'approve' }).expect(404);
    await as(app, 'otherUnit').get(`/projects/${theirs.projectId}`).expect(200);
    expect(UNIT).not.toBe(OTHER_UNIT);
  });
});

describe('Idempotency-Key', () => {
  it('gives a repeated POST the first response and one effect, also when sent concurrently', async () => {
    const proposal = aProposal();
    const post = () => as(app, 'unit').post('/projects').set('Idempotency-Key', `register-${proposal.projectId}`).send(proposal);
    const first = await post().expect(201);
    const again = await post().expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // The replayed 201 says where the project is, as the first did.
    expect(first.headers.location).toBe(`/projects/${proposal.projectId}`);
    expect(again.headers.location).toBe(first.headers.location);

    const other = aProposal();
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => as(app, 'unit').post('/projects').set('Idempotency-Key', `register-${other.projectId}`).send(other)));
    const statuses = concurrent.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const runs: string[] = [];
    for await (const execution of context.env.client.workflow.list({ query: `WorkflowId = "${other.projectId}"` })) runs.push(execution.runId);
    expect(runs.length).toBeLessThanOrEqual(1);

    const reused = await as(app, 'unit').post('/projects').set('Idempotency-Key', `register-${proposal.projectId}`).send({ ...proposal, name: '别的项目' }).expect(422);
    expect(reused.body.detail).toMatch(/different request/);
    await as(app, 'unit').post('/projects').set('Idempotency-Key', 'bad key with spaces').send(proposal).expect(422);
  });
});
