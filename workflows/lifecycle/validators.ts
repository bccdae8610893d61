import {
  changeDecisionInputSchema,
  changeRequestInputSchema,
  closeInputSchema,
  contractSigningRefusal,
  contractsOf,
  decideInputSchema,
  deficiencyInputSchema,
  deferralDecisionInputSchema,
  deferralRequestInputSchema,
  evaluationInputSchema,
  omServiceContractInputSchema,
  postponementInputSchema,
  problemInputSchema,
  problemReportInputSchema,
  problemVerdictInputSchema,
  rectificationConfirmedInputSchema,
  submitInputSchema,
  terminateInputSchema,
  yearlyReportInputSchema,
  healthEndpointInputSchema,
  healthReportInputSchema,
  RECORD_INTEGRITY,
  type Actor,
} from '../../domain/lifecycle';
import { roleLabels, stageLabels } from '../../domain/labels';
import { CONFIGURABLE_VALUE, isStatutory, seedWithoutArticle, yearlyReportsOf, type DocumentRequirement, type ImplementationStage } from '../../domain/policy/profile';
import { yuanAmount, type ProjectStage } from '../../domain/project';
import { businessDateOf } from '../../domain/records';
import { checked, LIFECYCLE, refuse, type Refusal } from '../../domain/refusal';
import type { LifecycleRun } from './run';

/**
 * The update validators of a project, as pure functions of what the project is now, its profile and
 * the input: a refusal, or null. Nothing here touches Temporal, so they are unit-tested directly
 * (test/unit/lifecycle-validators.test.ts); the workflow calls them from its validators, where a
 * refusal keeps the update out of history.
 */
export type LifecycleView = Pick<LifecycleRun, 'state' | 'profile' | 'stages' | 'currentReview' | 'currentSubmission' | 'inbox' | 'completedAt'>;

/** A procedure the jurisdiction's seed does not have (termination in Nanfeng, closure in Yiyang …). */
function noSuchProcedure({ profile }: LifecycleView, procedure: string): never {
  refuse('rule', seedWithoutArticle(profile), `${profile.jurisdiction} (seed ${profile.seed}) has no ${procedure}: this jurisdiction has no such procedure`);
}

function requireActive({ state }: LifecycleView): void {
  if (state.status !== 'active') refuse('conflict', state.outcome?.rule ?? LIFECYCLE, `project ${state.projectId} has ended (${state.stage})`);
}

/** A project postponed for lagging spending takes no step on its path until it is resumed (003 §12). */
function requireNotPostponed({ state, profile }: LifecycleView): void {
  const { postponement } = state;
  if (postponement) {
    refuse('conflict', postponement.rule, `implementation is postponed since ${postponement.since} (${postponement.reasons.join('; ')}); ${profile.postponement?.role ?? 'the deciding role'} resumes it`, 'stage');
  }
}

function requireUnitActor({ state }: LifecycleView, actor: Actor, rule: string): void {
  if (actor.role !== 'unit') refuse('forbidden', rule, `only the construction unit may do this; ${actor.role} may not`, 'actor.role');
  if (actor.unit !== undefined && actor.unit !== state.unit) refuse('forbidden', rule, `${actor.unit} is not the construction unit of ${state.projectId}`, 'actor.unit');
}

