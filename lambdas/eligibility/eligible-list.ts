import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { excelSafe } from '../domain/csv-output.ts';

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

export const ELIGIBLE_LIST_PATTERN = /^\d+_Eligible-list\.csv$/;

/** Sorts one company's employees by name, the list's order within a company. */
export function byName(nameField: string): (a: ListedEmployee, b: ListedEmployee) => number {
  const collator = new Intl.Collator('pt-BR', { sensitivity: 'base' });
  return (a, b) => collator.compare(a.values[nameField] ?? '', b.values[nameField] ?? '');
}

/**
 * Renders companies in the order given (callers sort them) as one CSV stream. `companies` yields
 * one company's sorted employees at a time, so only one company is in memory at once.
 */
export function eligibleListStream(
  columns: readonly ListColumn[],
  companies: AsyncIterable<readonly ListedEmployee[]>,
): Readable {
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
