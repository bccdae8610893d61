/**
 * A validator's refusal as data: what kind of "no" it is, the rule it enforces, the field it concerns.
 * The kind, not the wording, decides the HTTP status (api/temporal-problems.ts): rewording a message
 * never changes the API's contract.
 *  - forbidden: the actor may not do this (403);
 *  - conflict: not at this moment — wrong stage, already done, ended (409);
 *  - rule: the request breaks a rule and can be corrected (422).
 */
export type RefusalKind = 'forbidden' | 'conflict' | 'rule';

export interface Refusal {
  kind: RefusalKind;
  rule: string;
  message: string;
  field?: string;
}

/** The rule of refusals about the order of steps rather than any article. */
export const LIFECYCLE = 'lifecycle';

/** Thrown inside a pure validator and caught at its boundary (`checked`), so validators read top-down. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export function refuse(kind: RefusalKind, rule: string, message: string, field?: string): never {
  throw new Refused({ kind, rule, message, ...(field !== undefined ? { field } : {}) });
}

/** Runs a validator written with `refuse`: its refusal, or null when it accepts. */
export function checked(validate: () => void): Refusal | null {
  try {
    validate();
    return null;
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}
