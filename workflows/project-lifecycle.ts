import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { z } from 'zod';
import type { Deadline } from '../activities/calendar/activities';
import type { Transition } from '../activities/transitions';
import type { NotificationRequest } from '../activities/notifications/outbox';
import type { MessageKind } from '../activities/notifications/messages';
import {
  changeDecisionInputSchema,
  changeRequestInputSchema,
  closeInputSchema,
  contractSigningRefusal,
  decideInputSchema,
  evaluationInputSchema,
  submitInputSchema,
  terminateInputSchema,
  RECORD_INTEGRITY,
  type Actor,
  type PendingAction,
  type PlanDecision,
  type ProjectState,
  type TimelineItem,
} from '../domain/lifecycle';
import { roleLabels, stageLabels } from '../domain/labels';
import { profileByVersion } from '../domain/policy';
import { isLateProposal, lateProposalMessage } from '../domain/policy/intake';
import type { ImplementationStage, ReviewStage, StageDefinition, SubmissionStage } from '../domain/policy/profile';
import { retentionSchedule } from '../domain/policy/retention';
import { patches } from './patches';
import type { ProjectProposal, ProjectStage } from '../domain/project';
import { businessDateOf, type Role, type StageEvent } from '../domain/records';
import {
  assessmentSignal,
  calendarUpdatedSignal,
  closeProjectUpdate,
  decideChangeUpdate,
  decideUpdate,
  planDecisionSignal,
  projectStateQuery,
  recordEvaluationUpdate,
  requestChangeUpdate,
  submitUpdate,
  terminateUpdate,
} from './messages';
import { act } from './activity-proxies';
import { acceptedInput, refusal } from './refusal';
import { RetentionRelease } from './retention';
import { projectStageKey } from './search-attributes';


/** What survives continue-as-new between O&M years. */
export interface ContinuedLifecycle {
  state: ProjectState;
  sequence: number;
  completedAt: Record<string, string>;
}

export interface LifecycleInput {
  proposal: ProjectProposal;
  /** The policy profile version in force at registration; it governs the project for life. */
  profileVersion: string;
  continued?: ContinuedLifecycle;
}

function refuse(rule: string, message: string, field?: string): never {
  throw refusal(rule, message, field);
}

const ACTIVE_IMPLEMENTATION_STAGES: ProjectStage[] = ['procurement', 'implementation', 'preliminaryAcceptance', 'acceptanceApplication'];

/**
 * One workflow per project, its workflow id the project id, carrying the project from proposal to the
 * last O&M year. The path comes from the jurisdiction's policy profile (domain/policy); this engine
 * walks its stages: reviews (Updates with validators, SLA clocks in working days), submissions by the
 * unit, the annual plan, implementation with changes and termination, acceptance with rectification
 * and forfeiture, then archive filing, post-evaluation, the retention child and yearly O&M runs
 * (continue-as-new each year, so a decade-long project keeps a small history).
 */
