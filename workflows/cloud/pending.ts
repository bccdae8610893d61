import type { CloudClock, CloudPending, CloudResourceState } from '../../domain/cloud';
import { nextDate } from '../../domain/periods';
import type { CloudPolicy } from '../../domain/policy/profile';
import { userRoles } from './validators';

const dueOf = (clock: CloudClock | undefined): Partial<CloudPending> =>
  clock?.due ? { dueDate: clock.due.date, dueAt: clock.due.endsAt, provisional: clock.due.provisional } : {};

/**
 * What awaits whom now, from the state alone: the step of the stage (with its period's due date) and,
 * in service, the fallback and an open resize. The answer of the `cloudResourceState` query and of the API.
 */
export function pendingActions(state: CloudResourceState, policy: CloudPolicy): CloudPending[] {
  if (state.status !== 'active') return [];
  const clock = (id: CloudClock['id']) => state.clocks.find((c) => c.id === id);
  const user = { roles: userRoles(state, policy), unit: state.unit };
  const authority = { roles: [policy.authority] };
  const provider = { roles: [policy.provider] };
  const list: CloudPending[] = [];
  switch (state.stage) {
    case 'review':
      list.push({ action: 'decide', subject: 'application', ...authority, ...dueOf(clock('review')), rule: policy.review.clock.rule });
      break;
    case 'revision':
      list.push({ action: 'revise', ...user, rule: policy.review.rule });
      break;
    case 'sizing':
      list.push({ action: 'size', ...authority, rule: policy.expertSizing.rule });
      break;
    case 'responsibilityLetter':
      list.push({ action: 'signLetter', ...user, rule: policy.responsibilityLetter.rule });
      break;
    case 'openingNotice':
      list.push({ action: 'notifyProvider', ...authority, rule: policy.opening.rule });
      break;
    case 'opening':
      list.push({ action: 'opened', ...provider, ...dueOf(clock('opening')), rule: policy.opening.rule });
      break;
    case 'deployment':
      list.push({ action: 'cutover', ...user, ...dueOf(clock('deployment')), rule: policy.deployment.rule });
      break;
    case 'exitReview':
      list.push({ action: 'decide', subject: 'exit', ...authority, rule: policy.exit.rule });
      break;
    case 'migration':
    case 'dataErasure': {
      const exit = state.exit;
      if (exit && !exit.migratedAt) list.push({ action: 'migrationComplete', ...user, ...dueOf(clock('migration')), rule: policy.exit.rule });
      const window = exit?.migrationWindow;
      const from = state.stage === 'migration' && window ? { notBeforeDate: nextDate(window.date), notBeforeAt: window.endsAt } : {};
      if (!exit?.erasedByUnit) list.push({ action: 'dataErasure', ...user, ...from, rule: policy.exit.rule });
      if (!exit?.erasedByProvider) list.push({ action: 'dataErasure', ...provider, ...from, rule: policy.exit.rule });
      break;
    }
    case 'reclamation':
      list.push({ action: 'reclamation', ...provider, rule: policy.exit.rule });
      break;
    default:
      break;
  }
  if ((state.stage === 'inService' || state.stage === 'exitReview') && state.fallback && !state.fallback.decommissionedAt) {
    list.push({ action: 'fallbackDecommissioned', ...user, notBeforeDate: state.fallback.allowedFrom, notBeforeAt: state.fallback.allowedFromAt, rule: policy.fallback.rule });
  }
  const resize = state.resize;
  if (resize?.status === 'requested') list.push({ action: 'decide', subject: 'resize', ...authority, rule: policy.resize.rule });
  if (resize?.status === 'approved') list.push({ action: 'resizeApplied', ...provider, ...dueOf(clock('resize')), rule: policy.resize.rule });
  return list;
}
