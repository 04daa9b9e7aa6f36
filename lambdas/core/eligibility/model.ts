import type { UploadError } from '../uploads/upload-errors.ts';

/**
 * The eligibility engine's shared vocabulary (SPEC §6). Reading and validating a file produces
 * `RowOutcome`s; the diff turns accepted rows and the stored base into a `ChangePlan`; the
 * processor applies the plan with exactly one write per change. All of it is pure: no AWS here.
 */

/** Identifiers an employee is matched by, in precedence order (SPEC §6.2). */
export const IDENTITY_KEYS = ['employeeId', 'nationalId', 'email'] as const;
export type IdentityKey = (typeof IDENTITY_KEYS)[number];

/** Normalised identifiers: trimmed, emails lower-cased, IDs without punctuation; absent when blank. */
export type Identifiers = Readonly<Partial<Record<IdentityKey, string>>>;

/**
 * One person as a file states them, after validation: the normalised tax ID, the identifiers,
 * and every stored column's value by field id (what the eligible list writes back), plus a
 * fingerprint of those values so an unchanged person costs a comparison, not a write.
 */
export interface EmployeeRow {
  /** Data-row position in the file, the first row after the header being 1. */
  readonly line: number;
  readonly companyTaxId: string;
  readonly identifiers: Identifiers;
  /** Stored column values by field id (e.g. `name`, `department`, `payrollEnabled`). */
  readonly values: Readonly<Record<string, string>>;
  /** Stable hash of companyTaxId + values: equal fingerprints mean nothing to write. */
  readonly fingerprint: string;
}

/**
 * What validation says about one data row. A rejected row still carries what could be read of
 * its company and identifiers, so a channel partner's rejected row never removes its person.
 */
export type RowOutcome =
  | { readonly kind: 'valid'; readonly row: EmployeeRow }
  | {
      readonly kind: 'rejected';
      readonly line: number;
      readonly companyTaxId?: string;
      readonly identifiers: Identifiers;
      readonly errors: readonly UploadError[];
    };

/** A stored employee as the diff needs it: no personal fields beyond the identifiers. */
export interface BaseEmployee {
  /** Stable internal key, kept when identifiers change. */
  readonly employeeKey: string;
  readonly companyTaxId: string;
  readonly active: boolean;
  readonly fingerprint: string;
  readonly identifiers: Identifiers;
}

/** How a file's rows act on the base: full replace per company, add-only, or remove-only. */
export type DiffMode = 'replace' | 'add-only' | 'remove-only';

export interface AddChange {
  readonly kind: 'add';
  readonly row: EmployeeRow;
}
export interface UpdateChange {
  readonly kind: 'update';
  readonly employeeKey: string;
  readonly row: EmployeeRow;
  /** The employee had been removed and comes back (new effective date). */
  readonly reactivate: boolean;
}
export interface RemoveChange {
  readonly kind: 'remove';
  readonly employeeKey: string;
  readonly companyTaxId: string;
}
export type Change = AddChange | UpdateChange | RemoveChange;

export interface CompanySummary {
  readonly companyTaxId: string;
  readonly activeBefore: number;
  readonly added: number;
  readonly updated: number;
  readonly reactivated: number;
  readonly removed: number;
  readonly unchanged: number;
  readonly rejectedRows: number;
}

/**
 * The engine's verdict on a file. `changes` holds only what is to be applied (empty when the
 * upload is rejected as a whole); `errors` every error found, in line order after file-level ones.
 */
export interface ChangePlan {
  readonly verdict: 'accepted' | 'partially-accepted' | 'rejected';
  readonly changes: readonly Change[];
  readonly errors: readonly UploadError[];
  readonly companies: readonly CompanySummary[];
  readonly rowsRead: number;
  readonly rowsRejected: number;
}