export function validateDecision(view: LifecycleView, raw: unknown, now: Date): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, inbox } = view;
    const decision = decideInputSchema.parse(raw);
    const pending = state.pending;
    const justDecided = state.stage === decision.stage && pending?.kind !== 'review' ? [...state.timeline].reverse().find((t) => t.stage === decision.stage && t.kind === 'decision') : undefined;
    if (justDecided) {
      // The loser of two reviewers deciding at once: say what was decided, not "no open review here".
      refuse('conflict', LIFECYCLE, `the review at ${decision.stage} was already decided: ${justDecided.decision} by ${justDecided.actorRole} at ${justDecided.at}`, 'stage');
    }
    if (!pending || pending.kind !== 'review' || pending.stage !== decision.stage) {
      refuse('conflict', LIFECYCLE, `there is no open review at stage ${decision.stage}; the project is at ${state.stage}${pending ? ` awaiting ${pending.kind} by ${pending.role}` : ''}`, 'stage');
    }
    if (inbox.decision) refuse('conflict', LIFECYCLE, `a decision on ${decision.stage} is already being recorded`);
    const def = view.currentReview;
    if (!def) refuse('conflict', LIFECYCLE, `no review is open`);
    requireNotPostponed(view);
    // A co-signed decision is awaited from each signer in turn (003 §20); the open review names whose turn it is.
    const signer = def.coSigners ? pending.role : def.role;
    if (decision.actor.role !== signer) {
      const signers = def.coSigners ? `${[def.role, ...def.coSigners.roles].join(' then ')} sign it; now awaited from ${signer} (${roleLabels[signer]})` : `decided by ${def.role} (${roleLabels[def.role]})`;
      refuse('forbidden', def.coSigners?.rule ?? def.rule, `${stageLabels[def.id as ProjectStage]} is ${signers}, not ${decision.actor.role}`, 'actor.role');
    }
    if (signer === 'unit') requireUnitActor(view, decision.actor, def.rule);
    if (def.role === 'county' && decision.actor.unit !== state.county) {
      refuse('forbidden', def.rule, `${decision.actor.unit ?? 'this county'} is not the county of ${state.projectId}`, 'actor.unit');
    }
    if (!def.decisions.includes(decision.decision)) refuse('rule', def.rule, `decision "${decision.decision}" is not available at ${def.id}; allowed: ${def.decisions.join(', ')}`, 'decision');
    if (decision.decision !== 'approve' && decision.reasons.length === 0) {
      refuse('rule', def.rule, `a ${decision.decision === 'reject' ? 'rejection' : 'revision request'} must give its reasons (一次性告知)`, 'reasons');
    }
    if (def.expertsRequired && decision.experts.length === 0) {
      refuse('rule', def.expertsRequired.rule, `the review meeting's experts, drawn from the expert library, must be recorded`, 'experts');
    }
    if (def.refusalGrounds && decision.decision === 'reject') {
      const unknown = decision.refusalGrounds.filter((code) => !def.refusalGrounds!.codes.includes(code));
      if (decision.refusalGrounds.length === 0 || unknown.length > 0) {
        refuse('rule', def.refusalGrounds.rule, `a refusal must cite grounds from: ${def.refusalGrounds.codes.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`, 'refusalGrounds');
      }
    }
    const today = businessDateOf(now);
    if (def.onReject === 'rectify' && decision.decision === 'reject') {
      // 001 §28 限期整改: the deciding body sets the time limit with its decision.
      const { rule } = view.profile.acceptance.rectification;
      if (!decision.rectifyBy) refuse('rule', rule, 'a failed acceptance sets the date by which the unit must rectify (rectifyBy)', 'rectifyBy');
      if (decision.rectifyBy <= today) refuse('rule', rule, `the rectification date ${decision.rectifyBy} must be after today (${today})`, 'rectifyBy');
    }
    if (decision.decision === 'approve') {
      const missing = (def.approvalRequiresDocuments ?? []).filter((required) => !state.documents.some((d) => d.kind === required.kind));
      if (missing.length > 0) {
        refuse('rule', missing[0]!.rule, `not approvable yet: ${documentList(missing)} must be handed in first — the unit attaches it to a revision (requestRevision)`, 'decision');
      }
    }
    if (def.approvalSetsAcceptanceDue && decision.decision === 'approve') {
      const { rule } = def.approvalSetsAcceptanceDue;
      if (!decision.acceptanceDueBy) refuse('rule', rule, 'the approval sets the date by which the project is to be accepted (acceptanceDueBy)', 'acceptanceDueBy');
      if (decision.acceptanceDueBy <= today) refuse('rule', rule, `the acceptance date ${decision.acceptanceDueBy} must be after today (${today})`, 'acceptanceDueBy');
    } else if (decision.acceptanceDueBy) {
      refuse('rule', LIFECYCLE, `acceptanceDueBy is set only by an approval that fixes the acceptance date${def.approvalSetsAcceptanceDue ? '' : `; ${def.id} fixes none`}`, 'acceptanceDueBy');
    }
    if (def.approvalSetsTenderCeiling && decision.decision === 'approve') {
      if (decision.tenderCeilingFen === undefined) refuse('rule', def.approvalSetsTenderCeiling.rule, 'the approval of the service plan fixes the reviewed tender ceiling price (tenderCeilingFen)', 'tenderCeilingFen');
    } else if (decision.tenderCeilingFen !== undefined) {
      refuse('rule', LIFECYCLE, `tenderCeilingFen is set only by the approval that reviews the tender ceiling price; ${def.id} reviews none`, 'tenderCeilingFen');
    }
    const report = def.decisionReport;
    const reused = decision.documents.find((d) => state.documents.some((known) => known.documentId === d.documentId));
    if (reused) refuse('rule', report?.rule ?? LIFECYCLE, `document ${reused.documentId} was handed in before (at ${state.documents.find((d) => d.documentId === reused.documentId)!.stage}): a decision hands in its own`, 'documentIds');
    if (report && decision.decision !== 'requestRevision' && !decision.documents.some((d) => d.kind === report.kind)) {
      refuse('rule', report.rule, `the decision hands in ${documentList([report])}: upload it (POST /projects/${state.projectId}/documents?kind=${report.kind}) and name it in documentIds`, 'documentIds');
    }
    const lastSigned = contractsOf(state).map((c) => c.signedDate).sort().pop();
    if (def.finalAcceptance && decision.decision === 'approve' && lastSigned && today < lastSigned) {
      refuse('rule', RECORD_INTEGRITY, `acceptance on ${today} cannot precede the contract's signing on ${lastSigned}`, 'decision');
    }
  });
}

