/**
 * Ids of the released changes to workflow logic, for patched() (README, "Changing workflow code").
 * A project that was already running when a change shipped replays its history without the change;
 * once no such run is open, the branch becomes deprecatePatch() and then goes.
 */
export const patches = {
  /** v0.3.0: a timer announces the end of the trial run to the unit (001 §26(2), 000 §12). */
  trialRunCompleteNotice: 'trial-run-complete-notice',
  /**
   * v0.4.0, at a failed acceptance: the rectification date is the deciding body's (001 §28), the
   * acceptance clock resumes with the days left instead of restarting (001 §26(2)), and where the seed
   * has no forfeiture (000) a missed rectification date is a breach, not the end of the project.
   */
  acceptanceRectification: 'acceptance-rectification-v0.4.0',
  /**
   * v0.4.0, at a missed rectification date of a project whose rectification began before v0.4.0:
   * where the seed has no forfeiture (000) the miss is a breach, not the end of the project.
   */
  noForfeitureWhereSeedHasNone: 'no-forfeiture-where-seed-has-none-v0.4.0',
  /** v0.4.0: an act allowed only after a period is allowed from the day after its last day (Civil Code art. 201–202). */
  allowedFromDayAfterPeriod: 'allowed-from-day-after-period-v0.4.0',
} as const;
