import { sleep } from '@temporalio/workflow';

export interface TimerOutcome {
  /** The waking workflow task's time (workflow Date.now()) minus the due time, in ms: the lateness users see. */
  lateMs: number;
  /** How long the workflow asked to sleep, in ms; at most 0 means it was started after the due time (not a valid sample). */
  askedMs: number;
}

/**
 * bench/idle-fleet.ts: sleeps until the absolute epoch ms `dueAt`, then reports how late it woke. In a
 * workflow Date.now() is the time of the workflow task being processed, so `lateMs` is that task's time
 * minus the due time.
 */
export async function TimerWorkflow(dueAt: number): Promise<TimerOutcome> {
  const askedMs = dueAt - Date.now();
  await sleep(Math.max(1, askedMs));
  return { lateMs: Date.now() - dueAt, askedMs };
}