export function validateSubmission(view: LifecycleView, raw: unknown, now: Date): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, inbox, profile } = view;
    const submission = submitInputSchema.parse(raw);
    const pending = state.pending;
    if (inbox.submission) refuse('conflict', LIFECYCLE, 'a submission is already being recorded');
    requireNotPostponed(view);
    const gate = profile.procurementGate;
    if (submission.action === 'contract' && gate && !view.completedAt[gate.afterStage]) {
      // No tender, procurement or contract before the technical review has passed (004 §8 未经通过技术性审查的项目,不予招标采购).
      refuse('rule', gate.rule, `no tender or procurement before ${stageLabels[gate.afterStage as ProjectStage]} (${gate.afterStage}) has passed; the project is at ${state.stage}`, 'action');
    }
    if (submission.action === 'revision') {
      if (!pending || (pending.kind !== 'revision' && pending.kind !== 'rectification')) {
        refuse('conflict', LIFECYCLE, `nothing awaits a revision; the project is at ${state.stage}`, 'action');
      }
    } else if (!pending || pending.action !== submission.action || (pending.kind !== 'submission' && pending.kind !== 'implementation')) {
      refuse('conflict', LIFECYCLE, `"${submission.action}" is not expected now; the project is at ${state.stage}${pending?.action ? ` awaiting "${pending.action}"` : ''}`, 'action');
    }
    const rule = pending.rule ?? LIFECYCLE;
    requireUnitActor(view, submission.actor, rule);
    if (pending.notBeforeAt && now.getTime() < Date.parse(pending.notBeforeAt)) {
      // Where the seed requires the trial run without its length (002 (七)), the message names the duty's section too.
      const duty = !isStatutory(rule) && view.currentSubmission ? ` (required by ${view.currentSubmission.rule}; its length is a ${rule})` : '';
      refuse('rule', rule, `the trial run is not over${duty}: ${submission.action} is allowed from ${pending.notBeforeDate} (earliest allowed date)`, 'action');
    }
    const def = view.currentSubmission;
    if (def?.preconditions && submission.action === 'acceptanceApplication') {
      const missing = def.preconditions.filter((p) => !submission.preconditionsMet.includes(p.id));
      if (missing.length > 0) {
        refuse('rule', missing[0]!.rule, `acceptance preconditions missing: ${missing.map((p) => `${p.label} [${p.rule}]`).join('; ')}`, 'preconditionsMet');
      }
    }
    if (def?.documents && submission.action === def.action) {
      const missing = def.documents.filter((required) => ![...state.documents, ...submission.documents].some((d) => d.kind === required.kind));
      if (missing.length > 0) {
        refuse('rule', missing[0]!.rule, `documents missing: ${documentList(missing)}; upload each (POST /projects/${state.projectId}/documents?kind=…) and name it in documentIds`, 'documentIds');
      }
    }
    if (def?.designAgencyRequired && !submission.designAgency) {
      refuse('rule', def.designAgencyRequired.rule, 'the preliminary design must be written by a professional agency (designAgency)', 'designAgency');
    }
    if (submission.action !== 'contract' && (submission.contract || submission.contracts)) {
      refuse('rule', rule, `a contract is filed with the action "contract", not with "${submission.action}"`, submission.contract ? 'contract' : 'contracts');
    }
    if (submission.action !== 'contract' && submission.supervisor) refuse('rule', rule, `the supervision firm is named with the contract filing, not with "${submission.action}"`, 'supervisor');
    if (submission.action === 'contract') {
      if (submission.contract && submission.contracts) refuse('rule', rule, 'file either one contract (contract) or the contracts of the lots (contracts), not both', 'contracts');
      if (!submission.contract && !submission.contracts) refuse('rule', rule, 'the contract (contractId, contractor, sumFen, omYears, signedDate) is required', 'contract');
      if (def?.supervision && !submission.supervisor) {
        refuse('rule', def.supervision.rule, 'the project is under engineering supervision (工程监理制): name the supervision firm engaged (supervisor)', 'supervisor');
      }
      const lots = submission.contracts ?? [submission.contract!];
      const field = (index: number, name: string) => (submission.contracts ? `contracts.${index}.${name}` : `contract.${name}`);
      const ids = lots.map((lot) => lot.contractId);
      const twice = ids.find((id, index) => ids.indexOf(id) !== index);
      if (twice) refuse('rule', rule, `contract ${twice} is listed twice: each lot has its own contract`, 'contracts');
      lots.forEach((lot, index) => {
        const signing = contractSigningRefusal(lot.signedDate, businessDateOf(now));
        if (signing) refuse('rule', RECORD_INTEGRITY, signing, field(index, 'signedDate'));
        const { min, max } = profile.omPeriod;
        const { omYears, omLegalBasis } = lot;
        if (min && omYears < min.years && !(min.exceptionWithLegalBasis && omLegalBasis)) {
          refuse('rule', min.rule, `the contract's O&M period must be at least ${min.years} years, not ${omYears}${min.exceptionWithLegalBasis ? ', unless a law, regulation or upper-level policy provides otherwise (state it in omLegalBasis)' : ''}`, field(index, 'omYears'));
        }
        if (max && omYears > max.years) refuse('rule', max.rule, `an O&M service contract runs at most ${max.years} years, not ${omYears}`, field(index, 'omYears'));
      });
      const total = lots.reduce((sum, lot) => sum + lot.sumFen, 0);
      if (def?.withinTenderCeiling && state.tenderCeilingFen !== null && total > state.tenderCeilingFen) {
        refuse('rule', def.withinTenderCeiling.rule, `the contract sum ${yuanText(total)} exceeds the reviewed tender ceiling price ${yuanText(state.tenderCeilingFen)} (招标控制价)`, submission.contracts ? 'contracts' : 'contract.sumFen');
      }
    }
  });
}

