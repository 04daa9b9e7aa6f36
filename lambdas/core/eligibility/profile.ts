import { z } from 'zod';
import type { Partner } from '../partners/partner.ts';
import type { ErrorType } from '../uploads/upload-errors.ts';
import type { IdentityKey } from './model.ts';

/**
 * A file profile is the dialect of an eligibility file (SPEC §2, §6, §10, §11) described as data:
 * which columns exist, how each cell is validated and normalised, which columns identify a person,
 * and the rules that span several cells. The reader interprets it; adding a profile adds a value
 * of this type, not code in the reader.
 */

/** What a profile's schemas may depend on: the partner sending the file. */
export interface ProfileContext {
  readonly partner: Partner;
  /** The partner's country (ISO 3166 alpha-2): BR turns on CPF, CNPJ and CEP checks. */
  readonly country: string;
}

/**
 * Validates one cell: takes the raw cell (`''` when blank, untrimmed) and outputs the stored,
 * normalised value, or fails with an issue whose message is shown to the admin as is. A failing
 * blank cell is reported as `Missing`, a failing non-blank one as `Invalid`.
 */
export type CellSchema = z.ZodType<string, string>;

/**
 * An optional shortcut for plainly valid cells, compiled once per upload: returns exactly what the
 * column's schema would output, or `undefined` to let the schema decide and word the error. It
 * must never accept a cell the schema rejects (the profile tests check both agree).
 */
export type FastCell = (raw: string) => string | undefined;

/** One column a profile knows. */
export interface ColumnSpec {
  /** Stored field id (`companyTaxId`, `name`, `email`, …): the key in `EmployeeRow.values`. */
  readonly field: string;
  /** Canonical header, used in messages and when we write the eligible list. */
  readonly header: string;
  /** Other accepted spellings of the header (matched the same way as `header`). */
  readonly aliases?: readonly string[];
  /** A file without this column is refused (`Upload error` / `Missing`). */
  readonly requiredColumn: boolean;
  /** The column's cells are accepted but not read or stored (e.g. a retrofit `ignore` header). */
  readonly ignored?: boolean;
  /** The single source of truth for the column's validation and stored form. */
  readonly schema: (ctx: ProfileContext) => CellSchema;
  /** Fast path for the same rule; see {@link FastCell}. */
  readonly fast?: (ctx: ProfileContext) => FastCell | undefined;
}

/** How an identifier is read from a validated row (SPEC §6.2). */
export interface IdentitySpec {
  /** The field holding it. */
  readonly field: string;
  /** From the stored value to the form compared when matching (e.g. lower-cased email). */
  readonly normalize: (stored: string) => string;
}

/** A cross-field rule's complaint; the reader adds source `Input error`, line and company. */
export interface RowRuleFailure {
  readonly field?: string;
  readonly type: ErrorType;
  readonly description: string;
}

/**
 * A rule spanning several cells of one row. `values` holds the row's cells by field id as stored
 * (`''` when blank, and also when the cell failed its own check); `failedFields` names the fields
 * whose cell failed, so a rule does not repeat a complaint already made. Called for every row:
 * keep it cheap, and keep no reference to `failedFields` (it is reused).
 */
export type RowRule = (values: Readonly<Record<string, string>>, failedFields: ReadonlySet<string>) => RowRuleFailure | undefined;

/**
 * Where a row's company comes from: a column whose normalised value must be one of the partner's
 * companies, or the partner's single company for profiles without such a column.
 */
export type CompanySource = { readonly kind: 'column'; readonly field: string } | { readonly kind: 'partner' };

