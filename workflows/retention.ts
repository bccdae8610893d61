import { allHandlersFinished, ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { NotificationRequest } from '../activities/notifications/outbox';
import { releaseInputSchema, type ReleaseInput, type RetentionState } from '../domain/lifecycle';
import { profileOfInput } from '../domain/policy';
import { retentionSchedule } from '../domain/policy/retention';
import type { Jurisdiction } from '../domain/project';
import type { RetentionTranche } from '../domain/records';
import { act } from './activity-proxies';
import { acceptedInput, refused } from './refusal';
import { assessmentSignal, recordReleaseUpdate, retentionStateQuery } from './messages';


export interface RetentionInput {
  projectId: string;
  projectName: string;
  unit: string;
  jurisdiction: Jurisdiction;
  /** The profile version of the project (absent in children started before 0.4.0). */
  profileVersion?: string;
  contractId: string;
  sumFen: number;
  /** Business date of final acceptance; the tranche years run from it. */
  acceptedOn: string;
}

/**
 * The retention (建设尾款) of one contract, 001 §19: 15% withheld, released 5% / 5% / 5% one, two and
 * three years after final acceptance — tranche 1 if the post-evaluation passed and problems were
 * fixed, tranches 2 and 3 if that year's assessment passed. A failed assessment blocks its tranche
 * with the reason until a re-assessment passes. (Forfeiture, 001 §28, happens before acceptance, so
 * the project writes a forfeited ledger and no retention workflow starts.) Finance
 * records each actual release with its voucher; a tranche is released once.
 */
export async function RetentionRelease(input: RetentionInput): Promise<RetentionState> {
  const policy = profileOfInput(input).retention;
  if (!policy) throw ApplicationFailure.nonRetryable(`${input.jurisdiction} has no retention policy`);
  const schedule = retentionSchedule(input.sumFen, policy);
  const dueDates = await Promise.all(
    schedule.tranches.map((t) => act.monthsAfter({ from: input.acceptedOn, months: 12 * t.yearsAfterAcceptance })),
  );
  const state: RetentionState = {
    projectId: input.projectId,
    contractId: input.contractId,
    sumFen: input.sumFen,
    withheldFen: schedule.withheldFen,
    acceptedOn: input.acceptedOn,
    rule: policy.rule,
    tranches: schedule.tranches.map((t, i) => ({
      trancheNo: t.trancheNo, amountFen: t.amountFen, dueDate: dueDates[i]!.date, condition: t.condition,
      status: 'scheduled', blockedReason: null, voucherRef: null,
    })),
  };
  const payableFrom = new Map(state.tranches.map((t, i) => [t.trancheNo, Date.parse(dueDates[i]!.startsAt)]));
  const assessments = new Map<number, { passed: boolean; reason: string | null }>();
  const releases: ReleaseInput[] = [];
  let changed = true;
  let released = 0;

  setHandler(retentionStateQuery, () => state);
  setHandler(assessmentSignal, ({ trancheNo, passed, reason }) => {
    assessments.set(trancheNo, { passed, reason });
    changed = true;
  });
  setHandler(
    recordReleaseUpdate,
    async (raw) => {
      const release = acceptedInput(releaseInputSchema, raw);
      releases.push(release);
      const ticket = released + releases.length;
      await condition(() => released >= ticket);
      return state;
    },
    {
      validator: (raw) => {
        const release = releaseInputSchema.parse(raw);
        if (release.actor.role !== 'finance') throw refused('forbidden', policy.rule, `releases are recorded by finance, not ${release.actor.role}`, 'actor.role');
        const tranche = state.tranches.find((t) => t.trancheNo === release.trancheNo);
        if (!tranche) throw refused('rule', policy.rule, `no tranche ${release.trancheNo}`, 'trancheNo');
        if (tranche.status === 'released') throw refused('conflict', policy.rule, `tranche ${tranche.trancheNo} was already released with voucher ${tranche.voucherRef}`, 'status');
        if (tranche.status !== 'due' || releases.some((r) => r.trancheNo === release.trancheNo)) {
          throw refused('conflict', policy.rule, `tranche ${tranche.trancheNo} is ${tranche.status}${tranche.blockedReason ? ` (${tranche.blockedReason})` : ''}, not payable`, 'status');
        }
      },
    },
  );

  const notice = (kind: 'trancheDue' | 'trancheBlocked', trancheNo: number, amountFen: number, dueDate: string, reasons: string[]): NotificationRequest => ({
    key: `${input.projectId}:retention:${input.contractId}:${trancheNo}:${kind}:${reasons.join('|')}`,
    kind,
    recipientRole: 'finance',
    unit: null,
    params: { projectId: input.projectId, projectName: input.projectName, stage: '建设尾款', actor: '财政局', dueDate, amountFen, reasons, rule: policy.rule },
  });
  const ledger = (): RetentionTranche[] =>
    state.tranches.map((t) => ({
      contractId: input.contractId, projectId: input.projectId, trancheNo: t.trancheNo, amountFen: t.amountFen,
      dueDate: t.dueDate, condition: t.condition, status: t.status, blockedReason: t.blockedReason,
    }));
  const open = () => state.tranches.filter((t) => t.status !== 'released' && t.status !== 'forfeited');

  for (;;) {
    const notifications: NotificationRequest[] = [];
    while (releases.length > 0) {
      const release = releases[0]!;
      const tranche = state.tranches.find((t) => t.trancheNo === release.trancheNo)!;
      await act.releaseTranche({ contractId: input.contractId, trancheNo: release.trancheNo, voucherRef: release.voucherRef, releasedBy: release.actor.id, releasedAt: new Date().toISOString() });
      tranche.status = 'released';
      tranche.voucherRef = release.voucherRef;
      tranche.blockedReason = null;
      releases.shift();
      released += 1;
    }
    if (changed) {
      changed = false;
      const now = Date.now();
      for (const tranche of open()) {
        if (now < payableFrom.get(tranche.trancheNo)!) {
          // Not yet due; a failed assessment already shows why it will be held.
          const assessment = assessments.get(tranche.trancheNo);
          if (assessment && !assessment.passed) tranche.blockedReason = assessment.reason ?? 'assessment failed';
          if (assessment?.passed) tranche.blockedReason = null;
          continue;
        }
        const assessment = assessments.get(tranche.trancheNo);
        const before = `${tranche.status}|${tranche.blockedReason}`;
        if (assessment?.passed) {
          tranche.status = 'due';
          tranche.blockedReason = null;
        } else {
          tranche.status = 'blocked';
          tranche.blockedReason = assessment
            ? `${assessment.reason ?? 'assessment failed'}`
            : tranche.condition === 'postEvaluation'
              ? 'awaiting the post-evaluation (后评价) and the fixing of its findings'
              : `awaiting the year-${tranche.trancheNo} assessment (考核)`;
        }
        if (before !== `${tranche.status}|${tranche.blockedReason}`) {
          notifications.push(notice(tranche.status === 'due' ? 'trancheDue' : 'trancheBlocked', tranche.trancheNo, tranche.amountFen, tranche.dueDate, tranche.blockedReason ? [tranche.blockedReason] : []));
        }
      }
      await act.recordTransition({ tranches: { items: ledger(), at: new Date().toISOString() }, notifications });
    }
    if (open().length === 0) {
      await condition(allHandlersFinished);
      return state;
    }
    const nextDue = Math.min(...open().filter((t) => t.status === 'scheduled').map((t) => payableFrom.get(t.trancheNo)!));
    const wait = Number.isFinite(nextDue) ? Math.max(1, nextDue - Date.now()) : undefined;
    const woke = wait === undefined
      ? await condition(() => changed || releases.length > 0).then(() => true)
      : await condition(() => changed || releases.length > 0, wait);
    if (!woke) changed = true;
  }
}

