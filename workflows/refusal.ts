import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Refusal } from '../domain/refusal';

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
 * An update validator's refusal as Temporal carries it: the message starts with the rule, and the
 * details carry the kind, rule and field, which the API turns into a 403 / 409 / 422 problem
 * (api/temporal-problems.ts).
 */
export function refusalFailure(refusal: Refusal): ApplicationFailure {
  const { kind, rule, field, message } = refusal;
  return ApplicationFailure.create({ type: 'Refused', message: `${rule}: ${message}`, details: [{ kind, rule, field }], nonRetryable: true });
}

/** In an update validator: throws the pure validator's refusal, if it has one. */
export function enforce(refusal: Refusal | null): void {
  if (refusal) throw refusalFailure(refusal);
}

/** A refusal for a validator written inline (the plan's and the retention's): throw what this returns. */
export function refused(kind: Refusal['kind'], rule: string, message: string, field?: string): ApplicationFailure {
  return refusalFailure({ kind, rule, message, ...(field !== undefined ? { field } : {}) });
}
