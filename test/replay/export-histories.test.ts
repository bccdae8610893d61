import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { lifecycleInputFor, profileFor } from '../../domain/policy';
import { ProjectLifecycle } from '../../workflows/project-lifecycle';
import { aProposal } from '../helpers/proposals';
import { annualPlanId } from '../../domain/annual-plan';
import { closeProjectUpdate, declareHealthEndpointUpdate, monthlyCheckDueSignal, reportHealthUpdate, decideProblemRectificationUpdate, fileYearlyReportUpdate, postponementUpdate, recordEvaluationUpdate, recordProblemUpdate, reportProblemRectificationUpdate, terminateUpdate } from '../../workflows/messages';
import type { ProjectState } from '../../domain/lifecycle';
import { businessDateOf, type DocumentKind } from '../../domain/records';
import { cloudActionUpdate, cloudResourceStateQuery, confirmRectificationUpdate, fileOmServiceContractUpdate, decideChangeUpdate, decideDeferralUpdate, projectStateQuery, recordDeficiencyUpdate, requestChangeUpdate, requestDeferralUpdate } from '../../workflows/messages';
import { cloudWorkflowId, type CloudActionInput } from '../../domain/cloud';
import { CloudResource } from '../../workflows/cloud-resource';
import { TASK_QUEUE } from '../helpers/temporal';
import { actor, BIJIE_COUNTY_UNIT, BIJIE_UNIT, decide, driveUntil, EXPERTS, JIAN_UNIT, NANFENG_UNIT, pollQuery, startProject, submit, SUQIAN_UNIT, waitFor, waitForPending, type ProjectHandle } from '../helpers/lifecycle';
import { HealthEndpoints } from '../helpers/health-endpoints';
import { ACCEPTANCE_DOSSIER } from '../../domain/policy/jian';
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
/** The commit of release 0.3.0's workflow code (the last before 0.4.0). */
const V0_3_0_COMMIT = '9eff5b7';

