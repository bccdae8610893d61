import type { Actor } from '../../domain/lifecycle';
import type { CloudApplication, CloudEvent, CloudResourceState } from '../../domain/cloud';
import { profileByVersion } from '../../domain/policy';
import type { CloudPolicy } from '../../domain/policy/profile';
import type { NotificationRequest } from '../../activities/notifications/outbox';

/** What survives continue-as-new while a resource is in service. */
export interface ContinuedCloudResource {
  state: CloudResourceState;
  sequence: number;
}

export interface CloudResourceInput {
  application: CloudApplication;
  /** Who applied (a city unit, or the county government for one of its units); the API sets it from the token. */
  applicant: Actor;
  /** The policy profile version in force at the application; it governs the resource for life. */
  profileVersion: string;
  continued?: ContinuedCloudResource;
  /** History length at which an idle resource in service continues as new (tests set it low). */
  maxHistoryEvents?: number;
}

/**
 * What the pure step functions (./steps.ts) write to: the state, and the events and notices not yet
 * recorded. Event keys are `${resourceId}:${sequence}`, so a retried recording writes each once.
 */
export interface CloudLedger {
  state: CloudResourceState;
  policy: CloudPolicy;
  sequence: number;
  events: CloudEvent[];
  notices: NotificationRequest[];
}

/** One run of a resource's workflow: the ledger, plus what its handlers and its loop share. */
export interface CloudRun extends CloudLedger {
  input: CloudResourceInput;
  /** The last update applied, and the last one whose events are recorded (its handler then answers). */
  lastApplied: number;
  recordedThrough: number;
  /** Something changed that the loop has not recorded yet. */
  dirty: boolean;
  calendarChanged: boolean;
  /** The sequence this run began with: a run that has done nothing does not continue as new. */
  startSequence: number;
  /** The stage last written to the CloudStage search attribute, and the row last recorded. */
  searchStage?: string;
  lastRecord?: string;
}

export function policyOf(profileVersion: string): CloudPolicy {
  const profile = profileByVersion(profileVersion);
  if (!profile.cloud) throw new Error(`${profile.version} (seed ${profile.seed}) has no government cloud measures`);
  return profile.cloud;
}

export function initialCloudState(input: CloudResourceInput, appliedAt: string): CloudResourceState {
  const { application, applicant } = input;
  return {
    resourceId: application.resourceId,
    jurisdiction: application.jurisdiction,
    profileVersion: input.profileVersion,
    systemName: application.systemName,
    unit: application.unit,
    county: application.county,
    applicant: { id: applicant.id, role: applicant.role, ...(applicant.role !== 'unit' && applicant.unit ? { unit: applicant.unit } : {}) },
    projectId: application.projectId ?? null,
    purpose: application.purpose ?? null,
    stage: 'review',
    status: 'active',
    outcome: null,
    requested: application.resources,
    sized: null,
    experts: [],
    allocated: null,
    letter: null,
    steps: { applied: appliedAt },
    fallback: null,
    resize: null,
    resizes: [],
    exit: null,
    clocks: [],
    dues: {},
    pending: [],
    timeline: [],
  };
}
