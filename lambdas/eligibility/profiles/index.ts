import type { Profile } from '../../domain/partner.ts';
import type { FileProfile } from '../profile.ts';
import { wellhubProfile } from './wellhub.ts';

/**
 * File profiles by name (SPEC §2). `upwards` and `retrofit` (SPEC §10, §11) will be further
 * entries of the same shape; until then asking for them fails loudly rather than reading a file
 * with the wrong rules.
 */
export const FILE_PROFILES: Readonly<Partial<Record<Profile, FileProfile>>> = {
  wellhub: wellhubProfile,
};

/** The profile a partner's files are read with; throws for a profile not implemented yet. */
export function profileFor(name: Profile): FileProfile {
  const profile = FILE_PROFILES[name];
  if (!profile) throw new Error(`The ${name} file profile is not available yet`);
  return profile;
}
