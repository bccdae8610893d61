import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowBundlerOptions, workflowsPath } from '../../worker/workflow-bundle';
import { patches } from '../../workflows/patches';
import '../helpers/temporal'; // quiet runtime logger

/**
 * Code that outlives its deployments: every committed history (test/histories/<release>/) must replay
 * on today's workflow code. A change of workflow logic that alters commands without patched() fails
 * here before it can break a project that has been running for years.
 */
const { History } = temporal.api.history.v1;
const root = join(__dirname, '..', 'histories');
const corpus = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((release) =>
    readdirSync(join(root, release.name))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({ name: `${release.name}/${file}`, history: History.fromObject(JSON.parse(readFileSync(join(root, release.name, file), 'utf8'))) })),
  );

async function replayAll(workflowBundle: { code: string }) {
  const failures: string[] = [];
  const histories = corpus.map(({ name, history }) => ({ workflowId: name, history }));
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.name}`);
  }
  return failures;
}

const bundle = (interceptorModule?: string) =>
  bundleWorkflowCode({
    workflowsPath,
    ...workflowBundlerOptions,
    workflowInterceptorModules: interceptorModule ? [require.resolve(interceptorModule)] : [],
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error },
  });

describe('replay of committed histories', () => {
  it('has a corpus covering every workflow type', () => {
    const types = new Set(corpus.map(({ history }) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name));
    expect([...types].sort()).toEqual(['AnnualPlan', 'CloudResource', 'MonthlyMonitoring', 'ProjectLifecycle', 'RetentionRelease']);
    expect(corpus.length).toBeGreaterThanOrEqual(5);
  });

  it('holds, for every released patch, a history that took its new path', () => {
    const recorded = new Set(corpus.flatMap(({ history }) =>
      (history.events ?? []).flatMap((event) => {
        const marker = event.markerRecordedEventAttributes;
        if (marker?.markerName !== 'core_patch') return [];
        const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
        return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
      })));
    // (A retired patch leaves workflows/patches.ts but its histories stay: only this direction must hold.)
    expect([...recorded]).toEqual(expect.arrayContaining(Object.values(patches)));
  });

  it('replays every history on the current workflow code', async () => {
    const workflowBundle = process.env.ZHENGWU_WORKFLOW_BUNDLE
      ? { code: readFileSync(process.env.ZHENGWU_WORKFLOW_BUNDLE, 'utf8') }
      : await bundle();
    expect(await replayAll(workflowBundle)).toEqual([]);
  });

  it('catches an unguarded change of workflow logic', async () => {
    const failures = await replayAll(await bundle('./unguarded-change'));
    expect(failures).toHaveLength(corpus.length);
    expect(failures.every((failure) => /DeterminismViolationError/.test(failure))).toBe(true);
  });

  it('accepts the same change guarded by patched()', async () => {
    expect(await replayAll(await bundle('./guarded-change'))).toEqual([]);
  });
});
