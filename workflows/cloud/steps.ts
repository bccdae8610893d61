import type { MessageKind } from '../../activities/notifications/messages';
import type { NotificationRequest } from '../../activities/notifications/outbox';
import {
  cloudActionLabels,
  cloudStageLabels,
  cutoverStepLabels,
  type CloudAction,
  type CloudClock,
  type CloudEventKind,
  type CloudResourceState,
  type CloudStage,
  type CloudTimelineItem,
} from '../../domain/cloud';
import { roleLabels } from '../../domain/labels';
import type { Actor } from '../../domain/lifecycle';
import { correspondingDay, nextDate, startOfBusinessDate } from '../../domain/periods';
import { businessDateOf, type Role } from '../../domain/records';
import { deadlineOn } from '../timing';
import type { CloudLedger } from './run';
import { userRoles } from './validators';

/**
 * The steps of a cloud resource as pure functions of its ledger, the input and the time: each changes
 * the state at once (so the next update is validated against it), and leaves its events and notices in
 * the ledger for the loop to record (./recorder.ts). Periods are opened here as clocks; the calendar
 * gives working-day clocks their due dates when they are recorded. Every article comes from the policy.
 */

const iso = (now: Date) => now.toISOString();
const decisionLabels = { approve: '审核通过', reject: '审核未通过', requestRevision: '退回修改' } as const;

/** Puts an event on the timeline and in the ledger, keyed by the resource and its sequence. */
export function record(ledger: CloudLedger, now: Date, kind: CloudEventKind, extra: Omit<Partial<CloudTimelineItem>, 'kind'> & { rule: string }): void {
  const { state } = ledger;
  const item: CloudTimelineItem = { at: iso(now), stage: state.stage, kind, ...extra };
  state.timeline.push(item);
  ledger.sequence += 1;
  ledger.events.push({
    eventKey: `${state.resourceId}:${ledger.sequence}`,
    resourceId: state.resourceId,
    sequence: ledger.sequence,
    stage: item.stage,
    kind,
    action: item.action,
    actorId: item.actorId,
    actorRole: item.actorRole,
    decision: item.decision,
    reasons: item.reasons ?? [],
    rule: item.rule,
    occurredAt: item.at,
  });
}

const by = (actor: Actor) => ({ actorId: actor.id, actorRole: actor.role, ...(actor.requestId ? { requestId: actor.requestId } : {}) });

/** A notice to a role (to the unit: the resource's own unit), keyed by the event it follows. */
export function tell(ledger: CloudLedger, kind: MessageKind, role: Role, extra: Partial<NotificationRequest['params']> = {}): void {
  const { state } = ledger;
  ledger.notices.push({
    key: `${state.resourceId}:${ledger.sequence}:${kind}:${role}`,
    kind,
    recipientRole: role,
    unit: role === 'unit' ? state.unit : null,
    params: { projectId: state.resourceId, projectName: state.systemName, stage: cloudStageLabels[state.stage], actor: roleLabels[role], ...extra },
  });
}

function tellAll(ledger: CloudLedger, kind: MessageKind, roles: readonly Role[], extra: Partial<NotificationRequest['params']> = {}): void {
  for (const role of new Set(roles)) tell(ledger, kind, role, extra);
}

const user = (ledger: CloudLedger) => userRoles(ledger.state, ledger.policy);

export function enter(ledger: CloudLedger, now: Date, stage: CloudStage, rule: string): void {
  ledger.state.stage = stage;
  record(ledger, now, 'entered', { rule });
}

/** Ends the resource at an end stage with its reason and article; the unit side and the authority are told. */
function end(ledger: CloudLedger, now: Date, stage: 'rejected' | 'reclaimed', reason: string, rule: string): void {
  const { state } = ledger;
  state.clocks = [];
  enter(ledger, now, stage, rule);
  state.status = 'ended';
  state.outcome = { stage, reason, rule };
  tellAll(ledger, 'cloudRecorded', [...user(ledger), ledger.policy.authority], { decision: cloudStageLabels[stage], reasons: [reason], rule });
}

