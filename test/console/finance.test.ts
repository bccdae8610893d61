import { readFileSync } from 'node:fs';
import type { RetentionState } from '../../domain/lifecycle';
import { retentionStateQuery } from '../../workflows/messages';
import type { RetentionRelease } from '../../workflows/retention';
import { expectCleanConsole, openTab, screenshot, signIn, useConsole } from '../helpers/console';
import { driveUntil, eventually, startProject } from '../helpers/lifecycle';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * Finance in the console, on the time-skipping test server: an accepted project's retention (001 §19:
 * 15% withheld, released 5% a year after acceptance) is on the dashboard as scheduled; a year passes,
 * the first tranche becomes payable, and finance records its release with the voucher.
 */
const context = useWorkflowEnvironment('timeSkipping');
const suite = useConsole(context);

const DAY = 86_400_000;

describe('the finance dashboard in Chromium', () => {
  it('shows the retention of an accepted project as scheduled, as payable once its year has passed, and records its release with the voucher (001 §19)', async () => {
    const handle = await startProject(context.env, { investmentFen: 400 * 1_000_000, name: '益阳市财政一体化平台' });
    const accepted = await driveUntil(context.env, handle, (s) => s.stage === 'operations');
    const retention = context.env.client.workflow.getHandle<typeof RetentionRelease>(accepted.retentionWorkflowId!);
    const scheduled: RetentionState = await eventually(() => retention.query(retentionStateQuery), (r) => r.tranches.length === 3, 'the retention schedule', 30_000);
    const contractId = scheduled.contractId;
    const first = (status: string) => `[data-testid="tranche-${contractId}-1"][data-status="${status}"]`;

    const { page, consoleProblems } = await openTab(suite.browser);
    await signIn(page, suite.origin, 'finance');
    await page.getByRole('link', { name: '财务看板' }).click();
    // The ledger is written by the retention workflow's first activity: reload until it is there.
    await eventually(async () => {
      await page.reload();
      await page.getByTestId('total-withheld').waitFor();
      return page.locator(first('scheduled')).count();
    }, (count) => count === 1, 'tranche 1 scheduled on the dashboard', 60_000);
    await expect(page.getByTestId(`tranche-${contractId}-1`).getByRole('button', { name: /登记支付/ }).count()).resolves.toBe(0);
    // 001 §19: 15% of the 3,000,000-yuan contract withheld (45,000,000 fen), nothing released yet.
    await expect(page.getByTestId('total-withheld').getAttribute('data-fen')).resolves.toBe(String(scheduled.withheldFen));
    await expect(page.getByTestId('total-released').getAttribute('data-fen')).resolves.toBe('0');
    await screenshot(page, '20-finance-scheduled');

    // The first year after acceptance passes on the server.
    await context.env.sleep(Date.parse(`${scheduled.tranches[0]!.dueDate}T00:00:00+08:00`) - (await context.env.currentTimeMs()) + DAY);
    await eventually(async () => {
      await page.reload();
      await page.getByTestId('total-withheld').waitFor();
      return page.locator(first('due')).count();
    }, (count) => count === 1, 'tranche 1 payable on the dashboard', 60_000);
    await screenshot(page, '21-finance-dashboard');

    // Finance records the release with its voucher, by keyboard from the voucher field.
    const row = page.getByTestId(`tranche-${contractId}-1`);
    await row.getByRole('button', { name: /登记支付/ }).click();
    await page.getByLabel('支付凭证号').fill('PZ-2028-0001');
    await page.keyboard.press('Enter');
    await page.locator(first('released')).waitFor();
    await screenshot(page, '22-finance-released');
    const trancheFen = scheduled.tranches[0]!.amountFen;
    await page.locator(`[data-testid="total-released"][data-fen="${trancheFen}"]`).waitFor();
    await expect(page.getByTestId('total-withheld').getAttribute('data-fen')).resolves.toBe(String(scheduled.withheldFen - trancheFen));

    // The CSV export of the range on screen: the released tranche with its voucher.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain(contractId);
    expect(csv).toContain('PZ-2028-0001');

    // The project's page: its whole life to O&M — acceptance, then the tranches ahead with the one released.
    await page.getByRole('link', { name: accepted.projectId }).first().click();
    await page.getByTestId('stage-lane').getByText(/ · 已支付$/).first().waitFor();
    await screenshot(page, '23-project-in-operations');
    await screenshot(page, '23-project-in-operations-screen', { fullPage: false });
    const released = await retention.query(retentionStateQuery);
    expect(released.tranches[0]).toMatchObject({ status: 'released', voucherRef: 'PZ-2028-0001' });
    expectCleanConsole(consoleProblems);
  });
});
