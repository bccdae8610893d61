import { patched, sleep, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The same change, guarded as the change procedure requires: old histories take the old path. */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        if (patched('initial-timer')) await sleep('1 second');
        return next(input);
      },
    },
  ],
});
