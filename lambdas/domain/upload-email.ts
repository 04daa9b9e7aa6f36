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
  const counts = upload.counts;
  // Flexben uploads speak the history's words (SPEC §7.3): SUCCEEDED with rejected rows, REJECTED.
  const status = upload.statusArea === 'flexben' ? flexbenStatus(upload) : upload.status;
  const lines = [
    `File: ${fileName}`,
    `Status: ${status}`,
    ...(counts
      ? [`Rows read: ${counts.rowsRead}`, `Rows applied: ${counts.rowsApplied}`, `Rows rejected: ${counts.rowsRejected}`]
      : []),
    '',
    `Errors (${Math.min(errors.length, EMAILED_ERRORS)} of ${errors.length}):`,
    ...errors.slice(0, EMAILED_ERRORS).map(describe),
    '',
    `The full error report is in your SFTP folder: ${reportPath}`,
  ];
  return { subject: `benefits-exchange: ${fileName} ${status}`, text: lines.join('\n') };
}

function describe(error: UploadError): string {
  const where = [
    error.companyTaxId ? `company ${error.companyTaxId}` : undefined,
    error.line !== undefined ? `line ${error.line}` : undefined,
    error.field ? `field ${error.field}` : undefined,
  ].filter(Boolean);
  return `- ${error.source} / ${error.type}${where.length ? ` (${where.join(', ')})` : ''}: ${error.description}`;
}
