import { stringify } from 'csv-stringify/sync';

/**
 * Every CSV the system writes goes through here, so each is RFC 4180 and safe to open in Excel:
 * a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` unless it is
 * a plain number (SPEC §4), which stops spreadsheet formula injection.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+([.,]\d+)?$/;

export function excelSafe(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/**
 * Undoes {@link excelSafe} on a cell read back from a partner's file, so an eligible list that
 * went through us can be uploaded again unchanged (SPEC §6.8). Only an apostrophe that excelSafe
 * would have added is dropped; any other leading apostrophe is data.
 */
export function fromExcelSafe(cell: string): string {
  return cell.charCodeAt(0) === APOSTROPHE && FORMULA_START.test(cell.slice(1, 2)) && !PLAIN_NUMBER.test(cell.slice(1))
    ? cell.slice(1)
    : cell;
}

const APOSTROPHE = 0x27;

/** Renders a header and rows (small files: status, reports) with CRLF line ends. */
export function renderCsv(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[], delimiter = ','): string {
  const safeRows = rows.map((row) => row.map((cell) => excelSafe(cell === undefined ? '' : String(cell))));
  // With CRLF records csv-stringify quotes only cells holding CRLF; a lone LF or CR must be quoted
  // too, or readers that split on either would see a new record.
  return stringify([[...header], ...safeRows], { delimiter, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}
