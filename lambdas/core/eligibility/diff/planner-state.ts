import type { UploadError } from '../../uploads/upload-errors.ts';
import type { Change, DiffMode } from '../model.ts';
import type { BaseIndex } from './base-index.ts';
import type { CompanyState } from './company-state.ts';
import type { IdentifierFields } from './plan-errors.ts';
import type { RejectedGuard } from './rejected-guard.ts';

/**
 * The options of a plan and the state the planner hands to `finishPlan`: apart from both, so the
 * planner and its finishing step each import these types instead of one another.
 */

/** all-or-nothing: single-entity and multi-entity; per-company: channel partners (SPEC §6.4). */
export type Acceptance = 'all-or-nothing' | 'per-company';

export interface PlanOptions {
  /** The stored base; frozen by the plan. */
  readonly base: BaseIndex;
  readonly mode: DiffMode;
  readonly acceptance: Acceptance;
  /** Share of a company's active employees a full file may remove. @default 0.1 */
  readonly wipeThreshold?: number;
  /** Removals at or below this count never trip the wipe guard. @default 5 */
  readonly wipeMinimum?: number;
  /** Companies the file names even with no row for them (a header-only file, see the engine). */
  readonly companies?: readonly string[];
  /** Column headers reported as Field Name. @default WELLHUB_IDENTIFIER_FIELDS */
  readonly identifierFields?: IdentifierFields;
  /**
   * The rows' fingerprints cover their identifiers' cells (every identity column is a
   * fingerprinted column of the profile), so a row whose fingerprint equals its stored
   * employee's carries that employee's identifiers. @default false
   */
  readonly fingerprintCoversIdentifiers?: boolean;
}

/** State shared with `finishPlan`. */
export interface PlannerState {
  readonly options: PlanOptions;
  readonly companies: Map<string, CompanyState>;
  /** Identifiers of rejected rows: stored employees sharing one are not removed. */
  readonly rejected: RejectedGuard;
  readonly changes: Change[];
  readonly changeCompanies: CompanyState[];
  readonly errors: UploadError[];
  readonly rowsRead: number;
  readonly rowsRejected: number;
}