/** The dialect of an eligibility file. */
export interface FileProfile {
  readonly name: string;
  /** `case-insensitive-trimmed` (wellhub, upwards) or `exact` (retrofit, after trimming). */
  readonly headerMatch: 'case-insensitive-trimmed' | 'exact';
  /** Candidate delimiters, the first being the default; the header line picks one. */
  readonly delimiters: readonly string[];
  /** Known columns, in the canonical order used to write the eligible list. */
  readonly columns: readonly ColumnSpec[];
  /**
   * Columns decided per header and partner (retrofit's phone headers, a partner's custom headers),
   * tried for headers that match no column in `columns`.
   */
  readonly dynamicColumn?: (header: string, ctx: ProfileContext) => ColumnSpec | undefined;
  readonly company: CompanySource;
  /** Identifiers used for matching, by key; keys without a spec are never set. */
  readonly identity: Readonly<Partial<Record<IdentityKey, IdentitySpec>>>;
  readonly rowRules: readonly RowRule[];
  /** What a header nothing recognises means: refuse the file, or keep it as a custom attribute. */
  readonly unknownColumns: 'reject' | 'custom-attribute';
  /**
   * What the caller does with a file holding only a header: reject it as `Empty file`, or let the
   * wipe guard (SPEC §6.5) decide. The reader itself just reports zero rows.
   */
  readonly headerOnly: 'empty-file' | 'wipe-guard';
  /** Checked by the caller on the uploaded name; returns the error description when it fails. */
  readonly fileName?: (name: string) => string | undefined;
  /** Fields the eligible list is sorted by within a company (default `['name']`). */
  readonly sortBy?: readonly string[];
  /**
   * What a full file does to people missing from it: remove them at once (wellhub, retrofit), or
   * hold the removals until an admin approves them (upwards, SPEC §10). A partner may override it.
   */
  readonly removals?: 'immediate' | 'approval';
}

/**
 * The columns a row's fingerprint reads, in order (after the company): every column but the
 * company's and the ignored ones. The validator hashes them; the planner relies on them covering
 * the identity columns (engine.ts).
 */
export function fingerprintedColumns(profile: FileProfile): ColumnSpec[] {
  const companyField = profile.company.kind === 'column' ? profile.company.field : undefined;
  return profile.columns.filter((column) => column.field !== companyField && !column.ignored);
}

/** Builds the context a profile's schemas are compiled against. */
export function profileContext(partner: Partner): ProfileContext {
  return { partner, country: partner.country };
}

/** The header key a profile compares: trimmed, and lower-cased unless matching is exact. */
export function headerKey(profile: FileProfile, header: string): string {
  const trimmed = header.trim();
  return profile.headerMatch === 'exact' ? trimmed : trimmed.toLowerCase();
}

/** Field id under which an unknown column is kept when the profile stores custom attributes. */
export function customAttributeField(header: string): string {
  return `custom:${header.trim()}`;
}

/**
 * The header a column decided per file is written under in the lists we produce: a dynamic
 * column's field id is `{kind}:{header}` (`custom:Location`, `phone-cell:Cell Phone`).
 */
export function dynamicFieldHeader(field: string): string | undefined {
  const colon = field.indexOf(':');
  return colon > 0 ? field.slice(colon + 1) : undefined;
}

/**
 * The fast path of free-text columns (their schema is just a trim, which never fails). The reader
 * recognises this function and trims such cells inline instead of calling it.
 */
export const FREE_TEXT: FastCell = (raw) => raw.trim();

/** A free-text column: trimmed, anything accepted, blank stored as `''`. */
export function textColumn(
  field: string,
  header: string,
  options: { readonly requiredColumn?: boolean; readonly aliases?: readonly string[] } = {},
): ColumnSpec {
  return {
    field,
    header,
    requiredColumn: options.requiredColumn ?? false,
    ...(options.aliases ? { aliases: options.aliases } : {}),
    schema: () => z.string().trim(),
    fast: () => FREE_TEXT,
  };
}

/** A free-text column whose cell must not be blank (`Input error` / `Missing`). */
export function requiredTextColumn(field: string, header: string, requiredColumn = true): ColumnSpec {
  const message = `${header} is required.`;
  return {
    field,
    header,
    requiredColumn,
    schema: () => z.string().trim().min(1, { error: message }),
    fast: () => (raw) => {
      const value = raw.trim();
      return value === '' ? undefined : value;
    },
  };
}
