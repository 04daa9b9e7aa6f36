import type { Profile } from '../../partners/partner.ts';
import type { FileProfile } from '../profile.ts';
import { retrofitProfile } from './retrofit.ts';
import { upwardsProfile } from './upwards.ts';
import { wellhubProfile } from './wellhub.ts';

/**
 * File profiles by name (SPEC §2, §6, §10, §11). A profile missing here fails loudly rather than
 * reading a file with the wrong rules.
 */
export const FILE_PROFILES: Readonly<Partial<Record<Profile, FileProfile>>> = {
  wellhub: wellhubProfile,
  upwards: upwardsProfile,
  retrofit: retrofitProfile,
};

/** The profile a partner's files are read with; throws for a profile not implemented yet. */
export function profileFor(name: Profile): FileProfile {
  const profile = FILE_PROFILES[name];
  if (!profile) throw new Error(`The ${name} file profile is not available yet`);
  return profile;
}
