import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bearer, testApp, type TestCaller } from './api';
import { endStartedProjects } from './lifecycle';
import type { WorkflowTestContext } from './workflow-context';

/** Where the end-to-end tests keep their screenshots (a CI artifact; not committed). */
export const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'console');

/**
 * Debian's Chromium, headless, driven by playwright-core (scripts/obtain-chromium.sh installs it;
 * Playwright's own browser download does not work offline). The background-networking switches keep
 * it from calling Google's services, which this machine's closed network refuses.
 */
function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`No Chromium at ${executablePath}: run the tests with \`npm test\` (scripts/obtain-chromium.sh installs it)`);
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A console suite's browser and the production app listening on loopback for it, set up in beforeAll
 * and torn down in afterAll (with the projects the suite started).
 */
export function useConsole(context: WorkflowTestContext): { browser: Browser; origin: string } {
  const suite = {} as { browser: Browser; origin: string };
  let server: Server | undefined;
  beforeAll(async () => {
    suite.browser = await launchChromium();
    ({ origin: suite.origin, server } = await listen(testApp(context.env.client, context.storage)));
  });
  afterAll(async () => {
    await suite.browser?.close();
    server?.close();
    await endStartedProjects(context.env.client);
  });
  return suite;
}

/** The production app listening on loopback, as npm start serves it (console included). */
async function listen(app: Express): Promise<{ origin: string; server: Server }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * A browser tab at 1366×768 (the smallest screen the console is built for) that records every console
 * error and warning and every uncaught page error: a test ends by expecting none.
 */
export async function openTab(browser: Browser, language: 'zh-CN' | 'en' = 'zh-CN'): Promise<{ page: Page; consoleProblems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: language });
  const page = await context.newPage();
  const consoleProblems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleProblems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleProblems.push(`page error: ${error.message}`));
  return { page, consoleProblems };
}

/** Signs in on the console's sign-in page with a test caller's token, by keyboard: type it, press Enter. */
export async function signIn(page: Page, origin: string, caller: TestCaller): Promise<void> {
  await page.goto(`${origin}/console/`);
  await page.getByLabel(/访问令牌|Access token/).fill(bearer(caller).slice('Bearer '.length));
  await page.keyboard.press('Enter');
  await page.getByTestId('who').waitFor();
}

/** Signs out (the tab keeps its language). */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /退出|Sign out/ }).click();
  await page.getByLabel(/访问令牌|Access token/).waitFor();
}

/** A screenshot kept as a test artifact, named for what it shows: the whole page, or what a 1366×768 screen shows. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * The tab's console stayed clean: nothing but the browser's own network log of the refusals the test
 * provoked on purpose (Chromium logs every 4xx answer as "Failed to load resource"), in order.
 */
export function expectCleanConsole(consoleProblems: string[], provokedRefusals: number[] = []): void {
  const refusal = /^error: Failed to load resource: the server responded with a status of (\d{3})\b/;
  // Anything else stays as its text, so a failure shows what the page logged.
  expect(consoleProblems.map((line) => (refusal.test(line) ? Number(refusal.exec(line)![1]) : line))).toEqual(provokedRefusals);
}
