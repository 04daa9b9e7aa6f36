import { Hash64 } from '../../common/hash64.ts';

/**
 * A row's fingerprint lets the diff skip unchanged people with one string comparison. It is
 * computed for every row of files up to millions of rows, so it is the codebase's fast 64-bit
 * hash (core/common/hash64.ts) as hex, with no allocation but the result. It only has to be
 * stable and collision-unlikely, not secret.
 */

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

const hasher = new Hash64();

/** The 64-bit hash of `texts` (each followed by U+001F) as 16 lower-case hex characters. */
export function hash64(texts: readonly string[]): string {
  hasher.ofParts(texts);
  return hex16(hasher.lo, hasher.hi);
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
