import { stringify } from 'csv-stringify';
import type { Readable } from 'node:stream';
import { excelSafe } from '../files/csv-output.ts';
import { dynamicFieldHeader, type FileProfile } from './profile.ts';

/**
 * The eligible list (SPEC §6.8): every active employee in the upload file's own columns, so an
 * admin can edit it and send it back as a full file — unchanged, that is a no-op. Streamed, since
 * a large partner's list does not fit comfortably in one string.
 */

export interface ListColumn {
  readonly field: string;
  readonly header: string;
}

export interface ListedEmployee {
  readonly companyTaxId: string;
  readonly values: Readonly<Record<string, string>>;
}

/** `{ts}_Eligible-list.csv` in `employees/download/`. */
export function eligibleListName(ts: number): string {
  return `${ts}_Eligible-list.csv`;
}

export const ELIGIBLE_LIST_PATTERN = /^\d+_Eligible-list\.csv(\.pgp)?$/;

/** Sorts one company's employees by name, the list's order within a company. */
export function byName(nameField: string): (a: ListedEmployee, b: ListedEmployee) => number {
  const collator = new Intl.Collator('pt-BR', { sensitivity: 'base' });
  return (a, b) => collator.compare(a.values[nameField] ?? '', b.values[nameField] ?? '');
}

/** Sorts one company's employees by several fields in turn (upwards, retrofit: last, then first name). */
export function byFields(fields: readonly string[]): (a: ListedEmployee, b: ListedEmployee) => number {
  const collator = new Intl.Collator('pt-BR', { sensitivity: 'base' });
  return (a, b) => {
    for (const field of fields) {
      const order = collator.compare(a.values[field] ?? '', b.values[field] ?? '');
      if (order !== 0) return order;
    }
    return 0;
  };
}

/** The order of a profile's list within a company. */
export function listOrder(profile: FileProfile): (a: ListedEmployee, b: ListedEmployee) => number {
  return profile.sortBy ? byFields(profile.sortBy) : byName(profile.columns.find((c) => c.field === 'name')?.field ?? 'name');
}

/** True when a profile's files can carry columns decided per file (custom attributes, phones). */
export function hasDynamicColumns(profile: FileProfile): boolean {
  return profile.dynamicColumn !== undefined || profile.unknownColumns === 'custom-attribute';
}

/**
 * The list's columns: the profile's own, then every column decided per file that any of these
 * employees holds a value for (a stored custom header, a phone header), under its header, in
 * header order — so the list can be uploaded back as is.
 */
export function listColumns(profile: FileProfile, employees: Iterable<ListedEmployee> = []): ListColumn[] {
  const columns: ListColumn[] = profile.columns.filter((c) => !c.ignored).map((c) => ({ field: c.field, header: c.header }));
  const known = new Set(columns.map((c) => c.field));
  const extra = new Map<string, string>();
  for (const employee of employees) {
    for (const [field, value] of Object.entries(employee.values)) {
      if (known.has(field) || extra.has(field) || value === '') continue;
      const header = dynamicFieldHeader(field);
      if (header !== undefined) extra.set(field, header);
    }
  }
  const extras = [...extra].map(([field, header]) => ({ field, header })).sort((a, b) => a.header.localeCompare(b.header));
  return [...columns, ...extras];
}

/**
 * Renders companies in the order given (callers sort them) as one CSV stream. `companies` yields
 * one company's sorted employees at a time, so only one company is in memory at once.
 */
export function eligibleListStream(columns: readonly ListColumn[], companies: AsyncIterable<readonly ListedEmployee[]>): Readable {
  const csv = stringify({ record_delimiter: 'windows', quoted_match: /[\r\n]/ });
  csv.write(columns.map((c) => c.header));
  void (async () => {
    try {
      for await (const employees of companies) {
        for (const e of employees) {
          const row = columns.map((c) => excelSafe(c.field === 'companyTaxId' ? e.companyTaxId : (e.values[c.field] ?? '')));
          if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
        }
      }
      csv.end();
    } catch (error) {
      csv.destroy(error as Error);
    }
  })();
  return csv;
}
