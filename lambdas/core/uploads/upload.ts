import { createHash } from 'node:crypto';
import { plainName } from '../partners/pgp-settings.ts';
import type { BatchType, UploadArea } from '../partners/tree.ts';

/**
 * An upload: one received object version in a partner's upload folder, from the moment the
 * ingest path records it to its final status (SPEC §5).
 */

export const UPLOAD_STATUSES = [
  'Validating',
  'Validated',
  'Pending',
  'Processing',
  'Succeeded',
  'Succeeded with errors',
  'Rejected',
  'Deleted',
  'Approval_Requested',
] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

/** Statuses in which an upload still holds its partner's queue: anything else is settled. */
const IN_FLIGHT: ReadonlySet<UploadStatus> = new Set(['Validating', 'Pending', 'Processing']);

/** True once nothing more will happen to the upload without a new event (approval, expiry). */
export function isSettled(status: UploadStatus): boolean {
  return !IN_FLIGHT.has(status);
}

export type UploadSource = 'SFTP' | 'WEB';

/**
 * Object metadata the web channel puts on a file it writes into an upload folder (SPEC §18): the
 * ingest records such an upload with source `WEB` (status.csv) and method `WEB` (upload_history.csv).
 */
export const WEB_CHANNEL_METADATA = { 'bx-channel': 'WEB' } as const;

/** The source an upload is recorded with, from its object's metadata. */
export function sourceOf(metadata: Readonly<Record<string, string>>): UploadSource {
  return metadata['bx-channel'] === WEB_CHANNEL_METADATA['bx-channel'] ? 'WEB' : 'SFTP';
}

/**
 * An upload's id: the same object version gives the same id however often its event arrives;
 * `identity` is the version id (or the ETag and time where a bucket has no versions).
 */
export function uploadIdOf(bucket: string, key: string, identity: string): string {
  return createHash('sha256').update(`${bucket}\n${key}\n${identity}`).digest('hex').slice(0, 24);
}

export interface UploadCounts {
  readonly rowsRead: number;
  readonly rowsApplied: number;
  readonly rowsRejected: number;
}

export interface UploadRecord {
  readonly partnerId: string;
  /** Stable id derived from the object version, so a repeated event finds the same upload. */
  readonly uploadId: string;
  /** Sort key: receipt time then id, so a partner's uploads list in arrival order. */
  readonly seq: string;
  /** The name as uploaded, unchanged. */
  readonly name: string;
  /** Epoch second of receipt, as used in `{ts}-{name}`. */
  readonly ts: number;
  /** ISO 8601 receipt time (UTC). */
  readonly receivedAt: string;
  readonly area: UploadArea;
  /** Whose files report it: its own area, or `employees` where the partner has no such area. */
  readonly statusArea: UploadArea;
  /** The upload folder (`all`, `dry-run`, `add-or-update`, …) or the folder it was wrongly put in. */
  readonly folder: string;
  readonly root: string;
  readonly batchType?: BatchType;
  readonly source: UploadSource;
  /** SFTP user who wrote the file (from Transfer's `user-agent-id` metadata). */
  readonly author: string;
  readonly originalKey: string;
  readonly archiveKey: string;
  readonly size: number;
  /** Why the file cannot be taken where it was put, decided at ingest. */
  readonly misplacedReason?: string;
  readonly status: UploadStatus;
  readonly counts?: UploadCounts;
  readonly errorCount?: number;
  /** Set when the upload ended because of our failure, not the partner's file. */
  readonly systemFailure?: boolean;
  /** Set once an operator sent the upload again (`uploads retry`), with who did. */
  readonly retriedAt?: string;
  readonly retriedBy?: string;
  readonly updatedAt: string;
}

/** `{ts}-{name}`: how the upload is named in the status file and reports (SPEC §3). */
export function uploadFileName(upload: Pick<UploadRecord, 'ts' | 'name'>): string {
  return `${upload.ts}-${upload.name}`;
}

/**
 * The error report's name: `{ts}-{name}`, with `.csv` added unless already there; an encrypted
 * upload's report is named after the file inside (`x.csv.pgp` → `{ts}-x.csv`, SPEC §16).
 */
export function errorReportName(upload: Pick<UploadRecord, 'ts' | 'name'>): string {
  const base = `${upload.ts}-${plainName(upload.name)}`;
  return /\.csv$/i.test(base) ? base : `${base}.csv`;
}
