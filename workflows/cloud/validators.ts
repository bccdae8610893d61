import {
  cloudActionInputSchema,
  cloudApplicationSchema,
  cutoverStepLabels,
  cutoverStepSchema,
  RESOURCE_DIMENSIONS,
  type CloudAction,
  type CloudResources,
  type CloudResourceState,
} from '../../domain/cloud';
import { RECORD_INTEGRITY, type Actor } from '../../domain/lifecycle';
import { seedWithoutArticle, type CloudPolicy, type PolicyProfile } from '../../domain/policy/profile';
import { businessDateOf, type Role } from '../../domain/records';
import { checked, LIFECYCLE, refuse, type Refusal } from '../../domain/refusal';

/**
 * The validators of a cloud resource, as pure functions of its state, the jurisdiction's cloud policy,
 * the input and the time: a refusal (forbidden 403, conflict 409, rule 422, with its article and field),
 * or null. Nothing here touches Temporal: the API calls validateApplication before it starts a workflow,
 * the workflow calls validateCloudAction from its Update validator, and test/unit/cloud-validators.test.ts
 * calls both directly. Every article comes from the policy.
 */
export interface CloudView {
  state: CloudResourceState;
  policy: CloudPolicy;
}

/** Who takes the using unit's steps: the unit itself, and for a county's system also the county government that applied. */
export function userRoles(state: Pick<CloudResourceState, 'county'>, policy: CloudPolicy): Role[] {
  return state.county ? ['unit', policy.application.countyApplicant] : ['unit'];
}

/**
 * An application, before its workflow starts: the jurisdiction must have cloud measures, a city unit
 * applies for itself, and a county's unit only through its county government.
 */
export function validateApplication(profile: PolicyProfile, raw: unknown, applicant: Actor): Refusal | null {
  return checked(() => {
    const application = cloudApplicationSchema.parse(raw);
    const cloud = profile.cloud;
    if (!cloud) {
      refuse('rule', seedWithoutArticle(profile), `${profile.jurisdiction} has no government cloud measures: this jurisdiction has no such procedure`, 'jurisdiction');
    }
    const { countyApplicant, rule } = cloud.application;
    if (application.county) {
      if (applicant.role !== countyApplicant) {
        refuse('forbidden', rule, `a county's units apply through their county government (${countyApplicant}), not as ${applicant.role}`, 'county');
      }
      if (!application.unit) refuse('rule', rule, 'a county application names the county unit whose system it is', 'unit');
    } else {
      if (applicant.role !== 'unit') {
        refuse('forbidden', rule, `a city unit applies directly (role unit); ${applicant.role} applies only for a county's units (county: true)`, 'county');
      }
      if (application.unit !== undefined && applicant.unit !== undefined && application.unit !== applicant.unit) {
        refuse('forbidden', rule, `${applicant.unit} applies for itself, not for ${application.unit}`, 'unit');
      }
    }
  });
}

function requireActive({ state }: CloudView): void {
  if (state.status !== 'active') {
    refuse('conflict', state.outcome?.rule ?? LIFECYCLE, `cloud resource ${state.resourceId} has ended (${state.stage}${state.outcome ? `: ${state.outcome.reason}` : ''})`);
  }
}

function notNow({ state }: CloudView, what: string): never {
  const awaiting = state.pending.map((p) => `${p.action}${p.subject ? ` (${p.subject})` : ''} by ${p.roles.join('/')}`);
  refuse('conflict', LIFECYCLE, `${what} is not expected now; cloud resource ${state.resourceId} is at ${state.stage}${awaiting.length ? `, awaiting ${awaiting.join(', ')}` : ''}`, 'action');
}

function requireStage(view: CloudView, action: CloudAction, ...stages: CloudResourceState['stage'][]): void {
  if (!stages.includes(view.state.stage)) notNow(view, `"${action.action}"`);
}

function requireAuthority({ policy }: CloudView, actor: Actor, rule: string, what: string): void {
  if (actor.role !== policy.authority) refuse('forbidden', rule, `${what} is for the cloud's authority (${policy.authority}), not ${actor.role}`, 'actor.role');
}

function requireProvider({ policy }: CloudView, actor: Actor, rule: string, what: string): void {
  if (actor.role !== policy.provider) refuse('forbidden', rule, `${what} is for the cloud provider (${policy.provider}), not ${actor.role}`, 'actor.role');
}

