/**
 * The one string hash of the codebase: 64 bits, non-cryptographic, for row fingerprints and the
 * diff's compact tables. A million employees with three identifiers each would cost hundreds of
 * MiB as `Map<string, …>` entries; two 32-bit halves in typed arrays cost 8 bytes. The mixing is
 * cyrb53's (two multiply-xor lanes over UTF-16 units, two per step, cross-mixed at the end) with
 * all 64 bits kept: two distinct keys collide with odds near 2^-64. Stored fingerprints depend on
 * these exact outputs (test/unit/hash64.test.ts pins them).
 *
 * `of*()` leave the result in `hi`/`lo` instead of returning a pair, so the per-row hot path
 * allocates nothing.
 */
export class Hash64 {
  hi = 0;
  lo = 0;

  /** Hashes `value` under `seed` (different seeds give independent hash families). */
  of(seed: number, value: string): this {
    const length = value.length;
    // The length in the seed keeps `a` and `a\0` apart.
    let h1 = SEED_1 ^ seed ^ length;
    let h2 = SEED_2 ^ seed;
    let i = 0;
    for (; i + 1 < length; i += 2) {
      const pair = value.charCodeAt(i) | (value.charCodeAt(i + 1) << 16);
      h1 = lane1(h1, pair);
      h2 = lane2(h2, pair);
    }
    if (i < length) {
      const unit = value.charCodeAt(i);
      h1 = lane1(h1, unit);
      h2 = lane2(h2, unit);
    }
    return this.finish(h1, h2);
  }

  /**
   * `of(seed, text)` for a text stored as bytes: one a UTF-16 unit, or two (little-endian) when
   * `wide`. Same loop, so a stored identifier hashes as its string does.
   */
  ofBytes(seed: number, bytes: Uint8Array, start: number, length: number, wide: boolean): this {
    let h1 = SEED_1 ^ seed ^ length;
    let h2 = SEED_2 ^ seed;
    let i = 0;
    // Two loops rather than one through a per-call closure reading a unit: building a million
    // employees' table calls this three million times, and the closure was a fifth of its cost.
    if (wide) {
      for (let at = start; i + 1 < length; i += 2, at += 4) {
        const pair = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
        h1 = lane1(h1, pair);
        h2 = lane2(h2, pair);
      }
    } else {
      for (let at = start; i + 1 < length; i += 2, at += 2) {
        const pair = bytes[at]! | (bytes[at + 1]! << 16);
        h1 = lane1(h1, pair);
        h2 = lane2(h2, pair);
      }
    }
    if (i < length) {
      const last = wide ? bytes[start + 2 * i]! | (bytes[start + 2 * i + 1]! << 8) : bytes[start + i]!;
      h1 = lane1(h1, last);
      h2 = lane2(h2, last);
    }
    return this.finish(h1, h2);
  }

  /**
   * Hashes a sequence of texts, each ended by U+001F so `ab`,`c` and `a`,`bc` differ (U+001F cannot
   * come from a trimmed cell); with an odd-length part it shares a word with the last unit.
   */
  ofParts(texts: readonly string[]): this {
    let h1 = SEED_1;
    let h2 = SEED_2;
    for (let t = 0; t < texts.length; t++) {
      const text = texts[t]!;
      const length = text.length;
      let i = 0;
      for (; i + 1 < length; i += 2) {
        const word = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
        h1 = lane1(h1, word);
        h2 = lane2(h2, word);
      }
      const last = (i < length ? text.charCodeAt(i) : 0) | (PART_SEPARATOR << 16);
      h1 = lane1(h1, last);
      h2 = lane2(h2, last);
    }
    return this.finish(h1, h2);
  }

  private finish(h1: number, h2: number): this {
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    this.hi = h1 >>> 0;
    this.lo = h2 >>> 0;
    return this;
  }
}

const SEED_1 = 0xdeadbeef;
const SEED_2 = 0x41c6ce57;
const PART_SEPARATOR = 0x1f;

function lane1(h: number, word: number): number {
  return Math.imul(h ^ word, 2654435761);
}

function lane2(h: number, word: number): number {
  return Math.imul(h ^ word, 1597334677);
}