type ClockSpec = Pick<CloudClock, 'id' | 'roles' | 'action' | 'rule' | 'workingDays' | 'onEnd' | 'reminder'>;

/** Opens a period; a working-day one gets its due date from the calendar when it is recorded, and its roles are told then. */
function openClock(ledger: CloudLedger, now: Date, spec: ClockSpec, due: CloudClock['due'] = null): CloudClock {
  const clock: CloudClock = { ...spec, from: iso(now), due, announced: due !== null, reminded: false, ended: false };
  ledger.state.clocks = [...ledger.state.clocks.filter((c) => c.id !== spec.id), clock];
  if (due) ledger.state.dues[spec.id] = due.date;
  return clock;
}

function closeClock(ledger: CloudLedger, id: CloudClock['id']): CloudClock | undefined {
  const clock = ledger.state.clocks.find((c) => c.id === id);
  ledger.state.clocks = ledger.state.clocks.filter((c) => c.id !== id);
  return clock;
}

/** The application is made: the authority's review opens with its clock (a service target, never a decision by the clock). */
export function applied(ledger: CloudLedger, now: Date, applicant: Actor): void {
  const { state, policy } = ledger;
  record(ledger, now, 'applied', {
    ...by(applicant), action: 'apply', rule: policy.application.rule,
    reasons: [
      `requested: ${state.requested.vcpu} vCPU, ${state.requested.memoryGiB} GiB memory, ${state.requested.storageGiB} GiB storage`,
      ...(state.county ? [`for ${state.unit}, a county unit`] : []),
      ...(state.projectId ? [`project ${state.projectId}`] : []),
    ],
  });
  enter(ledger, now, 'review', policy.review.rule);
  openReviewClock(ledger, now);
}

function openReviewClock(ledger: CloudLedger, now: Date): void {
  const { policy } = ledger;
  openClock(ledger, now, {
    id: 'review', roles: [policy.authority], action: 'decide', rule: policy.review.clock.rule, workingDays: policy.review.clock.workingDays, onEnd: 'breach', reminder: true,
  });
}

function startMigration(ledger: CloudLedger, now: Date): void {
  const { policy } = ledger;
  closeClock(ledger, 'fallback');
  enter(ledger, now, 'migration', policy.exit.rule);
  openClock(ledger, now, {
    id: 'migration', roles: user(ledger), action: 'migrationComplete', rule: policy.exit.rule, workingDays: policy.exit.migrationWorkingDays, onEnd: 'windowEnd', reminder: true,
  });
}