const yuanText = (fen: number) => `${yuanAmount(fen)} 元`;

const documentList = (documents: readonly DocumentRequirement[]) => documents.map((d) => `${d.label} [${d.kind}, ${d.rule}]`).join('; ');

/** The acceptance application is made, or being recorded: a deferral has nothing left to move. */
const acceptanceApplied = ({ state, completedAt, inbox }: LifecycleView) =>
  Boolean(completedAt.acceptanceApplication || state.acceptedOn || inbox.submission?.action === 'acceptanceApplication');

/** A deferral of the acceptance date, applied for by the unit with its reasons (004 §16 ¶2). */
export function validateDeferralRequest(view: LifecycleView, raw: unknown, now: Date): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile } = view;
    const request = deferralRequestInputSchema.parse(raw);
    const procedure = profile.acceptanceDeferral;
    if (!procedure) noSuchProcedure(view, 'deferral of acceptance');
    const { rule } = procedure;
    if (!view.stages.some((s) => s.kind === 'review' && s.approvalSetsAcceptanceDue)) noSuchProcedure(view, 'acceptance date on this path');
    requireUnitActor(view, request.actor, rule);
    if (!state.acceptanceDue) refuse('conflict', rule, `the project has no acceptance date yet: its approval sets one; the project is at ${state.stage}`, 'stage');
    if (acceptanceApplied(view)) refuse('conflict', rule, 'the acceptance application is already made: nothing to defer', 'stage');
    const open = state.deferrals.find((d) => d.status === 'pending');
    if (open) refuse('conflict', rule, `deferral ${open.deferralId} is awaiting the decision of ${procedure.role}`, 'deferralId');
    const today = businessDateOf(now);
    const after = state.acceptanceDue.date > today ? state.acceptanceDue.date : today;
    if (request.proposedDate <= after) refuse('rule', rule, `the date asked for (${request.proposedDate}) must be after ${after === today ? `today (${today})` : `the acceptance date now set (${after})`}`, 'proposedDate');
  });
}

export function validateDeferralDecision(view: LifecycleView, raw: unknown, now: Date): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile } = view;
    const decision = deferralDecisionInputSchema.parse(raw);
    const procedure = profile.acceptanceDeferral;
    if (!procedure) noSuchProcedure(view, 'deferral of acceptance');
    const { rule, role } = procedure;
    if (decision.actor.role !== role) refuse('forbidden', rule, `a deferral is decided by ${role} (${roleLabels[role]}), not ${decision.actor.role}`, 'actor.role');
    const deferral = state.deferrals.find((d) => d.deferralId === decision.deferralId);
    if (!deferral) refuse('rule', rule, `no deferral ${decision.deferralId}`, 'deferralId');
    if (deferral.status !== 'pending') refuse('conflict', rule, `deferral ${decision.deferralId} is already ${deferral.status}`, 'deferralId');
    if (acceptanceApplied(view)) refuse('conflict', rule, 'the acceptance application is already made: nothing to defer', 'deferralId');
    if (decision.decision === 'reject' && decision.reasons.length === 0) refuse('rule', rule, 'a refused deferral gives its reasons', 'reasons');
    if (decision.decision === 'reject' && decision.acceptanceDueBy) refuse('rule', rule, 'a refused deferral sets no date', 'acceptanceDueBy');
    const today = businessDateOf(now);
    if (decision.decision === 'approve' && (decision.acceptanceDueBy ?? deferral.proposedDate) <= today) {
      refuse('rule', rule, `the new acceptance date must be after today (${today})`, 'acceptanceDueBy');
    }
  });
}

