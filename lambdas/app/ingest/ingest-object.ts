import { BUCKET_LAYOUT } from '../../../lib/resources.ts';
import { SYSTEM_WRITER_METADATA } from '../../core/files/system-writer.ts';
import { failureAttributes } from '../../core/diagnostics/error-description.ts';
import { fileNameProblem, reportableName } from '../../core/files/file-name-rules.ts';
import { authorFromUserAgentId, type Partner } from '../../core/partners/partner.ts';
import type { ObjectCreated } from '../../core/events/s3-event.ts';
import { classifyKey, placementProblem, uploadFolderSpec, type KeyClass, type UploadArea } from '../../core/partners/tree.ts';
import { isSettled, sourceOf, uploadIdOf, type UploadRecord, type UploadSource } from '../../core/uploads/upload.ts';
import type { PipelineDeps } from './pipeline-deps.ts';
import { publishStatus } from './publish-upload.ts';
import { settleAsSystemFailure } from './settle.ts';
import { awaitTransferResult, releaseInOrder } from './transfer-results.ts';
import { allocateUploadSecond } from './unique-upload-name.ts';

/**
 * Takes one S3 ObjectCreated event to a recorded, archived upload, queued once its transfer is
 * known to have completed (transfer-results.ts). Every step is
 * idempotent, so an event delivered twice (SQS is at-least-once; moto even emits two per
 * multipart upload) or a retry after a crash ends with the upload recorded exactly once.
 */

export type IngestOutcome = 'ignored' | 'gone' | 'recorded' | 'duplicate';

type Placed = Extract<KeyClass, { kind: 'upload' | 'misplaced' }>;

export async function ingestObject(
  deps: PipelineDeps,
  event: ObjectCreated,
  options: { finalAttempt: boolean } = { finalAttempt: false },
): Promise<IngestOutcome> {
  const placed = classifyKey(event.key);
  if (placed.kind === 'ignored') return 'ignored';
  const progress = { step: 'ingest.head', logged: false };
  try {
    return await ingestPlaced(deps, event, placed, options, progress);
  } catch (error) {
    // Failures after the upload is recorded are logged with its id where they happen.
    if (!progress.logged)
      deps.log.warn('ingest failed', failureAttributes(progress.step, error, { partnerId: placed.partnerId, final: options.finalAttempt }));
    throw error;
  }
}

async function ingestPlaced(
  deps: PipelineDeps,
  event: ObjectCreated,
  placed: Placed,
  options: { finalAttempt: boolean },
  progress: { step: string; logged: boolean },
): Promise<IngestOutcome> {
  // The head is read from S3, not the event: moto's events lack versionId, and the metadata
  // (who wrote it, and whether the system did) is only on the object.
  const head = await deps.store.head(event.key, event.versionId);
  if (!head) {
    deps.log.info('object no longer exists; already taken or removed', { partnerId: placed.partnerId });
    return 'gone';
  }
  if (head.metadata[Object.keys(SYSTEM_WRITER_METADATA)[0] as string]) return 'ignored';

  progress.step = 'ingest.partner';
  const partner = await deps.partners.get(placed.partnerId);
  if (!partner) {
    deps.log.error('object in the tree of an unknown partner; left in place', { partnerId: placed.partnerId });
    return 'ignored';
  }

  const identity = head.versionId ?? `${head.eTag ?? ''}@${head.lastModified.toISOString()}`;
  const draft = draftUpload(placed, partner, {
    bucket: event.bucket,
    key: event.key,
    identity,
    size: head.size,
    receivedAt: head.lastModified,
    eventTime: event.eventTime,
    author: authorFromUserAgentId(head.metadata['user-agent-id']) ?? 'unknown',
    source: sourceOf(head.metadata),
    now: deps.clock(),
  });
  progress.step = 'ingest.record';
  const ts = await allocateUploadSecond(deps.uploads, draft);
  const { upload, created } = await deps.uploads.record({ ...draft, ts });
  if (created) {
    deps.log.info('upload recorded', logIds(upload));
    deps.metrics?.received(upload);
  }

  progress.step = 'ingest.archive';
  try {
    await deps.store.copy(event.key, upload.archiveKey, head.versionId);
    // Also on a retry after a crash: the first attempt may have recorded without publishing.
    if (!isSettled(upload.status)) {
      progress.step = 'ingest.publishStatus';
      await publishStatus(deps, partner, upload);
      progress.step = 'ingest.await-transfer';
      // Queued only once its transfer is known to have completed (SPEC §15): maybe at once.
      await awaitTransferResult(deps, upload, { bucket: event.bucket, key: event.key, eTag: head.eTag });
    }
    // Delete only this version: a newer file of the same name put meanwhile must stay.
    progress.step = 'ingest.deleteOriginal';
    await deps.store.delete(event.key, head.versionId);
  } catch (error) {
    deps.log.warn('ingest failed', failureAttributes(progress.step, error, { ...logIds(upload), final: options.finalAttempt }));
    progress.logged = true;
    if (options.finalAttempt) {
      await settleAsSystemFailure(deps, partner, upload, error, progress.step);
      // Settled without a verdict: the partner's uploads that arrived after it may go now.
      await releaseInOrder(deps, partner.partnerId).catch(() => undefined);
      // Upload folders hold only files not yet picked up; this one has its final status now.
      await deps.store.delete(event.key, head.versionId).catch(() => undefined);
    }
    throw error;
  }
  return created ? 'recorded' : 'duplicate';
}