function requireUser({ state, policy }: CloudView, actor: Actor, rule: string, what: string): void {
  const roles = userRoles(state, policy);
  if (!roles.includes(actor.role)) {
    refuse('forbidden', rule, `${what} is for the unit using the cloud (${state.unit})${state.county ? ` or its county government (${policy.application.countyApplicant})` : ''}, not ${actor.role}`, 'actor.role');
  }
  if (actor.role === 'unit' && actor.unit !== undefined && actor.unit !== state.unit) {
    refuse('forbidden', rule, `${actor.unit} is not the unit using cloud resource ${state.resourceId}`, 'actor.unit');
  }
  const county = state.applicant.unit;
  if (actor.role !== 'unit' && county !== undefined && actor.unit !== undefined && actor.unit !== county) {
    refuse('forbidden', rule, `${actor.unit} did not apply for cloud resource ${state.resourceId}`, 'actor.unit');
  }
}

const describe = (r: CloudResources) => `${r.vcpu} vCPU, ${r.memoryGiB} GiB memory, ${r.storageGiB} GiB storage`;

/** An increase adds to at least one dimension and takes from none; a decrease the reverse. */
function requireDirection(direction: 'scaleUp' | 'scaleDown', from: CloudResources, to: CloudResources, rule: string, field: string): void {
  const more = RESOURCE_DIMENSIONS.filter((d) => to[d] > from[d]);
  const less = RESOURCE_DIMENSIONS.filter((d) => to[d] < from[d]);
  if (direction === 'scaleUp' && (more.length === 0 || less.length > 0)) {
    refuse('rule', rule, `an increase asks for more than the ${describe(from)} in use and less of nothing; asked: ${describe(to)}`, field);
  }
  if (direction === 'scaleDown' && (less.length === 0 || more.length > 0)) {
    refuse('rule', rule, `a decrease asks for less than the ${describe(from)} in use and more of nothing; asked: ${describe(to)}`, field);
  }
}

function requireReasons(decision: string, reasons: readonly string[], rule: string): void {
  if (decision !== 'approve' && reasons.length === 0) {
    refuse('rule', rule, `a ${decision === 'reject' ? 'rejection' : 'revision request'} must give its reasons (一次性告知)`, 'reasons');
  }
}

function validateDecision(view: CloudView, action: Extract<CloudAction, { action: 'decide' }>): void {
  const { state, policy } = view;
  switch (action.subject) {
    case 'application': {
      const { rule } = policy.review;
      if (state.stage === 'revision') notNow(view, 'a decision on the application (the applicant is revising it)');
      requireStage(view, action, 'review');
      requireAuthority(view, action.actor, rule, 'the review of an application');
      requireReasons(action.decision, action.reasons, rule);
      if (action.resources) refuse('rule', policy.expertSizing.rule, 'the resources are fixed by the experts after the approval (sizing), not with the decision', 'resources');
      return;
    }
    case 'resize': {
      const { rule } = policy.resize;
      if (state.resize?.status !== 'requested') notNow(view, 'a decision on a resize');
      requireAuthority(view, action.actor, rule, 'the review of a resize');
      if (action.decision === 'requestRevision') refuse('rule', rule, 'a resize is approved or rejected', 'decision');
      requireReasons(action.decision, action.reasons, rule);
      if (action.decision !== 'approve') return;
      const { direction, requested } = state.resize;
      if (direction === 'scaleUp') {
        // An increase follows the application's procedure: reviewed, then sized by experts.
        if (!action.resources) refuse('rule', rule, 'an increase is sized like an application: the approval states the resources the experts fixed', 'resources');
        if (action.experts.length === 0) refuse('rule', rule, 'an increase is sized like an application: name the experts who sized it', 'experts');
      }
      requireDirection(direction, state.allocated!, action.resources ?? requested, rule, 'resources');
      return;
    }
    case 'exit': {
      const { rule } = policy.exit;
      requireStage(view, action, 'exitReview');
      requireAuthority(view, action.actor, rule, 'the review of an exit');
      if (action.decision === 'requestRevision') refuse('rule', rule, 'an exit is approved or rejected', 'decision');
      requireReasons(action.decision, action.reasons, rule);
      return;
    }
  }
}