/** An O&M service contract after the warranty, filed by the unit during O&M, at most the profile's years (004 §13). */
export function validateOmServiceContract(view: LifecycleView, raw: unknown, now: Date): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile } = view;
    const input = omServiceContractInputSchema.parse(raw);
    const procedure = profile.omServiceContracts;
    if (!procedure) noSuchProcedure(view, 'filing of O&M service contracts');
    const { maxYears, rule } = procedure;
    if (state.pending?.kind !== 'evaluation') refuse('conflict', rule, `O&M service contracts are filed during O&M; the project is at ${state.stage}`, 'stage');
    requireUnitActor(view, input.actor, rule);
    if (input.years > maxYears) refuse('rule', rule, `an O&M service contract runs at most ${maxYears} years, not ${input.years}`, 'years');
    const signing = contractSigningRefusal(input.signedDate, businessDateOf(now));
    if (signing) refuse('rule', RECORD_INTEGRITY, signing, 'signedDate');
    if (state.omServiceContracts.some((c) => c.contractId === input.contractId)) refuse('conflict', rule, `O&M service contract ${input.contractId} is already filed`, 'contractId');
  });
}

/** A deficiency of the system in service, recorded while it is in O&M (004 §17). */
export function validateDeficiency(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile } = view;
    const input = deficiencyInputSchema.parse(raw);
    const restriction = profile.developmentRestriction;
    if (!restriction) noSuchProcedure(view, 'restriction for deficient systems');
    const { role, rule, grounds } = restriction;
    if (input.actor.role !== role) refuse('forbidden', rule, `a deficient system is recorded by ${role} (${roleLabels[role]}), not ${input.actor.role}`, 'actor.role');
    if (state.pending?.kind !== 'evaluation') refuse('conflict', rule, `a deficiency is recorded against a system in service; the project is at ${state.stage}`, 'stage');
    if (!grounds.includes(input.ground)) refuse('rule', rule, `the grounds are: ${grounds.join(', ')}`, 'ground');
    const open = state.deficiencies.find((d) => d.status === 'open' && d.ground === input.ground);
    if (open) refuse('conflict', rule, `deficiency ${open.deficiencyId} (${open.ground}) is already open`, 'ground');
  });
}

export function validateRectificationConfirmed(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile } = view;
    const input = rectificationConfirmedInputSchema.parse(raw);
    const restriction = profile.developmentRestriction;
    if (!restriction) noSuchProcedure(view, 'restriction for deficient systems');
    const { role, rule } = restriction;
    if (input.actor.role !== role) refuse('forbidden', rule, `the rectification is confirmed by ${role} (${roleLabels[role]}), not ${input.actor.role}`, 'actor.role');
    const deficiency = state.deficiencies.find((d) => d.deficiencyId === input.deficiencyId);
    if (!deficiency) refuse('rule', rule, `no deficiency ${input.deficiencyId}`, 'deficiencyId');
    if (deficiency.status !== 'open') refuse('conflict', rule, `deficiency ${input.deficiencyId} is already rectified`, 'deficiencyId');
  });
}

const implementationOpen = ({ state }: LifecycleView) => state.stage === 'implementation' && state.pending?.kind === 'implementation';
const implementationStage = ({ stages }: LifecycleView) => stages.find((s) => s.id === 'implementation') as ImplementationStage | undefined;

export function validateChangeRequest(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const request = changeRequestInputSchema.parse(raw);
    const changes = implementationStage(view)?.changes;
    if (!changes) noSuchProcedure(view, 'change procedure on this path');
    if (!implementationOpen(view)) refuse('conflict', changes.rule, `changes are requested during implementation; the project is at ${view.state.stage}`, 'stage');
    requireUnitActor(view, request.actor, changes.rule);
    requireNotPostponed(view);
    const { grounds } = changes;
    if (grounds && !(request.ground && grounds.codes.includes(request.ground))) {
      refuse('rule', grounds.rule, `a content adjustment is asked for on one of the grounds: ${grounds.codes.join(', ')}`, 'ground');
    }
    if (!grounds && request.ground) refuse('rule', changes.rule, `${view.profile.jurisdiction} lists no grounds for a change: leave ground out`, 'ground');
  });
}

