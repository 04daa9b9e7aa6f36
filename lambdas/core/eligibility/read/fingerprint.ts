/**
 * A row's fingerprint lets the diff skip unchanged people with one string comparison. It is
 * computed for every row of files up to millions of rows, so it is a fast non-cryptographic
 * 64-bit hash (cyrb53's construction kept at two full 32-bit lanes: two multiply-xor lanes over
 * the UTF-16 code units, cross-mixed at the end), all in 32-bit integer arithmetic with no
 * allocation but the result. It only has to be stable and collision-unlikely, not secret.
 */

const SEED_1 = 0xdeadbeef;
const SEED_2 = 0x41c6ce57;
// Ends every part, so `ab`,`c` and `a`,`bc` differ (U+001F cannot come from a trimmed cell); with
// an odd-length part it shares a word with the last code unit, with an even one it pairs with 0.
const PART_SEPARATOR = 0x1f;
const HEX_CODES = [...'0123456789abcdef'].map((digit) => digit.charCodeAt(0));

// Reused between calls (hashing is synchronous), so a row's parts cost no array allocation.
const parts: string[] = [];

function h(shift: number, word: number): number {
  return HEX_CODES[(word >>> shift) & 0xf]!;
}

function hex16(high: number, low: number): string {
  return String.fromCharCode(
    h(28, high),
    h(24, high),
    h(20, high),
    h(16, high),
    h(12, high),
    h(8, high),
    h(4, high),
    h(0, high),
    h(28, low),
    h(24, low),
    h(20, low),
    h(16, low),
    h(12, low),
    h(8, low),
    h(4, low),
    h(0, low),
  );
}

/** The 64-bit hash of `texts` (each followed by U+001F) as 16 lower-case hex characters. */
export function hash64(texts: readonly string[]): string {
  let h1 = SEED_1;
  let h2 = SEED_2;
  for (let t = 0; t < texts.length; t++) {
    const text = texts[t]!;
    const length = text.length;
    let i = 0;
    // Two UTF-16 code units per step (one 32-bit word): half the multiplications.
    for (; i + 1 < length; i += 2) {
      const word = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
      h1 = Math.imul(h1 ^ word, 2654435761);
      h2 = Math.imul(h2 ^ word, 1597334677);
    }
    const last = (i < length ? text.charCodeAt(i) : 0) | (PART_SEPARATOR << 16);
    h1 = Math.imul(h1 ^ last, 2654435761);
    h2 = Math.imul(h2 ^ last, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex16(h2 >>> 0, h1 >>> 0);
}

/**
 * The fingerprint of a row: its company, then the value of each of `fields` in that (canonical)
 * order. A field missing from `values` counts as blank, so a file without an optional column and
 * one with that column empty fingerprint alike, and column order in the file never matters.
 * `extraFields` (sorted; custom attributes a profile keeps) count by name and value when not blank.
 */
export function rowFingerprint(
  companyTaxId: string,
  values: Readonly<Record<string, string>>,
  fields: readonly string[],
  extraFields: readonly string[] = [],
): string {
  parts.length = 0;
  parts.push(companyTaxId);
  for (const field of fields) parts.push(values[field] ?? '');
  for (const field of extraFields) {
    const value = values[field];
    if (value) parts.push(field, value);
  }
  return hash64(parts);
}
