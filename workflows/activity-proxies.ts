import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/**
 * The activities as the workflows call them. Storage and calendar outages are waited out, not failed:
 * a lost write would be a lost decision or payment record. Bad input fails at once (non-retryable,
 * see activities/index.ts).
 */
export const act = proxyActivities<Activities>({
  // Every activity is a few database writes or a calendar computation: 30 s is ample, and it bounds
  // how long an attempt lost with a crashed worker or server waits before it is retried.
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
