import { condition } from '@temporalio/workflow';
import type { ImplementationStage } from '../../domain/policy/profile';
import { act } from '../activity-proxies';
import { enter, event, notice } from './recorder';
import { complete, type LifecycleRun } from './run';

/**
 * Implementation until the unit reports go-live: changes of content are approved or rejected (001 §22)
 * or filed (000 §11), per profile; a termination interrupts it.
 */
export async function runImplementation(run: LifecycleRun, def: ImplementationStage): Promise<'done'> {
  const { state, inbox } = run;
  const projectId = state.projectId;
  // The validators admit change requests only where the profile has a change procedure.
  const changes = def.changes!;
  const entered = enter(run, def.id, def.rule);
  state.pending = { kind: 'implementation', stage: def.id, role: 'unit', action: 'goLive', rule: def.rule };
  await act.recordTransition({ events: [entered] });
  for (;;) {
    await condition(() => inbox.submission !== undefined || inbox.termination !== undefined || inbox.changeRequests.length > 0 || inbox.changeDecisions.length > 0);
    if (inbox.termination) return 'done';
    const request = inbox.changeRequests.shift();
    if (request) {
      const changeId = state.changeRequests.length + 1;
      state.changeRequests.push({ changeId, summary: request.summary, status: 'pending', requestedBy: request.actor.id });
      const recorded = event(run, def.id, 'submission', { actorId: request.actor.id, requestId: request.actor.requestId, actorRole: 'unit', reasons: [`change ${changeId}: ${request.summary}`, request.reason, ...(request.ground ? [`ground:${request.ground}`] : [])], rule: changes.rule });
      await act.recordTransition({
        events: [recorded],
        openReview: {
          reviewKey: `${projectId}:change:${changeId}`, projectId, jurisdiction: state.jurisdiction, unit: state.unit, stage: def.id,
          assigneeRole: changes.role, openedAt: recorded.occurredAt, dueDate: null, dueProvisional: false,
        },
        notifications: [notice(run, 'actionRequired', changes.role, { rule: changes.rule })],
      });
      complete(run, request.ticket);
      continue;
    }
    const changeDecision = inbox.changeDecisions.shift();
    if (changeDecision) {
      const change = state.changeRequests.find((c) => c.changeId === changeDecision.changeId)!;
      const filed = changeDecision.decision === 'file';
      change.status = filed ? 'filed' : changeDecision.decision === 'approve' ? 'approved' : 'rejected';
      const recorded = event(run, def.id, 'decision', {
        actorId: changeDecision.actor.id, requestId: changeDecision.actor.requestId, actorRole: changeDecision.actor.role,
        ...(filed ? {} : { decision: changeDecision.decision as 'approve' | 'reject' }),
        reasons: [`change ${change.changeId}${filed ? ' filed' : ''}: ${change.summary}`, ...changeDecision.reasons, ...changeDecision.experts.map((expert) => `expert:${expert}`)], rule: changes.rule,
      });
      await act.recordTransition({
        events: [recorded],
        closeReview: { reviewKey: `${projectId}:change:${change.changeId}`, status: change.status, decidedAt: recorded.occurredAt },
        notifications: [notice(run, 'decisionRecorded', 'unit', { decision: filed ? 'filed' : changeDecision.decision, reasons: changeDecision.reasons, rule: changes.rule })],
      });
      complete(run, changeDecision.ticket);
      continue;
    }
    const goLive = inbox.submission!;
    inbox.submission = undefined;
    state.pending = null; // no more change requests once live
    const recorded = event(run, def.id, 'submission', { actorId: goLive.actor.id, requestId: goLive.actor.requestId, actorRole: 'unit', reasons: ['goLive'], rule: def.rule });
    run.completedAt.implementation = recorded.occurredAt;
    await act.recordTransition({ events: [recorded] });
    complete(run, goLive.ticket);
    return 'done';
  }
}
