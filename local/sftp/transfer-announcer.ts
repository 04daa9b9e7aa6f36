import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ObjectStore } from '../../lambdas/adapters/object-store.ts';
import { keyForLogicalPath } from '../../lambdas/core/partners/tree.ts';
import { sftpRenameResult, sftpUploadResult, type BusEntry, type TransferOutcome } from '../../lambdas/core/transfers/transfer-events.ts';
import type { SpooledUpload } from './write-handle.ts';

/**
 * Transfer Family's upload-result events, emitted by local mode's SFTP server (SPEC §15) with
 * Transfer's shapes (lambdas/core/transfers/transfer-events.ts) onto the emulator's event bus, where the
 * rule of lib/resources.ts routes them to the ingest queue, as on AWS:
 *
 * - CLOSE of a fully written file → `SFTP Server File Upload Completed`, with the object's ETag;
 * - the session ends with a file still open → its bytes so far are stored (on AWS a partial
 *   object exists too, and fires ObjectCreated) and `SFTP Server File Upload Failed`
 *   (`PARTIAL_UPLOAD`) is emitted, so the upload ends `Rejected` / `Interrupted`;
 * - a rename (a copy, then a delete) → `SFTP Server File Rename Completed`.
 *
 * Events are best effort, as Transfer says of its own: a bus that refuses one is logged and the
 * upload then waits out its grace period; the partner's transfer itself never fails for it.
 */

/** Where the events go: the event bus (lambdas/adapters/upload-announcer.ts), or a test's list. */
export interface TransferEventSink {
  put(entry: BusEntry): Promise<void>;
}

export class SessionAnnouncer {
  readonly sessionId = randomUUID().replace(/-/g, '').slice(0, 20);

  constructor(
    private readonly sink: TransferEventSink | undefined,
    private readonly store: ObjectStore,
    private readonly partnerId: string,
    private readonly serverId: string,
    private readonly log: (line: string) => void,
  ) {}

  private key(path: string): string {
    return keyForLogicalPath(this.partnerId, path);
  }

  /** After CLOSE stored the file: it completed. */
  async completed(path: string, bytes: number, startedAt: Date, eTag: string | undefined): Promise<void> {
    await this.uploadResult(path, 'completed', bytes, startedAt, eTag);
  }

  /**
   * The session ended with the file open: store what arrived, as Transfer leaves a partial
   * object behind, and say the transfer failed. Never throws (the session is gone).
   */
  async interrupted(path: string, upload: SpooledUpload, store: (body: Readable) => Promise<{ eTag?: string }>): Promise<void> {
    const startedAt = new Date();
    try {
      let stored: { eTag?: string } = {};
      const bytes = await upload.commit(async (body) => void (stored = await store(body)));
      this.log(`sftp ${this.partnerId} put ${JSON.stringify(path)} interrupted: ${bytes} bytes stored as a partial object`);
      await this.uploadResult(path, 'failed', bytes, startedAt, stored.eTag);
    } catch (error) {
      await upload.discard().catch(() => undefined);
      this.log(`sftp ${this.partnerId} put ${JSON.stringify(path)} interrupted: partial object not stored (${(error as Error).name})`);
    }
  }

  async renamed(from: string, to: string, startedAt: Date): Promise<void> {
    const entry = sftpRenameResult(
      {
        bucket: this.store.bucket,
        fromKey: this.key(from),
        toKey: this.key(to),
        startedAt,
        endedAt: new Date(),
        username: this.partnerId,
        sessionId: this.sessionId,
      },
      this.serverId,
    );
    await this.emit(entry, to);
  }

  private async uploadResult(
    path: string,
    outcome: TransferOutcome,
    bytes: number,
    startedAt: Date,
    eTag: string | undefined,
  ): Promise<void> {
    if (!this.sink) return;
    const key = this.key(path);
    // The ETag (from the put itself: the ingest may have moved the object already) ties the
    // result to the object version the S3 event announces.
    const entry = sftpUploadResult(
      {
        bucket: this.store.bucket,
        key,
        outcome,
        etag: eTag,
        bytes,
        startedAt,
        endedAt: new Date(),
        username: this.partnerId,
        sessionId: this.sessionId,
        ...(outcome === 'failed' ? { failureCode: 'PARTIAL_UPLOAD' as const, failureMessage: 'File was partially uploaded.' } : {}),
      },
      this.serverId,
    );
    await this.emit(entry, path);
  }

  private async emit(entry: BusEntry, path: string): Promise<void> {
    if (!this.sink) return;
    try {
      await this.sink.put(entry);
    } catch (error) {
      this.log(`sftp ${this.partnerId} event ${JSON.stringify(path)} not delivered: ${(error as Error).name}`);
    }
  }
}
