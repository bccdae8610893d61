import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { annualPlanId } from '../../domain/annual-plan';
import { recordEvaluationUpdate } from '../../workflows/messages';
import { actor, driveUntil, startProject, waitFor } from '../helpers/lifecycle';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * Writes the replay corpus: full-lifecycle histories of this release, committed under test/histories/
 * and replayed in CI by replay.test.ts. Runs only on demand, when a release changes workflow logic:
 *   EXPORT_HISTORIES=<release> npm test -- test/replay/export-histories
 */
const release = process.env.EXPORT_HISTORIES;
const describeExport = release ? describe : describe.skip;
const context = useWorkflowEnvironment('timeSkipping');
const DAY = 86_400_000;

describeExport('export the replay corpus', () => {
  it('records full lives of Yiyang and Nanfeng projects, a retention and an annual plan', async () => {
    const dir = join(__dirname, '..', 'histories', release!);
    mkdirSync(dir, { recursive: true });
    const save = async (name: string, workflowId: string, runId?: string) => {
      const history = await context.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
      const { History } = temporal.api.history.v1;
      const json = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
      writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(json)}\n`);
    };

    const yiyang = await startProject(context.env, { investmentFen: 4_000_000 * 100, flags: { mlpsRequired: true } });
    const inOperations = await driveUntil(context.env, yiyang, (s) => s.stage === 'operations');
    const firstRun = (await yiyang.describe()).runId;
    await context.env.sleep(370 * DAY);
    await waitFor(yiyang, (s) => s.omYear === 2 && s.pending !== null, 'O&M year 2');
    await yiyang.executeUpdate(recordEvaluationUpdate, { args: [{ year: 2, passed: false, reasons: ['可用率不达标'], actor: actor('reviewOffice') }] });
    await save('yiyang-400wan-to-operations', yiyang.workflowId, firstRun);
    await save('yiyang-400wan-om-year-2', yiyang.workflowId);
    await save('yiyang-400wan-retention', inOperations.retentionWorkflowId!);
    await save('yiyang-annual-plan', annualPlanId('yiyang', inOperations.planYear));

    const nanfeng = await startProject(context.env, { jurisdiction: 'nanfeng', unit: '南丰镇集成指挥中心业务科', investmentFen: 800_000 * 100, flags: { major: true } });
    await driveUntil(context.env, nanfeng, (s) => s.stage === 'operations');
    await save('nanfeng-major-to-operations', nanfeng.workflowId);
  });
});
