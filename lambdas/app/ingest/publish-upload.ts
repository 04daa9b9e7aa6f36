import { writeRenderedSystemFile, writeSystemFile } from '../files/system-files.ts';
import type { Partner } from '../../core/partners/partner.ts';
import { renderErrorReport, renderFlexbenErrorReport, renderStatusFile, STATUS_FILE_ROWS } from '../../core/uploads/status-files.ts';
import { partnerPrefix, systemPath } from '../../core/partners/tree.ts';
import { pendingListPath } from '../../core/uploads/approvals.ts';
import { composeApprovalEmail, composeSettledEmail, composeUploadEmail } from '../../core/uploads/upload-email.ts';
import { textToHtml } from '../../core/uploads/email-html.ts';
import { downloadName } from '../../core/partners/pgp-settings.ts';
import type { ReportLine, UploadError } from '../../core/uploads/upload-errors.ts';
import { errorReportName, type UploadRecord } from '../../core/uploads/upload.ts';
import { writeUploadHistory } from '../flows/flexben/flexben-files.ts';
import type { PipelineDeps } from './pipeline-deps.ts';

/**
 * Writes what a partner sees of its uploads: the status file (or flexben history) at every
 * status change, and the error report when anything was rejected. Status files are rendered from
 * the uploads table, never patched in place, so a late writer still writes the whole truth.
 */

const CSV = 'text/csv; charset=utf-8';

/** Logical path of the upload's error report in the partner's tree (what emails point to). */
export function errorReportPath(partner: Partner, upload: UploadRecord): string {
  return downloadName(partner, plainReportPath(partner, upload));
}

/** The report's path before the writer adds `.pgp` for a partner whose downloads are encrypted. */
function plainReportPath(partner: Partner, upload: UploadRecord): string {
  const folder = upload.statusArea === 'flexben' ? 'flexben/download/errors' : 'employees/upload/error-details';
  return `/${systemPath(partner.entityType, `${folder}/${errorReportName(upload)}`)}`;
}

export async function publishStatus(deps: Pick<PipelineDeps, 'uploads' | 'store'>, partner: Partner, upload: UploadRecord): Promise<void> {
  const prefix = partnerPrefix(partner.partnerId);
  if (upload.statusArea === 'flexben') {
    await writeUploadHistory(deps, partner);
    return;
  }
  const key = `${prefix}${systemPath(partner.entityType, 'employees/upload/status.csv')}`;
  await writeRenderedSystemFile(deps.store, partner, { key, contentType: CSV, personal: false }, async () =>
    renderStatusFile(await deps.uploads.recent(partner.partnerId, 'employees', STATUS_FILE_ROWS)),
  );
}

export async function publishReport(
  deps: PipelineDeps,
  partner: Partner,
  upload: UploadRecord,
  rows: readonly ReportLine[],
): Promise<string> {
  const path = plainReportPath(partner, upload);
  const body = upload.statusArea === 'flexben' ? renderFlexbenErrorReport(rows) : renderErrorReport(rows);
  const prefix = partnerPrefix(partner.partnerId);
  const written = await writeSystemFile(deps.store, partner, { key: `${prefix}${path.slice(1)}`, body, contentType: CSV, personal: true });
  return `/${written.slice(prefix.length)}`;
}

/** Emails every admin of the partner about a rejection (SPEC §6.9, §7.3). */
export async function notifyAdmins(
  deps: PipelineDeps,
  partner: Partner,
  upload: UploadRecord,
  errors: readonly UploadError[],
): Promise<void> {
  const { subject, text } = composeUploadEmail(upload, errors, errorReportPath(partner, upload));
  await deps.mailer.send({ to: partner.adminEmails, subject, text, html: textToHtml(subject, text) });
  deps.log.info('admins notified', { partnerId: partner.partnerId, uploadId: upload.uploadId, recipients: partner.adminEmails.length });
}

/** Emails every admin that an upload's removals wait for their approval (SPEC §10). */
export async function notifyApprovalRequested(
  deps: PipelineDeps,
  partner: Partner,
  upload: UploadRecord,
  errors: readonly UploadError[],
): Promise<void> {
  const approvals = `/${systemPath(partner.entityType, 'employees/upload/approvals')}/`;
  const { subject, text } = composeApprovalEmail(
    upload,
    pendingListPath(partner, upload),
    approvals,
    errors,
    errorReportPath(partner, upload),
  );
  await deps.mailer.send({ to: partner.adminEmails, subject, text, html: textToHtml(subject, text) });
  deps.log.info('admins asked for approval', {
    partnerId: partner.partnerId,
    uploadId: upload.uploadId,
    recipients: partner.adminEmails.length,
  });
}

/** `--notify all` (SPEC §17): tells every admin how an upload ended when no other email did. */
export async function notifySettled(deps: PipelineDeps, partner: Partner, upload: UploadRecord, hasReport: boolean): Promise<void> {
  const status = upload.statusArea === 'flexben' ? 'flexben/download/upload_history.csv' : 'employees/upload/status.csv';
  const { subject, text } = composeSettledEmail(
    upload,
    `/${systemPath(partner.entityType, status)}`,
    hasReport ? errorReportPath(partner, upload) : undefined,
  );
  await deps.mailer.send({ to: partner.adminEmails, subject, text, html: textToHtml(subject, text) });
  deps.log.info('admins notified of a settled upload', {
    partnerId: partner.partnerId,
    uploadId: upload.uploadId,
    recipients: partner.adminEmails.length,
  });
}
