import { act } from '../activity-proxies';
import { deadlineOn, until } from '../timing';
import { event, notice } from './recorder';
import type { LifecycleRun } from './run';

/**
 * The date by which the project is to be accepted (004 §16 按期完成验收), watched from the approval that
 * set it, whatever stage the project is in: when it passes before the acceptance application is made,
 * the miss is a breach, the unit is pointed to the deferral and the deciding role is told; a deferral
 * that moves the date is watched anew. Started beside the stage runners, it ends with the application.
 */
export async function watchAcceptanceDue(run: LifecycleRun): Promise<void> {
  const { state, completedAt } = run;
  const deferral = run.profile.acceptanceDeferral;
  const settled = () => completedAt.acceptanceApplication !== undefined || state.status === 'ended';
  for (;;) {
    const due = state.acceptanceDue;
    if (!due || settled()) return;
    const moved = () => state.acceptanceDue?.date !== due.date;
    if (await until(() => moved() || settled(), deadlineOn(due.date).endsAt)) continue;
    const breach = event(run, state.stage, 'breach', { rule: due.rule, reasons: [`acceptance due by ${due.date}`] });
    await act.recordTransition({
      events: [breach],
      notifications: [
        notice(run, 'reviewOverdue', 'unit', { dueDate: due.date, rule: due.rule, ...(deferral ? { reasons: [`apply for a deferral with your reasons (${deferral.rule})`] } : {}) }),
        notice(run, 'reviewOverdue', deferral?.role ?? 'reviewOffice', { dueDate: due.date, rule: due.rule }),
      ],
    });
    // Overdue until a deferral moves the date or the application is made.
    await until(() => moved() || settled(), undefined);
  }
}
