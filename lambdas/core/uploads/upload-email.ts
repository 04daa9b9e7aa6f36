import type { UploadError } from './upload-errors.ts';
import { flexbenStatus } from './status-files.ts';
import { uploadFileName, type UploadRecord } from './upload.ts';

/**
 * The email admins get when an upload is rejected in whole or in part (SPEC §6.9): file, status,
 * counts, the first ten errors and where the full report is. Error descriptions are already
 * masked, so no National ID reaches an inbox.
 */

export const EMAILED_ERRORS = 10;

export function composeUploadEmail(
  upload: UploadRecord,
  errors: readonly UploadError[],
  reportPath: string,
): { subject: string; text: string } {
  const fileName = uploadFileName(upload);
  const lines = [...uploadLines(upload), '', ...errorLines(errors, reportPath)];
  return { subject: `benefits-exchange: ${fileName} ${shownStatus(upload)}`, text: lines.join('\n') };
}

// Flexben uploads speak the history's words (SPEC §7.3): SUCCEEDED with rejected rows, REJECTED.
function shownStatus(upload: UploadRecord): string {
  return upload.statusArea === 'flexben' ? flexbenStatus(upload) : upload.status;
}

/** File, status and counts: how every email about an upload starts. */
function uploadLines(upload: UploadRecord): string[] {
  const counts = upload.counts;
  return [
    `File: ${uploadFileName(upload)}`,
    `Partner: ${upload.partnerId}`,
    `Status: ${shownStatus(upload)}`,
    ...(counts ? [`Rows read: ${counts.rowsRead}`, `Rows applied: ${counts.rowsApplied}`, `Rows rejected: ${counts.rowsRejected}`] : []),
  ];
}

/** The first errors and where the full report is. */
function errorLines(errors: readonly UploadError[], reportPath: string): string[] {
  return [
    `Errors (${Math.min(errors.length, EMAILED_ERRORS)} of ${errors.length}):`,
    ...errors.slice(0, EMAILED_ERRORS).map(describe),
    '',
    `The full error report is in your SFTP folder: ${reportPath}`,
  ];
}

function describe(error: UploadError): string {
  const where = [
    error.companyTaxId ? `company ${error.companyTaxId}` : undefined,
    error.line !== undefined ? `line ${error.line}` : undefined,
    error.field ? `field ${error.field}` : undefined,
  ].filter(Boolean);
  return `- ${error.source} / ${error.type}${where.length ? ` (${where.join(', ')})` : ''}: ${error.description}`;
}

/**
 * The email asking admins to approve the removals an upload would make (SPEC §10): where the
 * list of people is, and the two file names that answer it. Names only, no identifiers.
 */
export function composeApprovalEmail(
  upload: UploadRecord,
  pendingPath: string,
  approvalsFolder: string,
  errors: readonly UploadError[],
  reportPath: string,
): { subject: string; text: string } {
  const fileName = uploadFileName(upload);
  const lines = [
    ...uploadLines(upload),
    '',
    'Additions and updates from this list are applied. Some people who could use their benefits are missing from',
    `it; they stay eligible until you decide. The list of them is in your SFTP folder: ${pendingPath}`,
    '',
    `To remove them, put a file named APPROVE-${fileName} (any content) into ${approvalsFolder}`,
    `To keep them, put a file named DECLINE-${fileName} into the same folder.`,
    'Without an answer within 14 days the request expires and nobody is removed.',
    ...(errors.length > 0 ? ['', ...errorLines(errors, reportPath)] : []),
  ];
  return { subject: `benefits-exchange: ${fileName} needs your approval`, text: lines.join('\n') };
}

/**
 * The email of `--notify all` (SPEC §17): sent for every settled upload that no other email
 * covers (rejections and approval requests have their own). File, partner, status, counts and
 * where the report is, never the rows themselves.
 */
export function composeSettledEmail(
  upload: UploadRecord,
  statusPath: string,
  reportPath: string | undefined,
): { subject: string; text: string } {
  const lines = [
    ...uploadLines(upload),
    '',
    reportPath ? `The report is in your SFTP folder: ${reportPath}` : 'Nothing was rejected.',
    `The status of your uploads is in: ${statusPath}`,
  ];
  return { subject: `benefits-exchange: ${uploadFileName(upload)} ${shownStatus(upload)}`, text: lines.join('\n') };
}
