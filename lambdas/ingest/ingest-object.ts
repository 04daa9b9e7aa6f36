import { createHash } from 'node:crypto';
import { BUCKET_LAYOUT } from '../../lib/resources.ts';
import { SYSTEM_WRITER_METADATA } from '../adapters/object-store.ts';
import { authorFromUserAgentId, type Partner } from '../domain/partner.ts';
import type { ObjectCreated } from '../domain/s3-event.ts';
import { classifyKey, placementProblem, uploadFolderSpec, type KeyClass, type UploadArea } from '../domain/tree.ts';
import { isSettled, type UploadRecord } from '../domain/upload.ts';
import type { PipelineDeps } from './pipeline-deps.ts';
import { publishStatus } from './publish-upload.ts';
import { settleAsSystemFailure } from './settle.ts';

/**
 * Takes one S3 ObjectCreated event to a recorded, archived and queued upload. Every step is
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

  // The head is read from S3, not the event: moto's events lack versionId, and the metadata
  // (who wrote it, and whether the system did) is only on the object.
  const head = await deps.store.head(event.key, event.versionId);
  if (!head) {
    deps.log.info('object no longer exists; already taken or removed', { partnerId: placed.partnerId });
    return 'gone';
  }
  if (head.metadata[Object.keys(SYSTEM_WRITER_METADATA)[0] as string]) return 'ignored';

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
    author: authorFromUserAgentId(head.metadata['user-agent-id']) ?? 'unknown',
    now: deps.clock(),
  });
  const { upload, created } = await deps.uploads.record(draft);
  if (created) {
    deps.log.info('upload recorded', logIds(upload));
    deps.metrics?.received(upload);
  }

  try {
    await deps.store.copy(event.key, upload.archiveKey, head.versionId);
    // Also on a retry after a crash: the first attempt may have recorded without publishing.
    if (!isSettled(upload.status)) {
      await publishStatus(deps, partner, upload);
      await deps.queue.enqueue({ partnerId: upload.partnerId, seq: upload.seq, uploadId: upload.uploadId });
    }
    // Delete only this version: a newer file of the same name put meanwhile must stay.
    await deps.store.delete(event.key, head.versionId);
  } catch (error) {
    if (options.finalAttempt) {
      await settleAsSystemFailure(deps, partner, upload, error);
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
  readonly author: string;
  readonly now: Date;
}

function draftUpload(placed: Placed, partner: Partner, facts: ObjectFacts): UploadRecord {
  const uploadId = createHash('sha256')
    .update(`${facts.bucket}\n${facts.key}\n${facts.identity}`)
    .digest('hex')
    .slice(0, 24);
  const ms = facts.receivedAt.getTime();
  const folder = placed.kind === 'upload' ? placed.folder : '';
  const misplacedReason =
    placed.kind === 'misplaced' ? placed.reason : placementProblem(placed, partner.entityType);
  return {
    partnerId: partner.partnerId,
    uploadId,
    seq: `${String(ms).padStart(13, '0')}#${uploadId}`,
    name: placed.name,
    ts: Math.floor(ms / 1000),
    receivedAt: facts.receivedAt.toISOString(),
    area: placed.area,
    statusArea: statusArea(placed.area, partner),
    folder,
    root: placed.root,
    batchType: uploadFolderSpec(placed.area, folder)?.batchType,
    source: 'SFTP',
    author: facts.author,
    originalKey: facts.key,
    archiveKey: `${BUCKET_LAYOUT.archive}${partner.partnerId}/${uploadId}/${placed.name}`,
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
