import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workflowBundlerOptions, workflowsPath } from '../../worker/workflow-bundle';

/** Bundles the workflow code once per test run; every suite's worker loads the same bundle. */
export default async function globalSetup(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    ...workflowBundlerOptions,
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error },
  });
  const path = join(mkdtempSync(join(tmpdir(), 'zhengwu-bundle-')), 'workflow-bundle.js');
  writeFileSync(path, code);
  process.env.ZHENGWU_WORKFLOW_BUNDLE = path;
}
