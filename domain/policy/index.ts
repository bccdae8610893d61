import type { Jurisdiction, ProjectProposal } from '../project';
import { nanfengProfile } from './nanfeng';
import type { PolicyProfile } from './profile';
import { yiyangProfile } from './yiyang';

/**
 * Every profile version ever released, by version. A project is governed by the version in force when
 * it was registered, for its whole life (RULES.md): the version travels in the workflow's input, so a
 * new version of a profile never changes a running project's path or its replay.
 */
const versions: Record<string, PolicyProfile> = {
  [yiyangProfile.version]: yiyangProfile,
  [nanfengProfile.version]: nanfengProfile,
};

/** The version new registrations get; a new jurisdiction is one file plus one line here. */
export const profiles: Record<Jurisdiction, PolicyProfile> = {
  yiyang: yiyangProfile,
  nanfeng: nanfengProfile,
};

/** The profile versions new registrations get, one per jurisdiction (the rules catalogue lists these). */
export const allProfiles: readonly PolicyProfile[] = Object.values(profiles);

export function profileFor(jurisdiction: Jurisdiction): PolicyProfile {
  return profiles[jurisdiction];
}

export function profileByVersion(version: string): PolicyProfile {
  const profile = versions[version];
  if (!profile) throw new Error(`Unknown policy profile version ${version}`);
  return profile;
}

/** A new project's workflow input: its proposal and the profile version it is registered under. */
export function lifecycleInputFor(proposal: ProjectProposal): { proposal: ProjectProposal; profileVersion: string } {
  return { proposal, profileVersion: profileFor(proposal.jurisdiction).version };
}
