/** Errors reported to partners about an upload (SPEC §6.7). */

export const ERROR_SOURCES = ['Upload error', 'Client error', 'Input error'] as const;
export type ErrorSource = (typeof ERROR_SOURCES)[number];

export const ERROR_TYPES = [
  'Missing',
  'Invalid',
  'Duplicated',
  'Unknown',
  'Unauthorized',
  'Database wipe',
  'Unrecognized header',
  'Empty file',
  'Malformed',
  'Encoding',
  'Too large',
  'Encryption',
  'System',
  /** The transfer did not finish, or could not be confirmed to have finished (SPEC §15). */
  'Interrupted',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export interface UploadError {
  readonly companyTaxId?: string;
  readonly source: ErrorSource;
  /** Position among data rows, the first row after the header being 1. */
  readonly line?: number;
  readonly field?: string;
  readonly type: ErrorType;
  /** What a non-technical admin should fix; never a full National ID. */
  readonly description: string;
}

/** A line of a report that is not an error, e.g. a dry run's counts for one company. */
export interface SummaryLine {
  readonly companyTaxId?: string;
  readonly description: string;
}

/** What an error report holds: errors, then any summary lines (their source and type blank). */
export type ReportLine = UploadError | SummaryLine;

/** A whole-file error. */
export function uploadError(type: ErrorType, description: string): UploadError {
  return { source: 'Upload error', type, description };
}

export const SYSTEM_FAILURE_DESCRIPTION =
  'We could not process this file because of a problem on our side. Our team has been alerted; ' +
  'nothing in the file was applied. Please upload it again later.';
