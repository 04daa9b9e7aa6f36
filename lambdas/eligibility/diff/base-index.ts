import { IDENTITY_KEYS, type BaseEmployee, type IdentityKey } from '../model.ts';
import { EmployeeSlots } from './employee-slots.ts';
import { FINGERPRINT_SEED, Hash64, identitySeeds } from './hash64.ts';
import { HashTable64 } from './hash-table.ts';

/**
 * The stored base, compact enough that a million employees fit next to a million-row file in a
 * 512 MiB Lambda (SPEC §13): about 180 bytes an employee instead of an object, four strings and
 * three Map entries. Employees live in EmployeeSlots (one cache line each); identifiers are found
 * through a HashTable64 keyed by the 64-bit hash of (company, key, value), and a match is checked
 * against the stored characters, so a hash collision never matches the wrong person.
 */
export class BaseIndex {
  /** The employees, by slot number. */
  readonly slots: EmployeeSlots;
  private readonly table: HashTable64;
  private readonly hasher = new Hash64();
  private readonly companyIds = new Map<string, number>();
  private readonly companyTaxIds: string[] = [];
  private readonly seeds: (readonly [number, number, number])[] = [];
  private readonly activeCounts: number[] = [];
  private frozen = false;

  /** @param expectedSize employees to size for up front (growing costs a copy). */
  constructor(expectedSize = 0) {
    this.slots = new EmployeeSlots(expectedSize);
    this.table = new HashTable64(expectedSize * IDENTITY_KEYS.length);
  }

  /** Builds an index from employees as they stream in, e.g. page by page from the database. */
  static async from(
    source: Iterable<BaseEmployee> | AsyncIterable<BaseEmployee>,
    expectedSize = 0,
  ): Promise<BaseIndex> {
    const index = new BaseIndex(expectedSize);
    for await (const employee of source) index.add(employee);
    return index;
  }

  /** Employees held. */
  get size(): number {
    return this.slots.size;
  }

  /**
   * Adds one stored employee and returns its slot. When two stored employees of a company share
   * an identifier, lookups find the active one (else the first): a removed employee's old email
   * must not capture a file row meant for the current holder. Both are marked shared.
   */
  add(employee: BaseEmployee): number {
    if (this.frozen) throw new Error('BaseIndex is frozen: a plan is using it');
    const company = this.internCompany(employee.companyTaxId);
    if (employee.active) this.activeCounts[company]!++;
    const fp = this.hasher.of(FINGERPRINT_SEED, employee.fingerprint);
    const { identifiers: ids } = employee;
    const slot = this.slots.append(company, employee.active, fp.hi, fp.lo, employee.employeeKey, ids);
    const seeds = this.seeds[company]!;
    for (let k = 0; k < IDENTITY_KEYS.length; k++) {
      const value = ids[IDENTITY_KEYS[k]!];
      if (!value) continue;
      this.hasher.of(seeds[k]!, value);
      const entry = this.table.insert(this.hasher.hi, this.hasher.lo, slot + 1);
      const holder = this.table.valueAt(entry) - 1;
      if (holder === slot) continue;
      this.slots.markShared(slot);
      this.slots.markShared(holder);
      if (employee.active && !this.slots.isActive(holder)) this.table.setValueAt(entry, slot + 1);
    }
    return slot;
  }

  /** Stops further `add`s and clears the plan scratch: a plan is about to use the index. */
  freeze(): void {
    this.frozen = true;
    this.table.clearMarks();
    this.slots.clearScratch();
  }

  /** Internal id of a company with stored employees, or -1. */
  companyId(companyTaxId: string): number {
    return this.companyIds.get(companyTaxId) ?? -1;
  }

  /** Normalised tax ID of a slot's company. */
  companyTaxId(slot: number): string {
    return this.companyTaxIds[this.slots.companyIdOf(slot)]!;
  }

  /** Active employees of a company (0 when it has none stored). */
  activeCount(companyTaxId: string): number {
    const id = this.companyId(companyTaxId);
    return id < 0 ? 0 : this.activeCounts[id]!;
  }

  /** Identity hash seeds of a stored company, by internal id. */
  seedsOf(companyId: number): readonly [number, number, number] {
    return this.seeds[companyId]!;
  }

  /** Slot of the employee a (company, key, value) identifies, or -1. */
  find(companyTaxId: string, key: IdentityKey, value: string): number {
    const company = this.companyId(companyTaxId);
    if (company < 0) return -1;
    const k = IDENTITY_KEYS.indexOf(key);
    this.hasher.of(this.seeds[company]![k]!, value);
    const entry = this.entryFor(this.hasher.hi, this.hasher.lo);
    const slot = entry < 0 ? -1 : this.slotAt(entry);
    return slot >= 0 && this.slots.matches(slot, company, k, value) ? slot : -1;
  }

  /**
   * Table entry for a value hashed with `seedsOf(company)[keyIndex]`, or -1. Unverified: check
   * the slot with `slots.matches` before trusting it with a person's data.
   */
  entryFor(hi: number, lo: number): number {
    return this.table.find(hi, lo);
  }

  /** Slot an entry points to. */
  slotAt(entry: number): number {
    return this.table.valueAt(entry) - 1;
  }

  /** Plan scratch per entry: the first file line carrying that identifier (0 = none yet). */
  entryMark(entry: number): number {
    return this.table.markAt(entry);
  }

  setEntryMark(entry: number, line: number): void {
    this.table.setMarkAt(entry, line);
  }

  private internCompany(companyTaxId: string): number {
    let id = this.companyIds.get(companyTaxId);
    if (id === undefined) {
      id = this.companyTaxIds.length;
      this.companyIds.set(companyTaxId, id);
      this.companyTaxIds.push(companyTaxId);
      this.seeds.push(identitySeeds(companyTaxId));
      this.activeCounts.push(0);
    }
    return id;
  }
}
