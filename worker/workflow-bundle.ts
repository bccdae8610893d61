import type { BundleOptions } from '@temporalio/worker';

/**
 * How the workflow code is bundled — the same for the production worker, the tests, the replay corpus
 * and the benchmark.
 *
 * The worker runs every workflow in one shared V8 context, but each workflow gets its own module cache:
 * a module is evaluated again on the first task of every workflow that imports it. The domain modules
 * build hundreds of zod schemas and five policy profiles at module scope, so that was most of a new
 * workflow's first task (about 180 ms on this machine) and of what each cached workflow holds in memory
 * (issue 16; figures in bench/results). They hold no per-workflow state — data, schemas and pure
 * functions only — so they are preloaded once into the shared context by workflows/shared-modules.ts.
 * Workflow modules (proxies, handlers, state) are never preloaded: they belong to one workflow.
 */
export const workflowBundlerOptions: Pick<BundleOptions, 'preloadModules'> = {
  // It loads every domain module in the bundle (and with them zod), and keeps zod's caches writable.
  preloadModules: [require.resolve('../workflows/shared-modules')],
};

/** The bundle's entry point: every workflow type the worker runs (../workflows/index.ts). */
export const workflowsPath = require.resolve('../workflows');