function validate(view: CloudView, action: CloudAction, now: Date): void {
  const { state, policy } = view;
  const today = businessDateOf(now);
  switch (action.action) {
    case 'decide':
      return validateDecision(view, action);
    case 'revise':
      requireStage(view, action, 'revision');
      return requireUser(view, action.actor, policy.review.rule, 'revising the application');
    case 'size': {
      const { rule } = policy.expertSizing;
      requireStage(view, action, 'sizing');
      requireAuthority(view, action.actor, rule, 'recording the expert sizing');
      if (action.experts.length === 0) refuse('rule', rule, 'the experts who fixed the resources must be named', 'experts');
      return;
    }
    case 'signLetter': {
      const { rule } = policy.responsibilityLetter;
      requireStage(view, action, 'responsibilityLetter');
      requireUser(view, action.actor, rule, 'signing the responsibility letter');
      if (!action.confirmationFormFilled) {
        refuse('rule', rule, 'the opening confirmation form (政务云资源开通情况确认表) must be filled in with the responsibility letter', 'confirmationFormFilled');
      }
      if (action.signedOn > today) refuse('rule', RECORD_INTEGRITY, `the letter cannot be signed on ${action.signedOn}, after today (${today})`, 'signedOn');
      return;
    }
    case 'notifyProvider':
      requireStage(view, action, 'openingNotice');
      return requireAuthority(view, action.actor, policy.opening.rule, 'the notice to open the resources');
    case 'opened':
      requireStage(view, action, 'opening');
      return requireProvider(view, action.actor, policy.opening.rule, 'opening the resources');
    case 'cutover': {
      const { rule } = policy.deployment;
      requireStage(view, action, 'deployment');
      requireUser(view, action.actor, rule, 'reporting the cut-over');
      const missing = cutoverStepSchema.options.filter((step) => !action.completed.includes(step));
      if (missing.length > 0) refuse('rule', rule, `before the cut-over is reported, declare done: ${missing.map((step) => cutoverStepLabels[step]).join('; ')}`, 'completed');
      return;
    }
    case 'fallbackDecommissioned': {
      const { rule, months } = policy.fallback;
      const fallback = state.fallback;
      if (fallback?.decommissionedAt) refuse('conflict', rule, `the old system was already reported decommissioned at ${fallback.decommissionedAt}`, 'action');
      requireStage(view, action, 'inService', 'exitReview');
      requireUser(view, action.actor, rule, 'reporting the old system decommissioned');
      if (fallback && now.getTime() < Date.parse(fallback.allowedFromAt)) {
        refuse('rule', rule, `the old system is kept at least ${months} months after the cut-over on ${fallback.cutoverOn} as the fallback (through ${fallback.keptUntil}): it may be reported decommissioned from ${fallback.allowedFrom} (earliest allowed date)`, 'action');
      }
      return;
    }
    case 'requestResize': {
      const { rule } = policy.resize;
      if (state.stage === 'inService' && state.resize) notNow(view, `a resize (resize ${state.resize.resizeNo} is ${state.resize.status})`);
      requireStage(view, action, 'inService');
      requireUser(view, action.actor, rule, 'asking for a resize');
      return requireDirection(action.direction, state.allocated!, action.resources, rule, 'resources');
    }
    case 'resizeApplied':
      if (state.resize?.status !== 'approved') notNow(view, '"resizeApplied"');
      return requireProvider(view, action.actor, policy.resize.rule, 'carrying out a resize');
    case 'requestExit':
      if (state.stage === 'inService' && state.resize) notNow(view, `an exit while resize ${state.resize.resizeNo} is ${state.resize.status}`);
      requireStage(view, action, 'inService');
      return requireUser(view, action.actor, policy.exit.rule, 'applying to exit');
    case 'migrationComplete':
      if (state.exit?.migratedAt) refuse('conflict', policy.exit.rule, `the migration was already reported at ${state.exit.migratedAt}`, 'action');
      requireStage(view, action, 'migration', 'dataErasure');
      return requireUser(view, action.actor, policy.exit.rule, 'reporting the data migrated');
    case 'dataErasure': {
      const { rule } = policy.exit;
      requireStage(view, action, 'migration', 'dataErasure');
      const byUser = userRoles(state, policy).includes(action.actor.role);
      if (!byUser && action.actor.role !== policy.provider) {
        refuse('forbidden', rule, `the data are erased jointly by the unit using the cloud and the cloud provider (${policy.provider}), not ${action.actor.role}`, 'actor.role');
      }
      if (byUser) requireUser(view, action.actor, rule, 'confirming the erasure');
      const window = state.exit?.migrationWindow;
      if (state.stage === 'migration') {
        refuse('rule', rule, `the data are erased after the ${policy.exit.migrationWorkingDays}-working-day migration window${window ? `, which ends with ${window.date}: erasure is allowed from ${window.endsAt}` : ''}`, 'action');
      }
      const done = byUser ? state.exit?.erasedByUnit : state.exit?.erasedByProvider;
      if (done) refuse('conflict', rule, `the ${byUser ? 'unit' : 'provider'} already confirmed the erasure at ${done.at}`, 'action');
      return;
    }
    case 'reclamation':
      requireStage(view, action, 'reclamation');
      return requireProvider(view, action.actor, policy.exit.rule, 'reclaiming the resources');
  }
}

/** Any step of a resource (the `cloudAction` Update). */
export function validateCloudAction(view: CloudView, raw: unknown, now: Date): Refusal | null {
  return checked(() => {
    requireActive(view);
    validate(view, cloudActionInputSchema.parse(raw), now);
  });
}
