import type { Page } from 'playwright-core';
import type { Role } from '../../domain/records';
import type { Jurisdiction } from '../../domain/project';
import { bearer, type TestCaller } from '../helpers/api';
import { expectCleanConsole, openTab, screenshot, signIn, signOut, useConsole } from '../helpers/console';
import { BIJIE_UNIT, driveUntil, EXPERTS, JIAN_UNIT, NANFENG_UNIT, startProject, SUQIAN_UNIT, UNIT } from '../helpers/lifecycle';
import { aProposal } from '../helpers/proposals';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * The web console in Debian's Chromium against the production app on the Temporal CLI dev server: a
 * unit registers a proposal, a refusal is shown with its article, and a reviewer approves from the inbox
 * on a project of each jurisdiction's path. Nothing here needs time to pass, so the real server serves.
 */
const context = useWorkflowEnvironment('devServer');
const suite = useConsole(context);

/**
 * Reloads until the row is there: the inbox row is written a moment after the review opens. After each
 * reload it waits for the list to have loaded (the table or its empty message), never for a time.
 */
async function reloadUntilVisible(page: Page, rowTestId: string, listTestIds: string[]): Promise<void> {
  const loaded = page.locator(listTestIds.map((id) => `[data-testid="${id}"]`).join(', ')).first();
  for (let attempt = 0; attempt < 200; attempt += 1) {
    await loaded.waitFor();
    if (await page.getByTestId(rowTestId).count()) return;
    await page.reload();
  }
  throw new Error(`${rowTestId} never appeared`);
}
const INBOX = ['inbox', 'inbox-empty'];

/** Waits for the form's success notice; if the API refused instead, fails with the refusal as the page shows it. */
async function expectAccepted(page: Page, notice: string): Promise<void> {
  const problem = page.getByTestId('problem');
  await page.getByText(notice).or(problem).first().waitFor().catch(async (error: Error) => {
    await screenshot(page, `failed-waiting-for-${notice}-${Date.now()}`);
    throw error;
  });
  if (await problem.count()) throw new Error(`refused: ${await problem.first().textContent()}`);
}

/** From the inbox: open the project's review, approve it (with the experts drawn), and see the stage move on. */
async function approveFromInbox(page: Page, projectId: string, stage: string, acceptanceDueBy?: string): Promise<void> {
  await page.getByRole('link', { name: /待办评审/ }).click();
  await reloadUntilVisible(page, `inbox-${projectId}`, INBOX);
  await page.getByTestId(`inbox-${projectId}`).getByRole('link', { name: /^处理/ }).click();
  const form = page.getByTestId('decision-form');
  await form.waitFor();
  await form.getByRole('radio', { name: '通过', exact: true }).check();
  await form.getByLabel(/评审专家/).fill(EXPERTS.join('\n'));
  if (acceptanceDueBy) {
    await form.getByText(/其他决定事项/).click();
    await form.getByLabel(/应完成验收日期/).fill(acceptanceDueBy);
  }
  await form.getByRole('button', { name: '提交决定' }).click();
  await expectAccepted(page, '决定已记录。');
  // The project page re-reads the workflow: the review is decided and the project has left the stage.
  await page.locator(`[data-testid="project-stage"]:not([data-stage="${stage}"])`).waitFor();
  await page.getByTestId('audit-trail').locator('[data-kind="decision"][data-decision="approve"]').first().waitFor();
}

