import { upsertSearchAttributes } from '@temporalio/workflow';
import { cloudRecordOf, type CloudClock } from '../../domain/cloud';
import { act } from '../activity-proxies';
import { cloudStageKey } from '../search-attributes';
import { pendingActions } from './pending';
import type { CloudRun } from './run';
import { announce, windowOf } from './steps';

/**
 * The recorder: brings what the steps changed into the system of record. Working-day periods get their
 * due dates from the calendar activity (a paused review clock its remaining days), the CloudStage search
 * attribute follows the stage, and one activity writes the row, the events and the notices — keyed, so
 * a retried activity writes each once. An update's handler answers once its step is recorded.
 */
export async function settle(run: CloudRun): Promise<void> {
  const { state, policy } = run;
  while (run.dirty) {
    run.dirty = false;
    const through = run.lastApplied;
    if (run.calendarChanged) {
      // Published calendar data: provisional due dates are computed again.
      run.calendarChanged = false;
      for (const clock of state.clocks) {
        if (clock.due?.provisional && !clock.ended && clock.workingDays !== null) clock.due = null;
      }
    }
    for (const clock of [...state.clocks]) await resolve(run, clock);
    windowOf(state);
    state.pending = pendingActions(state, policy);
    if (state.stage !== run.searchStage) {
      upsertSearchAttributes([{ key: cloudStageKey, value: state.stage }]);
      run.searchStage = state.stage;
    }
    const resource = cloudRecordOf(state, new Date().toISOString());
    const snapshot = JSON.stringify({ ...resource, updatedAt: undefined });
    const events = run.events.splice(0);
    const notifications = run.notices.splice(0);
    if (events.length > 0 || notifications.length > 0 || snapshot !== run.lastRecord) {
      await act.recordCloudTransition({ resource, events, notifications });
      run.lastRecord = snapshot;
    }
    run.recordedThrough = Math.max(run.recordedThrough, through);
  }
}

/** A clock's due date from the calendar: at its opening, after a revision (resumed or restarted per the policy), or after calendar data changed. */
async function resolve(run: CloudRun, clock: CloudClock): Promise<void> {
  const { policy } = run;
  if (clock.pausedAt && clock.resumedAt) {
    const { workingDays, onRevision } = policy.review.clock;
    const { pausedAt, resumedAt } = clock;
    const remaining = onRevision === 'pause'
      ? Math.max(0, (clock.workingDays ?? workingDays) - (await act.workingDaysBetween({ from: clock.from, to: pausedAt })))
      : workingDays;
    // Another revision request (or its answer) came while the calendar was asked: the next pass takes it.
    if (clock.pausedAt !== pausedAt || clock.resumedAt !== resumedAt) return;
    clock.from = clock.resumedAt;
    clock.workingDays = remaining;
    clock.due = null;
    clock.reminded = false;
    clock.ended = false;
    clock.announced = false;
    delete clock.pausedAt;
    delete clock.resumedAt;
  }
  if (clock.pausedAt || clock.due !== null || clock.workingDays === null) return;
  const from = clock.from;
  const due = await act.workingDayDeadline({ from, workingDays: clock.workingDays });
  // The step may have been taken meanwhile (the clock closed) or the clock restarted: keep what is current.
  if (!run.state.clocks.includes(clock) || clock.from !== from || clock.due !== null) return;
  clock.due = due;
  if (!clock.announced) announce(run, clock);
  else run.state.dues[clock.id] = due.date;
}
