import type { UploadMessage } from '../../adapters/upload-queue.ts';
import { uploadFolderSpec } from '../../core/partners/tree.ts';
import { uploadError, type UploadError } from '../../core/uploads/upload-errors.ts';
import { isSettled, type UploadRecord } from '../../core/uploads/upload.ts';
import { ContinueLater, processorKey, type ProcessOutcome, type UploadContext } from '../flows/upload-processor.ts';
import { failureAttributes } from '../../core/diagnostics/error-description.ts';
import { logIds } from './ingest-object.ts';
import type { PipelineDeps } from './pipeline-deps.ts';
import { prepareUploadInput, type UploadInput } from './pgp-input.ts';
import { publishStatus } from './publish-upload.ts';
import { settleAsSystemFailure, settleUpload } from './settle.ts';
import { StageTimer } from './stage-timer.ts';

/** One delivery of an upload's message. */
export interface Attempt {
  /** 1 on the first delivery. */
  readonly number: number;
  /** The queue's last delivery: a failure now must settle the upload. */
  readonly final: boolean;
  /** Milliseconds the invocation has left (Lambda's own count; local mode a fixed budget). */
  readonly remainingMs: () => number;
}

/**
 * Runs one queued upload through its flow. The FIFO queue guarantees no other upload of the same
 * partner runs meanwhile. A processor that throws is retried by the queue; on the last attempt the
 * upload is settled as a system failure before the error propagates, so it lands in the DLQ (and
 * the operator alarm fires) with a final status the partner can see.
 */
export async function processUpload(deps: PipelineDeps, message: UploadMessage, attempt: Attempt): Promise<void> {
  const upload = await deps.uploads.get(message);
  if (!upload) {
    deps.log.error('queued upload not found', { partnerId: message.partnerId, uploadId: message.uploadId });
    return;
  }
  if (isSettled(upload.status)) return; // a repeated delivery of an upload already done
  const partner = await deps.partners.get(upload.partnerId);
  if (!partner) {
    deps.log.error('partner removed before its upload ran', logIds(upload));
    return;
  }

  const refusal = preflight(deps, upload);
  if (refusal) {
    await settleUpload(deps, partner, upload, { status: 'Rejected', errors: [refusal] });
    return;
  }
  const processor = deps.processors[processorKey(upload)];
  if (!processor) {
    await settleUpload(deps, partner, upload, {
      status: 'Rejected',
      errors: [
        uploadError(
          'Invalid',
          `Files put in ${upload.area}/upload/${upload.folder}/ cannot be processed yet: this service is not available. Nothing was applied.`,
        ),
      ],
    });
    return;
  }

  let current = upload;
  const timer = new StageTimer();
  let input: UploadInput | undefined;
  const context: UploadContext = {
    upload,
    partner,
    attempt: attempt.number,
    now: deps.clock(),
    remainingMs: attempt.remainingMs,
    openInput: () => (input?.ok ? input.open() : deps.store.read(upload.archiveKey)),
    setStatus: async (status) => {
      if (current.status === status) return;
      current = await deps.uploads.setStatus(upload, status, deps.clock());
      await publishStatus(deps, partner, current);
    },
    stage: (stage) => timer.enter(stage),
    log: deps.log,
  };
  try {
    await context.setStatus('Validating');
    // Decrypted here, once for every flow (SPEC §16); a refusal settles the upload unread.
    timer.enter('decrypt');
    input = await prepareUploadInput(deps, partner, upload);
    const outcome: ProcessOutcome = input.ok ? await processor.process(context) : { status: 'Rejected', errors: [input.error] };
    timer.enter('settle');
    await settleUpload(deps, partner, current, outcome);
  } catch (error) {
    if (error instanceof ContinueLater) {
      deps.log.info('upload continues in another invocation', {
        ...logIds(upload),
        attempt: attempt.number,
        ...error.progress,
        ...timer.millis(),
      });
    } else {
      deps.log.warn(
        'processor failed',
        failureAttributes(`process.${timer.current}`, error, { ...logIds(upload), attempt: attempt.number, final: attempt.final }),
      );
    }
    if (attempt.final) await settleAsSystemFailure(deps, partner, current, error, `process.${timer.current}`);
    throw error;
  } finally {
    if (input?.ok) await input.dispose();
  }
  deps.log.info('upload timings', { partnerId: upload.partnerId, uploadId: upload.uploadId, attempt: attempt.number, ...timer.millis() });
}

/** File-level refusals common to every flow, decided before any byte is read. */
function preflight(deps: PipelineDeps, upload: UploadRecord): UploadError | undefined {
  if (upload.misplacedReason) return uploadError('Invalid', `${upload.misplacedReason} Nothing was applied.`);
  if (upload.size === 0 && !uploadFolderSpec(upload.area, upload.folder)?.nameOnly)
    return uploadError('Empty file', 'The file is empty. Upload a CSV file with a header line and data rows.');
  if (upload.size > deps.limits.maxUploadBytes) {
    const mib = Math.floor(deps.limits.maxUploadBytes / (1024 * 1024));
    return uploadError(
      'Too large',
      `The file is larger than the ${mib} MiB limit. Nothing was applied; please contact us to agree how to send it.`,
    );
  }
  return undefined;
}
