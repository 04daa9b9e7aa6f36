import { z } from 'zod';

/**
 * Upload-result events (SPEC §15): Transfer Family's own server events on EventBridge, and the
 * same shape announced by the other paths a file can reach a partner's tree by (local mode's SFTP
 * server, the CLI, the web channel). They reach the ingest queue through one EventBridge rule
 * (lib/resources.ts) and settle what the S3 event only records: whether the transfer finished.
 *
 * The detail shape is Transfer's, from its "events detail reference": `file-path` is
 * `/{bucket}/{key}` for S3 storage, `etag` is the object's entity tag (S3 only), rename events
 * carry `original-file-path` / `renamed-file-path` instead of `file-path`.
 */

export const TRANSFER_SOURCE = 'aws.transfer';
/** Our own source for files announced by other paths (`aws.*` sources are reserved by AWS). */
export const ANNOUNCED_SOURCE = 'benefits-exchange.uploads';

export const TRANSFER_DETAIL_TYPES = {
  uploadCompleted: 'SFTP Server File Upload Completed',
  uploadFailed: 'SFTP Server File Upload Failed',
  renameCompleted: 'SFTP Server File Rename Completed',
} as const;

export const ANNOUNCED_DETAIL_TYPES = {
  uploadCompleted: 'File Upload Completed',
  uploadFailed: 'File Upload Failed',
} as const;

/** How an upload-result event ends: the upload's fate depends on nothing else. */
export type TransferOutcome = 'completed' | 'failed';

const optionalTimestamp = z.string().datetime({ offset: true }).optional();

export const transferDetailSchema = z.object({
  'status-code': z.enum(['COMPLETED', 'FAILED']),
  'failure-code': z.string().optional(),
  'failure-message': z.string().optional(),
  protocol: z.string().optional(),
  bytes: z.number().nonnegative().optional(),
  'client-ip': z.string().optional(),
  etag: z.string().optional(),
  'file-path': z.string().startsWith('/').optional(),
  'original-file-path': z.string().startsWith('/').optional(),
  'renamed-file-path': z.string().startsWith('/').optional(),
  'server-id': z.string().optional(),
  username: z.string().optional(),
  'session-id': z.string().optional(),
  'start-timestamp': optionalTimestamp,
  'end-timestamp': optionalTimestamp,
});
export type TransferDetail = z.infer<typeof transferDetailSchema>;

/** The EventBridge envelope as an SQS target receives it (moto adds `ingestion-time`; ignored). */
export const transferEventSchema = z.object({
  version: z.string().optional(),
  id: z.string(),
  'detail-type': z.string(),
  source: z.enum([TRANSFER_SOURCE, ANNOUNCED_SOURCE]),
  account: z.string().optional(),
  time: z.string().datetime({ offset: true }),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: transferDetailSchema,
});
export type TransferEvent = z.infer<typeof transferEventSchema>;

/** True when the body looks like an EventBridge event at all (then it must parse as ours). */
export function isEventBridgeEnvelope(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'detail-type' in json && 'source' in json && 'detail' in json;
}

/** What the ingest path keeps of one result event: which object, what happened, when. */
export type TransferResult =
  | {
      readonly kind: 'upload';
      readonly eventId: string;
      readonly bucket: string;
      readonly key: string;
      readonly outcome: TransferOutcome;
      /** Unquoted entity tag of the object written; Transfer may omit it on a failure. */
      readonly etag?: string;
      readonly failureCode?: string;
      readonly startedAt?: string;
      readonly endedAt?: string;
      /** The event's own time (always present). */
      readonly at: string;
      readonly source: string;
    }
  | {
      readonly kind: 'rename';
      readonly eventId: string;
      readonly bucket: string;
      /** The new name: the object whose arrival this rename accounts for. */
      readonly key: string;
      readonly fromKey: string;
      readonly startedAt?: string;
      readonly endedAt?: string;
      readonly at: string;
      readonly source: string;
    };

/** `/bucket/key…` → bucket and key (keys may contain further slashes and any character). */
export function splitFilePath(path: string): { bucket: string; key: string } | undefined {
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  return match ? { bucket: match[1] as string, key: match[2] as string } : undefined;
}

