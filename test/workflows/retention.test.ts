import type { ProjectProposal } from '../../domain/project';
import { recordEvaluationUpdate, recordReleaseUpdate, retentionStateQuery } from '../../workflows/messages';
import type { RetentionRelease } from '../../workflows/retention';
import { actor, contractFor, driveUntil, historyLength, startProject, pollQuery, waitFor } from '../helpers/lifecycle';
import { refusal, useWorkflowEnvironment } from '../helpers/workflow-context';
import { as, testApp } from '../helpers/api';

/**
 * The retention of a Yiyang (001) project over its three years on the Java time-skipping test server, with the real activities
 * on SQLite: months and years pass in seconds.
 */
const context = useWorkflowEnvironment('timeSkipping');

const DAY = 86_400_000;
const wan = (n: number) => n * 1_000_000;

const start = (overrides: Partial<ProjectProposal> = {}) => startProject(context.env, overrides);


const rows = (table: 'retention_tranches', projectId: string) =>
  context.storage.db.selectFrom(table).selectAll().where('project_id', '=', projectId).execute();

describe('Yiyang (001) retention', () => {
  it('holds the retention 5/5/5 over three years; a failed assessment blocks tranche 2 until a re-assessment passes (001 §19)', async () => {
    const handle = await start({ investmentFen: wan(400) });
    const accepted = await driveUntil(context.env, handle, (s) => s.stage === 'operations');
    const retention = context.env.client.workflow.getHandle<typeof RetentionRelease>(accepted.retentionWorkflowId!);
    const schedule = await retention.query(retentionStateQuery);
    const sum = contractFor(handle.workflowId).sumFen; // 300万 = 300,000,000 fen
    expect(schedule).toMatchObject({ sumFen: sum, withheldFen: 45_000_000, acceptedOn: accepted.acceptedOn });
    expect(schedule.tranches.map((t) => t.amountFen)).toEqual([15_000_000, 15_000_000, 15_000_000]);
    const [y, m, d] = accepted.acceptedOn!.split('-').map(Number) as [number, number, number];
    for (const [i, tranche] of schedule.tranches.entries()) {
      // Due on the anniversary, or the next working day when it falls on a day off (Civil Code art. 203).
      const anniversary = Date.UTC(y + i + 1, m - 1, d);
      const due = Date.parse(`${tranche.dueDate}T00:00:00Z`);
      expect(due - anniversary).toBeGreaterThanOrEqual(0);
      expect(due - anniversary).toBeLessThan(10 * DAY);
    }
    expect(await refusal(retention.executeUpdate(recordReleaseUpdate, { args: [{ trancheNo: 1, voucherRef: 'PZ-1', actor: actor('finance') }] }))).toMatch(/001 §19: tranche 1 is scheduled/);

    // Year 1 passes; tranche 1 (post-evaluation passed at acceptance) becomes due.
    const firstRunId = (await handle.describe()).runId;
    await context.env.sleep(Date.parse(`${schedule.tranches[0]!.dueDate}T00:00:00+08:00`) - (await context.env.currentTimeMs()) + DAY);
    const year1 = await retention.query(retentionStateQuery);
    expect(year1.tranches[0]).toMatchObject({ status: 'due' });
    expect(await refusal(retention.executeUpdate(recordReleaseUpdate, { args: [{ trancheNo: 1, voucherRef: 'PZ-1', actor: actor('unit') }] }))).toMatch(/by finance/);
    // Finance's HTTP view while tranche 1 is payable, and the release recorded over HTTP.
    const app = testApp(context.env.client, context.storage);
    const due1 = schedule.tranches[0]!.dueDate;
    const payable = await as(app, 'finance').get(`/retention/payable?from=${due1}&to=${due1}`).expect(200);
    expect(payable.body.items).toEqual([expect.objectContaining({ contractId: schedule.contractId, trancheNo: 1, amountFen: 15_000_000, status: 'due' })]);
    const csv = await as(app, 'finance').get(`/retention/payable.csv?from=${due1}&to=${due1}`).expect(200);
    expect(csv.text).toContain(`${schedule.contractId},${handle.workflowId},1,150000.00,${due1},postEvaluation,due,,,`);
    const paid = await as(app, 'finance').post(`/contracts/${schedule.contractId}/retention/releases`).send({ trancheNo: 1, voucherRef: 'PZ-2028-0001' }).expect(200);
    expect(paid.body.tranches[0]).toMatchObject({ status: 'released', voucherRef: 'PZ-2028-0001' });
    const twice = await as(app, 'finance').post(`/contracts/${schedule.contractId}/retention/releases`).send({ trancheNo: 1, voucherRef: 'PZ-2028-0009' }).expect(409);
    expect(twice.body.detail).toMatch(/already released with voucher PZ-2028-0001/);
    // The O&M year rolled over by continue-as-new; each run stays small.
    const afterYear1 = await waitFor(handle, (s) => s.omYear === 2 && s.stage === 'operations' && s.pending !== null, 'O&M year 2');
    expect((await handle.describe()).runId).not.toBe(firstRunId);
    expect(await historyLength(context.env.client, handle.workflowId, firstRunId)).toBeLessThan(1000);
    expect(afterYear1.status).toBe('active');

    // Year 2's assessment fails: tranche 2 is blocked with the reason at its due date.
    await handle.executeUpdate(recordEvaluationUpdate, { args: [{ year: 2, passed: false, reasons: ['系统可用率低于 99%'], actor: actor('reviewOffice') }] });
    await context.env.sleep(Date.parse(`${schedule.tranches[1]!.dueDate}T00:00:00+08:00`) - (await context.env.currentTimeMs()) + DAY);
    const blocked = await retention.query(retentionStateQuery);
    expect(blocked.tranches[1]).toMatchObject({ status: 'blocked', blockedReason: '系统可用率低于 99%' });
    const ledgerBlocked = await rows('retention_tranches', handle.workflowId);
    expect(ledgerBlocked.find((t) => t.tranche_no === 2)).toMatchObject({ status: 'blocked', blocked_reason: '系统可用率低于 99%' });

    // The re-assessment passes: tranche 2 becomes due and is paid.
    await waitFor(handle, (s) => s.omYear === 3 && s.pending !== null, 'O&M year 3');
    await handle.executeUpdate(recordEvaluationUpdate, { args: [{ year: 2, passed: true, actor: actor('reviewOffice') }] });
    const due2 = await pollQuery(retention, retentionStateQuery, (s) => s.tranches[1]?.status === 'due', 'tranche 2 due');
    expect(due2.tranches[1]).toMatchObject({ status: 'due', blockedReason: null });
    await retention.executeUpdate(recordReleaseUpdate, { args: [{ trancheNo: 2, voucherRef: 'PZ-2029-0002', actor: actor('finance') }] });

    // Year 3 passes; the last tranche is paid and the retention is complete.
    await handle.executeUpdate(recordEvaluationUpdate, { args: [{ year: 3, passed: true, actor: actor('reviewOffice') }] });
    await context.env.sleep(Date.parse(`${schedule.tranches[2]!.dueDate}T00:00:00+08:00`) - (await context.env.currentTimeMs()) + DAY);
    await retention.executeUpdate(recordReleaseUpdate, { args: [{ trancheNo: 3, voucherRef: 'PZ-2030-0003', actor: actor('finance') }] });
    // Polled, not result(): the test server's time-skipping client keeps time locked after result() here.
    const done = await pollQuery(retention, retentionStateQuery, (s) => s.tranches.every((t) => t.status === 'released'), 'all tranches released');
    expect(done.tranches.map((t) => [t.status, t.voucherRef])).toEqual([['released', 'PZ-2028-0001'], ['released', 'PZ-2029-0002'], ['released', 'PZ-2030-0003']]);
    const ledger = await rows('retention_tranches', handle.workflowId);
    expect(ledger.map((t) => t.amount_fen).reduce((a, b) => a + b, 0)).toBe(45_000_000);
    expect(ledger.every((t) => t.status === 'released')).toBe(true);
    expect(await historyLength(context.env.client, accepted.retentionWorkflowId!)).toBeLessThan(1000);
  });

});
