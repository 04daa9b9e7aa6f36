import { Hash64 } from '../../common/hash64.ts';

const seedHasher = new Hash64();

/**
 * Seeds for hashing a company's identifiers, one per identity key in IDENTITY_KEYS order. The
 * company and the key go into the seed rather than into a concatenated `company|key|value`
 * string, so a lookup hashes the value alone and allocates no string.
 */
export function identitySeeds(companyTaxId: string): readonly [number, number, number] {
  seedHasher.of(0x5eed, companyTaxId);
  const base = seedHasher.lo ^ Math.imul(seedHasher.hi, 0x9e3779b1);
  return [base ^ 0x1b873593, base ^ 0x2c1b3c6d, base ^ 0x297a2d39];
}

/** Seed for fingerprints, which are hashed once more so any fingerprint format fits 64 bits. */
export const FINGERPRINT_SEED = 0x0f1e2d3c;