describe('the web console in Chromium', () => {
  it("a unit registers a proposal (the form checks it with the API's schema, 001 §7); the review office's rejection without reasons is refused, its article shown, and nothing changes; the review office approves from the inbox", async () => {
    const { page, consoleProblems } = await openTab(suite.browser);
    await page.goto(`${suite.origin}/console/`);
    await screenshot(page, '01-sign-in');
    const proposal = aProposal({ name: '益阳市智慧城管平台（控制台）' });

    // The clerk: who they are, then the proposal — a supplementary-plan project must state its basis (001 §7).
    await signIn(page, suite.origin, 'unit');
    await expect(page.getByTestId('who').textContent()).resolves.toContain(UNIT);
    await page.getByRole('link', { name: '申报项目', exact: true }).click();
    await page.getByLabel('项目编号').fill(proposal.projectId);
    await page.getByLabel('项目名称').fill(proposal.name);
    await page.getByLabel('投资估算（元）').fill('1500000');
    await page.getByLabel('资金来源').fill(proposal.fundingSource);
    await page.getByLabel('计划类型').selectOption('supplementary');
    await page.getByRole('button', { name: '提交申报' }).click();
    await expect(page.getByTestId('error-supplementaryBasis').textContent()).resolves.toMatch(/^001 §7: /);
    await screenshot(page, '02-register-refused-in-form');
    await page.getByLabel(/增补依据/).fill('省政务服务一体化平台对接要求');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.getByTestId('project-stage').waitFor();
    expect(page.url()).toContain(`#/projects/${proposal.projectId}`);
    await page.getByTestId('pending-action').filter({ hasText: '联合审查' }).waitFor();
    await page.getByRole('link', { name: '项目', exact: true }).click();
    await page.getByTestId(`project-row-${proposal.projectId}`).getByText(/联合审查/).first().waitFor();
    await screenshot(page, '03-unit-projects');
    await signOut(page);

    // The review office: the inbox, the project, a refusal with its article, then the approval.
    await signIn(page, suite.origin, 'reviewOffice');
    await reloadUntilVisible(page, `inbox-${proposal.projectId}`, INBOX);
    await screenshot(page, '04-inbox');
    await page.getByTestId(`inbox-${proposal.projectId}`).getByRole('link', { name: /^处理/ }).click();
    const form = page.getByTestId('decision-form');
    await form.getByRole('radio', { name: '不予通过' }).check();
    await form.getByRole('button', { name: '提交决定' }).click();
    await expect(form.getByTestId('problem-rule').textContent()).resolves.toBe('001 §7');
    await expect(form.getByTestId('problem').textContent()).resolves.toMatch(/reasons/);
    await screenshot(page, '05-decision-refused');
    await page.reload();
    await expect(page.getByTestId('project-stage').getAttribute('data-stage')).resolves.toBe('jointReview');

    // English is one click away, and back.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Review inbox' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.getByRole('button', { name: '中文' }).click();

    await approveFromInbox(page, proposal.projectId, 'jointReview');
    await screenshot(page, '06-project');
    // The one refusal provoked on purpose (the rejection without reasons); the form's own check sent nothing.
    expectCleanConsole(consoleProblems, [422]);
  });

  /**
   * Where the unit's first step is a submission that must hand in documents (Ji'an's feasibility study,
   * 004 §7, with the information-resource catalogue its approval needs, 004 §9(3); Bijie's demand scheme
   * with its cryptography review, 003 §5), the clerk does it in the console: the submission without them
   * is refused with the article, then the documents are uploaded and named.
   */
  const paths: Array<{ jurisdiction: Jurisdiction; unit: string; caller: TestCaller; investmentFen: number; name: string; documents?: { kinds: string[]; rule: RegExp }; acceptanceDueBy?: string }> = [
    { jurisdiction: 'nanfeng', unit: NANFENG_UNIT, caller: 'reviewOffice', investmentFen: 800_000 * 100, name: '南丰镇集成指挥平台' },
    { jurisdiction: 'jian', unit: JIAN_UNIT, caller: 'jianUnit', investmentFen: 6_000_000 * 100, name: '吉安市一网通办平台', documents: { kinds: ['feasibilityStudy', 'resourceCatalogue'], rule: /^004 §7/ }, acceptanceDueBy: '2029-06-29' },
    { jurisdiction: 'bijie', unit: BIJIE_UNIT, caller: 'bijieUnit', investmentFen: 3_000_000 * 100, name: '毕节市社保一体化服务平台', documents: { kinds: ['proposal', 'cryptographyAssessment'], rule: /^003 §5/ } },
    { jurisdiction: 'suqian', unit: SUQIAN_UNIT, caller: 'suqianUnit', investmentFen: 2_000_000 * 100, name: '宿迁市智慧民政平台' },
  ];
  it.each(paths)('a reviewer approves the first review of a $jurisdiction project from the inbox', async ({ jurisdiction, unit, caller, investmentFen, name, documents, acceptanceDueBy }) => {
    const handle = await startProject(context.env, { jurisdiction, unit, investmentFen, name });
    const { page, consoleProblems } = await openTab(suite.browser);
    // The steps before the first review that need no documents are taken as the API would take them.
    let state = await driveUntil(context.env, handle, (s) => s.pending?.kind === 'review' || (documents !== undefined && s.pending?.kind === 'submission'));
    if (state.pending?.kind === 'submission' && documents) {
      await signIn(page, suite.origin, caller);
      await page.goto(`${suite.origin}/console/#/projects/${state.projectId}`);
      const submission = page.getByTestId('submission-form');
      await submission.getByRole('button', { name: '提交' }).click();
      await expect(submission.getByTestId('problem-rule').textContent()).resolves.toMatch(documents.rule);
      await screenshot(page, `07-${jurisdiction}-submission-refused`);
      for (const kind of documents.kinds) {
        await page.getByLabel('文件类型').selectOption(kind);
        await page.getByLabel(/选择文件/).setInputFiles({ name: `${kind}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4 ${kind} of ${state.projectId}`) });
        await page.getByRole('button', { name: '上传', exact: true }).click();
        await page.getByRole('cell', { name: `${kind}.pdf` }).waitFor();
      }
      for (const kind of documents.kinds) await submission.getByLabel(`${kind}.pdf`).check();
      await submission.getByRole('button', { name: '提交' }).click();
      await expectAccepted(page, '已提交。');
      await signOut(page);
      state = await driveUntil(context.env, handle, (s) => s.pending?.kind === 'review');
    }
    const pending = state.pending!;
    const reviewer: TestCaller = pending.role === 'unit' ? caller : (pending.role as Role);

    await signIn(page, suite.origin, reviewer);
    // Ji'an's approval sets the date the project is to be accepted by (004 §16).
    await approveFromInbox(page, state.projectId, pending.stage, acceptanceDueBy);
    await screenshot(page, `08-${jurisdiction}-approved-${pending.stage}`);
    expectCleanConsole(consoleProblems, documents ? [422] : []);
  });

  it("shows the review office the annual plan with its enrolled proposal (001 §5), the big data centre a Ji'an cloud application to approve (004 cloud §11), and the Suqian monitoring (002 (二))", async () => {
    const { page, consoleProblems } = await openTab(suite.browser);
    // A Yiyang annual-plan proposal, enrolled in its plan year's plan.
    const enrolled = await startProject(context.env, { name: '益阳市年度计划项目' });
    const inPlan = await driveUntil(context.env, enrolled, (s) => s.pending?.kind === 'plan');
    await signIn(page, suite.origin, 'reviewOffice');
    await page.getByRole('link', { name: '年度计划', exact: true }).click();
    await page.getByLabel('地区').selectOption('yiyang');
    await page.getByLabel('计划年度').fill(String(inPlan.planYear));
    await page.getByTestId(`plan-proposal-${inPlan.projectId}`).waitFor();
    await screenshot(page, '11-annual-plan');

    // Suqian: the review office registers a stock system straight into operation with its health endpoint
    // (002 (一)) in the registration form; the monitoring page lists it for its monthly checks (002 (二)).
    const stock = aProposal({ jurisdiction: 'suqian', unit: SUQIAN_UNIT, name: '宿迁市民政存量系统' });
    await page.getByRole('link', { name: '申报项目', exact: true }).click();
    await page.getByLabel('项目编号').fill(stock.projectId);
    await page.getByLabel('项目名称').fill(stock.name);
    await page.getByLabel('建设单位').selectOption(SUQIAN_UNIT);
    await page.getByLabel('投资估算（元）').fill('500000');
    await page.getByLabel('资金来源').fill(stock.fundingSource);
    await page.getByRole('checkbox', { name: '存量系统' }).check();
    await page.getByRole('button', { name: '提交申报' }).click();
    await expect(page.getByTestId('error-healthEndpoint').textContent()).resolves.toMatch(/^002 \(二\): /);
    await page.getByLabel(/系统健康检查地址/).fill('http://127.0.0.1:9/health');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.locator('[data-testid="project-stage"][data-stage="operations"]').waitFor();
    await page.getByRole('link', { name: '运行监测', exact: true }).click();
    await reloadUntilVisible(page, `monitoring-${stock.projectId}`, ['monitoring-systems', 'monitoring-empty']);
    await screenshot(page, '12-monitoring');
    await signOut(page);

    // Ji'an: a unit's cloud application, decided by the big data centre on the cloud page.
    const resourceId = `CLOUD-${Date.now().toString(36)}`;
    const applied = await fetch(`${suite.origin}/cloud-resources`, {
      method: 'POST',
      headers: { Authorization: bearer('jianUnit'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ resourceId, jurisdiction: 'jian', systemName: '吉安市一网通办平台', resources: { vcpu: 8, memoryGiB: 32, storageGiB: 500 } }),
    });
    expect(applied.status).toBe(201);
    await signIn(page, suite.origin, 'bigDataCentre');
    await page.getByRole('link', { name: '政务云资源', exact: true }).click();
    await reloadUntilVisible(page, `cloud-row-${resourceId}`, ['cloud-resources', 'cloud-empty']);
    await page.getByTestId(`cloud-row-${resourceId}`).getByRole('link').first().click();
    const decision = page.getByTestId('cloud-decision');
    await decision.getByRole('radio', { name: '批准' }).check();
    await decision.getByRole('button', { name: '提交审核决定' }).click();
    await page.getByTestId('cloud-notice').waitFor();
    await page.locator('[data-testid="cloud-stage"]:not([data-stage="review"])').waitFor();
    await screenshot(page, '13-cloud-resources');
    expectCleanConsole(consoleProblems);
  });
});
