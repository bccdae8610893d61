import { condition } from '@temporalio/workflow';
import type { PlanStage } from '../../domain/policy/profile';
import { act } from '../activity-proxies';
import { closedPlanMessage } from '../../domain/policy/intake';
import { end, enter, event } from './recorder';
import type { LifecycleRun } from './run';

/** The annual plan: the project enrols in its jurisdiction's AnnualPlan and waits to hear whether it is in (001 §5–6). */
export async function runPlan(run: LifecycleRun, def: PlanStage): Promise<'done' | 'ended'> {
  const { state, inbox, profile } = run;
  const { rule } = def;
  const entered = enter(run, def.id, rule);
  state.pending = { kind: 'plan', stage: def.id, role: 'reviewOffice', rule };
  await act.recordTransition({ events: [entered] });
  const enrolment = await act.enrolInAnnualPlan({
    jurisdiction: state.jurisdiction,
    planYear: state.planYear,
    proposal: { projectId: state.projectId, name: state.name, unit: state.unit, investmentFen: state.investmentFen, enrolledAt: entered.occurredAt },
  });
  if (enrolment.closed) {
    await end(run, 'excluded', closedPlanMessage(profile, state.planYear), rule);
    return 'ended';
  }
  await condition(() => inbox.plan !== undefined);
  const plan = inbox.plan!;
  if (!plan.included) {
    await end(run, 'excluded', plan.reason ?? 'not included in the annual plan', rule);
    return 'ended';
  }
  const note = event(run, def.id, 'note', { reasons: [`included in ${plan.planId}`], rule });
  state.pending = null;
  await act.recordTransition({ events: [note] });
  return 'done';
}
