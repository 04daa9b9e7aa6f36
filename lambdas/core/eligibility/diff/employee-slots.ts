import { IDENTITY_KEYS, type Identifiers, type IdentityKey } from '../model.ts';
import { ChunkedStrings, isNarrow } from './chunked-strings.ts';
import type { Hash64 } from '../../common/hash64.ts';

/**
 * Stored employees as numbered slots, eight words each in a Uint32Array, so everything a row
 * needs about its match sits in one cache line: company id and flags, a 64-bit fingerprint hash,
 * where its strings start and their lengths, and the plan's scratch (claim, touch). The employee
 * key and identifiers are bytes in ChunkedStrings, about a byte a character.
 *
 * Slots live in blocks of 65,536 (2 MiB each) rather than one array grown by copying: the base
 * streams in with no size known in advance, and every copy of a growing array left its old
 * generation behind, which at a million employees added some 60 MiB to the peak.
 */

const STRIDE = 8;
const HEAD = 0; // company id (low 24 bits) | flags
const TOUCH = 1;
const FP_HI = 2;
const FP_LO = 3;
const START = 4;
const LENGTHS = 5; // two words: employee key | employee ID << 16, national ID | email << 16
const CLAIM = 7;
const BLOCK_BITS = 16;
const BLOCK_SLOTS = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_SLOTS - 1;
const COMPANY_MASK = 0xffffff;
const ACTIVE = 1 << 24;
const SHARED = 1 << 25;
const FULL_CLAIM = 1 << 26;
/** The slot's strings take two bytes a UTF-16 unit (one of them has a unit above 255). */
const WIDE = 1 << 27;

/** Per-employee storage of a BaseIndex. Strings: 0 is the employee key, 1–3 the identifiers. */
export class EmployeeSlots {
  /** Full blocks of BLOCK_SLOTS slots; only the first may be smaller (a small base's). */
  private readonly blocks: Uint32Array[];
  private readonly strings = new ChunkedStrings();
  private count = 0;

  constructor(expected: number) {
    this.blocks = [new Uint32Array(Math.min(BLOCK_SLOTS, Math.max(1024, expected)) * STRIDE)];
  }

  get size(): number {
    return this.count;
  }

  /** Stores an employee and returns its slot; `fingerprint` is its 64-bit hash. */
  append(companyId: number, active: boolean, fpHi: number, fpLo: number, employeeKey: string, ids: Identifiers): number {
    if (companyId > COMPANY_MASK) throw new RangeError('too many companies in one base');
    const slot = this.count;
    const block = slot >>> BLOCK_BITS;
    if (block === this.blocks.length) this.blocks.push(new Uint32Array(BLOCK_SLOTS * STRIDE));
    else if (block === 0 && (slot + 1) * STRIDE > this.blocks[0]!.length) this.growFirst();
    const words = this.blocks[block]!;
    const at = (slot & BLOCK_MASK) * STRIDE;
    const { strings } = this;
    const wide = !(isNarrow(employeeKey) && isNarrow(ids.employeeId) && isNarrow(ids.nationalId) && isNarrow(ids.email));
    words[at + HEAD] = companyId | (active ? ACTIVE : 0) | (wide ? WIDE : 0);
    words[at + FP_HI] = fpHi;
    words[at + FP_LO] = fpLo;
    words[at + START] = strings.begin(slot);
    words[at + LENGTHS] = strings.push(employeeKey, wide) | (strings.push(ids.employeeId, wide) << 16);
    words[at + LENGTHS + 1] = strings.push(ids.nationalId, wide) | (strings.push(ids.email, wide) << 16);
    this.count++;
    return slot;
  }

  companyIdOf(slot: number): number {
    return this.w(slot)[this.at(slot) + HEAD]! & COMPANY_MASK;
  }

  isActive(slot: number): boolean {
    return (this.w(slot)[this.at(slot) + HEAD]! & ACTIVE) !== 0;
  }

  /** Another stored employee of the company has one of this one's identifiers (or its hash). */
  isShared(slot: number): boolean {
    return (this.w(slot)[this.at(slot) + HEAD]! & SHARED) !== 0;
  }

  markShared(slot: number): void {
    this.setFlags(slot, SHARED);
  }

  /** True when the stored fingerprint hashes to (hi, lo). */
  fingerprintEquals(slot: number, hi: number, lo: number): boolean {
    const words = this.w(slot);
    const at = this.at(slot);
    return words[at + FP_HI] === hi && words[at + FP_LO] === lo;
  }

  /** Plan scratch: the file line that claimed the employee (0 = nobody). */
  claimOf(slot: number): number {
    return this.w(slot)[this.at(slot) + CLAIM]!;
  }

  /** Claims a slot for a line; `full` when the line carries exactly the stored identifiers. */
  setClaim(slot: number, line: number, full = false): void {
    this.w(slot)[this.at(slot) + CLAIM] = line;
    if (full) this.setFlags(slot, FULL_CLAIM);
  }

  /** Whether the claiming line carried exactly this employee's identifiers. */
  isFullClaim(slot: number): boolean {
    return (this.w(slot)[this.at(slot) + HEAD]! & FULL_CLAIM) !== 0;
  }