/** Applies an accepted update (its validator passed against this very state). */
export function applyCloudAction(ledger: CloudLedger, action: CloudAction, now: Date): void {
  const { state, policy } = ledger;
  const at = iso(now);
  const actor = by(action.actor);
  switch (action.action) {
    case 'decide': {
      const { decision, reasons } = action;
      if (action.subject === 'application') {
        const { rule } = policy.review;
        record(ledger, now, 'decision', { ...actor, action: 'decide', decision, reasons, rule });
        tellAll(ledger, 'cloudRecorded', user(ledger), { decision: decisionLabels[decision], reasons, rule });
        if (decision === 'approve') {
          closeClock(ledger, 'review');
          state.steps.reviewed = at;
          enter(ledger, now, 'sizing', policy.expertSizing.rule);
          tell(ledger, 'cloudActionRequired', policy.authority, { decision: '组织专家评审，确定云资源使用量', rule: policy.expertSizing.rule });
        } else if (decision === 'reject') {
          state.steps.reviewed = at;
          end(ledger, now, 'rejected', reasons.join('; '), rule);
        } else {
          // The applicant revises; the review clock waits and then resumes or restarts per the policy.
          const clock = state.clocks.find((c) => c.id === 'review');
          if (clock) clock.pausedAt = at;
          enter(ledger, now, 'revision', rule);
          tellAll(ledger, 'cloudActionRequired', user(ledger), { decision: '按审核意见修改申请', reasons, rule });
        }
        return;
      }
      if (action.subject === 'resize') {
        const { rule } = policy.resize;
        const resize = state.resize!;
        record(ledger, now, 'decision', {
          ...actor, action: 'decide', decision, rule,
          reasons: [`resize ${resize.resizeNo} (${resize.direction})`, ...reasons, ...action.experts.map((expert) => `expert:${expert}`)],
        });
        resize.decidedAt = at;
        resize.decisionReasons = reasons;
        if (decision === 'approve') {
          resize.status = 'approved';
          resize.sized = action.resources ?? resize.requested;
          resize.experts = action.experts;
          tellAll(ledger, 'cloudRecorded', user(ledger), { decision: `第 ${resize.resizeNo} 次变更申请已通过`, reasons, rule });
          if (resize.direction === 'scaleUp') {
            // An increase follows the application's procedure, opening within the provider's period included.
            openClock(ledger, now, { id: 'resize', roles: [policy.provider], action: 'resizeApplied', rule, workingDays: policy.opening.workingDays, onEnd: 'breach', reminder: true });
          } else {
            tell(ledger, 'cloudActionRequired', policy.provider, { decision: `核减云资源（第 ${resize.resizeNo} 次变更）`, rule });
          }
        } else {
          resize.status = 'rejected';
          state.resizes.push(resize);
          state.resize = null;
          tellAll(ledger, 'cloudRecorded', user(ledger), { decision: `第 ${resize.resizeNo} 次变更申请未通过`, reasons, rule });
        }
        return;
      }
      const { rule } = policy.exit;
      record(ledger, now, 'decision', { ...actor, action: 'decide', decision, reasons: ['exit', ...reasons], rule });
      tellAll(ledger, 'cloudRecorded', user(ledger), { decision: `退出申请${decision === 'approve' ? '已通过' : '未通过'}`, reasons, rule });
      if (decision === 'approve') {
        state.exit!.approvedAt = at;
        state.steps.exitApproved = at;
        startMigration(ledger, now);
      } else {
        state.exit = null;
        enter(ledger, now, 'inService', rule);
      }
      return;
    }
    case 'revise': {
      const { rule } = policy.review;
      if (action.resources) state.requested = action.resources;
      record(ledger, now, 'action', { ...actor, action: 'revise', reasons: [...action.reasons, ...(action.resources ? ['resources revised'] : [])], rule });
      const clock = state.clocks.find((c) => c.id === 'review');
      if (clock) clock.resumedAt = at;
      else openReviewClock(ledger, now);
      enter(ledger, now, 'review', rule);
      return;
    }
    case 'size': {
      const { rule } = policy.expertSizing;
      state.sized = action.resources;
      state.experts = action.experts;
      state.steps.sized = at;
      const { vcpu, memoryGiB, storageGiB } = action.resources;
      record(ledger, now, 'decision', { ...actor, action: 'size', reasons: [`sized: ${vcpu} vCPU, ${memoryGiB} GiB memory, ${storageGiB} GiB storage`, ...action.experts.map((e) => `expert:${e}`)], rule });
      enter(ledger, now, 'responsibilityLetter', policy.responsibilityLetter.rule);
      tellAll(ledger, 'cloudActionRequired', user(ledger), { decision: '签订《政务云使用责任书》并填写《政务云资源开通情况确认表》', rule: policy.responsibilityLetter.rule });
      return;
    }
    case 'signLetter': {
      const { rule } = policy.responsibilityLetter;
      state.letter = { signedBy: action.signedBy, signedOn: action.signedOn, fileNumbers: action.fileNumbers, recordedBy: action.actor.id };
      state.steps.letterSigned = at;
      record(ledger, now, 'action', {
        ...actor, action: 'signLetter', rule,
        reasons: [`signed by ${action.signedBy} on ${action.signedOn}`, 'opening confirmation form filled in', ...action.fileNumbers.map((number) => `文号 ${number}`)],
      });
      enter(ledger, now, 'openingNotice', policy.opening.rule);
      tell(ledger, 'cloudActionRequired', policy.authority, { decision: '通知云服务商开通云资源', rule: policy.opening.rule });
      return;
    }
    case 'notifyProvider': {
      const { rule } = policy.opening;
      state.steps.providerNotified = at;
      record(ledger, now, 'action', { ...actor, action: 'notifyProvider', rule });
      enter(ledger, now, 'opening', rule);
      openClock(ledger, now, { id: 'opening', roles: [policy.provider], action: 'opened', rule, workingDays: policy.opening.workingDays, onEnd: 'breach', reminder: true });
      return;
    }
    case 'opened': {
      const { rule } = policy.opening;
      const clock = closeClock(ledger, 'opening');
      state.allocated = state.sized;
      state.steps.opened = at;
      record(ledger, now, 'action', { ...actor, action: 'opened', rule, reasons: clock?.ended ? [`late: due ${clock.due?.date}`] : [] });
      tellAll(ledger, 'cloudRecorded', [...user(ledger), policy.authority], { decision: '云资源已开通', rule });
      enter(ledger, now, 'deployment', policy.deployment.rule);
      openClock(ledger, now, {
        id: 'deployment', roles: user(ledger), action: 'cutover', rule: policy.deployment.rule, workingDays: policy.deployment.workingDays, onEnd: 'forcedExit', reminder: true,
      });
      return;
    }
    case 'cutover': {
      const { rule } = policy.deployment;
      closeClock(ledger, 'deployment');
      state.steps.cutover = at;
      record(ledger, now, 'action', { ...actor, action: 'cutover', rule, reasons: action.completed.map((step) => cutoverStepLabels[step]) });
      // The old system stays at least the fallback period; it may go from the day after its last day
      // (Civil Code art. 201–202: a cut-over on 15 March allows it from 16 June).
      const { months, rule: fallbackRule } = policy.fallback;
      const cutoverOn = businessDateOf(now);
      const keptUntil = correspondingDay(cutoverOn, months);
      const allowedFrom = nextDate(keptUntil);
      state.fallback = { cutoverOn, keptUntil, allowedFrom, allowedFromAt: startOfBusinessDate(allowedFrom), decommissionedAt: null };
      enter(ledger, now, 'inService', fallbackRule);
      openClock(
        ledger, now,
        { id: 'fallback', roles: user(ledger), action: 'fallbackDecommissioned', rule: fallbackRule, workingDays: null, onEnd: 'periodOver', reminder: false },
        deadlineOn(allowedFrom),
      );
      tellAll(ledger, 'cloudRecorded', [...user(ledger), policy.authority], { decision: `已割接上线；原信息系统保留至 ${keptUntil} 作为应急回退措施`, rule: fallbackRule });
      return;
    }
    case 'fallbackDecommissioned': {
      closeClock(ledger, 'fallback');
      state.fallback!.decommissionedAt = at;
      state.steps.fallbackDecommissioned = at;
      record(ledger, now, 'action', { ...actor, action: 'fallbackDecommissioned', rule: policy.fallback.rule });
      return;
    }
    case 'requestResize': {
      const { rule } = policy.resize;
      const resizeNo = state.resizes.length + 1;
      state.resize = {
        resizeNo, direction: action.direction, requested: action.resources, reasons: action.reasons, requestedAt: at, requestedBy: action.actor.id,
        status: 'requested', sized: null, experts: [], decisionReasons: [], decidedAt: null, appliedAt: null,
      };
      const { vcpu, memoryGiB, storageGiB } = action.resources;
      record(ledger, now, 'action', { ...actor, action: 'requestResize', rule, reasons: [`resize ${resizeNo} (${action.direction}) to ${vcpu} vCPU, ${memoryGiB} GiB memory, ${storageGiB} GiB storage`, ...action.reasons] });
      tell(ledger, 'cloudActionRequired', policy.authority, { decision: `审核第 ${resizeNo} 次变更申请（${action.direction === 'scaleUp' ? '扩容' : '减容'}）`, reasons: action.reasons, rule });
      return;
    }
    case 'resizeApplied': {
      const { rule } = policy.resize;
      const resize = state.resize!;
      const clock = closeClock(ledger, 'resize');
      resize.status = 'applied';
      resize.appliedAt = at;
      state.allocated = resize.sized;
      state.resizes.push(resize);
      state.resize = null;
      record(ledger, now, 'action', { ...actor, action: 'resizeApplied', rule, reasons: [`resize ${resize.resizeNo} (${resize.direction})`, ...(clock?.ended ? [`late: due ${clock.due?.date}`] : [])] });
      tellAll(ledger, 'cloudRecorded', user(ledger), { decision: `第 ${resize.resizeNo} 次变更已实施`, rule });
      return;
    }
    case 'requestExit': {
      const { rule } = policy.exit;
      state.exit = {
        forced: false, reasons: action.reasons, rule, requestedAt: at, requestedBy: action.actor.id, approvedAt: null,
        migrationWindow: null, migratedAt: null, erasedByUnit: null, erasedByProvider: null, reclaimedAt: null,
      };
      state.steps.exitRequested = at;
      record(ledger, now, 'action', { ...actor, action: 'requestExit', rule, reasons: action.reasons });
      enter(ledger, now, 'exitReview', rule);
      tell(ledger, 'cloudActionRequired', policy.authority, { decision: '审核退出申请', reasons: action.reasons, rule });
      return;
    }
    case 'migrationComplete': {
      state.exit!.migratedAt = at;
      state.steps.migrated = at;
      record(ledger, now, 'action', { ...actor, action: 'migrationComplete', rule: policy.exit.rule });
      return;
    }
    case 'dataErasure': {
      const { rule } = policy.exit;
      const exit = state.exit!;
      const confirmation = { by: action.actor.id, role: action.actor.role, at };
      if (action.actor.role === policy.provider) exit.erasedByProvider = confirmation;
      else exit.erasedByUnit = confirmation;
      record(ledger, now, 'action', { ...actor, action: 'dataErasure', rule });
      if (exit.erasedByUnit && exit.erasedByProvider) {
        state.steps.erased = at;
        enter(ledger, now, 'reclamation', rule);
        tell(ledger, 'cloudActionRequired', policy.provider, { decision: '回收云资源', rule });
      }
      return;
    }
    case 'reclamation': {
      const { rule } = policy.exit;
      state.exit!.reclaimedAt = at;
      state.steps.reclaimed = at;
      record(ledger, now, 'action', { ...actor, action: 'reclamation', rule });
      end(ledger, now, 'reclaimed', state.exit!.forced ? `exited by rule (${state.exit!.rule}): the resources were reclaimed` : 'exited at the unit\'s request: the resources were reclaimed', rule);
      return;
    }
  }
}