export function validateChangeDecision(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, inbox } = view;
    const decision = changeDecisionInputSchema.parse(raw);
    const changes = implementationStage(view)?.changes;
    if (!changes) noSuchProcedure(view, 'change procedure on this path');
    const { procedure, role, rule } = changes;
    const change = state.changeRequests.find((c) => c.changeId === decision.changeId);
    if (!change) refuse('rule', rule, `no change request ${decision.changeId}`, 'changeId');
    if (!implementationOpen(view)) refuse('conflict', rule, `change requests are decided during implementation; the project is at ${state.stage}`, 'stage');
    if (change.status !== 'pending' || inbox.changeDecisions.some((d) => d.changeId === decision.changeId)) {
      refuse('conflict', rule, `change request ${decision.changeId} is already decided`, 'changeId');
    }
    if (decision.actor.role !== role) refuse('forbidden', rule, `change requests are ${procedure === 'filing' ? 'filed with' : 'decided by'} ${role}, not ${decision.actor.role}`, 'actor.role');
    if (procedure === 'filing' && decision.decision !== 'file') {
      refuse('rule', rule, `a change here is filed (备案), not approved or rejected: record it with decision "file"`, 'decision');
    }
    if (procedure === 'approval' && decision.decision === 'file') refuse('rule', rule, 'a change here is approved or rejected, not only filed', 'decision');
    if (decision.decision === 'reject' && decision.reasons.length === 0) refuse('rule', rule, 'a rejected change must give its reasons', 'reasons');
    if (changes.expertReview && decision.decision === 'approve' && decision.experts.length === 0) {
      refuse('rule', changes.expertReview.rule, 'a content adjustment is approved after an expert review: name the experts (experts)', 'experts');
    }
  });
}

export function validateTermination(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const termination = terminateInputSchema.parse(raw);
    const procedure = view.profile.termination;
    if (!procedure) noSuchProcedure(view, 'termination article');
    const { rule } = procedure;
    if (!procedure.duringStages.includes(view.state.stage)) refuse('conflict', rule, `termination applies during ${procedure.duringStages.join(', ')}; the project is at ${view.state.stage}`, 'stage');
    if (termination.actor.role !== procedure.role) refuse('forbidden', rule, `a project is terminated here by ${procedure.role} (${roleLabels[procedure.role]}), not ${termination.actor.role}`, 'actor.role');
    if (procedure.role === 'unit') requireUnitActor(view, termination.actor, rule);
    if (!procedure.grounds.includes(termination.ground)) refuse('rule', rule, `the grounds of termination are: ${procedure.grounds.join(', ')}`, 'ground');
    if (view.inbox.termination) refuse('conflict', rule, 'a termination is already being recorded');
  });
}

export function validateEvaluation(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile, inbox } = view;
    const evaluation = evaluationInputSchema.parse(raw);
    const { role, rule } = profile.operations.evaluation;
    if (state.pending?.kind !== 'evaluation') refuse('conflict', rule, `yearly evaluations are recorded during O&M; the project is at ${state.stage}`, 'stage');
    if (evaluation.actor.role !== role) refuse('forbidden', rule, `evaluations are recorded by ${role}, not ${evaluation.actor.role}`, 'actor.role');
    if (evaluation.actor.role === 'unit') requireUnitActor(view, evaluation.actor, rule);
    if (evaluation.year > state.omYear) refuse('rule', rule, `O&M year ${evaluation.year} has not begun (current year ${state.omYear})`, 'year');
    if (!evaluation.passed && evaluation.reasons.length === 0) refuse('rule', rule, 'a failed evaluation must give its reasons', 'reasons');
    if (inbox.evaluation) refuse('conflict', rule, 'an evaluation is already being recorded');
  });
}

export function validateClose(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile, inbox } = view;
    const close = closeInputSchema.parse(raw);
    const { closure, retirement } = profile.operations;
    if (close.kind === 'closure' && !closure) noSuchProcedure(view, 'closure letter');
    if (close.kind === 'retirement' && !retirement) noSuchProcedure(view, 'retirement article');
    const rule = close.kind === 'closure' ? closure!.rule : retirement!.rule;
    if (state.pending?.kind !== 'evaluation' && state.pending?.kind !== 'retirement') refuse('conflict', rule, `a system is closed or retired during O&M; the project is at ${state.stage}`, 'stage');
    if (inbox.close) refuse('conflict', rule, 'a closure is already being recorded');
    const open = state.deficiencies.filter((d) => d.status === 'open');
    if (open.length > 0) {
      // The restriction on the unit lifts only with the rectification (004 §17, 001 §35): an ended system could never be rectified.
      refuse('conflict', profile.developmentRestriction?.rule ?? rule, `deficiencies ${open.map((d) => d.deficiencyId).join(', ')} are open: their rectification is confirmed before the system is ${close.kind === 'closure' ? 'closed' : 'retired'}`, 'stage');
    }
    if (close.kind === 'closure' && close.actor.role !== closure!.role) refuse('forbidden', rule, `a closure letter is issued by ${closure!.role}, not ${close.actor.role}`, 'actor.role');
    if (close.kind === 'retirement') {
      // A system whose forced-exit window ended may also be retired by the bureau that monitors it (002 (二)), so it cannot linger.
      const byMonitor = state.pending?.kind === 'retirement' && close.actor.role === profile.monitoring?.reportedBy;
      if (!byMonitor) requireUnitActor(view, close.actor, rule);
      if (!close.dataDisposition) refuse('rule', rule, 'retirement must record what was done with the data (backed up, migrated or destroyed)', 'dataDisposition');
    }
  });
}

