import { seedWithoutArticle, type PolicyProfile } from './profile';

/**
 * The annual intake cut-off: proposals for plan year Y are due "9月30日前" of Y−1, i.e. up to the end of
 * 30 September (24:00 Asia/Shanghai, UTC+8) — RULES.md "by 30 September" convention, 001 §5.
 * Returns the last instant still on time, or null where the profile has no annual intake.
 */
export function intakeCutoff(profile: PolicyProfile, planYear: number): Date | null {
  if (!profile.intakeCutoff) return null;
  const { month, day } = profile.intakeCutoff;
  // 24:00 on the cut-off day in Shanghai is 16:00 UTC that day; the last on-time instant is 1 ms before.
  return new Date(Date.UTC(planYear - 1, month - 1, day, 16, 0, 0) - 1);
}

/**
 * Whether a proposal is refused for the annual plan: an annual-plan proposal above the
 * self-implementation ceiling (projects at or below it are not planned at all, 001 §8) submitted
 * after the cut-off.
 */
export function isLateProposal(profile: PolicyProfile, proposal: { planKind: string; planYear: number; investmentFen: number }, at: Date): boolean {
  if (proposal.planKind !== 'annual') return false;
  if (profile.selfImplementationCeilingFen !== null && proposal.investmentFen <= profile.selfImplementationCeilingFen) return false;
  return isLateForAnnualPlan(profile, proposal.planYear, at);
}

/** Whether a proposal submitted at `at` is too late for the annual plan of `planYear`. */
export function isLateForAnnualPlan(profile: PolicyProfile, planYear: number, at: Date): boolean {
  const cutoff = intakeCutoff(profile, planYear);
  return cutoff !== null && at.getTime() > cutoff.getTime();
}

export function lateProposalMessage(profile: PolicyProfile, planYear: number): string {
  const cutoff = intakeCutoff(profile, planYear);
  const due = profile.intakeCutoff ? `${planYear - 1}-${String(profile.intakeCutoff.month).padStart(2, '0')}-${String(profile.intakeCutoff.day).padStart(2, '0')} 23:59:59 (Asia/Shanghai)` : '';
  return (
    `${profile.intakeCutoff?.rule}: proposals for the ${planYear} annual plan were due by ${due} [cut-off ${cutoff?.toISOString()}]; apply for the next year's plan` +
    (profile.annualPlan?.supplementary
      ? `, or — only for a project the state or province urgently requires — for the supplementary plan (planKind "supplementary" with supplementaryBasis: that requirement), ${profile.annualPlan.supplementary.rule} 一事一议`
      : '')
  );
}

/** The plan year whose annual intake is open at `at`: the first whose cut-off has not passed. */
export function openPlanYear(profile: PolicyProfile, at: Date): number {
  const shanghaiYear = new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();
  return isLateForAnnualPlan(profile, shanghaiYear + 1, at) ? shanghaiYear + 2 : shanghaiYear + 1;
}

/** What a proposal is told when its plan year's plan is already compiled (001 §6), with the way on (001 §7). */
export function closedPlanMessage(profile: PolicyProfile, planYear: number): string {
  const plan = profile.annualPlan;
  const otherWay = plan?.supplementary
    ? `apply for next year's plan, or — only for a project the state or province urgently requires — for the supplementary plan (${plan.supplementary.rule})`
    : "apply for next year's plan";
  return `${plan?.rule ?? seedWithoutArticle(profile)}: the ${planYear} plan is closed; ${otherWay}`;
}
