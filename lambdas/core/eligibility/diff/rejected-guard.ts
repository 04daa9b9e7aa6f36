import type { Identifiers } from '../model.ts';
import type { BaseIndex } from './base-index.ts';
import { Hash64 } from '../../common/hash64.ts';
import { identitySeeds } from './identity-seeds.ts';
import { HashTable64 } from './hash-table.ts';

/**
 * "A rejected row never causes that person's removal" (SPEC §6.4). Rejected rows claim the stored
 * employee they match as they stream by; this guard also remembers their identifiers, so that at
 * the end any removal candidate sharing one is kept: it catches a second stored employee with
 * the same identifier (the index finds only one) and rows whose company could not be read,
 * which protect a person of any company in the file. Only removal candidates are checked, so
 * the guard costs nothing per unchanged row.
 */

// Tax IDs are never empty, so this family cannot collide with a real company's.
const ANY_COMPANY = identitySeeds('');

export class RejectedGuard {
  private readonly table = new HashTable64();
  private readonly hasher = new Hash64();

  /** Remembers a rejected row's identifiers under its company's seeds, or any company's. */
  add(ids: Identifiers, seeds: readonly [number, number, number] = ANY_COMPANY): void {
    [ids.employeeId, ids.nationalId, ids.email].forEach((value, k) => {
      if (value) this.table.insert(this.hasher.of(seeds[k]!, value).hi, this.hasher.lo, 1);
    });
  }

  get isEmpty(): boolean {
    return this.table.size === 0;
  }

  /** Whether a stored employee shares an identifier with a rejected row of its company (or of none). */
  protects(base: BaseIndex, slot: number): boolean {
    const seeds = base.seedsOf(base.slots.companyIdOf(slot));
    for (let k = 0; k < 3; k++) {
      const value = base.slots.identifier(slot, k);
      if (value === undefined) continue;
      if (this.table.find(this.hasher.of(seeds[k]!, value).hi, this.hasher.lo) >= 0) return true;
      if (this.table.find(this.hasher.of(ANY_COMPANY[k]!, value).hi, this.hasher.lo) >= 0) return true;
    }
    return false;
  }
}