  /** Plan scratch: the first line carrying any of its identifiers (0 = none). */
  touchOf(slot: number): number {
    return this.w(slot)[this.at(slot) + TOUCH]!;
  }

  touch(slot: number, line: number): void {
    const words = this.w(slot);
    const at = this.at(slot) + TOUCH;
    if (words[at] === 0) words[at] = line;
  }

  /** Resets the plan scratch of every slot. */
  clearScratch(): void {
    for (let b = 0; b < this.blocks.length; b++) {
      const words = this.blocks[b]!;
      const end = Math.min(words.length, (this.count - b * BLOCK_SLOTS) * STRIDE);
      for (let at = 0; at < end; at += STRIDE) {
        words[at + HEAD] = words[at + HEAD]! & ~FULL_CLAIM;
        words[at + TOUCH] = 0;
        words[at + CLAIM] = 0;
      }
    }
  }

  employeeKey(slot: number): string {
    return this.field(slot, 0);
  }

  /** One stored identifier, undefined when blank. */
  identifier(slot: number, keyIndex: number): string | undefined {
    return this.field(slot, 1 + keyIndex) || undefined;
  }

  /** The stored identifiers, for reports. */
  identifiers(slot: number): Identifiers {
    const result: Partial<Record<IdentityKey, string>> = {};
    IDENTITY_KEYS.forEach((key, k) => {
      const value = this.identifier(slot, k);
      if (value !== undefined) result[key] = value;
    });
    return result;
  }

  /** Compares a stored identifier with `value` without building a string (undefined = blank). */
  identifierEquals(slot: number, keyIndex: number, value: string | undefined): boolean {
    const field = 1 + keyIndex;
    const length = this.lengthOf(slot, field);
    if (length !== (value?.length ?? 0)) return false;
    if (length === 0) return true;
    const bytes = this.strings.chunkOf(slot);
    let at = this.startOf(slot, field);
    if (this.isWide(slot)) {
      for (let i = 0; i < length; i++, at += 2) if ((bytes[at]! | (bytes[at + 1]! << 8)) !== value!.charCodeAt(i)) return false;
    } else {
      for (let i = 0; i < length; i++) if (bytes[at + i] !== value!.charCodeAt(i)) return false;
    }
    return true;
  }

  /** Hashes a stored identifier under `seed` into `hasher`; false (nothing hashed) when blank. */
  hashIdentifier(slot: number, keyIndex: number, seed: number, hasher: Hash64): boolean {
    const field = 1 + keyIndex;
    const length = this.lengthOf(slot, field);
    if (length === 0) return false;
    hasher.ofBytes(seed, this.strings.chunkOf(slot), this.startOf(slot, field), length, this.isWide(slot));
    return true;
  }

  /** Whether a slot belongs to `companyId` and stores exactly `value` under `keyIndex`. */
  matches(slot: number, companyId: number, keyIndex: number, value: string): boolean {
    return this.companyIdOf(slot) === companyId && this.identifierEquals(slot, keyIndex, value);
  }

  /** Whether a slot belongs to `companyId` and stores exactly these identifiers. */
  matchesAll(slot: number, companyId: number, ids: Identifiers): boolean {
    return (
      this.companyIdOf(slot) === companyId &&
      this.identifierEquals(slot, 0, ids.employeeId) &&
      this.identifierEquals(slot, 1, ids.nationalId) &&
      this.identifierEquals(slot, 2, ids.email)
    );
  }

  private lengthOf(slot: number, field: number): number {
    return (this.w(slot)[this.at(slot) + LENGTHS + (field >>> 1)]! >>> ((field & 1) * 16)) & 0xffff;
  }

  private isWide(slot: number): boolean {
    return (this.w(slot)[this.at(slot) + HEAD]! & WIDE) !== 0;
  }

  /** Byte offset of a slot's string in its chunk. */
  private startOf(slot: number, field: number): number {
    let units = 0;
    for (let f = 0; f < field; f++) units += this.lengthOf(slot, f);
    return this.w(slot)[this.at(slot) + START]! + (this.isWide(slot) ? units * 2 : units);
  }

  private field(slot: number, field: number): string {
    return this.strings.text(slot, this.startOf(slot, field), this.lengthOf(slot, field), this.isWide(slot));
  }

  private setFlags(slot: number, flags: number): void {
    const words = this.w(slot);
    const at = this.at(slot) + HEAD;
    words[at] = words[at]! | flags;
  }

  /** The block holding a slot. */
  private w(slot: number): Uint32Array {
    return this.blocks[slot >>> BLOCK_BITS]!;
  }

  /** Where a slot's words start in its block. */
  private at(slot: number): number {
    return (slot & BLOCK_MASK) * STRIDE;
  }

  /** Grows a small first block, up to a full one. */
  private growFirst(): void {
    const first = this.blocks[0]!;
    const next = new Uint32Array(Math.min(BLOCK_SLOTS, Math.ceil((first.length / STRIDE) * 1.5)) * STRIDE);
    next.set(first);
    this.blocks[0] = next;
  }
}