/** A clock's roles are told its due date once the calendar has given it. */
export function announce(ledger: CloudLedger, clock: CloudClock): void {
  clock.announced = true;
  if (clock.due) ledger.state.dues[clock.id] = clock.due.date;
  if (clock.onEnd === 'periodOver') return;
  tellAll(ledger, 'cloudActionRequired', clock.roles, { decision: cloudActionLabels[clock.action], dueDate: clock.due?.date, provisional: clock.due?.provisional, rule: clock.rule });
}

/** The next moment a clock acts: its reminder at the due date's start, or its end. */
export function nextClockMoment(state: CloudResourceState): { clock: CloudClock; phase: 'reminder' | 'end'; at: number } | null {
  let next: { clock: CloudClock; phase: 'reminder' | 'end'; at: number } | null = null;
  for (const clock of state.clocks) {
    if (!clock.due || clock.pausedAt || clock.ended) continue;
    const moment = clock.reminder && !clock.reminded
      ? { clock, phase: 'reminder' as const, at: Date.parse(clock.due.startsAt) }
      : { clock, phase: 'end' as const, at: Date.parse(clock.onEnd === 'periodOver' ? clock.due.startsAt : clock.due.endsAt) };
    if (!next || moment.at < next.at) next = moment;
  }
  return next;
}

