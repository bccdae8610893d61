import type { z } from 'zod';
import type { yearlyReportInputSchema } from '../../domain/lifecycle';
import { yearlyReportsOf } from '../../domain/policy/profile';
import { act } from '../activity-proxies';
import { event, handIn, notice } from './recorder';
import type { LifecycleRun } from './run';

/**
 * The reports the profile requires every O&M year (003 §28: the security test, the cryptography
 * assessment and the risk assessment; 003 §33: the third-party comprehensive evaluation), handed in as
 * documents during the year and received by the review office.
 */
export async function fileYearlyReport(run: LifecycleRun, input: z.infer<typeof yearlyReportInputSchema>): Promise<void> {
  const { state } = run;
  const items = yearlyReportsOf(run.profile, state);
  const handed = handIn(run, input.documents);
  const rules = [...new Set(input.documents.map((d) => items.find((item) => item.kind === d.kind)!.rule))].join(', ');
  const recorded = event(run, 'operations', 'submission', {
    actorId: input.actor.id, requestId: input.actor.requestId, actorRole: input.actor.role, reasons: [`O&M year ${state.omYear} reports`, ...handed], rule: rules,
  });
  state.yearlyReports.push(...input.documents.map((d) => ({ year: state.omYear, kind: d.kind, documentId: d.documentId, filedAt: recorded.occurredAt })));
  await act.recordTransition({ events: [recorded], notifications: [notice(run, 'filingReceived', 'reviewOffice', { decision: `O&M year ${state.omYear} reports`, reasons: handed, rule: rules })] });
}

/** At an O&M year's end, each required report not handed in for the year is flagged: recorded, and the unit and the review office told. */
export async function flagMissingReports(run: LifecycleRun): Promise<void> {
  const { state } = run;
  const year = state.omYear;
  const missing = yearlyReportsOf(run.profile, state).filter((item) => !state.yearlyReports.some((r) => r.year === year && r.kind === item.kind));
  if (missing.length === 0) return;
  // Flagged under what makes the report yearly: 003 §28 says every year; 003 §33 sets no period (a service target).
  state.missingReports.push(...missing.map((item) => ({ year, kind: item.kind, label: item.label, rule: item.periodRule })));
  const reasons = missing.map((item) => `O&M year ${year}: ${item.label} missing [${item.periodRule}]`);
  const rules = [...new Set(missing.map((item) => item.periodRule))].join(', ');
  const flagged = event(run, 'operations', 'breach', { reasons, rule: rules });
  await act.recordTransition({
    events: [flagged],
    notifications: [notice(run, 'decisionRecorded', 'unit', { decision: 'yearly reports missing', reasons, rule: rules }), notice(run, 'decisionRecorded', 'reviewOffice', { decision: 'yearly reports missing', reasons, rule: rules })],
  });
}