interface ObjectFacts {
  readonly bucket: string;
  readonly key: string;
  readonly identity: string;
  readonly size: number;
  readonly receivedAt: Date;
  /** The S3 event's time (sub-second), which orders arrivals within one LastModified second. */
  readonly eventTime: string;
  readonly author: string;
  readonly source: UploadSource;
  readonly now: Date;
}

function draftUpload(placed: Placed, partner: Partner, facts: ObjectFacts): UploadRecord {
  const uploadId = uploadIdOf(facts.bucket, facts.key, facts.identity);
  const ms = facts.receivedAt.getTime();
  const folder = placed.kind === 'upload' ? placed.folder : '';
  // A name that breaks the rules (it reached S3 other than through SFTP) is refused, and its
  // files are named by a stand-in that keeps every derived key valid (file-name-rules.ts).
  const name = reportableName(placed.name);
  const misplacedReason =
    fileNameProblem(placed.name) ?? (placed.kind === 'misplaced' ? placed.reason : placementProblem(placed, partner.entityType));
  return {
    partnerId: partner.partnerId,
    uploadId,
    // Arrival order (SPEC §15), also within one second: S3's LastModified has whole seconds, the
    // event's time the rest (ADR 0130). The id last, so two arrivals never share a key.
    seq: `${String(ms).padStart(13, '0')}#${facts.eventTime}#${uploadId}`,
    name,
    ts: Math.floor(ms / 1000),
    receivedAt: facts.receivedAt.toISOString(),
    area: placed.area,
    statusArea: statusArea(placed.area, partner),
    folder,
    root: placed.root,
    batchType: uploadFolderSpec(placed.area, folder)?.batchType,
    source: facts.source,
    author: facts.author,
    originalKey: facts.key,
    archiveKey: `${BUCKET_LAYOUT.archive}${partner.partnerId}/${uploadId}/${name}`,
    size: facts.size,
    misplacedReason,
    status: 'Validating',
    updatedAt: facts.now.toISOString(),
  };
}

/** Single entities have no flexben tree, so anything of theirs is reported in the employees one. */
function statusArea(area: UploadArea, partner: Partner): UploadArea {
  return area === 'flexben' && partner.entityType === 'single-entity' ? 'employees' : area;
}

export function logIds(upload: UploadRecord): Record<string, unknown> {
  return { partnerId: upload.partnerId, uploadId: upload.uploadId, area: upload.area, folder: upload.folder, status: upload.status };
}