export async function ProjectLifecycle(input: LifecycleInput): Promise<ProjectState> {
  const { proposal } = input;
  const profile = profileByVersion(input.profileVersion);
  const projectId = proposal.projectId;
  const facts = { investmentFen: proposal.investmentFen, planKind: proposal.planKind, flags: proposal.flags };
  const stages = profile.stages(facts);

  const state: ProjectState = input.continued?.state ?? {
    projectId,
    name: proposal.name,
    unit: proposal.unit,
    jurisdiction: proposal.jurisdiction,
    profileVersion: profile.version,
    planYear: proposal.planYear,
    planKind: proposal.planKind,
    investmentFen: proposal.investmentFen,
    flags: proposal.flags,
    stage: stages[0]!.id as ProjectStage,
    status: 'active',
    outcome: null,
    registeredAt: new Date(workflowInfo().startTime).toISOString(),
    pending: null,
    timeline: [],
    acceptanceFailures: 0,
    acceptedOn: null,
    contract: null,
    retentionWorkflowId: null,
    omFundingBlocked: false,
    changeRequests: [],
    omYear: 0,
    evaluations: [],
  };
  let sequence = input.continued?.sequence ?? 0;
  const completedAt: Record<string, string> = input.continued?.completedAt ?? {};

  // ---- inbox: handlers validate and hand over; the main loop acts and then releases the handler ----
  // ---- inbox: each accepted update leaves its input here with a ticket; the main loop applies it,
  // closing the gate (state.pending) before its first await, and then completes exactly that ticket ----
  type Ticketed<T> = T & { ticket: number };
  const inbox: {
    decision?: Ticketed<z.infer<typeof decideInputSchema>>;
    submission?: Ticketed<z.infer<typeof submitInputSchema>>;
    changeRequests: Ticketed<z.infer<typeof changeRequestInputSchema>>[];
    changeDecisions: Ticketed<z.infer<typeof changeDecisionInputSchema>>[];
    termination?: Ticketed<z.infer<typeof terminateInputSchema>>;
    evaluation?: Ticketed<z.infer<typeof evaluationInputSchema>>;
    close?: Ticketed<z.infer<typeof closeInputSchema>>;
    plan?: PlanDecision;
    calendarChanged: boolean;
  } = { changeRequests: [], changeDecisions: [], calendarChanged: false };
  let lastTicket = 0;
  const completed = new Set<number>();
  const complete = (ticket: number) => {
    completed.add(ticket);
  };

  const nowIso = () => new Date().toISOString();
  const stageDef = (id: string) => stages.find((s) => s.id === id);

  // ---- validators: refuse synchronously, nothing enters history ----
  const requireActive = () => {
    if (state.status !== 'active') refuse(state.outcome?.rule ?? 'lifecycle', `project ${projectId} has ended (${state.stage})`);
  };
  const requireUnitActor = (actor: Actor, rule: string) => {
    if (actor.role !== 'unit') refuse(rule, `only the construction unit may do this; ${actor.role} may not`, 'actor.role');
    if (actor.unit !== undefined && actor.unit !== state.unit) refuse(rule, `${actor.unit} is not the construction unit of ${projectId}`, 'actor.unit');
  };

  setHandler(projectStateQuery, () => state);

  setHandler(decideUpdate, accepted((raw, ticket) => (inbox.decision = { ...acceptedInput(decideInputSchema, raw), ticket })), {
    validator: (raw) => {
      requireActive();
      const decision = decideInputSchema.parse(raw);
      const pending = state.pending;
      const justDecided = state.stage === decision.stage && pending?.kind !== 'review' ? [...state.timeline].reverse().find((t) => t.stage === decision.stage && t.kind === 'decision') : undefined;
      if (justDecided) {
        // The loser of two reviewers deciding at once: say what was decided, not "no open review here".
        refuse('lifecycle', `the review at ${decision.stage} was already decided: ${justDecided.decision} by ${justDecided.actorRole} at ${justDecided.at}`, 'stage');
      }
      if (!pending || pending.kind !== 'review' || pending.stage !== decision.stage) {
        refuse('lifecycle', `there is no open review at stage ${decision.stage}; the project is at ${state.stage}${pending ? ` awaiting ${pending.kind} by ${pending.role}` : ''}`, 'stage');
      }
      if (inbox.decision) refuse('lifecycle', `a decision on ${decision.stage} is already being recorded`);
      const def = currentReview;
      if (!def) refuse('lifecycle', `no review is open`);
      if (decision.actor.role !== def.role) {
        refuse(def.rule, `${stageLabels[def.id as ProjectStage]} is decided by ${def.role} (${roleLabels[def.role]}), not ${decision.actor.role}`, 'actor.role');
      }
      if (def.role === 'unit') requireUnitActor(decision.actor, def.rule);
      if (!def.decisions.includes(decision.decision)) refuse(def.rule, `decision "${decision.decision}" is not available at ${def.id}; allowed: ${def.decisions.join(', ')}`, 'decision');
      if (decision.decision !== 'approve' && decision.reasons.length === 0) {
        refuse(def.rule, `a ${decision.decision === 'reject' ? 'rejection' : 'revision request'} must give its reasons (一次性告知)`, 'reasons');
      }
      if (def.expertsRequired && decision.experts.length === 0) {
        refuse(def.expertsRequired.rule, `the review meeting's experts, drawn from the expert library, must be recorded`, 'experts');
      }
      if (def.refusalGrounds && decision.decision === 'reject') {
        const unknown = decision.refusalGrounds.filter((code) => !def.refusalGrounds!.codes.includes(code));
        if (decision.refusalGrounds.length === 0 || unknown.length > 0) {
          refuse(def.refusalGrounds.rule, `a refusal must cite grounds from: ${def.refusalGrounds.codes.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`, 'refusalGrounds');
        }
      }
    },
  });

  setHandler(submitUpdate, accepted((raw, ticket) => (inbox.submission = { ...acceptedInput(submitInputSchema, raw), ticket })), {
    validator: (raw) => {
      requireActive();
      const submission = submitInputSchema.parse(raw);
      const pending = state.pending;
      if (inbox.submission) refuse('lifecycle', 'a submission is already being recorded');
      if (submission.action === 'revision') {
        if (!pending || (pending.kind !== 'revision' && pending.kind !== 'rectification')) {
          refuse('lifecycle', `nothing awaits a revision; the project is at ${state.stage}`, 'action');
        }
      } else if (!pending || pending.action !== submission.action || (pending.kind !== 'submission' && pending.kind !== 'implementation')) {
        refuse('lifecycle', `"${submission.action}" is not expected now; the project is at ${state.stage}${pending?.action ? ` awaiting "${pending.action}"` : ''}`, 'action');
      }
      const rule = pending.rule ?? 'lifecycle';
      requireUnitActor(submission.actor, rule);
      if (pending.notBeforeAt && Date.now() < Date.parse(pending.notBeforeAt)) {
        refuse(rule, `the trial run is not over: ${submission.action} is allowed from ${pending.notBeforeDate} (earliest allowed date)`, 'action');
      }
      const def = currentSubmission;
      if (def?.preconditions && submission.action === 'acceptanceApplication') {
        const missing = def.preconditions.filter((p) => !submission.preconditionsMet.includes(p.id));
        if (missing.length > 0) {
          refuse(missing[0]!.rule, `acceptance preconditions missing: ${missing.map((p) => `${p.label} [${p.rule}]`).join('; ')}`, 'preconditionsMet');
        }
      }
      if (def?.designAgencyRequired && !submission.designAgency) {
        refuse(def.designAgencyRequired.rule, 'the preliminary design must be written by a professional agency (designAgency)', 'designAgency');
      }
      if (submission.action === 'contract') {
        if (!submission.contract) refuse(rule, 'the contract (contractId, contractor, sumFen, omYears, signedDate) is required', 'contract');
        const signing = contractSigningRefusal(submission.contract.signedDate, businessDateOf(new Date()));
        if (signing) refuse(RECORD_INTEGRITY, signing, 'contract.signedDate');
        const minOm = profile.minOmYears;
        if (minOm && submission.contract.omYears < minOm.years) {
          refuse(minOm.rule, `the contract's O&M period must be at least ${minOm.years} years, not ${submission.contract.omYears}`, 'contract.omYears');
        }
      }
    },
  });

  const implementationOpen = () => state.stage === 'implementation' && state.pending?.kind === 'implementation';
  setHandler(requestChangeUpdate, accepted((raw, ticket) => inbox.changeRequests.push({ ...acceptedInput(changeRequestInputSchema, raw), ticket })), {
    validator: (raw) => {
      requireActive();
      const request = changeRequestInputSchema.parse(raw);
      const def = stageDef('implementation') as ImplementationStage | undefined;
      if (!implementationOpen() || !def) refuse(def?.rule ?? '001 §22', `changes are requested during implementation; the project is at ${state.stage}`, 'stage');
      requireUnitActor(request.actor, def.rule);
    },
  });

  setHandler(decideChangeUpdate, accepted((raw, ticket) => inbox.changeDecisions.push({ ...acceptedInput(changeDecisionInputSchema, raw), ticket })), {
    validator: (raw) => {
      requireActive();
      const decision = changeDecisionInputSchema.parse(raw);
      const def = stageDef('implementation') as ImplementationStage | undefined;
      const change = state.changeRequests.find((c) => c.changeId === decision.changeId);
      if (!def || !change) refuse('001 §22', `no change request ${decision.changeId}`, 'changeId');
      if (!implementationOpen()) refuse(def.rule, `change requests are decided during implementation; the project is at ${state.stage}`, 'stage');
      if (change.status !== 'pending' || inbox.changeDecisions.some((d) => d.changeId === decision.changeId)) {
        refuse(def.rule, `change request ${decision.changeId} is already decided`, 'changeId');
      }
      if (decision.actor.role !== def.changeReviewRole) refuse(def.rule, `change requests are decided by ${def.changeReviewRole}, not ${decision.actor.role}`, 'actor.role');
      if (decision.decision === 'reject' && decision.reasons.length === 0) refuse(def.rule, 'a rejected change must give its reasons', 'reasons');
    },
  });

  setHandler(terminateUpdate, accepted((raw, ticket) => (inbox.termination = { ...acceptedInput(terminateInputSchema, raw), ticket })), {
    validator: (raw) => {
      requireActive();
      const termination = terminateInputSchema.parse(raw);
      if (!ACTIVE_IMPLEMENTATION_STAGES.includes(state.stage)) refuse('001 §20', `termination applies during implementation; the project is at ${state.stage}`, 'stage');
      requireUnitActor(termination.actor, '001 §20');
      if (inbox.termination) refuse('001 §20', 'a termination is already being recorded');
    },
  });

  setHandler(recordEvaluationUpdate, accepted((raw, ticket) => (inbox.evaluation = { ...acceptedInput(evaluationInputSchema, raw), ticket })), {
    validator: (raw) => {
      requireActive();
      const evaluation = evaluationInputSchema.parse(raw);
      const rule = profile.operations.evaluationRule;
      if (state.pending?.kind !== 'evaluation') refuse(rule, `yearly evaluations are recorded during O&M; the project is at ${state.stage}`, 'stage');
      if (evaluation.actor.role !== profile.operations.evaluationRole) refuse(rule, `evaluations are recorded by ${profile.operations.evaluationRole}, not ${evaluation.actor.role}`, 'actor.role');
      if (evaluation.actor.role === 'unit') requireUnitActor(evaluation.actor, rule);
      if (evaluation.year > state.omYear) refuse(rule, `O&M year ${evaluation.year} has not begun (current year ${state.omYear})`, 'year');
      if (!evaluation.passed && evaluation.reasons.length === 0) refuse(rule, 'a failed evaluation must give its reasons', 'reasons');
      if (inbox.evaluation) refuse(rule, 'an evaluation is already being recorded');
    },
  });

  setHandler(closeProjectUpdate, accepted((raw, ticket) => (inbox.close = { ...acceptedInput(closeInputSchema, raw), ticket })), {
    validator: (raw) => {
      requireActive();
      const close = closeInputSchema.parse(raw);
      const rule = close.kind === 'closure' ? profile.operations.closureRule : '001 §36';
      if (state.pending?.kind !== 'evaluation') refuse(rule, `a system is closed or retired during O&M; the project is at ${state.stage}`, 'stage');
      if (inbox.close) refuse(rule, 'a closure is already being recorded');
      if (close.kind === 'closure' && close.actor.role !== 'reviewOffice') refuse(rule, 'a closure letter is issued by the review office', 'actor.role');
      if (close.kind === 'retirement') {
        requireUnitActor(close.actor, rule);
        if (!close.dataDisposition) refuse('001 §36', 'retirement must record what was done with the data (backed up, migrated or destroyed)', 'dataDisposition');
      }
    },
  });

  setHandler(planDecisionSignal, (decision) => {
    inbox.plan = decision;
  });
  setHandler(calendarUpdatedSignal, () => {
    inbox.calendarChanged = true;
  });

  /**
   * Update handlers hand their validated input, with a ticket, to the main loop and return the state
   * once the loop has applied that very input and the project awaits its next action (or has ended),
   * so a caller can act on the answer at once.
   */
  function accepted<T>(enqueue: (raw: T, ticket: number) => unknown): (raw: T) => Promise<ProjectState> {
    return async (raw: T) => {
      const ticket = ++lastTicket;
      enqueue(raw, ticket);
      await condition(() => (completed.has(ticket) && state.pending !== null) || state.status === 'ended');
      completed.delete(ticket);
      return state;
    };
  }

  // ---- recording ----
  const event = (stage: ProjectStage, kind: TimelineItem['kind'], extra: Partial<TimelineItem> = {}): StageEvent => {
    const item: TimelineItem = { at: nowIso(), stage, kind, ...extra };
    state.timeline.push(item);
    sequence += 1;
    return {
      eventKey: `${projectId}:${sequence}`,
      projectId,
      stage,
      kind,
      actorId: item.actorId,
      actorRole: item.actorRole,
      decision: item.decision,
      reasons: item.reasons ?? [],
      rule: item.rule,
      occurredAt: item.at,
    };
  };
  const notice = (kind: MessageKind, role: Role, extra: Partial<NotificationRequest['params']> = {}, unit: string | null = role === 'unit' ? state.unit : null): NotificationRequest => ({
    key: `${projectId}:${sequence}:${kind}:${role}`,
    kind,
    recipientRole: role,
    unit,
    params: { projectId, projectName: state.name, stage: stageLabels[state.stage], actor: roleLabels[role], ...extra },
  });
  const enter = (stage: ProjectStage, rule: string): StageEvent => {
    state.stage = stage;
    upsertSearchAttributes([{ key: projectStageKey, value: stage }]);
    return event(stage, 'entered', { rule });
  };
  const deadlineFields = (deadline: Deadline | null) =>
    deadline ? { dueDate: deadline.date, dueAt: deadline.endsAt, provisional: deadline.provisional } : {};

  async function end(stage: ProjectStage, reason: string, rule: string, extra: Transition = {}): Promise<ProjectState> {
    state.pending = null;
    const entered = enter(stage, rule);
    state.status = 'ended';
    state.outcome = { stage, reason, rule };
    await act.recordTransition({
      ...extra,
      events: [...(extra.events ?? []), entered],
      notifications: [...(extra.notifications ?? []), notice('decisionRecorded', 'unit', { decision: stageLabels[stage], reasons: [reason], rule })],
    });
    return state;
  }

  // ---- stage runners ----
  let currentReview: ReviewStage | undefined;
  let currentSubmission: SubmissionStage | undefined;

  /** Waits for a deadline instant or a condition; true if the condition came first. */
  const until = (predicate: () => boolean, instant: string | undefined) =>
    instant === undefined ? condition(predicate).then(() => true) : condition(predicate, Math.max(1, Date.parse(instant) - Date.now()));

  async function runReview(def: ReviewStage): Promise<'approved' | 'rejected' | 'ended'> {
    currentReview = def;
    const entered = enter(def.id as ProjectStage, def.rule);
    const reviewKey = `${projectId}:${def.id}:${sequence}`;
    let clockFrom = nowIso();
    let clockDays = def.clock?.workingDays ?? 0;
    let deadline: Deadline | null = null;
    const openPending = (): PendingAction => ({ kind: 'review', stage: def.id as ProjectStage, role: def.role, reviewKey, ...deadlineFields(deadline), rule: def.clock?.rule ?? def.rule });
    // Open for decisions at once; the due date follows from the calendar activity.
    state.pending = openPending();
    if (def.clock) deadline = await act.workingDayDeadline({ from: clockFrom, workingDays: clockDays });
    state.pending = openPending();
    await act.recordTransition({
      events: [entered],
      openReview: {
        reviewKey, projectId, jurisdiction: state.jurisdiction, unit: state.unit, stage: def.id, assigneeRole: def.role,
        openedAt: clockFrom, dueDate: deadline?.date ?? null, dueProvisional: deadline?.provisional ?? false,
      },
      notifications: [notice('actionRequired', def.role, { dueDate: deadline?.date, provisional: deadline?.provisional, rule: def.clock?.rule ?? def.rule })],
    });

    let reminded = false;
    let escalated = false;
    for (;;) {
      const nextTimer = deadline && !reminded ? deadline.startsAt : deadline && !escalated ? deadline.endsAt : undefined;
      const woke = await until(() => inbox.decision !== undefined || inbox.calendarChanged, nextTimer);
      if (inbox.calendarChanged) {
        inbox.calendarChanged = false;
        if (deadline?.provisional) {
          deadline = await act.workingDayDeadline({ from: clockFrom, workingDays: clockDays });
          state.pending = openPending();
          await act.recordTransition({ rescheduleReview: { reviewKey, dueDate: deadline.date, provisional: deadline.provisional } });
        }
        continue;
      }
      if (!woke) {
        if (!reminded) {
          reminded = true;
          const reminder = event(state.stage, 'reminder', { rule: def.clock?.rule });
          await act.recordTransition({ events: [reminder], notifications: [notice('reviewReminder', def.role, { ...deadlineFields(deadline), rule: def.clock?.rule })] });
        } else {
          // Overdue: recorded as a breach and escalated — never an automatic approval.
          escalated = true;
          const breach = event(state.stage, 'breach', { rule: def.clock?.rule });
          await act.recordTransition({
            events: [breach],
            breachReview: reviewKey,
            notifications: [
              notice('reviewOverdue', def.role, { dueDate: deadline?.date, rule: def.clock?.rule }),
              ...(def.role !== 'reviewOffice' ? [notice('reviewOverdue', 'reviewOffice', { dueDate: deadline?.date, rule: def.clock?.rule })] : []),
            ],
          });
        }
        continue;
      }

      const decision = inbox.decision!;
      inbox.decision = undefined;
      state.pending = null; // closed until this decision is applied
      const recorded = event(state.stage, 'decision', {
        actorId: decision.actor.id, requestId: decision.actor.requestId,
        actorRole: decision.actor.role,
        decision: decision.decision,
        reasons: [...decision.reasons, ...decision.refusalGrounds.map((code) => `ground:${code}`), ...decision.experts.map((expert) => `expert:${expert}`)],
        rule: def.rule,
      });
      const told = notice('decisionRecorded', 'unit', { decision: decision.decision, reasons: decision.reasons, rule: def.rule });
      if (decision.decision !== 'requestRevision') {
        state.pending = null;
        await act.recordTransition({
          events: [recorded],
          closeReview: { reviewKey, status: decision.decision === 'approve' ? 'approved' : 'rejected', decidedAt: recorded.occurredAt },
          notifications: [told],
        });
        currentReview = undefined;
        if (decision.decision === 'approve') {
          completedAt[def.id] = recorded.occurredAt;
          complete(decision.ticket);
          return 'approved';
        }
        if (def.onReject === 'end') {
          await end('rejected', decision.reasons.join('; '), def.refusalGrounds?.rule ?? def.rule);
          return 'ended';
        }
        complete(decision.ticket);
        return 'rejected';
      }

      // Revision: the unit revises; the clock pauses (001 §14) or restarts (000 §8(3)) per profile.
      let remaining = clockDays;
      if (def.clock?.onRevision === 'pause') {
        const elapsed = await act.workingDaysBetween({ from: clockFrom, to: recorded.occurredAt });
        remaining = Math.max(0, clockDays - elapsed);
      }
      const revisionDeadline = def.revisionWorkingDays
        ? await act.workingDayDeadline({ from: recorded.occurredAt, workingDays: def.revisionWorkingDays.workingDays })
        : null;
      state.pending = { kind: 'revision', stage: def.id as ProjectStage, role: 'unit', action: 'revision', reviewKey, ...deadlineFields(revisionDeadline), rule: def.revisionWorkingDays?.rule ?? def.rule };
      await act.recordTransition({
        events: [recorded],
        notifications: [notice('actionRequired', 'unit', { ...deadlineFields(revisionDeadline), reasons: decision.reasons, rule: def.revisionWorkingDays?.rule ?? def.rule })],
      });
      complete(decision.ticket);
      let revisionLate = false;
      for (;;) {
        const revised = await until(() => inbox.submission !== undefined, revisionDeadline && !revisionLate ? revisionDeadline.endsAt : undefined);
        if (revised) break;
        revisionLate = true;
        const breach = event(state.stage, 'breach', { rule: def.revisionWorkingDays?.rule });
        await act.recordTransition({ events: [breach], notifications: [notice('reviewOverdue', 'unit', { dueDate: revisionDeadline?.date, rule: def.revisionWorkingDays?.rule })] });
      }
      const resubmission = inbox.submission!;
      inbox.submission = undefined;
      state.pending = null; // closed until the review reopens
      const resubmitted = event(state.stage, 'submission', { actorId: resubmission.actor.id, requestId: resubmission.actor.requestId, actorRole: 'unit', rule: def.clock?.rule ?? def.rule });
      clockFrom = resubmitted.occurredAt;
      clockDays = def.clock?.onRevision === 'restart' ? def.clock.workingDays : remaining;
      deadline = def.clock ? await act.workingDayDeadline({ from: clockFrom, workingDays: clockDays }) : null;
      reminded = false;
      escalated = false;
      state.pending = openPending();
      await act.recordTransition({
        events: [resubmitted],
        rescheduleReview: deadline ? { reviewKey, dueDate: deadline.date, provisional: deadline.provisional } : undefined,
        notifications: [notice('actionRequired', def.role, { ...deadlineFields(deadline), rule: def.clock?.rule ?? def.rule })],
      });
      complete(resubmission.ticket);
    }
  }

  async function runSubmission(def: SubmissionStage): Promise<'done' | { backTo: string }> {
    currentSubmission = def;
    const entered = enter(def.id as ProjectStage, def.rule);
    const rule = def.notBefore?.rule ?? def.deadline?.rule ?? def.rule;
    // Open at once, unless the earliest allowed date must be known first (trial run).
    state.pending = def.notBefore ? null : { kind: 'submission', stage: def.id as ProjectStage, role: 'unit', action: def.action, rule };
    let deadline: Deadline | null = null;
    if (def.deadline) {
      deadline = 'months' in def.deadline
        ? await act.monthsAfter({ from: entered.occurredAt, months: def.deadline.months })
        : await act.workingDayDeadline({ from: entered.occurredAt, workingDays: def.deadline.workingDays });
    }
    let notBefore: Deadline | null = null;
    if (def.notBefore) {
      const since = completedAt[def.notBefore.after];
      if (since) notBefore = await act.monthsAfter({ from: since, months: def.notBefore.months });
    }
    state.pending = {
      kind: 'submission', stage: def.id as ProjectStage, role: 'unit', action: def.action, ...deadlineFields(deadline),
      ...(notBefore ? { notBeforeDate: notBefore.date, notBeforeAt: notBefore.startsAt } : {}),
      rule,
    };
    await act.recordTransition({ events: [entered], notifications: [notice('actionRequired', 'unit', { ...deadlineFields(deadline), rule: def.deadline?.rule ?? def.rule })] });

    // The validator refuses the application until the trial run is over; a timer tells the unit the
    // day it is (001 §26(2), 000 §12). Projects that reached this stage before v0.3.0 had no timer.
    if (notBefore && patched(patches.trialRunCompleteNotice)) {
      const interrupted = await until(() => inbox.submission !== undefined || inbox.termination !== undefined, notBefore.startsAt);
      if (!interrupted) {
        await act.recordTransition({
          events: [event(state.stage, 'trialRunComplete', { rule: def.notBefore!.rule })],
          notifications: [notice('trialRunComplete', 'unit', { dueDate: notBefore.date, rule: def.notBefore!.rule })],
        });
      }
    }

    let missed = false;
    for (;;) {
      const submitted = await until(() => inbox.submission !== undefined || inbox.termination !== undefined, deadline && !missed ? deadline.endsAt : undefined);
      if (inbox.termination) return 'done';
      if (submitted) break;
      missed = true;
      const breach = event(state.stage, 'breach', { rule: def.deadline?.rule });
      if (def.deadline && 'months' in def.deadline) {
        // 001 §15: not started within 6 months of approval — the project must be approved again.
        state.pending = null;
        await act.recordTransition({ events: [breach], notifications: [notice('reviewOverdue', 'unit', { dueDate: deadline?.date, rule: def.deadline.rule })] });
        currentSubmission = undefined;
        return { backTo: def.deadline.backTo };
      }
      if (def.deadline?.onMiss === 'flag') state.omFundingBlocked = true;
      await act.recordTransition({
        events: [breach],
        notifications: [notice('reviewOverdue', 'unit', { dueDate: deadline?.date, rule: def.deadline?.rule }), notice('reviewOverdue', 'reviewOffice', { dueDate: deadline?.date, rule: def.deadline?.rule })],
      });
    }

    const submission = inbox.submission!;
    inbox.submission = undefined;
    state.pending = null;
    const recorded = event(state.stage, 'submission', { actorId: submission.actor.id, requestId: submission.actor.requestId, actorRole: 'unit', rule: def.rule, reasons: submission.note ? [submission.note] : undefined });
    const transition: Transition = { events: [recorded] };
    if (submission.contract) {
      state.contract = submission.contract;
      transition.contract = { ...submission.contract, projectId, filedAt: recorded.occurredAt };
    }
    if (def.id === 'archiveFiling') state.omFundingBlocked = false;
    completedAt[def.id] = recorded.occurredAt;
    await act.recordTransition(transition);
    currentSubmission = undefined;
    complete(submission.ticket);
    return 'done';
  }

  async function runImplementation(def: ImplementationStage): Promise<'done'> {
    const entered = enter('implementation', def.rule);
    state.pending = { kind: 'implementation', stage: 'implementation', role: 'unit', action: 'goLive', rule: def.rule };
    await act.recordTransition({ events: [entered] });
    for (;;) {
      await condition(() => inbox.submission !== undefined || inbox.termination !== undefined || inbox.changeRequests.length > 0 || inbox.changeDecisions.length > 0);
      if (inbox.termination) return 'done';
      const request = inbox.changeRequests.shift();
      if (request) {
        const changeId = state.changeRequests.length + 1;
        state.changeRequests.push({ changeId, summary: request.summary, status: 'pending', requestedBy: request.actor.id });
        const recorded = event('implementation', 'submission', { actorId: request.actor.id, requestId: request.actor.requestId, actorRole: 'unit', reasons: [`change ${changeId}: ${request.summary}`, request.reason], rule: def.rule });
        await act.recordTransition({
          events: [recorded],
          openReview: {
            reviewKey: `${projectId}:change:${changeId}`, projectId, jurisdiction: state.jurisdiction, unit: state.unit, stage: 'implementation',
            assigneeRole: def.changeReviewRole, openedAt: recorded.occurredAt, dueDate: null, dueProvisional: false,
          },
          notifications: [notice('actionRequired', def.changeReviewRole, { rule: def.rule })],
        });
        complete(request.ticket);
        continue;
      }
      const changeDecision = inbox.changeDecisions.shift();
      if (changeDecision) {
        const change = state.changeRequests.find((c) => c.changeId === changeDecision.changeId)!;
        change.status = changeDecision.decision === 'approve' ? 'approved' : 'rejected';
        const recorded = event('implementation', 'decision', {
          actorId: changeDecision.actor.id, requestId: changeDecision.actor.requestId, actorRole: changeDecision.actor.role, decision: changeDecision.decision,
          reasons: [`change ${change.changeId}: ${change.summary}`, ...changeDecision.reasons], rule: def.rule,
        });
        await act.recordTransition({
          events: [recorded],
          closeReview: { reviewKey: `${projectId}:change:${change.changeId}`, status: change.status, decidedAt: recorded.occurredAt },
          notifications: [notice('decisionRecorded', 'unit', { decision: changeDecision.decision, reasons: changeDecision.reasons, rule: def.rule })],
        });
        complete(changeDecision.ticket);
        continue;
      }
      const goLive = inbox.submission!;
      inbox.submission = undefined;
      state.pending = null; // no more change requests once live
      const recorded = event('implementation', 'submission', { actorId: goLive.actor.id, requestId: goLive.actor.requestId, actorRole: 'unit', reasons: ['goLive'], rule: def.rule });
      completedAt.implementation = recorded.occurredAt;
      await act.recordTransition({ events: [recorded] });
      complete(goLive.ticket);
      return 'done';
    }
  }

  async function runPlan(rule: string): Promise<'done' | 'ended'> {
    const entered = enter('annualPlan', rule);
    state.pending = { kind: 'plan', stage: 'annualPlan', role: 'reviewOffice', rule };
    await act.recordTransition({ events: [entered] });
    const enrolment = await act.enrolInAnnualPlan({
      jurisdiction: state.jurisdiction,
      planYear: state.planYear,
      proposal: { projectId, name: state.name, unit: state.unit, investmentFen: state.investmentFen, enrolledAt: entered.occurredAt },
    });
    if (enrolment.closed) {
      await end('excluded', `001 §6: the ${state.planYear} plan is closed; apply for the supplementary plan (001 §7) or next year's plan`, '001 §6');
      return 'ended';
    }
    await condition(() => inbox.plan !== undefined);
    const plan = inbox.plan!;
    if (!plan.included) {
      await end('excluded', plan.reason ?? 'not included in the annual plan', '001 §6');
      return 'ended';
    }
    const note = event('annualPlan', 'note', { reasons: [`included in ${plan.planId}`], rule: '001 §7' });
    state.pending = null;
    await act.recordTransition({ events: [note] });
    return 'done';
  }

  /** Acceptance with rectification: a failure gets a deadline to rectify; too many failures, or no rectification, forfeit (001 §28). */
  async function runAcceptanceReview(def: ReviewStage): Promise<'approved' | 'ended'> {
    for (;;) {
      const result = await runReview(def);
      if (result !== 'rejected') return result;
      if (def.id === 'finalAcceptance') state.acceptanceFailures += 1;
      const { maxFailures, rectificationWorkingDays, rule } = profile.acceptance;
      if (def.id === 'finalAcceptance' && maxFailures !== null && state.acceptanceFailures >= maxFailures) {
        await forfeit(`acceptance failed ${state.acceptanceFailures} times`, rule);
        return 'ended';
      }
      const deadline = await act.workingDayDeadline({ from: nowIso(), workingDays: rectificationWorkingDays });
      state.pending = { kind: 'rectification', stage: def.id as ProjectStage, role: 'unit', action: 'revision', ...deadlineFields(deadline), rule };
      await act.recordTransition({ notifications: [notice('actionRequired', 'unit', { ...deadlineFields(deadline), rule })] });
      const rectified = await until(() => inbox.submission !== undefined, deadline.endsAt);
      if (!rectified) {
        await forfeit('rectification was not submitted by its deadline (拒不整改)', rule);
        return 'ended';
      }
      const submission = inbox.submission!;
      inbox.submission = undefined;
      state.pending = null;
      const recorded = event(state.stage, 'submission', { actorId: submission.actor.id, requestId: submission.actor.requestId, actorRole: 'unit', reasons: ['rectified'], rule });
      await act.recordTransition({ events: [recorded] });
      complete(submission.ticket);
    }
  }

  async function forfeit(reason: string, rule: string): Promise<void> {
    const extra: Transition = {};
    if (profile.retention && state.contract) {
      const { tranches } = retentionSchedule(state.contract.sumFen, profile.retention);
      extra.tranches = {
        at: nowIso(),
        items: tranches.map((t) => ({
          contractId: state.contract!.contractId, projectId, trancheNo: t.trancheNo, amountFen: t.amountFen, dueDate: null,
          condition: t.condition, status: 'forfeited', blockedReason: `${rule}: ${reason}`,
        })),
      };
      extra.notifications = [notice('trancheBlocked', 'finance', { reasons: [reason], rule })];
    }
    await end('forfeited', reason, rule, extra);
  }

  // ---- the path ----
  if (!input.continued) {
    const registration = act.registerProjectRecord({
      projectId, name: proposal.name, unit: proposal.unit, jurisdiction: proposal.jurisdiction, profileVersion: profile.version,
      planYear: proposal.planYear, investmentFen: proposal.investmentFen, fundingSource: proposal.fundingSource,
      flags: proposal.flags as Record<string, boolean>, stage: state.stage, registeredAt: state.registeredAt,
    });
    if (isLateProposal(profile, proposal, new Date(workflowInfo().startTime))) {
      await registration;
      return end('excluded', lateProposalMessage(profile, proposal.planYear), profile.intakeCutoff!.rule);
    }
    await registration;

    for (let index = 0; index < stages.length; index += 1) {
      const def: StageDefinition = stages[index]!;
      if (inbox.termination) break;
      if (def.kind === 'review') {
        const result = def.onReject === 'rectify' ? await runAcceptanceReview(def) : await runReview(def);
        if (result === 'ended') return state;
      } else if (def.kind === 'submission') {
        const result = await runSubmission(def);
        if (typeof result === 'object') {
          index = stages.findIndex((s) => s.id === result.backTo) - 1;
          continue;
        }
      } else if (def.kind === 'plan') {
        if ((await runPlan(def.rule)) === 'ended') return state;
      } else {
        await runImplementation(def);
      }
      if (inbox.termination) break;
    }
    if (inbox.termination) {
      const termination = inbox.termination;
      const recorded = event(state.stage, 'decision', { actorId: termination.actor.id, requestId: termination.actor.requestId, actorRole: 'unit', reasons: [termination.ground, termination.explanation], rule: '001 §20' });
      return end('terminated', `${termination.ground}: ${termination.explanation}`, '001 §20', {
        events: [recorded],
        notifications: [notice('decisionRecorded', 'reviewOffice', { decision: 'terminated', reasons: [termination.explanation], rule: '001 §20' })],
      });
    }
    if (stages.length === 1 && stages[0]!.id === 'selfImplementation') {
      return end('filed', 'contract filed with the review office', '001 §8');
    }

    // ---- after final acceptance ----
    const today = await act.businessDay({ at: nowIso() });
    state.acceptedOn = today.date;
    if (profile.retention && state.contract) {
      const retentionWorkflowId = `${projectId}.retention.${state.contract.contractId}`;
      await startChild(RetentionRelease, {
        workflowId: retentionWorkflowId,
        args: [{ projectId, projectName: state.name, unit: state.unit, jurisdiction: state.jurisdiction, contractId: state.contract.contractId, sumFen: state.contract.sumFen, acceptedOn: today.date }],
        // The retention outlives this run: O&M years continue as new runs of this workflow.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      state.retentionWorkflowId = retentionWorkflowId;
    }
    await runSubmission({
      kind: 'submission', id: 'archiveFiling', action: 'archiveFiling', rule: profile.archiveFiling.rule,
      deadline: profile.archiveFiling.workingDays !== null ? { workingDays: profile.archiveFiling.workingDays, onMiss: 'flag', flag: 'omFundingBlocked', rule: profile.archiveFiling.rule } : undefined,
    });
    if (profile.postEvaluation) {
      const result = await runReview({ kind: 'review', id: 'postEvaluation', role: profile.postEvaluation.role, clock: null, decisions: ['approve', 'reject'], onReject: 'rectify', rule: profile.postEvaluation.rule });
      const last = state.timeline[state.timeline.length - 1];
      await signalRetention(1, result === 'approved', last?.reasons?.join('; ') ?? null);
      state.evaluations.push({ year: 1, passed: result === 'approved', reasons: result === 'approved' ? [] : (last?.reasons ?? []) });
    }
    state.omYear = 1;
  }

  // ---- O&M: one run per year ----
  const entered = enter('operations', profile.operations.evaluationRule);
  const yearEnd = await act.monthsAfter({ from: state.acceptedOn!, months: 12 * state.omYear });
  state.pending = { kind: 'evaluation', stage: 'operations', role: profile.operations.evaluationRole, dueDate: yearEnd.date, dueAt: yearEnd.startsAt, provisional: yearEnd.provisional, rule: profile.operations.evaluationRule };
  await act.recordTransition({ events: [entered] });
  for (;;) {
    const acted = await until(() => inbox.evaluation !== undefined || inbox.close !== undefined, yearEnd.startsAt);
    if (!acted) {
      state.pending = null; // the year is over: its evaluations are closed before the next run
      break;
    }
    if (inbox.close) {
      const close = inbox.close;
      const recorded = event('operations', 'decision', { actorId: close.actor.id, requestId: close.actor.requestId, actorRole: close.actor.role, reasons: [...close.reasons, ...(close.dataDisposition ? [close.dataDisposition] : [])] });
      const rule = close.kind === 'closure' ? profile.operations.closureRule : '001 §36';
      return end(close.kind === 'closure' ? 'closed' : 'retired', close.reasons.join('; '), rule, { events: [recorded] });
    }
    const evaluation = inbox.evaluation!;
    inbox.evaluation = undefined;
    const recorded = event('operations', 'decision', {
      actorId: evaluation.actor.id, requestId: evaluation.actor.requestId, actorRole: evaluation.actor.role, decision: evaluation.passed ? 'approve' : 'reject',
      reasons: [`O&M year ${evaluation.year}`, ...evaluation.reasons], rule: profile.operations.evaluationRule,
    });
    state.evaluations.push({ year: evaluation.year, passed: evaluation.passed, reasons: evaluation.reasons });
    await act.recordTransition({ events: [recorded] });
    // Year 1's re-assessment re-gates tranche 1 (post-evaluation, problems fixed); years 2 and 3 gate tranches 2 and 3.
    if (evaluation.year <= 3) await signalRetention(evaluation.year, evaluation.passed, evaluation.reasons.join('; ') || null);
    complete(evaluation.ticket);
  }

  // The O&M year is over: the next year runs as a new execution with the state carried over.
  state.omYear += 1;
  await condition(allHandlersFinished);
  return continueAsNew<typeof ProjectLifecycle>({ ...input, continued: { state, sequence, completedAt } });

  async function signalRetention(trancheNo: number, passed: boolean, reason: string | null): Promise<void> {
    if (!state.retentionWorkflowId) return;
    await getExternalWorkflowHandle(state.retentionWorkflowId).signal(assessmentSignal, { trancheNo, passed, reason });
  }
}
