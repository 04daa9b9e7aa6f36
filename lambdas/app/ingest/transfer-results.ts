import type { TransferDeadline } from '../../core/transfers/ingest-message.ts';
import type { Partner } from '../../core/partners/partner.ts';
import type { TransferResult } from '../../core/transfers/transfer-events.ts';
import {
  RESULT_MISSING_MESSAGE,
  RESULT_MISSING_METRIC,
  secondsUntil,
  verdictFor,
  type Arrival,
  type Verdict,
} from '../../core/transfers/transfer-verdict.ts';
import { uploadError } from '../../core/uploads/upload-errors.ts';
import { isSettled, type UploadRecord } from '../../core/uploads/upload.ts';
import type { PipelineDeps } from './pipeline-deps.ts';
import { settleUpload } from './settle.ts';

/**
 * SPEC §15 on the ingest path: an upload is queued for processing only once its transfer is known
 * to have completed. The S3 event records the arrival (ingest-object.ts), the upload-result event
 * settles it, in either order and any number of times; an arrival whose result never comes ends
 * `Rejected` / `Interrupted` when its grace period is over (ADR 0100).
 */

export const INTERRUPTED_DESCRIPTION = 'The transfer of this file did not finish; nothing was applied; upload it again.';
export const UNCONFIRMED_DESCRIPTION = 'We could not confirm that the transfer finished; nothing was applied; upload it again.';

/** A recorded upload now waits for its transfer result; it may be there already. */
export async function awaitTransferResult(
  deps: PipelineDeps,
  upload: UploadRecord,
  object: { bucket: string; key: string; eTag?: string },
): Promise<void> {
  const now = deps.clock();
  const arrival = await deps.transfer.ledger.addArrival({
    bucket: object.bucket,
    key: object.key,
    partnerId: upload.partnerId,
    seq: upload.seq,
    uploadId: upload.uploadId,
    etag: object.eTag,
    receivedAt: upload.receivedAt,
    deadlineAt: new Date(now.getTime() + deps.transfer.graceSeconds * 1000).toISOString(),
  });
  const open = await resolveKey(deps, object.bucket, object.key);
  if (open.has(arrival.uploadId)) {
    await scheduleDeadline(deps, arrival, now);
    deps.log.info('upload awaits its transfer result', {
      partnerId: upload.partnerId,
      uploadId: upload.uploadId,
      graceSeconds: deps.transfer.graceSeconds,
    });
  }
}

/** An upload-result (or rename) event: stored, then every arrival it concerns is looked at again. */
export async function acceptTransferResult(deps: PipelineDeps, result: TransferResult): Promise<void> {
  const partnerId = partnerOf(result.key);
  if (result.bucket !== deps.store.bucket) {
    deps.log.warn('transfer result for another bucket; ignored', { eventId: result.eventId, source: result.source });
    return;
  }
  await deps.transfer.ledger.addResult(result);
  deps.log.info('transfer result received', {
    partnerId,
    eventId: result.eventId,
    kind: result.kind,
    outcome: result.kind === 'upload' ? result.outcome : 'renamed',
    ...(result.kind === 'upload' && result.failureCode ? { failureCode: result.failureCode } : {}),
    source: result.source,
  });
  await resolveKey(deps, result.bucket, result.key);
  if (result.kind === 'upload') {
    const { renamedTo } = await deps.transfer.ledger.load(result.bucket, result.key);
    for (const target of new Set(renamedTo)) await resolveKey(deps, result.bucket, target);
  }
}

/** The delayed message of an arrival: ends it as unconfirmed unless a result came meanwhile. */
export async function checkTransferDeadline(deps: PipelineDeps, deadline: TransferDeadline): Promise<void> {
  const arrival = await deps.transfer.ledger.arrival(deadline.bucket, deadline.key, deadline.uploadId);
  if (!arrival) {
    deps.log.warn('transfer deadline for an unknown arrival; ignored', { uploadId: deadline.uploadId });
    return;
  }
  if (arrival.verdict && arrival.acted) return;
  const now = deps.clock();
  if (!arrival.verdict && secondsUntil(arrival.deadlineAt, now) > 0) {
    // A grace longer than SQS's 900 s delay, or a message delivered early: wait on.
    await scheduleDeadline(deps, arrival, now);
    return;
  }
  await resolveKey(deps, deadline.bucket, deadline.key);
}

async function scheduleDeadline(deps: PipelineDeps, arrival: Arrival, now: Date): Promise<void> {
  // One second past the deadline, so the message never comes back a moment too early.
  const delay = Math.min(900, secondsUntil(arrival.deadlineAt, now) + 1);
  await deps.transfer.deadlines.schedule({ bucket: arrival.bucket, key: arrival.key, uploadId: arrival.uploadId }, delay);
}