export function normaliseEtag(etag: string | undefined): string | undefined {
  const bare = etag?.replace(/"/g, '').trim().toLowerCase();
  return bare ? bare : undefined;
}

/** Why an EventBridge body is not one of ours: a reason for the log, never its content. */
export class UnrecognisedTransferEvent extends Error {
  override readonly name = 'UnrecognisedTransferEvent';
}

/**
 * The result an upload-result event states. Throws {@link UnrecognisedTransferEvent} on an
 * event type we do not route, a rename that did not complete, or a path that is not `/bucket/key`.
 */
export function transferResultOf(event: TransferEvent): TransferResult {
  const { detail } = event;
  const base = {
    eventId: event.id,
    startedAt: detail['start-timestamp'],
    endedAt: detail['end-timestamp'],
    at: new Date(event.time).toISOString(),
    source: event.source,
  };
  const type = event['detail-type'];
  if (type === TRANSFER_DETAIL_TYPES.renameCompleted) {
    const from = splitFilePath(detail['original-file-path'] ?? '');
    const to = splitFilePath(detail['renamed-file-path'] ?? '');
    if (!from || !to) throw new UnrecognisedTransferEvent('rename event without /bucket/key original and renamed paths');
    if (detail['status-code'] !== 'COMPLETED') throw new UnrecognisedTransferEvent('rename event that did not complete');
    return { kind: 'rename', ...base, bucket: to.bucket, key: to.key, fromKey: from.key };
  }
  const outcomes: Record<string, TransferOutcome> = {
    [TRANSFER_DETAIL_TYPES.uploadCompleted]: 'completed',
    [TRANSFER_DETAIL_TYPES.uploadFailed]: 'failed',
    [ANNOUNCED_DETAIL_TYPES.uploadCompleted]: 'completed',
    [ANNOUNCED_DETAIL_TYPES.uploadFailed]: 'failed',
  };
  const stated = outcomes[type];
  if (!stated) throw new UnrecognisedTransferEvent(`detail-type "${type.slice(0, 60)}" is not an upload result`);
  const target = splitFilePath(detail['file-path'] ?? '');
  if (!target) throw new UnrecognisedTransferEvent('upload result without a /bucket/key file-path');
  // A "completed" event that says FAILED is a failure: never apply on a doubt.
  const outcome: TransferOutcome = stated === 'completed' && detail['status-code'] === 'COMPLETED' ? 'completed' : 'failed';
  return {
    kind: 'upload',
    ...base,
    bucket: target.bucket,
    key: target.key,
    outcome,
    etag: normaliseEtag(detail.etag),
    failureCode: outcome === 'failed' ? (detail['failure-code'] ?? 'UNKNOWN_ERROR') : undefined,
  };
}

// ---- Factories: the events local mode's SFTP server and the other paths put on the bus ----

/** One PutEvents entry (the SDK's `PutEventsRequestEntry` minus the bus). */
export interface BusEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Time: Date;
  readonly Resources?: string[];
}

export interface UploadResultFacts {
  readonly bucket: string;
  readonly key: string;
  readonly outcome: TransferOutcome;
  readonly etag?: string;
  readonly bytes: number;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly username: string;
  readonly sessionId: string;
  /** Why a failed transfer failed (Transfer's codes: PARTIAL_UPLOAD, UNKNOWN_ERROR). */
  readonly failureCode?: 'PARTIAL_UPLOAD' | 'UNKNOWN_ERROR';
  readonly failureMessage?: string;
  readonly clientIp?: string;
}

function filePath(bucket: string, key: string): string {
  return `/${bucket}/${key}`;
}

function uploadDetail(facts: UploadResultFacts, protocol: string, serverId?: string): TransferDetail {
  return {
    'status-code': facts.outcome === 'completed' ? 'COMPLETED' : 'FAILED',
    ...(facts.outcome === 'failed'
      ? { 'failure-code': facts.failureCode ?? 'UNKNOWN_ERROR', 'failure-message': facts.failureMessage ?? 'File was partially uploaded.' }
      : {}),
    protocol,
    bytes: facts.bytes,
    ...(facts.clientIp ? { 'client-ip': facts.clientIp } : {}),
    ...(facts.etag ? { etag: normaliseEtag(facts.etag) } : {}),
    'file-path': filePath(facts.bucket, facts.key),
    ...(serverId ? { 'server-id': serverId } : {}),
    username: facts.username,
    'session-id': facts.sessionId,
    'start-timestamp': facts.startedAt.toISOString(),
    'end-timestamp': facts.endedAt.toISOString(),
  };
}

/** Transfer's `SFTP Server File Upload Completed` / `… Failed`, as local mode's server emits it. */
export function sftpUploadResult(facts: UploadResultFacts, serverId: string): BusEntry {
  return {
    Source: TRANSFER_SOURCE,
    DetailType: facts.outcome === 'completed' ? TRANSFER_DETAIL_TYPES.uploadCompleted : TRANSFER_DETAIL_TYPES.uploadFailed,
    Detail: JSON.stringify(uploadDetail(facts, 'SFTP', serverId)),
    Time: facts.endedAt,
  };
}

export interface RenameFacts {
  readonly bucket: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly username: string;
  readonly sessionId: string;
}

/** Transfer's `SFTP Server File Rename Completed`. */
export function sftpRenameResult(facts: RenameFacts, serverId: string): BusEntry {
  const detail: TransferDetail = {
    'status-code': 'COMPLETED',
    protocol: 'SFTP',
    'original-file-path': filePath(facts.bucket, facts.fromKey),
    'renamed-file-path': filePath(facts.bucket, facts.toKey),
    'server-id': serverId,
    username: facts.username,
    'session-id': facts.sessionId,
    'start-timestamp': facts.startedAt.toISOString(),
    'end-timestamp': facts.endedAt.toISOString(),
  };
  return {
    Source: TRANSFER_SOURCE,
    DetailType: TRANSFER_DETAIL_TYPES.renameCompleted,
    Detail: JSON.stringify(detail),
    Time: facts.endedAt,
  };
}

/** A file written into a partner's tree by another path (CLI, web channel): same detail shape. */
export function announcedUploadResult(facts: UploadResultFacts, protocol: 'CLI' | 'WEB'): BusEntry {
  return {
    Source: ANNOUNCED_SOURCE,
    DetailType: facts.outcome === 'completed' ? ANNOUNCED_DETAIL_TYPES.uploadCompleted : ANNOUNCED_DETAIL_TYPES.uploadFailed,
    Detail: JSON.stringify(uploadDetail(facts, protocol)),
    Time: facts.endedAt,
  };
}
