import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import type { CloudRun } from './run';
import { until } from '../timing';
import { settle } from './recorder';
import { fireClock, nextClockMoment } from './steps';

/** Beyond this many events an idle resource in service continues as new (Temporal's suggestion may come first). */
export const DEFAULT_MAX_HISTORY_EVENTS = 2_000;

/**
 * The resource's loop. Steps change the state in the update handlers (./handlers.ts); the loop records
 * them (./recorder.ts) and runs the periods: at each clock's moment a reminder, a breach with escalation,
 * the forced exit of a system not cut over in time, the end of the fallback period or of the migration
 * window. It returns when the resource has ended, or — idle in service, where a resource may stay for
 * years — when the run's history should be carried into a new run.
 */
export async function runCloudResource(run: CloudRun): Promise<'ended' | 'continue'> {
  const { state } = run;
  const maxEvents = run.input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  for (;;) {
    await settle(run);
    if (state.status !== 'active') {
      await condition(allHandlersFinished);
      return 'ended';
    }
    const info = workflowInfo();
    if (state.stage === 'inService' && run.sequence > run.startSequence && (info.continueAsNewSuggested || info.historyLength >= maxEvents)) {
      // Every handler must have answered before the run closes; a step arriving meanwhile is recorded first.
      await condition(() => allHandlersFinished() || run.dirty || run.calendarChanged);
      if (run.calendarChanged) run.dirty = true;
      if (!run.dirty) return 'continue';
      continue;
    }
    const next = nextClockMoment(state);
    await until(() => run.dirty || run.calendarChanged, next?.at);
    if (run.calendarChanged) run.dirty = true;
    // Every clock whose moment has come acts, in order (a step may have closed it meanwhile).
    for (let due = nextClockMoment(state); due && due.at <= Date.now(); due = nextClockMoment(state)) {
      fireClock(run, due.clock, due.phase, new Date());
      run.dirty = true;
    }
  }
}
