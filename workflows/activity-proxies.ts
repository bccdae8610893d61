import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/**
 * The activities as the workflows call them. Storage and calendar outages are waited out, not failed:
 * a lost write would be a lost decision or payment record. Bad input fails at once (non-retryable,
 * see activities/index.ts).
 */
export const act = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
