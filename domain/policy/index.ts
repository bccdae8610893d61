import { bijieProfile } from './bijie';
import { jianProfile } from './jian';
import { nanfengProfile } from './nanfeng';
import type { PolicyProfile } from './profile';
import { suqianProfile } from './suqian';
import { yiyangFirstProfile, yiyangProfile, yiyangSecondProfile } from './yiyang';

/**
 * The policy profiles, one file per jurisdiction. Adding a jurisdiction is one file plus one line in
 * `current` below: the jurisdiction enum of the API, the workflows and storage is derived from it.
 *
 * Every profile version ever released stays listed by version: a project is governed by the version in
 * force when it was registered, for its whole life (RULES.md). The version travels in the workflows'
 * input, so a new version never changes a running project's path or its replay.
 */
const current = [yiyangProfile, nanfengProfile, jianProfile, bijieProfile, suqianProfile] as const satisfies readonly PolicyProfile[];
const released: readonly PolicyProfile[] = [...current, yiyangSecondProfile, yiyangFirstProfile];

/** The jurisdiction ids, in the order of the registered profiles (Yiyang, the default, first). */
export const jurisdictionIds = current.map((profile) => profile.jurisdiction) as [string, ...string[]];

const versions: Record<string, PolicyProfile> = Object.fromEntries(released.map((profile) => [profile.version, profile]));
const byJurisdiction: Record<string, PolicyProfile> = Object.fromEntries(current.map((profile) => [profile.jurisdiction, profile]));

/** The profile versions new registrations get, one per jurisdiction (the rules catalogue lists these). */
export const allProfiles: readonly PolicyProfile[] = current;

/** The version a new registration in the jurisdiction gets. */
export function profileFor(jurisdiction: string): PolicyProfile {
  const profile = byJurisdiction[jurisdiction];
  if (!profile) throw new Error(`No policy profile for jurisdiction ${jurisdiction}`);
  return profile;
}

export function profileByVersion(version: string): PolicyProfile {
  const profile = versions[version];
  if (!profile) throw new Error(`Unknown policy profile version ${version}`);
  return profile;
}

/**
 * Workflows started before release 0.4.0 carried no profile version in their input (the retention
 * child, the annual plan): they ran under the only versions then released.
 */
const VERSIONS_BEFORE_0_4_0: Record<string, string> = { yiyang: 'yiyang@2022', nanfeng: 'nanfeng@2022' };

/** The profile a workflow input names, or, for an input from before 0.4.0, the version it ran under then. */
export function profileOfInput(input: { jurisdiction: string; profileVersion?: string }): PolicyProfile {
  return profileByVersion(input.profileVersion ?? VERSIONS_BEFORE_0_4_0[input.jurisdiction] ?? profileFor(input.jurisdiction).version);
}

/** A new project's workflow input: its proposal and the profile version it is registered under. */
export function lifecycleInputFor<P extends { jurisdiction: string }>(proposal: P): { proposal: P; profileVersion: string } {
  return { proposal, profileVersion: profileFor(proposal.jurisdiction).version };
}
