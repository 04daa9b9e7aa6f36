import type { ObjectStore } from '../../adapters/object-store.ts';
import type { Mailer } from '../../adapters/mailer.ts';
import type { ProviderKeySource } from '../../adapters/provider-key.ts';
import type { UploadQueue } from '../../adapters/upload-queue.ts';
import type { UploadRepo } from '../../adapters/upload-repo.ts';
import type { Partner } from '../../core/partners/partner.ts';
import type { ProcessorRegistry } from '../flows/upload-processor.ts';
import type { DeadlineQueue } from '../../adapters/transfer-deadlines.ts';
import type { TransferLedger } from '../../adapters/transfer-ledger.ts';
import type { UploadMetrics } from '../../adapters/metrics.ts';

/** What the ingest path needs from the outside world; Lambda and local mode supply the same. */
export interface PipelineDeps {
  readonly store: ObjectStore;
  readonly partners: { get(partnerId: string): Promise<Partner | undefined> };
  readonly uploads: UploadRepo;
  readonly queue: UploadQueue;
  readonly mailer: Mailer;
  readonly processors: ProcessorRegistry;
  readonly log: Log;
  readonly clock: () => Date;
  readonly limits: { readonly maxUploadBytes: number };
  /** The provider's PGP key pair, to decrypt encrypted uploads (SPEC §16). */
  readonly providerKey?: ProviderKeySource;
  /** Counts uploads received and settled (SPEC §17); absent in tests that do not look. */
  readonly metrics?: UploadMetrics;
  /** Transfer results and their grace period (SPEC §15). */
  readonly transfer: TransferDeps;
}

export interface TransferDeps {
  readonly ledger: TransferLedger;
  readonly deadlines: DeadlineQueue;
  /** How long an arrival waits for its result (SPEC §15: default 15 minutes). */
  readonly graceSeconds: number;
}

/** Structured logging: ids and counts only, never file contents or personal data. */
export interface Log {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
  /** Adds keys to every later line (the upload id while one upload runs); optional for simple sinks. */
  appendKeys?(keys: Record<string, unknown>): void;
  removeKeys?(keys: string[]): void;
}

/** SPEC §4: 512 MiB per file unless configured otherwise. */
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export { DEFAULT_TRANSFER_GRACE_SECONDS } from '../../../lib/config/environments.ts';
