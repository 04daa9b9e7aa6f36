import type { Identifiers } from '../model.ts';
import type { BaseIndex } from './base-index.ts';
import type { CompanyState } from './company-state.ts';
import { Hash64 } from '../../common/hash64.ts';
import { HashTable64 } from './hash-table.ts';

/**
 * Finds a row's stored employee (SPEC §6.2) and whether an earlier line already carried one of
 * its identifiers or claimed that employee. Nearly every row of a real file carries exactly the
 * identifiers of its stored employee; for those the fast path costs one hash, one table probe and
 * the employee's own cache line, where checking all three identifiers costs three of each (on a
 * busy machine, a random memory access is worth a few hundred nanoseconds).
 *
 * Duplicate detection stays exact: an identifier the base holds is tracked through its table
 * entry's mark, the slot of its (only) holder is "touched", and a fast-path claim says "this line
 * carried all of this employee's identifiers", so either side can see the other. Identifiers the
 * base lacks live in a table of their own. Employees sharing an identifier with another stored
 * employee never take the fast path.
 */
export class RowMatcher {
  /** Slot of the matched stored employee, or -1. */
  match = -1;
  /** Identity key index the match was made on. */
  matchKey = -1;
  /** First earlier line carrying one of this row's identifiers (0 = none), and on which key. */
  dupLine = 0;
  dupKey = -1;
  /** The row carries exactly the matched employee's identifiers. */
  sameIdentifiers = false;
  /** Per identity key: the stored employee holding the row's value, or -1. */
  readonly matched = new Int32Array(3);
  private readonly hasher = new Hash64();
  /** File identifiers the base does not hold → first line carrying them. */
  private readonly fresh = new HashTable64();

  /**
   * @param fingerprintCoversIdentifiers a row whose fingerprint hash equals a stored employee's
   * carries that employee's identifiers (PlanOptions), so the fast path need not compare them.
   */
  constructor(
    private readonly base: BaseIndex,
    private readonly fingerprintCoversIdentifiers = false,
  ) {}

  /**
   * Looks a row up; results are left in the fields above. `fingerprint` is the row's
   * fingerprint hash (FINGERPRINT_SEED), for the fast path.
   */
  scan(company: CompanyState, line: number, ids: Identifiers, fastPath = true, fingerprint?: Hash64): void {
    this.match = -1;
    this.matchKey = -1;
    this.dupLine = 0;
    this.dupKey = -1;
    this.sameIdentifiers = false;
    this.matched.fill(-1);
    if (fastPath && company.baseId >= 0 && this.fast(company, ids, fingerprint)) return;
    this.probe(company, line, 0, ids.employeeId);
    this.probe(company, line, 1, ids.nationalId);
    this.probe(company, line, 2, ids.email);
    this.sameIdentifiers = this.match >= 0 && this.base.slots.matchesAll(this.match, company.baseId, ids);
  }

  /** Claims the match for an accepted row. */
  claim(line: number): void {
    if (this.match >= 0) this.base.slots.setClaim(this.match, line, this.sameIdentifiers);
  }

  /** Claims every stored employee a rejected row matches, so none of them is removed. */
  protect(line: number): void {
    for (const slot of this.matched) if (slot >= 0 && this.base.slots.claimOf(slot) === 0) this.base.slots.setClaim(slot, line);
  }

  /**
   * The common case: the precedence identifier finds an employee with exactly these identifiers.
   * An unchanged row (most of a full file) proves that by its fingerprint, when the fingerprint
   * covers the identifiers: then the stored characters need not be read, a cache miss or two
   * per row at a million employees. A wrong match would take two independent 64-bit hashes
   * colliding at once, the identifier's and the fingerprint's, which already decides "unchanged".
   */
  private fast(company: CompanyState, ids: Identifiers, fingerprint: Hash64 | undefined): boolean {
    const k: number = ids.employeeId ? 0 : ids.nationalId ? 1 : ids.email ? 2 : -1;
    if (k < 0) return false;
    const h = this.hasher.of(company.seeds[k]!, k === 0 ? ids.employeeId! : k === 1 ? ids.nationalId! : ids.email!);
    const entry = this.base.entryFor(h.hi, h.lo);
    if (entry < 0) return false;
    const slot = this.base.slotAt(entry);
    const { slots } = this.base;
    if (slots.isShared(slot)) return false;
    const unchanged =
      fingerprint !== undefined &&
      this.fingerprintCoversIdentifiers &&
      slots.companyIdOf(slot) === company.baseId &&
      slots.fingerprintEquals(slot, fingerprint.hi, fingerprint.lo);
    if (!unchanged && !slots.matchesAll(slot, company.baseId, ids)) return false;
    // An earlier line claimed or touched this employee: take the full scan to say on what.
    if (this.base.slots.claimOf(slot) !== 0 || this.base.slots.touchOf(slot) !== 0) return false;
    this.match = slot;
    this.matchKey = k;
    this.sameIdentifiers = true;
    this.matched[k] = slot;
    return true;
  }

  private probe(company: CompanyState, line: number, k: number, value: string | undefined): void {
    if (!value) return;
    const h = this.hasher.of(company.seeds[k]!, value);
    const entry = company.baseId < 0 ? -1 : this.base.entryFor(h.hi, h.lo);
    let earlier: number;
    if (entry >= 0) {
      const slot = this.base.slotAt(entry);
      earlier = this.base.entryMark(entry) || (this.base.slots.isFullClaim(slot) ? this.base.slots.claimOf(slot) : 0);
      if (earlier === 0) this.base.setEntryMark(entry, line);
      this.base.slots.touch(slot, line);
      this.matched[k] = slot;
      // Only the match is verified against the stored characters: another hit can only be wrong
      // through a 64-bit collision, and all it would do is flag a duplicate or protect someone.
      if (this.match < 0 && this.base.slots.matches(slot, company.baseId, k, value)) {
        this.match = slot;
        this.matchKey = k;
      }
    } else {
      const pos = this.fresh.insert(h.hi, h.lo, line);
      earlier = this.fresh.valueAt(pos);
      if (earlier === line) earlier = 0;
    }
    if (earlier !== 0 && this.dupLine === 0) {
      this.dupLine = earlier;
      this.dupKey = k;
    }
  }
}