/** Implementation postponed while the unit's spending lags, or resumed (003 §12). */
export function validatePostponement(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile } = view;
    const input = postponementInputSchema.parse(raw);
    const procedure = profile.postponement;
    if (!procedure) noSuchProcedure(view, 'postponement for lagging spending');
    const { role, rule, duringStages } = procedure;
    if (input.actor.role !== role) refuse('forbidden', rule, `a project is postponed or resumed by ${role} (${roleLabels[role]}), not ${input.actor.role}`, 'actor.role');
    if (view.inbox.decision || view.inbox.submission) refuse('conflict', rule, 'a step of the path is being recorded: postpone once it is', 'action');
    if (input.action === 'postpone') {
      if (state.postponement) refuse('conflict', rule, `implementation is already postponed since ${state.postponement.since}`, 'action');
      if (!duringStages.includes(state.stage)) refuse('conflict', rule, `a project is postponed once its money is being spent (${duringStages.join(', ')}); it is at ${state.stage}`, 'stage');
    } else if (!state.postponement) {
      refuse('conflict', rule, 'implementation is not postponed: nothing to resume', 'action');
    }
  });
}

/** A problem found in supervision, once the project has its contract (003 §30–31). */
export function validateProblem(view: LifecycleView, raw: unknown, now: Date): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile } = view;
    const input = problemInputSchema.parse(raw);
    const procedure = profile.problems;
    if (!procedure) noSuchProcedure(view, 'rectification of problems found in supervision');
    const { role, rule, kinds } = procedure;
    if (input.actor.role !== role) refuse('forbidden', rule, `problems are recorded by ${role} (${roleLabels[role]}), not ${input.actor.role}`, 'actor.role');
    if (contractsOf(state).length === 0) refuse('conflict', rule, `supervision checks the project under its contract; the project is at ${state.stage}, with no contract yet`, 'stage');
    if (!kinds.includes(input.kind)) refuse('rule', rule, `the problems are: ${kinds.join(', ')}`, 'kind');
    const today = businessDateOf(now);
    if (input.rectifyBy <= today) refuse('rule', rule, `the rectification date ${input.rectifyBy} must be after today (${today})`, 'rectifyBy');
  });
}

const problemOf = ({ state }: LifecycleView, problemId: number, rule: string) => {
  const problem = state.problems.find((p) => p.problemId === problemId);
  if (!problem) refuse('rule', rule, `no problem ${problemId}`, 'problemId');
  return problem;
};

/** The unit reports the rectification of an open problem. */
export function validateProblemReport(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const input = problemReportInputSchema.parse(raw);
    const procedure = view.profile.problems;
    if (!procedure) noSuchProcedure(view, 'rectification of problems found in supervision');
    requireUnitActor(view, input.actor, procedure.rule);
    const problem = problemOf(view, input.problemId, procedure.rule);
    if (problem.status !== 'open') refuse('conflict', procedure.rule, `problem ${problem.problemId} is ${problem.status === 'closed' ? 'closed' : 'reported, awaiting the verdict'}`, 'problemId');
  });
}

/** The department's verdict on a reported rectification. */
export function validateProblemVerdict(view: LifecycleView, raw: unknown, now: Date): Refusal | null {
  return checked(() => {
    requireActive(view);
    const input = problemVerdictInputSchema.parse(raw);
    const procedure = view.profile.problems;
    if (!procedure) noSuchProcedure(view, 'rectification of problems found in supervision');
    const { role, rule } = procedure;
    if (input.actor.role !== role) refuse('forbidden', rule, `a rectification is judged by ${role} (${roleLabels[role]}), not ${input.actor.role}`, 'actor.role');
    const problem = problemOf(view, input.problemId, rule);
    if (problem.status !== 'reported') refuse('conflict', rule, `problem ${problem.problemId} has no rectification awaiting a verdict (it is ${problem.status})`, 'problemId');
    if (!input.accepted) {
      if (input.reasons.length === 0) refuse('rule', rule, 'a rectification found short gives its reasons', 'reasons');
      const today = businessDateOf(now);
      if (!input.rectifyBy) refuse('rule', rule, 'a rectification found short sets the new date by which to rectify (rectifyBy)', 'rectifyBy');
      if (input.rectifyBy <= today) refuse('rule', rule, `the rectification date ${input.rectifyBy} must be after today (${today})`, 'rectifyBy');
    } else if (input.rectifyBy) {
      refuse('rule', rule, 'an accepted rectification sets no new date', 'rectifyBy');
    }
  });
}

