import { sleep, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * A deliberate, unguarded change of workflow logic for the replay suite: every workflow now starts
 * with a timer. Deployed without patched(), it would break every running project on replay — the
 * replay corpus must catch it.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        await sleep('1 second');
        return next(input);
      },
    },
  ],
});
