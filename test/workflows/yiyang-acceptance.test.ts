import { createCalendarActivities } from '../../activities/calendar/activities';
import { businessDateOf } from '../../activities/calendar/working-days';
import { decide, driveUntil, EXPERTS, startProject, submit, waitFor, waitForPending } from '../helpers/lifecycle';
import { useWorkflowEnvironment } from '../helpers/workflow-context';

/**
 * Acceptance under Yiyang's rules (001 §26, §28) on its own time-skipping server: the clock of a
 * failed acceptance, paused while the unit rectifies.
 */
const context = useWorkflowEnvironment('timeSkipping');
const DAY = 86_400_000;
const wan = (n: number) => n * 1_000_000;
const start = (overrides: Parameters<typeof startProject>[1] = {}) => startProject(context.env, overrides);

describe('Yiyang (001) acceptance', () => {
  it('001 §26(2): the acceptance review\'s 10 working days pause during rectification and resume with the days left', async () => {
    const handle = await start({ investmentFen: wan(300) });
    await driveUntil(context.env, handle, (s) => s.pending?.stage === 'finalAcceptance' && s.pending.kind === 'review');
    const review = await waitFor(handle, (s) => s.pending?.dueDate !== undefined, 'the acceptance clock');
    const opened = review.timeline.filter((t) => t.stage === 'finalAcceptance' && t.kind === 'entered').pop()!.at;
    await context.env.sleep(4 * DAY);
    const rectifyBy = businessDateOf(new Date((await context.env.currentTimeMs()) + 60 * DAY));
    await decide(handle, { stage: 'finalAcceptance', decision: 'reject', role: 'reviewOffice', experts: EXPERTS, reasons: ['压力测试未通过'], rectifyBy });
    await waitForPending(handle, 'finalAcceptance', 'rectification');
    await context.env.sleep(40 * DAY);
    await submit(handle, { action: 'revision' });
    const resumed = await waitFor(handle, (s) => s.pending?.kind === 'review' && s.pending.stage === 'finalAcceptance' && s.pending.dueDate !== undefined, 'the resumed acceptance clock');
    const rectifiedAt = resumed.timeline.filter((t) => t.kind === 'submission').pop()!.at;
    const rejectedAt = resumed.timeline.filter((t) => t.stage === 'finalAcceptance' && t.decision === 'reject').pop()!.at;
    // The working days the review used before the rejection are not given again (the real calendar).
    const calendar = createCalendarActivities(context.storage.db);
    const used = await calendar.workingDaysBetween({ from: opened, to: rejectedAt });
    expect(used).toBeGreaterThan(0);
    expect(resumed.pending!.dueDate).toBe((await calendar.workingDayDeadline({ from: rectifiedAt, workingDays: 10 - used })).date);
    expect(resumed.pending!.rule).toBe('001 §26(2)');
  });

});
