import type { Partner } from '../partners/partner.ts';
import { uploadError, type UploadError } from '../uploads/upload-errors.ts';
import { BaseIndex } from './diff/base-index.ts';
import { ChangePlanner, type Acceptance, type PlanOptions } from './diff/change-planner.ts';
import type { IdentifierFields } from './diff/plan-errors.ts';
import { IDENTITY_KEYS, type BaseEmployee, type ChangePlan, type DiffMode } from './model.ts';
import { fingerprintedColumns, type FileProfile } from './profile.ts';
import { readEmployeeBatches } from './read/index.ts';

/**
 * The eligibility engine (SPEC §6): the reader's validated rows stream straight into the change
 * planner, one row at a time, so neither the file nor its unchanged rows are ever held. Pure:
 * the caller loads the base and applies the plan.
 */

/** One upload to plan. */
export interface EngineInput {
  /** The uploaded bytes, streamed. */
  readonly input: AsyncIterable<Uint8Array> | NodeJS.ReadableStream;
  readonly profile: FileProfile;
  readonly partner: Partner;
  /** `replace` for full files and dry runs, `add-only` newcomers, `remove-only` leavers. */
  readonly mode: DiffMode;
  /** The partner's stored employees, as an index or as they stream from the database. */
  readonly base: BaseIndex | Iterable<BaseEmployee> | AsyncIterable<BaseEmployee>;
  /** More data rows than this refuses the file as `Too large`. */
  readonly maxRows: number;
}

/** The plan, plus the whole-file error when reading failed (then the only error). */
export type EngineResult = ChangePlan & { readonly fileError?: UploadError };

/** Reads, validates and diffs one upload into a change plan. */
export async function runEligibilityEngine(options: EngineInput): Promise<EngineResult> {
  const { profile, partner, mode } = options;
  const base = options.base instanceof BaseIndex ? options.base : await BaseIndex.from(options.base);
  const planOptions: PlanOptions = {
    base,
    mode,
    acceptance: acceptanceFor(partner),
    wipeThreshold: partner.wipeThreshold,
    identifierFields: identifierFields(profile),
    fingerprintCoversIdentifiers: fingerprintCoversIdentifiers(profile),
  };
  const planner = new ChangePlanner(planOptions);
  let rows = 0;
  // Batch by batch: a million rows then cost a thousand awaits, not a million.
  for await (const events of readEmployeeBatches(options.input, { profile, partner, maxRows: options.maxRows })) {
    for (const event of events) {
      if (event.kind === 'row') {
        rows++;
        planner.accept(event.outcome);
      } else if (event.kind === 'file-error') {
        return refused(event.error, rows);
      }
    }
  }
  if (rows > 0) return planner.finish();
  if (profile.headerOnly === 'empty-file' || mode !== 'replace') return refused(headerOnly(), 0);
  // A header-only full file says "nobody works here any more": let the wipe guard judge it, with
  // no five-people allowance, so by default it is refused and only a threshold of 1 applies it.
  return new ChangePlanner({ ...planOptions, companies: namedCompanies(profile, partner), wipeMinimum: 0 }).finish();
}

/** Channel partners accept per company; single- and multi-entity partners all or nothing (SPEC §6.4). */
export function acceptanceFor(partner: Pick<Partner, 'entityType'>): Acceptance {
  return partner.entityType === 'channel-partner' ? 'per-company' : 'all-or-nothing';
}

function refused(error: UploadError, rowsRead: number): EngineResult {
  return { verdict: 'rejected', changes: [], errors: [error], companies: [], rowsRead, rowsRejected: rowsRead, fileError: error };
}

function headerOnly(): UploadError {
  return uploadError(
    'Empty file',
    'The file has a header but no employees, so nothing was changed. Add one line per employee under the header ' + 'and upload it again.',
  );
}

/** The companies a header-only file speaks for: the partner's one, or all of them with a company column. */
function namedCompanies(profile: FileProfile, partner: Partner): string[] {
  const companies = partner.companies.map((company) => company.taxId);
  return profile.company.kind === 'partner' ? companies.slice(0, 1) : companies;
}

/** Field Names for identifier errors: the profile's own column headers. */
function identifierFields(profile: FileProfile): IdentifierFields {
  const fields: Partial<Record<(typeof IDENTITY_KEYS)[number], string>> = {};
  for (const key of IDENTITY_KEYS) {
    const field = profile.identity[key]?.field;
    const header = profile.columns.find((column) => column.field === field)?.header;
    if (header !== undefined) fields[key] = header;
  }
  return fields;
}

/**
 * Whether a row's fingerprint covers its identifiers: every identity column is one the
 * fingerprint reads (`fingerprintedColumns`).
 */
export function fingerprintCoversIdentifiers(profile: FileProfile): boolean {
  const fingerprinted = new Set(fingerprintedColumns(profile).map((c) => c.field));
  return Object.values(profile.identity).every((spec) => spec !== undefined && fingerprinted.has(spec.field));
}
