/**
 * An open-addressing hash table from 64-bit hashes to positive 32-bit integers, each entry four
 * words in one Uint32Array (hash high, hash low, value, mark) so a probe costs one cache miss,
 * not one per array. 16 bytes an entry at a load factor of at most 3/4. It stores hashes, not
 * keys: callers that must be exact verify a hit against their own copy of the key (BaseIndex).
 * The mark is scratch space for a caller (the planner records there the first file line that
 * carried the key), living in the cache line the probe already loaded.
 */

const MAX_LOAD = 0.75;
const STRIDE = 4;
const HI = 0;
const LO = 1;
const VALUE = 2;
const MARK = 3;

function capacityFor(expected: number): number {
  let capacity = 1024;
  while (capacity * MAX_LOAD < expected) capacity *= 2;
  return capacity;
}

// Mixes both halves into the home position, so hashes equal in their low bits still spread.
function home(hi: number, lo: number, mask: number): number {
  return (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
}

/** Hash → value map with linear probing. Values must be ≥ 1 (0 marks an empty entry). */
export class HashTable64 {
  private words: Uint32Array;
  private mask: number;
  private count = 0;

  /** @param expected entries to size for up front, so a known-size load never rehashes. */
  constructor(expected = 0) {
    const capacity = capacityFor(expected);
    this.words = new Uint32Array(capacity * STRIDE);
    this.mask = capacity - 1;
  }

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** Entries allocated; positions are below this and stay valid until the table grows. */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Position of the entry for (hi, lo), or -1. */
  find(hi: number, lo: number): number {
    const { words, mask } = this;
    for (let pos = home(hi, lo, mask); ; pos = (pos + 1) & mask) {
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

  /** The caller's mark at a position (0 until set). */
  markAt(pos: number): number {
    return this.words[pos * STRIDE + MARK]!;
  }

  setMarkAt(pos: number, mark: number): void {
    this.words[pos * STRIDE + MARK] = mark;
  }

  /** Resets every mark to 0. */
  clearMarks(): void {
    for (let at = MARK; at < this.words.length; at += STRIDE) this.words[at] = 0;
  }

  /**
   * Inserts (hi, lo) → value unless present; returns the entry's position either way (compare
   * `valueAt` with `value` to tell). May grow the table, which moves every position and drops
   * the marks.
   */
  insert(hi: number, lo: number, value: number): number {
    if (value < 1) throw new RangeError('HashTable64 values must be ≥ 1');
    if (this.count + 1 > this.capacity * MAX_LOAD) this.grow();
    const { words, mask } = this;
    for (let pos = home(hi, lo, mask); ; pos = (pos + 1) & mask) {
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
    const capacity = this.capacity * 2;
    this.words = new Uint32Array(capacity * STRIDE);
    this.mask = capacity - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += STRIDE) {
      const value = old[at + VALUE]!;
      if (value !== 0) this.insert(old[at + HI]!, old[at + LO]!, value);
    }
  }
}