/** The reports of the O&M year, each of a kind the profile requires and handed in by one of its filers (003 §28, §33). */
export function validateYearlyReport(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile } = view;
    const input = yearlyReportInputSchema.parse(raw);
    const items = yearlyReportsOf(profile, state);
    if (!items.length) noSuchProcedure(view, profile.yearlyReports?.length ? 'yearly reports for this project' : 'yearly reports');
    if (state.pending?.kind !== 'evaluation') refuse('conflict', items[0]!.rule, `yearly reports are handed in during O&M; the project is at ${state.stage}`, 'stage');
    input.documents.forEach((document, index) => {
      if (state.documents.some((known) => known.documentId === document.documentId)) {
        refuse('rule', items[0]!.rule, `document ${document.documentId} was handed in before: each year's report is a new document`, `documentIds.${index}`);
      }
      const item = items.find((i) => i.kind === document.kind);
      if (!item) refuse('rule', items[0]!.rule, `${document.kind} is not a yearly report; the reports are: ${items.map((i) => i.kind).join(', ')}`, `documentIds.${index}`);
      if (!item.filedBy.includes(input.actor.role)) refuse('forbidden', item.rule, `${item.label} is handed in by ${item.filedBy.join(' or ')}, not ${input.actor.role}`, 'actor.role');
    });
    if (input.actor.role === 'unit') requireUnitActor(view, input.actor, items[0]!.rule);
  });
}

/** The unit declares its system's health endpoint, called by the monthly monitoring (002 (二)); during a forced exit, the bureau. */
export function validateHealthEndpoint(view: LifecycleView, raw: unknown): Refusal | null {
  return checked(() => {
    requireActive(view);
    const input = healthEndpointInputSchema.parse(raw);
    const policy = view.profile.monitoring;
    if (!policy) noSuchProcedure(view, 'monitoring of systems');
    // On the forced-exit path the endpoint is what the recovery is judged by: only the bureau changes it then.
    if (view.state.monitoring?.forcedExit?.status === 'open') {
      if (input.actor.role !== policy.reportedBy) refuse('forbidden', policy.rule, `during a forced exit the health endpoint is changed by ${policy.reportedBy}, not ${input.actor.role}`, 'actor.role');
    } else {
      requireUnitActor(view, input.actor, policy.rule);
    }
  });
}

/** A recheck by the unit, or a month reported by hand by the review office, of a system in operation (002 (二)). */
export function validateHealthReport(view: LifecycleView, raw: unknown, now: Date): Refusal | null {
  return checked(() => {
    requireActive(view);
    const { state, profile } = view;
    const input = healthReportInputSchema.parse(raw);
    const policy = profile.monitoring;
    if (!policy) noSuchProcedure(view, 'monitoring of systems');
    if (state.stage !== 'operations') refuse('conflict', policy.rule, `systems in operation are monitored; the project is at ${state.stage}`, 'stage');
    const exit = state.monitoring?.forcedExit;
    if (exit?.status === 'expired') refuse('conflict', policy.rule, `the forced-exit window ended on ${exit.rectifyBy} without recovery: the unit retires the system`, 'stage');
    if (input.source === 'recheck') {
      requireUnitActor(view, input.actor, policy.rule);
      if (!state.monitoring?.endpoint) refuse('rule', policy.rule, 'no health endpoint is declared: declare it, then ask for the check', 'source');
      // Each check stays in the project's history for its O&M year: one recheck a business day keeps it bounded.
      const today = businessDateOf(now);
      if (state.monitoring.checks.some((check) => check.source === 'recheck' && businessDateOf(new Date(check.at)) === today)) {
        refuse('conflict', CONFIGURABLE_VALUE, `the system was rechecked today (${today}): one recheck a day; the next from tomorrow, or the monthly round`, 'source');
      }
    } else if (input.actor.role !== policy.reportedBy) {
      refuse('forbidden', policy.rule, `a month's result is reported by hand by ${policy.reportedBy}, not ${input.actor.role}`, 'actor.role');
    }
  });
}