/** Writes one workflow run's history into the release's corpus folder. */
async function save(name: string, workflowId: string, runId?: string): Promise<void> {
  const dir = join(__dirname, '..', 'histories', release!);
  mkdirSync(dir, { recursive: true });
  const history = await context.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  const { History } = temporal.api.history.v1;
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }))}\n`);
}

describeExport('export the replay corpus', () => {
  it('records a full life of every jurisdiction path, a retention and an annual plan', async () => {
    const inDays = async (days: number) => businessDateOf(new Date((await context.env.currentTimeMs()) + days * DAY));

    // Yiyang ≥ 200万: trial run (allowed from the day after it), a failed acceptance rectified by the
    // date the deciding body set, its clock resumed; O&M year 2 as a run of its own.
    const yiyang = await startProject(context.env, { investmentFen: 4_000_000 * 100, flags: { mlpsRequired: true } });
    await driveUntil(context.env, yiyang, (s) => s.pending?.stage === 'finalAcceptance' && s.pending.kind === 'review');
    await waitFor(yiyang, (s) => s.pending?.dueDate !== undefined, 'the acceptance clock');
    await context.env.sleep(2 * DAY);
    await decide(yiyang, { stage: 'finalAcceptance', decision: 'reject', role: 'reviewOffice', experts: EXPERTS, reasons: ['压力测试未通过'], rectifyBy: await inDays(30) });
    await waitForPending(yiyang, 'finalAcceptance', 'rectification');
    await context.env.sleep(10 * DAY);
    await submit(yiyang, { action: 'revision' });
    const inOperations = await driveUntil(context.env, yiyang, (s) => s.stage === 'operations');
    const firstRun = (await yiyang.describe()).runId;
    await context.env.sleep(370 * DAY);
    await waitFor(yiyang, (s) => s.omYear === 2 && s.pending !== null, 'O&M year 2');
    await yiyang.executeUpdate(recordEvaluationUpdate, { args: [{ year: 2, passed: false, reasons: ['可用率不达标'], actor: actor('reviewOffice') }] });
    await save('yiyang-400wan-to-operations', yiyang.workflowId, firstRun);
    await save('yiyang-400wan-om-year-2', yiyang.workflowId);
    await save('yiyang-400wan-retention', inOperations.retentionWorkflowId!);
    await save('yiyang-annual-plan', annualPlanId('yiyang', inOperations.planYear));

    // Yiyang ≤ 50万: no plan, no approval; contract filed, implemented, accepted, archive filed (001 §8).
    const small = await startProject(context.env, { investmentFen: 500_000 * 100 });
    await driveUntil(context.env, small, (s) => s.stage === 'operations');
    await save('yiyang-50wan-to-operations', small.workflowId);

    // Yiyang supplementary plan: joint review, leading group, city government (001 §7).
    const urgent = await startProject(context.env, { investmentFen: 1_500_000 * 100, planKind: 'supplementary', supplementaryBasis: '省政务服务一体化平台对接要求' });
    await driveUntil(context.env, urgent, (s) => s.stage === 'operations');
    await save('yiyang-supplementary-to-operations', urgent.workflowId);

    // Yiyang with state/provincial and city matching funds: city pre-acceptance, recognition (001 §27).
    const upper = await startProject(context.env, { investmentFen: 2_500_000 * 100, flags: { stateOrProvincialFunding: true, cityMatchingFunds: true } });
    await driveUntil(context.env, upper, (s) => s.stage === 'operations');
    await save('yiyang-upper-acceptance-to-operations', upper.workflowId);

    // Nanfeng major project: a change filed (000 §11), six months' trial, a missed rectification date
    // as a breach (no forfeiture in 000), the archive filed, O&M.
    const nanfeng = await startProject(context.env, { jurisdiction: 'nanfeng', unit: NANFENG_UNIT, investmentFen: 800_000 * 100, flags: { major: true } });
    await driveUntil(context.env, nanfeng, (s) => s.pending?.kind === 'implementation');
    await nanfeng.executeUpdate(requestChangeUpdate, { args: [{ summary: '调整主要建设内容', reason: '业务需要', actor: actor('unit', NANFENG_UNIT) }] });
    await nanfeng.executeUpdate(decideChangeUpdate, { args: [{ changeId: 1, decision: 'file', actor: actor('reviewOffice') }] });
    await driveUntil(context.env, nanfeng, (s) => s.pending?.stage === 'finalAcceptance' && s.pending.kind === 'review');
    await decide(nanfeng, { stage: 'finalAcceptance', decision: 'reject', role: 'unit', unit: NANFENG_UNIT, reasons: ['接口未联调'], rectifyBy: await inDays(10) });
    const rectifying = await waitForPending(nanfeng, 'finalAcceptance', 'rectification');
    await context.env.sleep(Date.parse(rectifying.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
    await waitFor(nanfeng, (s) => s.timeline.some((t) => t.stage === 'finalAcceptance' && t.kind === 'breach'), 'the missed rectification date');
    await driveUntil(context.env, nanfeng, (s) => s.stage === 'operations');
    await save('nanfeng-major-to-operations', nanfeng.workflowId);
  });

  it("records Ji'an lives (004): a 1000万 city project with a revision, a deferral and a failed acceptance, and a county project", async () => {
    const inDays = async (days: number) => businessDateOf(new Date((await context.env.currentTimeMs()) + days * DAY));
    const doc = (kind: DocumentKind) => ({ documentId: `doc-${kind}`, kind, sha256: createHash('sha256').update(kind).digest('hex') });
    const jianStep = async (handle: ProjectHandle) => {
      const state = await waitFor(handle, (s) => s.pending !== null && (s.pending.kind !== 'review' || s.pending.rule !== undefined), 'a pending action');
      const pending = state.pending!;
      if (pending.kind === 'review') {
        return decide(handle, { stage: pending.stage, decision: 'approve', role: pending.role, experts: EXPERTS, ...(pending.stage === 'reformReview' ? { acceptanceDueBy: await inDays(20) } : {}) });
      }
      if (pending.kind === 'implementation') return submit(handle, { action: 'goLive' }, JIAN_UNIT);
      const kinds: Partial<Record<string, DocumentKind[]>> = {
        feasibilityStudy: ['feasibilityStudy', 'resourceCatalogue'], preliminaryDesign: ['preliminaryDesign'], technicalScheme: ['technicalScheme'],
        acceptanceApplication: ACCEPTANCE_DOSSIER.map((d) => d.kind),
      };
      return submit(handle, {
        action: pending.action!, documents: (kinds[pending.action!] ?? []).map(doc),
        ...(pending.action === 'contract' ? { contract: { contractId: `${state.projectId}-HT1`, contractor: '江西某信息技术有限公司', sumFen: 900 * 10_000 * 100, omYears: 3, signedDate: '2026-11-02' }, supervisor: '江西某工程监理有限公司' } : {}),
      }, JIAN_UNIT);
    };
    const jianUntil = async (handle: ProjectHandle, stage: string) => {
      for (let i = 0; i < 30 && (await handle.query(projectStateQuery)).pending?.stage !== stage; i += 1) await jianStep(handle);
    };

    const city = await startProject(context.env, { jurisdiction: 'jian', unit: JIAN_UNIT, investmentFen: 1000 * 10_000 * 100 });
    await jianUntil(city, 'reformReview');
    await decide(city, { stage: 'reformReview', decision: 'requestRevision', role: 'reform', reasons: ['补充投资概算'] });
    await submit(city, { action: 'revision' }, JIAN_UNIT);
    await jianUntil(city, 'acceptanceApplication');
    const application = await waitFor(city, (s) => s.pending?.stage === 'acceptanceApplication' && s.pending.dueAt !== undefined, 'the acceptance date');
    await context.env.sleep(Date.parse(application.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
    await waitFor(city, (s) => s.timeline.some((t) => t.kind === 'breach'), 'the missed acceptance date');
    await city.executeUpdate(requestDeferralUpdate, { args: [{ reasons: ['审计报告未出具'], proposedDate: await inDays(40), actor: actor('unit', JIAN_UNIT) }] });
    await city.executeUpdate(decideDeferralUpdate, { args: [{ deferralId: 1, decision: 'approve', actor: actor('reform') }] });
    await jianStep(city);
    await waitFor(city, (s) => s.pending?.stage === 'finalAcceptance' && s.pending.dueDate !== undefined, 'the acceptance');
    await decide(city, { stage: 'finalAcceptance', decision: 'reject', role: 'reform', reasons: ['密评报告结论不符合'], rectifyBy: await inDays(15) });
    await waitForPending(city, 'finalAcceptance', 'rectification');
    await submit(city, { action: 'revision' }, JIAN_UNIT);
    await jianUntil(city, 'operations');
    // 004 §13: an O&M service contract after the warranty; 004 §17: a deficient system, then its rectification confirmed.
    await city.executeUpdate(fileOmServiceContractUpdate, { args: [{ contractId: `${city.workflowId}-YW1`, supplier: '江西某运维服务有限公司', sumFen: 45 * 10_000 * 100, years: 3, signedDate: '2026-11-20', actor: actor('unit', JIAN_UNIT) }] });
    await city.executeUpdate(recordDeficiencyUpdate, { args: [{ ground: 'dataNotShared', reasons: ['人口库未按目录共享'], actor: actor('bigDataCentre') }] });
    await city.executeUpdate(confirmRectificationUpdate, { args: [{ deficiencyId: 1, reasons: ['已接入共享交换平台'], actor: actor('bigDataCentre') }] });
    await save('jian-1000wan-deferral-to-operations', city.workflowId);

    const county = await startProject(context.env, { jurisdiction: 'jian', unit: JIAN_UNIT, investmentFen: 500 * 10_000 * 100, flags: { county: true }, county: '吉水县' });
    await waitForPending(county, 'countyApproval', 'review');
    await decide(county, { stage: 'countyApproval', decision: 'approve', role: 'county', unit: '吉水县' });
    await jianUntil(county, 'procurement');
    await jianStep(county);
    await county.result();
    await save('jian-county-500wan-to-filed', county.workflowId);
  });

  it('records government-cloud resources (004 cloud measures): every step to reclamation, and a forced exit', async () => {
    const resources = { vcpu: 8, memoryGiB: 32, storageGiB: 500 };
    const unit = actor('unit', JIAN_UNIT);
    const [authority, provider] = [actor('bigDataCentre'), actor('cloudProvider')];
    const apply = (resourceId: string) =>
      context.env.client.workflow.start(CloudResource, {
        taskQueue: TASK_QUEUE, workflowId: cloudWorkflowId(resourceId),
        args: [{ application: { resourceId, jurisdiction: 'jian', systemName: '吉安市一网通办平台', unit: JIAN_UNIT, county: false, resources }, applicant: unit, profileVersion: profileFor('jian').version }],
      });
    type Handle = Awaited<ReturnType<typeof apply>>;
    const step = (handle: Handle, input: CloudActionInput) => handle.executeUpdate(cloudActionUpdate, { args: [input] });
    const sleepPast = async (instant: string) => context.env.sleep(Math.max(1, Date.parse(instant) - (await context.env.currentTimeMs()) + 3_600_000));
    const toDeployment = async (handle: Handle) => {
      await pollQuery(handle, cloudResourceStateQuery, (s) => s.pending[0]?.dueDate !== undefined, 'the review clock');
      await step(handle, { action: 'decide', subject: 'application', decision: 'approve', actor: authority });
      await step(handle, { action: 'size', experts: EXPERTS, resources, actor: authority });
      await step(handle, { action: 'signLetter', signedBy: '王主任', signedOn: businessDateOf(new Date(await context.env.currentTimeMs())), confirmationFormFilled: true, actor: unit });
      await step(handle, { action: 'notifyProvider', actor: authority });
      return step(handle, { action: 'opened', actor: provider });
    };
    const finishExit = async (handle: Handle) => {
      const migrating = await pollQuery(handle, cloudResourceStateQuery, (s) => s.stage === 'migration' && Boolean(s.exit?.migrationWindow), 'the migration window');
      await step(handle, { action: 'migrationComplete', actor: unit });
      await sleepPast(migrating.exit!.migrationWindow!.endsAt);
      await pollQuery(handle, cloudResourceStateQuery, (s) => s.stage === 'dataErasure', 'dataErasure');
      await step(handle, { action: 'dataErasure', actor: unit });
      await step(handle, { action: 'dataErasure', actor: provider });
      await step(handle, { action: 'reclamation', actor: provider });
      return handle.result();
    };

    const full = await apply(`JA-CLOUD-REPLAY-${Date.now().toString(36)}-1`);
    await toDeployment(full);
    const live = await step(full, { action: 'cutover', completed: ['deployment', 'testing', 'securityRiskPreAssessment', 'cutover'], actor: unit });
    await step(full, { action: 'requestResize', direction: 'scaleUp', resources: { ...resources, vcpu: 16 }, reasons: ['业务量增长'], actor: unit });
    await step(full, { action: 'decide', subject: 'resize', decision: 'approve', resources: { ...resources, vcpu: 12 }, experts: EXPERTS, actor: authority });
    await step(full, { action: 'resizeApplied', actor: provider });
    await sleepPast(live.fallback!.allowedFromAt);
    await pollQuery(full, cloudResourceStateQuery, (s) => s.timeline.some((t) => t.kind === 'periodOver'), 'the end of the fallback period');
    await step(full, { action: 'fallbackDecommissioned', actor: unit });
    await step(full, { action: 'requestExit', reasons: ['系统整合至省平台'], actor: unit });
    await step(full, { action: 'decide', subject: 'exit', decision: 'approve', actor: authority });
    await finishExit(full);
    await save('cloud-resource-every-step-to-reclaimed', full.workflowId);

    const forced = await apply(`JA-CLOUD-REPLAY-${Date.now().toString(36)}-2`);
    const deploying = await toDeployment(forced);
    await sleepPast(deploying.pending[0]!.dueAt!);
    await finishExit(forced);
    await save('cloud-resource-forced-exit-to-reclaimed', forced.workflowId);
  });

  it('records Bijie lives (003): a city project with its reports, a content adjustment, a problem blocking money, a postponement, a co-signed acceptance refused once and an O&M year with reports missing; a county project terminated for lagging spending', async () => {
    const inDays = async (days: number) => businessDateOf(new Date((await context.env.currentTimeMs()) + days * DAY));
    const doc = (kind: DocumentKind) => ({ documentId: `doc-${kind}`, kind, sha256: createHash('sha256').update(kind).digest('hex') });
    const bijieStep = async (handle: ProjectHandle) => {
      const state = await waitFor(handle, (s) => s.pending !== null && (s.pending.kind !== 'review' || s.pending.rule !== undefined), 'a pending action');
      const pending = state.pending!;
      if (pending.kind === 'review') {
        return decide(handle, {
          stage: pending.stage, decision: 'approve', role: pending.role, unit: state.unit,
          ...(pending.role === 'thirdPartyReviewer' ? { documents: [{ ...doc('reviewReport'), documentId: `doc-reviewReport-${pending.stage}` }] } : {}), ...(pending.stage === 'servicePlanReview' ? { tenderCeilingFen: 290 * 10_000 * 100 } : {}),
        });
      }
      if (pending.kind === 'implementation') return submit(handle, { action: 'goLive' }, state.unit);
      const kinds: Partial<Record<string, DocumentKind[]>> = { demandScheme: ['proposal', 'cryptographyAssessment'], servicePlan: ['servicePlan'], contract: ['contract'] };
      return submit(handle, {
        action: pending.action!, documents: (kinds[pending.action!] ?? []).map(doc),
        ...(pending.action === 'contract' ? { contract: { contractId: `${state.projectId}-HT1`, contractor: '贵州某信息技术有限公司', sumFen: 280 * 10_000 * 100, omYears: 3, signedDate: '2026-11-02' } } : {}),
      }, state.unit);
    };
    const bijieUntil = async (handle: ProjectHandle, accept: (state: ProjectState) => boolean) => {
      for (let i = 0; i < 30 && !accept(await handle.query(projectStateQuery)); i += 1) await bijieStep(handle);
    };

    const city = await startProject(context.env, { jurisdiction: 'bijie', unit: BIJIE_UNIT, investmentFen: 300 * 10_000 * 100 });
    await bijieUntil(city, (s) => s.pending?.stage === 'thirdPartyReview');
    await decide(city, { stage: 'thirdPartyReview', decision: 'requestRevision', role: 'thirdPartyReviewer', reasons: ['经费估算依据不足'] });
    await submit(city, { action: 'revision' }, BIJIE_UNIT);
    await bijieUntil(city, (s) => s.pending?.stage === 'procurement');
    const finance = (action: 'postpone' | 'resume') => city.executeUpdate(postponementUpdate, { args: [{ action, reasons: ['预算执行进度滞后'], actor: actor('finance') }] });
    await finance('postpone');
    await finance('resume');
    await bijieUntil(city, (s) => s.pending?.kind === 'implementation');
    await city.executeUpdate(requestChangeUpdate, { args: [{ summary: '增加省平台对接', reason: '省人社厅部署', ground: 'upperRequirement', actor: actor('unit', BIJIE_UNIT) }] });
    await city.executeUpdate(decideChangeUpdate, { args: [{ changeId: 1, decision: 'approve', experts: EXPERTS, actor: actor('reviewOffice') }] });
    const rectifyBy = await inDays(10);
    await city.executeUpdate(recordProblemUpdate, { args: [{ kind: 'noDomesticCryptography', reasons: ['核心库未采用国产密码'], rectifyBy, actor: actor('reviewOffice') }] });
    await context.env.sleep(Date.parse(`${rectifyBy}T00:00:00+08:00`) - (await context.env.currentTimeMs()) + 2 * DAY);
    await waitFor(city, (s) => s.problems[0]?.blocksMoney === 'notRectified', 'the money block');
    const report = () => city.executeUpdate(reportProblemRectificationUpdate, { args: [{ problemId: 1, reasons: ['已部署国密'], documents: [doc('testReport')], actor: actor('unit', BIJIE_UNIT) }] });
    await report();
    await city.executeUpdate(decideProblemRectificationUpdate, { args: [{ problemId: 1, accepted: false, reasons: ['密钥管理不符合'], rectifyBy: await inDays(10), actor: actor('reviewOffice') }] });
    await report();
    await city.executeUpdate(decideProblemRectificationUpdate, { args: [{ problemId: 1, accepted: true, actor: actor('reviewOffice') }] });
    await submit(city, { action: 'goLive' }, BIJIE_UNIT);
    await waitForPending(city, 'finalAcceptance', 'review');
    await decide(city, { stage: 'finalAcceptance', decision: 'approve', role: 'unit', unit: BIJIE_UNIT });
    await waitFor(city, (s) => s.pending?.role === 'reviewOffice', 'the department\'s signature');
    await decide(city, { stage: 'finalAcceptance', decision: 'reject', role: 'reviewOffice', reasons: ['培训未落实'], rectifyBy: await inDays(15) });
    await waitForPending(city, 'finalAcceptance', 'rectification');
    await submit(city, { action: 'revision' }, BIJIE_UNIT);
    await bijieUntil(city, (s) => s.pending?.kind === 'evaluation');
    const operating = await city.executeUpdate(fileYearlyReportUpdate, { args: [{ documents: [doc('securityTest'), { ...doc('cryptographyAssessment'), documentId: 'doc-cryptographyAssessment-year-1' }], actor: actor('unit', BIJIE_UNIT) }] });
    await city.executeUpdate(recordEvaluationUpdate, { args: [{ year: 1, passed: true, actor: actor('reviewOffice') }] });
    const firstRun = (await city.describe()).runId;
    await context.env.sleep(Date.parse(operating.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
    await waitFor(city, (s) => s.omYear === 2 && s.pending?.kind === 'evaluation', 'O&M year 2');
    await save('bijie-city-to-operations', city.workflowId, firstRun);

    const county = await startProject(context.env, { jurisdiction: 'bijie', unit: BIJIE_COUNTY_UNIT, investmentFen: 100 * 10_000 * 100, flags: { county: true }, county: '七星关区' });
    await bijieUntil(county, (s) => s.pending?.kind === 'implementation');
    await county.executeUpdate(terminateUpdate, { args: [{ ground: 'spendingLag', explanation: '用户单位原因导致资金执行进度严重滞后', actor: actor('finance') }] });
    await county.result();
    await save('bijie-county-100wan-terminated', county.workflowId);
  });

  it('records Suqian lives (002): a new project through the six steps to asset registration and a monthly check; a stock system on forced exit retired after its window; one recovering inside it', async () => {
    const endpoints = await new HealthEndpoints().start();
    try {
      const doc = (kind: DocumentKind) => ({ documentId: `doc-${kind}`, kind, sha256: createHash('sha256').update(kind).digest('hex') });
      const unit = actor('unit', SUQIAN_UNIT);
      const thisMonth = async () => businessDateOf(new Date(await context.env.currentTimeMs())).slice(0, 7);
      const monthsBack = async (back: number) => {
        const [year, month] = (await thisMonth()).split('-').map(Number) as [number, number];
        const index = year * 12 + month - 1 - back;
        return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
      };
      const check = async (handle: ProjectHandle, period: string) => {
        const before = (await handle.query(projectStateQuery)).monitoring!.checks.length;
        await handle.signal(monthlyCheckDueSignal, { period, roundId: 'export-round' });
        await waitFor(handle, (s) => s.monitoring!.checks.length > before, `the check of ${period}`);
      };

      const fresh = await startProject(context.env, { jurisdiction: 'suqian', unit: SUQIAN_UNIT, investmentFen: 200 * 10_000 * 100 });
      for (let i = 0; i < 30; i += 1) {
        const state = await waitFor(fresh, (s) => s.pending !== null && (s.pending.kind !== 'review' || s.pending.rule !== undefined), 'a pending action');
        const pending = state.pending!;
        if (pending.kind === 'evaluation') break;
        if (pending.kind === 'review') await decide(fresh, { stage: pending.stage, decision: 'approve', role: pending.role });
        else if (pending.kind === 'implementation') await submit(fresh, { action: 'goLive' }, SUQIAN_UNIT);
        else {
          if (pending.notBeforeAt) await context.env.sleep(Date.parse(pending.notBeforeAt) - (await context.env.currentTimeMs()) + DAY);
          await submit(fresh, {
            action: pending.action!,
            ...(pending.action === 'contract' ? { contract: { contractId: `${state.projectId}-HT1`, contractor: '江苏某信息技术有限公司', sumFen: 190 * 10_000 * 100, omYears: 3, signedDate: '2026-11-02' } } : {}),
            ...(pending.action === 'assetRegistration' ? { documents: [doc('assetRegister')] } : {}),
          }, SUQIAN_UNIT);
        }
      }
      await fresh.executeUpdate(declareHealthEndpointUpdate, { args: [{ endpoint: endpoints.set('/fresh', 200), actor: unit }] });
      await check(fresh, await thisMonth());
      await save('suqian-new-to-operations', fresh.workflowId);

      const stock = await startProject(context.env, { jurisdiction: 'suqian', unit: SUQIAN_UNIT, investmentFen: 50 * 10_000 * 100, flags: { stockSystem: true }, healthEndpoint: endpoints.set('/stock', 503) });
      const recovering = await startProject(context.env, { jurisdiction: 'suqian', unit: SUQIAN_UNIT, investmentFen: 50 * 10_000 * 100, flags: { stockSystem: true, keyProject: true }, healthEndpoint: endpoints.set('/recovering', 503) });
      for (const back of [2, 1, 0]) {
        await check(stock, await monthsBack(back));
        await check(recovering, await monthsBack(back));
      }
      await stock.executeUpdate(reportHealthUpdate, { args: [{ source: 'manual', healthy: false, reasons: ['系统无法登录'], actor: actor('reviewOffice') }] });
      endpoints.set('/recovering', 200);
      await recovering.executeUpdate(reportHealthUpdate, { args: [{ source: 'recheck', actor: unit }] });
      await recovering.executeUpdate(fileYearlyReportUpdate, { args: [{ documents: [doc('performanceEvaluation')], actor: actor('thirdPartyReviewer') }] });
      await save('suqian-stock-recovered', recovering.workflowId);
      const exit = (await stock.query(projectStateQuery)).monitoring!.forcedExit!;
      await context.env.sleep(Date.parse(exit.rectifyByAt) - (await context.env.currentTimeMs()) + DAY);
      await waitFor(stock, (s) => s.pending?.kind === 'retirement', 'the retirement');
      await stock.executeUpdate(closeProjectUpdate, { args: [{ kind: 'retirement', reasons: ['强制退出'], dataDisposition: '数据已迁移至市公共数据平台', actor: unit }] });
      await stock.result();
      await save('suqian-stock-forced-exit-retired', stock.workflowId);
      // A monthly round as the Schedule starts it: every Suqian system in operation asked that is left (the recovered one; this month is checked already). Last: awaiting its result lets the time-skipping server move the clock to check its endpoint.
      const round = `monthly-monitoring-suqian-export-${Date.now()}`;
      await context.env.client.workflow.execute('MonthlyMonitoring', { taskQueue: TASK_QUEUE, workflowId: round, args: [{ jurisdiction: 'suqian' }] });
      await save('suqian-monthly-monitoring-round', round);
    } finally {
      await endpoints.stop();
    }
  });

  it('records a Nanfeng rectification begun on v0.3.0 code whose date is missed after the upgrade', async () => {
    // The v0.3.0 workflow code, from git, bundled as that release's worker ran it.
    const root = join(__dirname, '..', '..');
    const oldSource = mkdtempSync(join(tmpdir(), 'zhengwu-v0.3.0-'));
    execSync(`git archive ${V0_3_0_COMMIT} workflows domain activities | tar -x -C ${oldSource}`, { cwd: root });
    symlinkSync(join(root, 'node_modules'), join(oldSource, 'node_modules'));
    const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error };
    const oldCode = await bundleWorkflowCode({ workflowsPath: join(oldSource, 'workflows'), logger: quiet });
    const taskQueue = 'upgrade-from-v0.3.0';
    // No workflow cache, so no sticky queue: the next release's worker takes the project's next task.
    const worker = (workflowBundle: { code: string } | { codePath: string }) =>
      Worker.create({
        connection: context.env.nativeConnection,
        taskQueue,
        activities: createActivities({ storage: context.storage, temporal: { client: context.env.client, taskQueue } }),
        workflowBundle,
        maxCachedWorkflows: 0,
        shutdownGraceTime: '10s',
        shutdownForceTime: '30s',
      });

    const proposal = aProposal({ jurisdiction: 'nanfeng', unit: NANFENG_UNIT, investmentFen: 800_000 * 100 });
    const handle = await context.env.client.workflow.start(ProjectLifecycle, { taskQueue, workflowId: proposal.projectId, args: [lifecycleInputFor(proposal)] });
    // On v0.3.0: the unit's acceptance fails and rectification opens on the default period.
    const rectifying = await (await worker(oldCode)).runUntil(async () => {
      await driveUntil(context.env, handle, (s) => s.pending?.stage === 'finalAcceptance' && s.pending.kind === 'review');
      await decide(handle, { stage: 'finalAcceptance', decision: 'reject', role: 'unit', unit: NANFENG_UNIT, reasons: ['接口未联调'] });
      return waitForPending(handle, 'finalAcceptance', 'rectification');
    });
    // On this release: the date passes — a breach, not a forfeiture (000 has none); the unit rectifies.
    await (await worker({ codePath: process.env.ZHENGWU_WORKFLOW_BUNDLE! })).runUntil(async () => {
      await context.env.sleep(Date.parse(rectifying.pending!.dueAt!) - (await context.env.currentTimeMs()) + DAY);
      const late = await waitFor(handle, (s) => s.timeline.some((t) => t.stage === 'finalAcceptance' && t.kind === 'breach'), 'the missed date as a breach');
      expect(late.status).toBe('active');
      await submit(handle, { action: 'revision' }, NANFENG_UNIT);
      await waitForPending(handle, 'finalAcceptance', 'review');
    });
    const dir = join(__dirname, '..', 'histories', release!);
    const history = await handle.fetchHistory();
    const { History } = temporal.api.history.v1;
    writeFileSync(join(dir, 'nanfeng-rectification-upgraded-from-v0.3.0.json'), `${JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }))}\n`);
  });
});
