import type { Readable } from 'node:stream';
import type { Partner } from '../../core/partners/partner.ts';
import type { SummaryLine, UploadError } from '../../core/uploads/upload-errors.ts';
import type { UploadCounts, UploadRecord, UploadStatus } from '../../core/uploads/upload.ts';
import type { UploadStage } from '../ingest/stage-timer.ts';

/**
 * The seam between the ingest path and the flows (eligibility, flexible benefits, approvals):
 * the ingest path records, orders and archives uploads and publishes their status; a processor
 * only reads the file and decides what happens to it.
 */

export interface UploadContext {
  readonly upload: UploadRecord;
  readonly partner: Partner;
  /** The uploaded bytes, streamed from the archive copy. */
  openInput(): Promise<Readable>;
  /** Reports progress (`Validating` → `Processing`); the status file follows. */
  setStatus(status: 'Validating' | 'Processing'): Promise<void>;
  /** The attempt number of this run (1 on first delivery); a retry must finish what a crash left. */
  readonly attempt: number;
  readonly now: Date;
  /** Milliseconds this invocation has left: a long apply stops in time and throws {@link ContinueLater}. */
  remainingMs(): number;
  /** Lines for the operator's log: ids and counts only, never personal data. */
  readonly log: { info(message: string, attributes?: Record<string, unknown>): void };
  /** Marks the step now running: it names a failure in the logs and times the upload. */
  stage(stage: UploadStage): void;
}

/**
 * Time kept back when an apply stops early: the writes in flight (throttled batches back off for
 * seconds), the status row and the hand-back to the queue must fit in it.
 */
export const APPLY_MARGIN_MS = 60_000;

/**
 * Thrown by a processor that made progress but has to stop before its invocation runs out of
 * time (a first load of a million employees is more writes than one Lambda invocation may hold).
 * The upload is delivered again at once, still ahead of the partner's later uploads, and the next
 * invocation re-plans against the partly updated base, so it writes only what is still missing.
 */
export class ContinueLater extends Error {
  constructor(readonly progress: Readonly<Record<string, number>>) {
    super('the upload needs another invocation to finish');
    this.name = 'ContinueLater';
  }
}

export interface ProcessOutcome {
  /** A settled status (anything but Validating, Pending, Processing). */
  readonly status: UploadStatus;
  readonly errors: readonly UploadError[];
  readonly counts?: UploadCounts;
  /** Extra lines for the report, e.g. a dry run's summary; written even without errors. */
  readonly summary?: readonly SummaryLine[];
}

export interface UploadProcessor {
  process(context: UploadContext): Promise<ProcessOutcome>;
}

/** Picks the processor for an upload folder (`employees/all`, `flexben/removal`, …). */
export type ProcessorRegistry = Readonly<Record<string, UploadProcessor | undefined>>;

export function processorKey(upload: Pick<UploadRecord, 'area' | 'folder'>): string {
  return `${upload.area}/${upload.folder}`;
}
