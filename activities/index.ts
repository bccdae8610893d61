import { ApplicationFailure } from '@temporalio/common';
import { DEFAULT_HEALTH_CHECK_TIMEOUT_MS } from '../config';
import { ZodError } from 'zod';
import type { Client } from '@temporalio/client';
import { createCalendarActivities } from './calendar/activities';
import { createCloudTransitionActivity } from './cloud';
import { createPlanEnrolmentActivity } from './annual-plan';
import { createHealthCheckActivity, createMonthlyCheckActivity } from './monitoring';
import { createTransitionActivity } from './transitions';
import type { StorageHandle } from './storage/database';
import { ConflictingWriteError, createStore } from './storage/store';

export interface ActivityDependencies {
  storage: StorageHandle;
  /** For activities that start or signal other workflows (annual-plan enrolment). */
  temporal: { client: Client; taskQueue: string };
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** The monitoring of systems in operation: how long a health endpoint has to answer (default 10 s). */
  monitoring?: { healthCheckTimeoutMs: number };
}

/**
 * Input that can never succeed (a schema violation, a conflicting write) fails the activity for good
 * instead of being retried for ever; anything else (a database that is down) is retried by Temporal.
 */
function nonRetryableOnBadInput<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      if (error instanceof ZodError || error instanceof ConflictingWriteError) {
        throw ApplicationFailure.nonRetryable(`${name}: ${error.message}`, error instanceof ZodError ? 'InvalidRecord' : 'ConflictingWrite');
      }
      throw error;
    }
  };
}

function guardAll<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [name, nonRetryableOnBadInput(name, fn as (...args: unknown[]) => Promise<unknown>)]),
  ) as unknown as T;
}

/** The activities the workflows call, built from their dependencies (samples-typescript idiom). */
export function createActivities({ storage, temporal, now = () => new Date(), monitoring = { healthCheckTimeoutMs: DEFAULT_HEALTH_CHECK_TIMEOUT_MS } }: ActivityDependencies) {
  const store = createStore(storage);
  return guardAll({
    registerProjectRecord: store.registerProject,
    recordTransition: createTransitionActivity(store, storage.db, now, temporal.client),
    recordCloudTransition: createCloudTransitionActivity(store, storage.db, now),
    releaseTranche: store.releaseTranche,
    enrolInAnnualPlan: createPlanEnrolmentActivity(temporal.client, temporal.taskQueue),
    checkHealth: createHealthCheckActivity({ timeoutMs: monitoring.healthCheckTimeoutMs }),
    signalMonthlyChecks: createMonthlyCheckActivity(store, temporal.client),
    ...createCalendarActivities(storage.db),
  });
}

export type Activities = ReturnType<typeof createActivities>;
