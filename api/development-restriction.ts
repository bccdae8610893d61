import type { Store } from '../activities/storage/store';
import type { PolicyProfile } from '../domain/policy/profile';
import type { Role } from '../domain/records';
import { problem } from './problems';

/**
 * A unit whose system has an open data-sharing deficiency builds, rebuilds or extends no system — no new
 * project, no new cloud application (004 §17, 001 §35) — unless the profile names a role that may approve
 * a necessary one: that role registers it with its grounds (001 §35). Grounds given where no exception
 * is possible are refused too. Shared by project registration and cloud applications.
 */
export async function refuseRestrictedDevelopment(
  store: Store,
  profile: PolicyProfile,
  unit: string,
  exception: { role: Role; grounds?: string } | null = null,
): Promise<void> {
  const restriction = profile.developmentRestriction;
  const open = restriction ? await store.openRestrictions(unit) : [];
  const approver = restriction?.exceptionApprovedBy ?? null;
  const excepted = Boolean(approver && exception?.role === approver && exception.grounds);
  if (restriction && open.length > 0 && !excepted) {
    const systems = open.map((r) => `${r.project_id} (${r.reason}; since ${r.since.slice(0, 10)})`).join('; ');
    const way = approver ? `; a necessary one that cannot share its data is registered by ${approver} once it approves it, with its grounds in sharingException` : '';
    throw problem.rule(`${unit} may not build, rebuild or extend an information system until its deficient systems are rectified: ${systems}${way}`, restriction.rule, '/body/unit');
  }
  if (exception?.grounds && !(open.length > 0 && excepted)) {
    throw problem.field('/body/sharingException', `a data-sharing exception is registered by ${approver ?? 'nobody in this jurisdiction'}, and only for a unit under an open restriction (${restriction?.rule ?? 'no such procedure'})`);
  }
}
