import { fromExcelSafe } from '../../files/csv-output.ts';
import { formatCnpj, normalizeTaxId } from '../../partners/tax-id.ts';
import type { UploadError } from '../../uploads/upload-errors.ts';
import type { IdentityKey, Identifiers, RowOutcome } from '../model.ts';
import { fingerprintedColumns, type FileProfile, type ProfileContext, type RowRule } from '../profile.ts';
import { checkCell, compileCell, type CellFailure, type CompiledCell } from './cell-check.ts';
import { hash64 } from './fingerprint.ts';
import type { HeaderMapping } from './header.ts';
import { valuesFactory } from './values-factory.ts';

const APOSTROPHE = 0x27;

/**
 * Validates data rows against a profile (SPEC §6.1). Everything that can be prepared once per
 * upload is: each column's check is compiled, tax IDs are checked once per distinct value, and a
 * valid row costs one pass over its cells plus its fingerprint.
 */

interface CompiledColumn {
  /** Position in the file's records. */
  readonly index: number;
  readonly field: string;
  readonly header: string;
  readonly cell: CompiledCell;
}

interface Failure {
  readonly column: CompiledColumn;
  readonly failure: CellFailure;
}

type IdentitySlot = readonly [key: IdentityKey, slot: number, normalize: (value: string) => string];

/** Validates one record (its cells in file order) at a data-row position. */
export interface RowValidator {
  validate(record: readonly string[], line: number): RowOutcome;
}

function rowError(line: number, companyTaxId: string | undefined, error: Omit<UploadError, 'line' | 'source'>): UploadError {
  const source = error.type === 'Unauthorized' ? 'Client error' : 'Input error';
  return companyTaxId === undefined ? { source, line, ...error } : { companyTaxId, source, line, ...error };
}

function unauthorized(taxId: string, ctx: ProfileContext): Omit<UploadError, 'line' | 'source'> {
  const shown = ctx.country === 'BR' ? formatCnpj(taxId) : taxId;
  return {
    field: 'Company Tax ID',
    type: 'Unauthorized',
    description:
      `This account may not send data for the company with tax ID ${shown}. Remove its rows, or ask ` +
      'us to add the company to your account.',
  };
}