/** A clock's moment has come: a reminder, a breach with escalation, a forced exit, the fallback over, or the migration window closed. */
export function fireClock(ledger: CloudLedger, clock: CloudClock, phase: 'reminder' | 'end', now: Date): void {
  const { state, policy } = ledger;
  const due = { dueDate: clock.due?.date, provisional: clock.due?.provisional };
  if (phase === 'reminder') {
    clock.reminded = true;
    // A migration already reported needs no reminder; the window still runs to its end.
    if (clock.id === 'migration' && state.exit?.migratedAt) return;
    record(ledger, now, 'reminder', { action: clock.action, rule: clock.rule });
    tellAll(ledger, 'cloudReminder', clock.roles, { ...due, rule: clock.rule });
    return;
  }
  clock.ended = true;
  const breach = (reasons: string[] = []) => {
    record(ledger, now, 'breach', { action: clock.action, reasons: [`due ${clock.due?.date}`, ...reasons], rule: clock.rule });
    // Escalated to the authority — never a decision by the clock: the step stays open.
    record(ledger, now, 'escalation', { action: clock.action, reasons: [`escalated to ${policy.authority}`], rule: clock.rule });
    tellAll(ledger, 'cloudOverdue', [...clock.roles, policy.authority], { ...due, reasons, rule: clock.rule });
    if (clock.id === 'review') tellAll(ledger, 'cloudRecorded', user(ledger), { decision: '审核已超期，已督办', ...due, rule: clock.rule });
  };
  switch (clock.onEnd) {
    case 'breach':
      return breach();
    case 'periodOver':
      closeClock(ledger, clock.id);
      record(ledger, now, 'periodOver', { action: clock.action, reasons: [`the old system may be decommissioned from ${clock.due?.date}`], rule: clock.rule });
      tellAll(ledger, 'cloudActionRequired', clock.roles, { decision: '原信息系统应急回退保留期已满，可予下线', rule: clock.rule });
      return;
    case 'forcedExit': {
      // Not deployed and cut over in time: the system is put on the exit path (予以退出处理).
      const { rule } = policy.deployment;
      const reason = `deployment, testing, security-risk pre-assessment and cut-over were not completed within ${policy.deployment.workingDays} working days of opening (due ${clock.due?.date})`;
      closeClock(ledger, clock.id);
      record(ledger, now, 'breach', { action: clock.action, reasons: [reason], rule });
      state.exit = {
        forced: true, reasons: [reason], rule, requestedAt: iso(now), requestedBy: null, approvedAt: null,
        migrationWindow: null, migratedAt: null, erasedByUnit: null, erasedByProvider: null, reclaimedAt: null,
      };
      state.steps.exitRequested = iso(now);
      record(ledger, now, 'forcedExit', { action: 'exit', reasons: [reason], rule });
      tellAll(ledger, 'cloudRecorded', [...user(ledger), policy.authority, policy.provider], { decision: '规定时间内未完成部署上线，信息系统予以退出处理', reasons: [reason], rule });
      startMigration(ledger, now);
      return;
    }
    case 'windowEnd': {
      closeClock(ledger, clock.id);
      if (!state.exit?.migratedAt) breach(['the migration was not reported within the window']);
      // 过渡期满后: unit and provider erase the data together.
      enter(ledger, now, 'dataErasure', policy.exit.rule);
      tellAll(ledger, 'cloudActionRequired', [...user(ledger), policy.provider], { decision: '过渡期已满，共同做好数据清除', rule: policy.exit.rule });
      return;
    }
  }
}

/** The migration window once the calendar has given it (erasure waits for its end). */
export function windowOf(state: CloudResourceState): void {
  const clock = state.clocks.find((c) => c.id === 'migration');
  if (state.exit && clock?.due) state.exit.migrationWindow = clock.due;
}
