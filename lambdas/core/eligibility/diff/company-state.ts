import type { CompanySummary } from '../model.ts';
import type { BaseIndex } from './base-index.ts';
import { identitySeeds } from './identity-seeds.ts';

/**
 * What a plan tracks for one company present in the file: its identity hash seeds, its link to
 * the base, and the counters its summary line is made of.
 */
export class CompanyState {
  readonly baseId: number;
  readonly seeds: readonly [number, number, number];
  readonly activeBefore: number;
  added = 0;
  updated = 0;
  reactivated = 0;
  removed = 0;
  unchanged = 0;
  rejectedRows = 0;
  /** Valid rows of this company that were not rejected (even when they change nothing). */
  acceptedRows = 0;
  /** A `Client error` (unauthorized company, database wipe): per-company acceptance skips it. */
  clientError = false;

  constructor(
    readonly taxId: string,
    base: BaseIndex,
  ) {
    this.baseId = base.companyId(taxId);
    this.seeds = this.baseId < 0 ? identitySeeds(taxId) : base.seedsOf(this.baseId);
    this.activeBefore = base.activeCount(taxId);
  }

  summary(): CompanySummary {
    return {
      companyTaxId: this.taxId,
      activeBefore: this.activeBefore,
      added: this.added,
      updated: this.updated,
      reactivated: this.reactivated,
      removed: this.removed,
      unchanged: this.unchanged,
      rejectedRows: this.rejectedRows,
    };
  }
}
