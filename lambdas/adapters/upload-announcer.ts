import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { announcedUploadResult, type BusEntry, type UploadResultFacts } from '../core/transfers/transfer-events.ts';

/**
 * Puts upload-result events on the default event bus, where the rule of lib/resources.ts routes
 * them to the ingest queue (SPEC §15). Local mode's SFTP server puts Transfer's own events this
 * way; anything else that writes a file into an upload folder (the CLI, the web channel) calls
 * {@link announceUpload} once the object is stored, or its file waits out the grace period and
 * ends `Rejected` / `Interrupted`.
 */
export class EventBusAnnouncer {
  constructor(private readonly events: EventBridgeClient) {}

  async put(entry: BusEntry): Promise<void> {
    const out = await this.events.send(new PutEventsCommand({ Entries: [{ ...entry }] }));
    if ((out.FailedEntryCount ?? 0) > 0) {
      const failed = out.Entries?.find((e) => e.ErrorCode);
      throw new Error(`EventBridge refused the upload result: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim());
    }
  }
}

export interface AnnouncedUpload {
  readonly bucket: string;
  readonly key: string;
  /** The stored object's ETag (from the put's response or a head). */
  readonly etag: string;
  readonly bytes: number;
  /** Who wrote it (operator, portal user); never personal data beyond the account name. */
  readonly username: string;
  readonly channel: 'CLI' | 'WEB';
  readonly startedAt?: Date;
  readonly sessionId?: string;
  /** Default `completed`: announce `failed` for a write that stopped half way. */
  readonly outcome?: UploadResultFacts['outcome'];
}

/** Announces a file written into a partner's upload folder by a path other than SFTP. */
export async function announceUpload(events: EventBridgeClient, upload: AnnouncedUpload, now = new Date()): Promise<void> {
  const facts: UploadResultFacts = {
    bucket: upload.bucket,
    key: upload.key,
    outcome: upload.outcome ?? 'completed',
    etag: upload.etag,
    bytes: upload.bytes,
    startedAt: upload.startedAt ?? now,
    endedAt: now,
    username: upload.username,
    sessionId: upload.sessionId ?? `${upload.channel.toLowerCase()}-${now.getTime()}`,
    ...(upload.outcome === 'failed' ? { failureCode: 'PARTIAL_UPLOAD' as const } : {}),
  };
  await new EventBusAnnouncer(events).put(announcedUploadResult(facts, upload.channel));
}
