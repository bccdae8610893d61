import { condition } from '@temporalio/workflow';
import { act } from '../activity-proxies';
import { end, enter, event } from './recorder';
import type { LifecycleRun } from './run';

/** The annual plan: the project enrols in its jurisdiction's AnnualPlan and waits to hear whether it is in (001 §5–6). */
export async function runPlan(run: LifecycleRun, rule: string): Promise<'done' | 'ended'> {
  const { state, inbox } = run;
  const entered = enter(run, 'annualPlan', rule);
  state.pending = { kind: 'plan', stage: 'annualPlan', role: 'reviewOffice', rule };
  await act.recordTransition({ events: [entered] });
  const enrolment = await act.enrolInAnnualPlan({
    jurisdiction: state.jurisdiction,
    planYear: state.planYear,
    proposal: { projectId: state.projectId, name: state.name, unit: state.unit, investmentFen: state.investmentFen, enrolledAt: entered.occurredAt },
  });
  if (enrolment.closed) {
    await end(run, 'excluded', `001 §6: the ${state.planYear} plan is closed; apply for the supplementary plan (001 §7) or next year's plan`, '001 §6');
    return 'ended';
  }
  await condition(() => inbox.plan !== undefined);
  const plan = inbox.plan!;
  if (!plan.included) {
    await end(run, 'excluded', plan.reason ?? 'not included in the annual plan', '001 §6');
    return 'ended';
  }
  const note = event(run, 'annualPlan', 'note', { reasons: [`included in ${plan.planId}`], rule: '001 §7' });
  state.pending = null;
  await act.recordTransition({ events: [note] });
  return 'done';
}
