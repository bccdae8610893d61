import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';

/**
 * An update's input inside its handler. The validator refused what breaks today's rules before the
 * update was accepted; the handler runs again on every replay, with inputs that older validators
 * accepted — text rules tightened since (a tab in a name, a zero-width space) must not make a running
 * project's replay throw. So the handler takes the schema's reading when it has one (defaults,
 * normalised text), and otherwise the input as it was recorded.
 */
export function acceptedInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : (raw as z.infer<S>);
}

/**
 * An update validator's refusal: the message starts with the rule, and the details carry the rule and
 * the field, which the API turns into 403 / 409 / 422 problems (api/temporal-problems.ts).
 */
export function refusal(rule: string, message: string, field?: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'Refused', message: `${rule}: ${message}`, details: [{ rule, field }], nonRetryable: true });
}
