import { ApplicationFailure } from '@temporalio/workflow';

/**
 * An update validator's refusal: the message starts with the rule, and the details carry the rule and
 * the field, which the API turns into 403 / 409 / 422 problems (api/temporal-problems.ts).
 */
export function refusal(rule: string, message: string, field?: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'Refused', message: `${rule}: ${message}`, details: [{ rule, field }], nonRetryable: true });
}
