import { uploadError, type UploadError } from '../../uploads/upload-errors.ts';
import { safeEcho } from '../masking.ts';
import { customAttributeField, headerKey, textColumn, type ColumnSpec, type FileProfile, type ProfileContext } from '../profile.ts';

/**
 * Maps a file's header cells to the profile's columns (SPEC §6.1, §10, §11): unknown headers,
 * a column given twice and missing required columns refuse the whole file.
 */

/** Which column each position of the file holds. */
export interface HeaderMapping {
  /** By file position: the column read there, or `undefined` for a position not read. */
  readonly columns: readonly (ColumnSpec | undefined)[];
  /** Field ids of the columns read, in file order. */
  readonly fields: readonly string[];
}

const quoted = (header: string): string => `"${safeEcho(header)}"`;
const list = (headers: readonly string[]): string => headers.map(quoted).join(', ');

function expectedColumns(profile: FileProfile): string {
  return profile.columns.map((column) => column.header).join(', ');
}

/** Maps `cells` (the header record) or returns the file-level error that refuses the file. */
export function mapHeader(cells: readonly string[], profile: FileProfile, ctx: ProfileContext): HeaderMapping | UploadError {
  const byKey = new Map<string, ColumnSpec>();
  for (const column of profile.columns) {
    for (const name of [column.header, ...(column.aliases ?? [])]) byKey.set(headerKey(profile, name), column);
  }

  const columns: (ColumnSpec | undefined)[] = [];
  const unknown: string[] = [];
  const seen = new Map<string, string>();
  const repeated: string[] = [];
  for (const cell of cells) {
    const header = cell.trim();
    // Spreadsheets leave trailing empty columns behind; a column without a name is not read.
    if (header === '') {
      columns.push(undefined);
      continue;
    }
    const column =
      byKey.get(headerKey(profile, header)) ??
      profile.dynamicColumn?.(header, ctx) ??
      (profile.unknownColumns === 'custom-attribute' ? textColumn(customAttributeField(header), header) : undefined);
    if (!column) unknown.push(header);
    else if (seen.has(column.field)) repeated.push(header);
    else seen.set(column.field, header);
    columns.push(column && !column.ignored ? column : undefined);
  }

  const missing = profile.columns.filter((column) => column.requiredColumn && !seen.has(column.field));
  const missingNote = missing.length > 0 ? ` The file also lacks the required column(s) ${list(missing.map((c) => c.header))}.` : '';
  if (unknown.length > 0) {
    const error = uploadError(
      'Unrecognized header',
      `The header has column(s) we do not recognise: ${list(unknown)}. The accepted columns are: ` +
        `${expectedColumns(profile)}.${missingNote} Check the spelling, or remove the column(s).`,
    );
    return unknown.length === 1 ? { ...error, field: safeEcho(unknown[0]!) } : error;
  }
  if (repeated.length > 0) {
    return uploadError('Duplicated', `The header has the column(s) ${list(repeated)} more than once. Keep one of each.${missingNote}`);
  }
  if (missing.length > 0) {
    const error = uploadError(
      'Missing',
      `The header lacks the required column(s) ${list(missing.map((c) => c.header))}. ` +
        `The accepted columns are: ${expectedColumns(profile)}.`,
    );
    return missing.length === 1 ? { ...error, field: missing[0]!.header } : error;
  }
  const fields = columns.filter((column) => column !== undefined).map((column) => column.field);
  return { columns, fields };
}
