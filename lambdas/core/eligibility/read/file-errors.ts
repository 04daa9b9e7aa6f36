import { uploadError, type UploadError } from '../../uploads/upload-errors.ts';
import type { FileProfile } from '../profile.ts';

/**
 * Whole-file errors in words an HR admin can act on (SPEC §4, §6.7). None quotes file content,
 * so none can leak a National ID.
 */

const SAVE_AS = 'Save the file from your spreadsheet as "CSV UTF-8" and upload it again.';

/** The file has no header line. */
export function emptyFile(profile: FileProfile): UploadError {
  const headers = profile.columns.map((column) => column.header).join(', ');
  return uploadError('Empty file', `The file is empty. Its first line must be the header (${headers}), followed by one line per employee.`);
}

/** The first bytes show the file is not text. */
export function notText(reason: string): UploadError {
  return uploadError('Malformed', reason);
}

/** UTF-8 text with bytes of another encoding further down. */
export function badEncoding(fileLine: number): UploadError {
  return uploadError(
    'Encoding',
    `The file starts as UTF-8 text, but around line ${fileLine} it contains characters saved in another ` +
      `encoding (for example a name pasted from another file). ${SAVE_AS}`,
  );
}

// csv-parse error codes that mean an unbalanced double quote.
const QUOTE_CODES = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_INVALID_CLOSING_QUOTE', 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE']);

/**
 * Not parseable as CSV. `dataRow` is the data-row position of the record that could not be read
 * (0 for the header), which is more useful than a physical line once a quote has swallowed lines.
 */
export function malformedCsv(code: string, dataRow: number): UploadError {
  const where = dataRow === 0 ? 'in the header line' : `in data row ${dataRow} (line ${dataRow + 1} counting the header)`;
  if (QUOTE_CODES.has(code) || code === 'CSV_MAX_RECORD_SIZE') {
    return uploadError(
      'Malformed',
      `The file could not be read as CSV: a value ${where} opens a double quote (") that is never closed, ` +
        'so the rest of the file runs together. Close the quote, or write a quote inside a quoted value as "".',
    );
  }
  return uploadError('Malformed', `The file could not be read as CSV ${where}. ${SAVE_AS}`);
}

/** More data rows than one upload may hold. */
export function tooManyRows(maxRows: number): UploadError {
  return uploadError(
    'Too large',
    `The file has more than ${maxRows.toLocaleString('en-US')} employee rows, the most one upload may hold. ` +
      'Split it into several files, for example one per company.',
  );
}
