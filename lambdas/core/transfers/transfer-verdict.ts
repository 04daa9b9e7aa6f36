import { normaliseEtag, type TransferResult } from './transfer-events.ts';

/**
 * Matches an arrival (an S3 ObjectCreated the ingest path recorded) with the upload-result events
 * stored for its key (SPEC §15). Pure: the ledger (lambdas/adapters/transfer-ledger.ts) loads
 * both sides, this decides, whichever event came last.
 *
 * - An upload result with the arrival's ETag settles it: completed, or failed.
 * - A failed result without an ETag (Transfer may omit it) settles an arrival received during
 *   that transfer as failed.
 * - A rename (a server-side copy, which cannot itself be partial) passes on the result of the
 *   upload that wrote its source: a file uploaded as `x.csv.filepart` and renamed to `x.csv` is
 *   complete when the `.filepart` upload completed. Transfer reports that result for the
 *   temporary name; the rename event links it to the final name, matched by time, since a
 *   rename event carries no ETag.
 * - Anything else leaves it open; the grace period's deadline then ends it as `unconfirmed`.
 */

export type Verdict = 'completed' | 'failed' | 'unconfirmed';

export interface Arrival {
  readonly bucket: string;
  readonly key: string;
  readonly partnerId: string;
  readonly seq: string;
  readonly uploadId: string;
  readonly etag?: string;
  /** The object's LastModified (second precision in S3); the start of a multipart upload. */
  readonly receivedAt: string;
  /** When the grace period ends without a result. */
  readonly deadlineAt: string;
  readonly verdict?: Verdict;
  /** Set once the verdict's consequence (queued, or settled) is done. */
  readonly acted?: boolean;
}

/** The log line (and metric filter, lib/benefits-exchange-stack.ts) operators alarm on. */
export const RESULT_MISSING_MESSAGE = 'transfer result missing';
export const RESULT_MISSING_METRIC = 'TransferResultMissing';

/** Slack around a transfer's timestamps: S3's LastModified has whole seconds, clocks differ a little. */
export const MATCH_SLACK_MS = 5_000;

type UploadResult = Extract<TransferResult, { kind: 'upload' }>;
type RenameResult = Extract<TransferResult, { kind: 'rename' }>;

function within(at: string, from: string, to: string): boolean {
  const t = Date.parse(at);
  return t >= Date.parse(from) - MATCH_SLACK_MS && t <= Date.parse(to) + MATCH_SLACK_MS;
}

const startOf = (r: TransferResult): string => r.startedAt ?? r.at;
const endOf = (r: TransferResult): string => r.endedAt ?? r.at;

/** Failed wins over completed: two contradicting results must never apply a file. */
function combine(outcomes: readonly ('completed' | 'failed')[]): 'completed' | 'failed' | undefined {
  if (outcomes.length === 0) return undefined;
  return outcomes.includes('failed') ? 'failed' : 'completed';
}

/** The outcome of the upload that wrote `results`' key last before `until` (a rename's end). */
function lastUploadBefore(results: readonly TransferResult[], until: string): 'completed' | 'failed' | undefined {
  const limit = Date.parse(until) + MATCH_SLACK_MS;
  const uploads = results
    .filter((r): r is UploadResult => r.kind === 'upload' && Date.parse(endOf(r)) <= limit)
    .sort((a, b) => Date.parse(endOf(a)) - Date.parse(endOf(b)));
  const last = uploads.at(-1);
  if (!last) return undefined;
  // Results of the same transfer (duplicates, or both kinds) share its end: failed wins.
  return combine(uploads.filter((u) => endOf(u) === endOf(last) && u.etag === last.etag).map((u) => u.outcome));
}

/**
 * The verdict the stored results give `arrival`, or undefined while they say nothing about it.
 * `sources` holds, per rename source key, the results stored for that key.
 */
export function verdictFor(
  arrival: Arrival,
  results: readonly TransferResult[],
  sources: ReadonlyMap<string, readonly TransferResult[]>,
): 'completed' | 'failed' | undefined {
  const etag = normaliseEtag(arrival.etag);
  const mine = results.filter((r) => r.key === arrival.key);
  const uploads = mine.filter((r): r is UploadResult => r.kind === 'upload');
  const byEtag = combine(uploads.filter((r) => etag !== undefined && r.etag === etag).map((r) => r.outcome));
  if (byEtag) return byEtag;
  const failedDuring = uploads.some(
    (r) => r.outcome === 'failed' && r.etag === undefined && within(arrival.receivedAt, startOf(r), endOf(r)),
  );
  if (failedDuring) return 'failed';
  const renames = mine.filter((r): r is RenameResult => r.kind === 'rename' && within(arrival.receivedAt, startOf(r), endOf(r)));
  return combine(
    renames
      .map((r) => lastUploadBefore(sources.get(r.fromKey) ?? [], endOf(r)))
      .filter((o): o is 'completed' | 'failed' => o !== undefined),
  );
}

/** Seconds to wait before looking again at an arrival still open at `now` (SQS delays ≤ 900 s). */
export function secondsUntil(deadlineAt: string, now: Date): number {
  return Math.max(0, Math.min(900, Math.ceil((Date.parse(deadlineAt) - now.getTime()) / 1000)));
}
