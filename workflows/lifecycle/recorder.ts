import { upsertSearchAttributes } from '@temporalio/workflow';
import type { Deadline } from '../../activities/calendar/activities';
import type { MessageKind } from '../../activities/notifications/messages';
import type { NotificationRequest } from '../../activities/notifications/outbox';
import type { Transition } from '../../activities/transitions';
import { roleLabels, stageLabels } from '../../domain/labels';
import type { ProjectState, TimelineItem } from '../../domain/lifecycle';
import type { ProjectStage } from '../../domain/project';
import type { DocumentRef, Role, StageEvent } from '../../domain/records';
import { act } from '../activity-proxies';
import { projectStageKey } from '../search-attributes';
import type { LifecycleRun } from './run';

/**
 * The recorder: what a project says happened. Each event goes onto the project's timeline (its query
 * state) and, through the transition activity, into the system of record and the notification outbox,
 * keyed by the run's sequence so a retried activity writes it once.
 */

export const nowIso = (): string => new Date().toISOString();

export function event(run: LifecycleRun, stage: ProjectStage, kind: TimelineItem['kind'], extra: Partial<TimelineItem> = {}): StageEvent {
  const item: TimelineItem = { at: nowIso(), stage, kind, ...extra };
  run.state.timeline.push(item);
  run.sequence += 1;
  return {
    eventKey: `${run.state.projectId}:${run.sequence}`,
    projectId: run.state.projectId,
    stage,
    kind,
    actorId: item.actorId,
    actorRole: item.actorRole,
    decision: item.decision,
    reasons: item.reasons ?? [],
    rule: item.rule,
    occurredAt: item.at,
  };
}

export function notice(
  run: LifecycleRun,
  kind: MessageKind,
  role: Role,
  extra: Partial<NotificationRequest['params']> = {},
): NotificationRequest {
  const { state } = run;
  return {
    key: `${state.projectId}:${run.sequence}:${kind}:${role}`,
    kind,
    recipientRole: role,
    unit: role === 'unit' ? state.unit : null,
    params: { projectId: state.projectId, projectName: state.name, stage: stageLabels[state.stage], actor: roleLabels[role], ...extra },
  };
}

/** Moves the project into a stage: the Temporal UI's ProjectStage follows. */
export function enter(run: LifecycleRun, stage: ProjectStage, rule: string): StageEvent {
  run.state.stage = stage;
  upsertSearchAttributes([{ key: projectStageKey, value: stage }]);
  return event(run, stage, 'entered', { rule });
}

export const deadlineFields = (deadline: Deadline | null) =>
  deadline ? { dueDate: deadline.date, dueAt: deadline.endsAt, provisional: deadline.provisional } : {};

/** Ends the project at an end stage (filed, rejected, terminated, …) with its reason and rule; the unit is told. */
export async function end(run: LifecycleRun, stage: ProjectStage, reason: string, rule: string, extra: Transition = {}): Promise<ProjectState> {
  const { state } = run;
  state.pending = null;
  const entered = enter(run, stage, rule);
  state.status = 'ended';
  state.outcome = { stage, reason, rule };
  await act.recordTransition({
    ...extra,
    events: [...(extra.events ?? []), entered],
    notifications: [...(extra.notifications ?? []), notice(run, 'decisionRecorded', 'unit', { decision: stageLabels[stage], reasons: [reason], rule })],
  });
  return state;
}

/**
 * Documents handed in with a submission join the project's dossier (004 §9(3), §16); the timeline names
 * each by kind, id and content hash. Returns those timeline reasons.
 */
export function handIn(run: LifecycleRun, documents: readonly DocumentRef[] | undefined): string[] {
  const handed = documents ?? [];
  run.state.documents.push(...handed.map((document) => ({ ...document, stage: run.state.stage })));
  return handed.map((document) => `document ${document.kind} ${document.documentId} sha256:${document.sha256}`);
}
