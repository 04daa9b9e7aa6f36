/**
 * An open-addressing hash table from 64-bit hashes to positive 32-bit integers, each entry three
 * words in one Uint32Array (hash high, hash low, value) so a probe costs one cache miss, not one
 * per array: 12 bytes an entry at a load factor of at most 4/5. It stores hashes, not keys:
 * callers that must be exact verify a hit against their own copy of the key (BaseIndex).
 *
 * The capacity is not a power of two: a million employees carry three million identifiers, and
 * doubling from 4M to 8M entries for a base a little larger would add 48 MiB at once (the
 * identifier table is the biggest single allocation of a plan). A home position is mapped onto
 * any capacity with a multiply (Lemire's fastrange) instead of a mask.
 */

const MAX_LOAD = 0.8;
const STRIDE = 3;
const HI = 0;
const LO = 1;
const VALUE = 2;
const MIN_CAPACITY = 1024;
const TWO_32 = 2 ** 32;

function capacityFor(expected: number): number {
  return Math.max(MIN_CAPACITY, Math.ceil(expected / MAX_LOAD) + 1);
}

// Mixes both halves, so hashes equal in their low bits still spread. The double product may
// round in its last bits, but the same hash always lands on the same position, below capacity.
function home(hi: number, lo: number, capacity: number): number {
  return Math.floor((((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) * capacity) / TWO_32);
}

/** Hash → value map with linear probing. Values must be ≥ 1 (0 marks an empty entry). */
export class HashTable64 {
  private words: Uint32Array;
  private slots: number;
  private count = 0;

  /** @param expected entries to size for up front, so a known-size load never rehashes. */
  constructor(expected = 0) {
    this.slots = capacityFor(expected);
    this.words = new Uint32Array(this.slots * STRIDE);
  }

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** Entries allocated; positions are below this and stay valid until the table grows. */
  get capacity(): number {
    return this.slots;
  }

  /** Position of the entry for (hi, lo), or -1. */
  find(hi: number, lo: number): number {
    const { words, slots } = this;
    for (let pos = home(hi, lo, slots); ; pos = pos + 1 === slots ? 0 : pos + 1) {
      const at = pos * STRIDE;
      if (words[at + VALUE] === 0) return -1;
      if (words[at + LO] === lo && words[at + HI] === hi) return pos;
    }
  }

  /** Value at a position `find` or `insert` returned. */
  valueAt(pos: number): number {
    return this.words[pos * STRIDE + VALUE]!;
  }

  /** Replaces the value at a position `find` or `insert` returned. */
  setValueAt(pos: number, value: number): void {
    if (value < 1) throw new RangeError('HashTable64 values must be ≥ 1');
    this.words[pos * STRIDE + VALUE] = value;
  }

  /**
   * Inserts (hi, lo) → value unless present; returns the entry's position either way (compare
   * `valueAt` with `value` to tell). May grow the table, which moves every position.
   */
  insert(hi: number, lo: number, value: number): number {
    if (value < 1) throw new RangeError('HashTable64 values must be ≥ 1');
    if (this.count + 1 > this.slots * MAX_LOAD) this.grow();
    const { words, slots } = this;
    for (let pos = home(hi, lo, slots); ; pos = pos + 1 === slots ? 0 : pos + 1) {
      const at = pos * STRIDE;
      if (words[at + VALUE] === 0) {
        words[at + HI] = hi;
        words[at + LO] = lo;
        words[at + VALUE] = value;
        this.count++;
        return pos;
      }
      if (words[at + LO] === lo && words[at + HI] === hi) return pos;
    }
  }

  private grow(): void {
    const old = this.words;
    this.slots *= 2;
    this.words = new Uint32Array(this.slots * STRIDE);
    this.count = 0;
    for (let at = 0; at < old.length; at += STRIDE) {
      const value = old[at + VALUE]!;
      if (value !== 0) this.insert(old[at + HI]!, old[at + LO]!, value);
    }
  }
}