/** Compiles a validator for files whose header mapped to `mapping`. */
export function compileRowValidator(profile: FileProfile, mapping: HeaderMapping, ctx: ProfileContext): RowValidator {
  const width = mapping.columns.length;
  const order = new Map(profile.columns.map((column, i) => [column.field, i]));
  const columns: CompiledColumn[] = mapping.columns
    .flatMap((spec, index) => (spec ? [{ index, field: spec.field, header: spec.header, cell: compileCell(spec, ctx) }] : []))
    .sort((a, b) => (order.get(a.field) ?? order.size) - (order.get(b.field) ?? order.size));

  const companyField = profile.company.kind === 'column' ? profile.company.field : undefined;
  const companyColumn = columns.find((column) => column.field === companyField);
  const fixedCompany = profile.company.kind === 'partner' ? ctx.partner.companies[0]?.taxId : undefined;
  if (profile.company.kind === 'partner' && fixedCompany === undefined) throw new Error('The partner has no company');
  const authorized = new Set(ctx.partner.companies.map((company) => normalizeTaxId(company.taxId, ctx.country)));
  const rules: readonly RowRule[] = profile.rowRules;
  const known = new Set(profile.columns.map((column) => column.field));

  // Cells of the row being validated, by position in `columns`: reused for every row.
  const cells: string[] = columns.map(() => '');
  const slotOf = (field: string): number => columns.findIndex((column) => column.field === field);
  const makeValues = valuesFactory(columns.map((column) => column.field));
  const companySlot = companyField === undefined ? -1 : slotOf(companyField);
  const fixedTaxId = fixedCompany === undefined ? undefined : normalizeTaxId(fixedCompany, ctx.country);
  const identity: IdentitySlot[] = Object.entries(profile.identity)
    .map(([key, spec]) => [key as IdentityKey, slotOf(spec.field), spec.normalize] as const)
    .filter(([, slot]) => slot !== -1);
  // The same parts, in the same order, as rowFingerprint reads from `values`.
  const fingerprintSlots = fingerprintedColumns(profile).map((column) => slotOf(column.field));
  const extraSlots = mapping.fields
    .filter((field) => !known.has(field))
    .sort()
    .map((field) => [field, slotOf(field)] as const);
  // Filled by index, never resized: company first, then one part per fingerprint slot.
  const parts: string[] = [fixedTaxId ?? '', ...fingerprintSlots.map(() => '')];
  const failedFields = new Set<string>();

  // Usual case: the file has every column, so `cells` already is company + fingerprint parts.
  const cellsAreParts =
    extraSlots.length === 0 && companySlot === 0 && fingerprintSlots.every((slot, i) => slot === i + 1) && cells.length === parts.length;

  function fingerprintOf(company: string): string {
    if (cellsAreParts) return hash64(cells);
    parts[0] = company;
    for (let i = 0; i < fingerprintSlots.length; i++) {
      const slot = fingerprintSlots[i]!;
      parts[i + 1] = slot === -1 ? '' : cells[slot]!;
    }
    if (extraSlots.length === 0) return hash64(parts);
    const extras: string[] = [];
    for (const [field, slot] of extraSlots) {
      const value = cells[slot]!;
      if (value) extras.push(field, value);
    }
    return hash64([...parts, ...extras]);
  }

  // The usual case, every identity column present and in IDENTITY_KEYS order: a row carrying all
  // three identifiers gets a literal with its final shape instead of three keyed stores.
  const [id0, id1, id2] = identity;
  const allThree = identity.length === 3 && id0![0] === 'employeeId' && id1![0] === 'nationalId' && id2![0] === 'email';

  function identifiers(): Identifiers {
    if (allThree) {
      const employeeId = cells[id0![1]]!;
      const nationalId = cells[id1![1]]!;
      const email = cells[id2![1]]!;
      if (employeeId && nationalId && email) {
        return { employeeId: id0![2](employeeId), nationalId: id1![2](nationalId), email: id2![2](email) };
      }
    }
    const found: Partial<Record<IdentityKey, string>> = {};
    for (const [key, slot, normalize] of identity) {
      const value = cells[slot]!;
      if (value) found[key] = normalize(value);
    }
    return found;
  }

  function company(): string | undefined {
    if (companySlot === -1) return fixedTaxId;
    return failedFields.has(companyField!) ? undefined : cells[companySlot];
  }

  // A row whose cells do not line up with the header: its cells may be shifted, so only the
  // company and identifiers are read, silently, to keep that person from being removed.
  function malformed(record: readonly string[], line: number): RowOutcome {
    failedFields.clear();
    columns.forEach((column, slot) => {
      const raw = record[column.index];
      const checked = raw === undefined ? undefined : checkCell(column.cell, raw);
      cells[slot] = typeof checked === 'string' ? checked : '';
      if (typeof checked !== 'string') failedFields.add(column.field);
    });
    const taxId = company();
    const readable = taxId !== undefined && authorized.has(taxId) ? taxId : undefined;
    const error = rowError(line, taxId, {
      type: 'Malformed',
      description:
        `This line has ${record.length} values but the header has ${width} columns. A value that ` +
        'contains the delimiter must be enclosed in double quotes.',
    });
    return { kind: 'rejected', line, ...(readable ? { companyTaxId: readable } : {}), identifiers: identifiers(), errors: [error] };
  }

  function rejected(
    record: readonly string[],
    line: number,
    failures: readonly Failure[],
    taxId: string | undefined,
    ruleFailures: readonly Omit<UploadError, 'line' | 'source'>[],
  ): RowOutcome {
    const companyRaw = companyColumn ? (record[companyColumn.index] ?? '') : '';
    const reported = taxId ?? (companyRaw.trim() === '' ? undefined : normalizeTaxId(companyRaw, ctx.country));
    const companyAuthorized = taxId !== undefined && authorized.has(taxId);
    const errors: UploadError[] = [];
    for (const { column, failure } of failures) {
      errors.push(rowError(line, reported, { field: column.header, type: failure.type, description: failure.description }));
    }
    if (taxId !== undefined && !companyAuthorized) errors.unshift(rowError(line, taxId, unauthorized(taxId, ctx)));
    for (const failure of ruleFailures) errors.push(rowError(line, reported, failure));
    return {
      kind: 'rejected',
      line,
      ...(taxId !== undefined && companyAuthorized ? { companyTaxId: taxId } : {}),
      identifiers: identifiers(),
      errors,
    };
  }

  return {
    validate(record, line) {
      if (record.length !== width) return malformed(record, line);
      let failures: Failure[] | undefined;
      if (failedFields.size > 0) failedFields.clear();
      for (let slot = 0; slot < columns.length; slot++) {
        const column = columns[slot]!;
        const given = record[column.index]!;
        // The eligible list prefixes formula-like cells with ' (SPEC §4); read them back without it.
        const raw = given.charCodeAt(0) === APOSTROPHE ? fromExcelSafe(given) : given;
        const cell = column.cell;
        // checkCell inlined by hand: this runs for every cell of every row.
        if (cell.freeText) {
          cells[slot] = raw.trim();
          continue;
        }
        const checked = cell.fast(raw) ?? cell.full(raw);
        if (typeof checked === 'string') cells[slot] = checked;
        else {
          cells[slot] = '';
          (failures ??= []).push({ column, failure: checked });
          failedFields.add(column.field);
        }
      }
      const values = makeValues(cells);
      const taxId = company();
      let ruleFailures: Omit<UploadError, 'line' | 'source'>[] | undefined;
      for (const rule of rules) {
        const failure = rule(values, failedFields);
        if (failure) (ruleFailures ??= []).push(failure);
      }
      if (failures || ruleFailures || taxId === undefined || !authorized.has(taxId)) {
        return rejected(record, line, failures ?? [], taxId, ruleFailures ?? []);
      }
      return {
        kind: 'valid',
        row: { line, companyTaxId: taxId, identifiers: identifiers(), values, fingerprint: fingerprintOf(taxId) },
      };
    },
  };
}
