/**
 * Ids of the released changes to workflow logic, for patched() (README, "Changing workflow code").
 * A project that was already running when a change shipped replays its history without the change;
 * once no such run is open, the branch becomes deprecatePatch() and then goes.
 */
export const patches = {
  /** v0.3.0: a timer announces the end of the trial run to the unit (001 §26(2), 000 §12). */
  trialRunCompleteNotice: 'trial-run-complete-notice',
} as const;
