import { workflowInfo } from '@temporalio/workflow';
import { isLateProposal, lateProposalMessage } from '../../domain/policy/intake';
import { seedWithoutArticle, type StageDefinition } from '../../domain/policy/profile';
import { projectRecordOf } from '../../domain/records';
import { act } from '../activity-proxies';
import { runImplementation } from './implementation';
import { runPlan } from './plan';
import { end, event, notice } from './recorder';
import { runAcceptanceReview, runReview } from './review';
import type { LifecycleRun } from './run';
import { runSubmission } from './submission';

/** The project's record in the system of record, at its first stage. */
export function recordRegistration(run: LifecycleRun): Promise<{ created: boolean }> {
  return act.registerProjectRecord(projectRecordOf(run.input.proposal, run.state));
}

/**
 * From registration to final acceptance: the project is recorded, then walks its profile's stages in
 * order. 'accepted' when the last stage passed; 'ended' when the project ended on the way.
 */
export async function walkPath(run: LifecycleRun): Promise<'accepted' | 'ended'> {
  const { input, profile, stages, state, inbox } = run;
  const { proposal } = input;
  const registration = recordRegistration(run);
  if (isLateProposal(profile, proposal, new Date(workflowInfo().startTime))) {
    await registration;
    await end(run, 'excluded', lateProposalMessage(profile, proposal.planYear), profile.intakeCutoff!.rule);
    return 'ended';
  }
  await registration;
  if (proposal.sharingException) {
    // Registered despite an open data-sharing restriction of its unit, on the grounds the approving body stated (001 §35).
    const note = event(run, state.stage, 'note', { reasons: [`registered as a data-sharing exception: ${proposal.sharingException}`], rule: profile.developmentRestriction?.rule ?? seedWithoutArticle(profile) });
    await act.recordTransition({ events: [note] });
  }

  for (let index = 0; index < stages.length; index += 1) {
    const def: StageDefinition = stages[index]!;
    if (inbox.termination) break;
    if (def.kind === 'review') {
      const result = def.onReject === 'rectify' ? await runAcceptanceReview(run, def) : await runReview(run, def);
      if (result === 'ended') return 'ended';
    } else if (def.kind === 'submission') {
      const result = await runSubmission(run, def);
      if (typeof result === 'object') {
        index = stages.findIndex((s) => s.id === result.backTo) - 1;
        continue;
      }
      if (def.endsProject && !inbox.termination) {
        await end(run, 'filed', def.endsProject.reason, def.endsProject.rule);
        return 'ended';
      }
    } else if (def.kind === 'plan') {
      if ((await runPlan(run, def)) === 'ended') return 'ended';
    } else {
      await runImplementation(run, def);
    }
    if (inbox.termination) break;
  }
  if (inbox.termination) {
    // The validator admitted a termination only where the profile has the procedure.
    const termination = inbox.termination;
    const rule = profile.termination?.rule ?? seedWithoutArticle(profile);
    const recorded = event(run, state.stage, 'decision', { actorId: termination.actor.id, requestId: termination.actor.requestId, actorRole: termination.actor.role, reasons: [termination.ground, termination.explanation], rule });
    await end(run, 'terminated', `${termination.ground}: ${termination.explanation}`, rule, {
      events: [recorded],
      notifications: [notice(run, 'decisionRecorded', 'reviewOffice', { decision: 'terminated', reasons: [termination.explanation], rule })],
    });
    return 'ended';
  }
  return 'accepted';
}
