/**
 * 64-bit string hashing for the diff's compact tables. A million employees with three
 * identifiers each would cost hundreds of MiB as `Map<string, …>` entries; two 32-bit halves in
 * typed arrays cost 8 bytes. The mixing is cyrb53's (two multiplicative lanes cross-mixed at the
 * end), keeping all 64 bits: two distinct keys collide with odds near 2^-64.
 */

/**
 * A reusable hasher: `of()` leaves the result in `hi`/`lo` instead of returning a pair, so the
 * per-row hot path allocates nothing.
 */
export class Hash64 {
  hi = 0;
  lo = 0;

  /** Hashes `value` under `seed` (different seeds give independent hash families). */
  of(seed: number, value: string): this {
    const length = value.length;
    let h1 = 0xdeadbeef ^ seed ^ length;
    let h2 = 0x41c6ce57 ^ seed;
    let i = 0;
    // Two UTF-16 units per step halve the multiplications; the length in the seed keeps `a` and
    // `a\0` apart.
    for (; i + 1 < length; i += 2) {
      const pair = value.charCodeAt(i) | (value.charCodeAt(i + 1) << 16);
      h1 = Math.imul(h1 ^ pair, 2654435761);
      h2 = Math.imul(h2 ^ pair, 1597334677);
    }
    if (i < length) {
      const unit = value.charCodeAt(i);
      h1 = Math.imul(h1 ^ unit, 2654435761);
      h2 = Math.imul(h2 ^ unit, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    this.hi = h1 >>> 0;
    this.lo = h2 >>> 0;
    return this;
  }

  /**
   * `of(seed, text)` for a text stored as bytes: one a UTF-16 unit, or two (little-endian) when
   * `wide`. Same loop, so a stored identifier hashes as its string does.
   */
  ofBytes(seed: number, bytes: Uint8Array, start: number, length: number, wide: boolean): this {
    let h1 = 0xdeadbeef ^ seed ^ length;
    let h2 = 0x41c6ce57 ^ seed;
    const unit = wide
      ? (i: number): number => bytes[start + 2 * i]! | (bytes[start + 2 * i + 1]! << 8)
      : (i: number): number => bytes[start + i]!;
    let i = 0;
    for (; i + 1 < length; i += 2) {
      const pair = unit(i) | (unit(i + 1) << 16);
      h1 = Math.imul(h1 ^ pair, 2654435761);
      h2 = Math.imul(h2 ^ pair, 1597334677);
    }
    if (i < length) {
      const last = unit(i);
      h1 = Math.imul(h1 ^ last, 2654435761);
      h2 = Math.imul(h2 ^ last, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    this.hi = h1 >>> 0;
    this.lo = h2 >>> 0;
    return this;
  }
}

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
