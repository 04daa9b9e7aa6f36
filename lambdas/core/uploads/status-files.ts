import { renderCsv } from '../files/csv-output.ts';
import type { ReportLine } from './upload-errors.ts';
import { uploadFileName, type UploadRecord } from './upload.ts';

/**
 * The files through which a partner follows its uploads: `employees/upload/status.csv` and the
 * eligibility error report (SPEC §5, §6.7), and for flexible benefits the upload history and its
 * error report (SPEC §7.4).
 */

export const STATUS_FILE_ROWS = 20;
export const FLEXBEN_HISTORY_ROWS = 40;

const STATUS_HEADER = ['filename', 'batch_type', 'date_and_time', 'processing_status', 'source'] as const;

/** `2026-11-22T14:03:09Z`: ISO 8601 to the second. */
export function isoSeconds(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** Renders status.csv from uploads given newest first (at most the last 20 are kept). */
export function renderStatusFile(uploadsNewestFirst: readonly UploadRecord[]): string {
  const rows = uploadsNewestFirst
    .slice(0, STATUS_FILE_ROWS)
    .map((u) => [uploadFileName(u), u.batchType ?? '', isoSeconds(u.receivedAt), u.status, u.source]);
  return renderCsv(STATUS_HEADER, rows);
}

const ERROR_REPORT_HEADER = ['Company Tax ID', 'Error Source', 'Line ID', 'Field Name', 'Error Type', 'Error Description'] as const;

export function renderErrorReport(lines: readonly ReportLine[]): string {
  return renderCsv(
    ERROR_REPORT_HEADER,
    lines.map((e) =>
      'source' in e ? [e.companyTaxId, e.source, e.line, e.field, e.type, e.description] : [e.companyTaxId, '', '', '', '', e.description],
    ),
  );
}

const FLEXBEN_HISTORY_HEADER = ['File name', 'Upload date + time', 'Type', 'Method', 'Status', 'Author', '# Errors'];

/** `2025-02-28 17:12:37.820047 +0000 UTC`, the history's date format. */
export function flexbenTimestamp(iso: string): string {
  const date = new Date(iso);
  const micros = String(date.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)}.${micros} +0000 UTC`;
}

/** The flexben status of a settled upload (SPEC §7.3). */
export function flexbenStatus(upload: UploadRecord): 'SUCCEEDED' | 'REJECTED' | 'ERROR' {
  if (upload.systemFailure) return 'ERROR';
  return upload.status === 'Succeeded' || upload.status === 'Succeeded with errors' ? 'SUCCEEDED' : 'REJECTED';
}

/** One row of the flexben upload history: an upload, or an automatic event (SPEC §7.4, §7.5). */
export interface FlexbenHistoryRow {
  /** `{ts}-{name}` of the upload it is about. */
  readonly fileName: string;
  /** ISO time shown in `Upload date + time`. */
  readonly at: string;
  readonly type: 'ADD' | 'CANCEL';
  readonly method: string;
  readonly status: 'SUCCEEDED' | 'REJECTED' | 'ERROR' | 'CANCELED';
  readonly author: string;
  readonly errors: number;
}

/** The history row of a settled flexben upload. */
export function uploadHistoryRow(u: UploadRecord): FlexbenHistoryRow {
  return {
    fileName: uploadFileName(u),
    at: u.receivedAt,
    type: u.folder === 'removal' ? 'CANCEL' : 'ADD',
    method: u.source,
    status: flexbenStatus(u),
    author: u.author,
    errors: u.errorCount ?? 0,
  };
}

/**
 * Renders the history from settled uploads (newest first) and automatic events (any order):
 * the newest {@link FLEXBEN_HISTORY_ROWS} of both, newest first.
 */
export function renderFlexbenHistory(uploadsNewestFirst: readonly UploadRecord[], events: readonly FlexbenHistoryRow[] = []): string {
  const all = [...uploadsNewestFirst.map(uploadHistoryRow), ...events];
  // Stable: rows of the same instant keep uploads' own order, events after them.
  const rows = all
    .map((row, i) => ({ row, i }))
    .sort((a, b) => (a.row.at < b.row.at ? 1 : a.row.at > b.row.at ? -1 : a.i - b.i))
    .slice(0, FLEXBEN_HISTORY_ROWS)
    .map(({ row }) => [row.fileName, flexbenTimestamp(row.at), row.type, row.method, row.status, row.author, row.errors]);
  return renderCsv(FLEXBEN_HISTORY_HEADER, rows);
}

const FLEXBEN_ERROR_HEADER = ['Company Tax ID', 'Line', 'Field name', 'Error Type', 'Error report'];

export function renderFlexbenErrorReport(lines: readonly ReportLine[]): string {
  return renderCsv(
    FLEXBEN_ERROR_HEADER,
    lines.map((e) =>
      'source' in e ? [e.companyTaxId, e.line, e.field, e.type, e.description] : [e.companyTaxId, '', '', '', e.description],
    ),
  );
}
