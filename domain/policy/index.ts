import type { Jurisdiction } from '../project';
import { nanfengProfile } from './nanfeng';
import type { PolicyProfile } from './profile';
import { yiyangProfile } from './yiyang';

/** Every jurisdiction's profile; a new jurisdiction is one file plus one line here. */
export const profiles: Record<Jurisdiction, PolicyProfile> = {
  yiyang: yiyangProfile,
  nanfeng: nanfengProfile,
};

export function profileFor(jurisdiction: Jurisdiction): PolicyProfile {
  return profiles[jurisdiction];
}
