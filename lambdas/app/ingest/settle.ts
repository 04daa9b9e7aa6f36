import { failureAttributes } from '../../core/diagnostics/error-description.ts';
import type { Partner } from '../../core/partners/partner.ts';
import { SYSTEM_FAILURE_DESCRIPTION, uploadError, type SummaryLine, type UploadError } from '../../core/uploads/upload-errors.ts';
import { isSettled, type UploadCounts, type UploadRecord, type UploadStatus } from '../../core/uploads/upload.ts';
import type { PipelineDeps } from './pipeline-deps.ts';
import { notifyAdmins, notifyApprovalRequested, notifySettled, publishReport, publishStatus } from './publish-upload.ts';

/**
 * Ends an upload: stores its final status, writes the status file and the error report, and emails
 * the admins when anything was rejected. Report first, status last: a partner who sees the final
 * status can already read its report.
 */
export async function settleUpload(
  deps: PipelineDeps,
  partner: Partner,
  upload: UploadRecord,
  outcome: {
    status: UploadStatus;
    errors: readonly UploadError[];
    summary?: readonly SummaryLine[];
    counts?: UploadCounts;
    systemFailure?: boolean;
  },
): Promise<UploadRecord> {
  const reportRows = [...outcome.errors, ...(outcome.summary ?? [])];
  if (reportRows.length > 0) await publishReport(deps, partner, upload, reportRows);
  const settled = await deps.uploads.settle(
    upload,
    {
      status: outcome.status,
      errorCount: outcome.errors.length,
      counts: outcome.counts,
      systemFailure: outcome.systemFailure,
    },
    deps.clock(),
  );
  await publishStatus(deps, partner, settled);
  deps.metrics?.settled(settled, deps.clock());
  const partlyRejected = outcome.status === 'Rejected' || outcome.status === 'Succeeded with errors';
  const rejectionMail = partlyRejected || (settled.statusArea === 'flexben' && outcome.errors.length > 0);
  if (rejectionMail) {
    await notifyAdmins(deps, partner, settled, outcome.errors);
  }
  if (outcome.status === 'Approval_Requested') await notifyApprovalRequested(deps, partner, settled, outcome.errors);
  else if (!rejectionMail && partner.notify === 'all') await notifySettled(deps, partner, settled, reportRows.length > 0);
  deps.log.info('upload settled', {
    partnerId: settled.partnerId,
    uploadId: settled.uploadId,
    status: settled.status,
    errors: outcome.errors.length,
    ...outcome.counts,
  });
  return settled;
}

/** Our own failure, after the last retry: the upload still ends, as `Rejected` / `System`. */
export async function settleAsSystemFailure(
  deps: PipelineDeps,
  partner: Partner,
  upload: UploadRecord,
  cause: unknown,
  step = 'unknown',
): Promise<void> {
  deps.log.error(
    'upload failed on its last attempt',
    failureAttributes(step, cause, { partnerId: upload.partnerId, uploadId: upload.uploadId }),
  );
  const current = (await deps.uploads.get(upload)) ?? upload;
  if (isSettled(current.status)) return;
  await settleUpload(deps, partner, current, {
    status: 'Rejected',
    errors: [uploadError('System', SYSTEM_FAILURE_DESCRIPTION)],
    systemFailure: true,
  });
}