/**
 * Decides every arrival of the key that the stored results now settle (or whose grace is over)
 * and carries out every verdict not yet carried out. Returns the arrivals still open.
 */
async function resolveKey(deps: PipelineDeps, bucket: string, key: string): Promise<Set<string>> {
  const { ledger } = deps.transfer;
  const entries = await ledger.load(bucket, key);
  const sourceKeys = new Set(entries.results.flatMap((r) => (r.kind === 'rename' ? [r.fromKey] : [])));
  const sources = new Map<string, TransferResult[]>();
  for (const source of sourceKeys) sources.set(source, (await ledger.load(bucket, source)).results);

  const now = deps.clock();
  const open = new Set<string>();
  for (const arrival of entries.arrivals) {
    let current = arrival;
    if (!current.verdict) {
      const found: Verdict | undefined =
        verdictFor(current, entries.results, sources) ?? (Date.parse(current.deadlineAt) <= now.getTime() ? 'unconfirmed' : undefined);
      if (!found) {
        open.add(current.uploadId);
        continue;
      }
      current = await ledger.decide(current, found, now);
      if (found === 'unconfirmed' && current.verdict === 'unconfirmed') {
        deps.log.error(RESULT_MISSING_MESSAGE, {
          metric: RESULT_MISSING_METRIC,
          partnerId: current.partnerId,
          uploadId: current.uploadId,
          graceSeconds: deps.transfer.graceSeconds,
        });
      }
    }
    if (!current.acted) await act(deps, current);
  }
  return open;
}

/**
 * Carries out a verdict; safe to repeat (a retry after a crash between decide and here). A
 * completed upload is queued only in its partner's arrival order (releaseInOrder); one that did
 * not complete is settled, which may let the uploads behind it go.
 */
async function act(deps: PipelineDeps, arrival: Arrival): Promise<void> {
  if (arrival.verdict !== 'completed') {
    const upload = await deps.uploads.get(arrival);
    if (upload && !isSettled(upload.status)) {
      const partner = await deps.partners.get(upload.partnerId);
      if (partner)
        await settleInterrupted(deps, partner, upload, arrival.verdict === 'failed' ? INTERRUPTED_DESCRIPTION : UNCONFIRMED_DESCRIPTION);
    }
    await deps.transfer.ledger.markActed(arrival);
  }
  await releaseInOrder(deps, arrival.partnerId);
}

/**
 * Queues the partner's completed uploads in the order they arrived, up to the first one still
 * waiting for its transfer result (SPEC §15: each partner's uploads in order of arrival, ADR 0130).
 * The FIFO queue keeps that order from here on. Two ingest invocations may release at once: each
 * walks the same list in the same order and the queue drops the second copy of a message, so an
 * upload never goes ahead of an earlier one.
 */
export async function releaseInOrder(deps: PipelineDeps, partnerId: string): Promise<void> {
  // Older arrivals are decided by now: every deadline fires within the grace period.
  const since = deps.clock().getTime() - (deps.transfer.graceSeconds + RELEASE_MARGIN_SECONDS) * 1000;
  for (const upload of await deps.uploads.unsettledSince(partnerId, since)) {
    const arrival = await deps.transfer.ledger.arrival(deps.store.bucket, upload.originalKey, upload.uploadId);
    // Recorded, but its arrival not yet (its ingest is still running), or no verdict yet: the
    // uploads behind it wait; the event that settles it releases them.
    if (!arrival?.verdict) {
      if (!arrival) deps.log.info('upload queue waits for an arrival being recorded', { partnerId, uploadId: upload.uploadId });
      return;
    }
    if (arrival.verdict !== 'completed' || arrival.acted) continue;
    await deps.queue.enqueue({ partnerId: upload.partnerId, seq: upload.seq, uploadId: upload.uploadId });
    await deps.transfer.ledger.markActed(arrival);
    deps.log.info('transfer completed; upload queued', { partnerId: upload.partnerId, uploadId: upload.uploadId });
  }
}

/** How far before the grace period the release looks for uploads that may still wait. */
const RELEASE_MARGIN_SECONDS = 3600;

async function settleInterrupted(deps: PipelineDeps, partner: Partner, upload: UploadRecord, description: string): Promise<void> {
  deps.log.warn('transfer did not complete; upload rejected', {
    partnerId: upload.partnerId,
    uploadId: upload.uploadId,
    reason: description === INTERRUPTED_DESCRIPTION ? 'failed' : 'unconfirmed',
  });
  await settleUpload(deps, partner, upload, { status: 'Rejected', errors: [uploadError('Interrupted', description)] });
}

function partnerOf(key: string): string | undefined {
  return /^partners\/([^/]+)\//.exec(key)?.[1];
}
