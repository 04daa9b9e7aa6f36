import { IDENTITY_KEYS, type BaseEmployee, type IdentityKey } from '../model.ts';
import { EmployeeSlots } from './employee-slots.ts';
import { Hash64 } from '../../common/hash64.ts';
import { FINGERPRINT_SEED, identitySeeds } from './identity-seeds.ts';
import { HashTable64 } from './hash-table.ts';

/**
 * The stored base, compact enough that a million employees fit next to a million-row file in a
 * 512 MiB Lambda (SPEC §13): about 180 bytes an employee instead of an object, four strings and
 * three Map entries. Employees live in EmployeeSlots (one cache line each); identifiers are found
 * through a HashTable64 keyed by the 64-bit hash of (company, key, value), and a match is checked
 * against the stored characters, so a hash collision never matches the wrong person. (An
 * unchanged row's fast path checks its fingerprint instead, two independent hashes: ADR 0160.)
 *
 * The base streams in with no size known (page by page from the database), so the identifier
 * table is built once, at its final size, when the load ends (`loaded`, which `from` calls) or
 * else when first needed (the plan's `freeze`, or a `find`):
 * a table doubled as employees arrive left each old generation behind, some 60 MiB of the peak
 * at a million employees. Employees added after that are indexed as they come, as before.
 */
export class BaseIndex {
  /** The employees, by slot number. */
  readonly slots: EmployeeSlots;
  /** Built by `indexed()`; until then identifiers wait in the slots. */
  private table: HashTable64 | undefined;
  /**
   * Plan scratch, table position → first file line carrying that identifier. Apart from the
   * table: only lines off the fast path set one (new people, changed identifiers), so for a
   * million identifiers this holds a few thousand, where a word in every entry cost 16 MiB.
   */
  private marks = new HashTable64();
  /** Slots whose identifiers are in the table. */
  private indexedSlots = 0;
  /** Non-blank identifiers of all slots: the table's final size. */
  private identifierCount = 0;
  private readonly expectedIdentifiers: number;
  private readonly hasher = new Hash64();
  private readonly companyIds = new Map<string, number>();
  private readonly companyTaxIds: string[] = [];
  private readonly seeds: (readonly [number, number, number])[] = [];
  private readonly activeCounts: number[] = [];
  private frozen = false;

  /** @param expectedSize employees to size for up front (growing costs a copy). */
  constructor(expectedSize = 0) {
    this.slots = new EmployeeSlots(expectedSize);
    this.expectedIdentifiers = expectedSize * IDENTITY_KEYS.length;
  }

  /** Builds an index from employees as they stream in, e.g. page by page from the database. */
  static async from(source: Iterable<BaseEmployee> | AsyncIterable<BaseEmployee>, expectedSize = 0): Promise<BaseIndex> {
    const index = new BaseIndex(expectedSize);
    for await (const employee of source) index.add(employee);
    return index.loaded();
  }

  /**
   * Says the base is all in: the identifier table is built now, at its final size, so loading
   * the base yields an index ready to match against, and a plan starts matching at once.
   */
  loaded(): this {
    this.indexed();
    return this;
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
    for (const key of IDENTITY_KEYS) if (ids[key]) this.identifierCount++;
    if (this.table) this.indexSlots(this.table);
    return slot;
  }

  /** Stops further `add`s and clears the plan scratch: a plan is about to use the index. */
  freeze(): void {
    this.frozen = true;
    this.indexed();
    this.marks = new HashTable64();
    this.slots.clearScratch();
  }

  /** The identifier table, with every slot in it: built at its final size on first use. */
  private indexed(): HashTable64 {
    const table = (this.table ??= new HashTable64(Math.max(this.identifierCount, this.expectedIdentifiers)));
    if (this.indexedSlots < this.slots.size) this.indexSlots(table);
    return table;
  }

  /**
   * Puts the identifiers of the slots not yet indexed into the table, in slot order, which is
   * what adding them one by one did: a later employee sharing an identifier takes the entry
   * only when it is active and the holder is not.
   */
  private indexSlots(table: HashTable64): void {
    const { slots, hasher } = this;
    for (let slot = this.indexedSlots; slot < slots.size; slot++) {
      const seeds = this.seeds[slots.companyIdOf(slot)]!;
      const active = slots.isActive(slot);
      for (let k = 0; k < IDENTITY_KEYS.length; k++) {
        if (!slots.hashIdentifier(slot, k, seeds[k]!, hasher)) continue;
        const entry = table.insert(hasher.hi, hasher.lo, slot + 1);
        const holder = table.valueAt(entry) - 1;
        if (holder === slot) continue;
        slots.markShared(slot);
        slots.markShared(holder);
        if (active && !slots.isActive(holder)) table.setValueAt(entry, slot + 1);
      }
    }
    this.indexedSlots = slots.size;
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
    return (this.frozen ? this.table! : this.indexed()).find(hi, lo);
  }

  // Entries come from entryFor, so the table exists.
  /** Slot an entry points to. */
  slotAt(entry: number): number {
    return this.table!.valueAt(entry) - 1;
  }

  /** Plan scratch per entry: the first file line carrying that identifier (0 = none yet). */
  entryMark(entry: number): number {
    const at = this.marks.find(entry, 0);
    return at < 0 ? 0 : this.marks.valueAt(at);
  }

  setEntryMark(entry: number, line: number): void {
    this.marks.setValueAt(this.marks.insert(entry, 0, line), line);
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
