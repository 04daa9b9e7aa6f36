import { randomUUID } from 'node:crypto';
import { BUCKET_LAYOUT } from '../../lib/resources.ts';
import type { Mailer } from './mailer.ts';
import { SYSTEM_WRITER_METADATA, type ObjectStore } from './object-store.ts';

/**
 * Local mode's mailer: sends through SES like the Lambdas do, and keeps a copy of each message in
 * the bucket for `npx benefits-exchange emails`. moto's only view of sent mail is
 * `GET /moto-api/data.json`, a dump of every service's state that fails (HTTP 500) or takes
 * minutes once the emulator holds large objects; a copy of our own is read in one listing.
 */

/** One sent email as recorded (and as `emails` shows it). */
export interface SentEmail {
  readonly id: string;
  /** ISO 8601 send time; null when the source (moto's dump) does not record it. */
  readonly date: string | null;
  readonly from: string;
  readonly to: string[];
  readonly cc: string[];
  readonly bcc: string[];
  readonly subject: string;
  readonly body: string;
  /** The HTML part, where the message had one (local mode's own records only). */
  readonly html?: string;
}

export class RecordingMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly store: ObjectStore,
    private readonly sender: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async send(message: { to: readonly string[]; subject: string; text: string; html?: string }): Promise<void> {
    await this.inner.send(message);
    const date = this.clock().toISOString();
    const id = randomUUID();
    const email: SentEmail = {
      id,
      date,
      from: this.sender,
      to: [...message.to],
      cc: [],
      bcc: [],
      subject: message.subject,
      body: message.text,
      ...(message.html ? { html: message.html } : {}),
    };
    // Keys sort by send time, so a listing reads back in send order.
    await this.store.put(`${BUCKET_LAYOUT.sentEmails}${date}-${id}.json`, JSON.stringify(email), {
      contentType: 'application/json',
      metadata: { ...SYSTEM_WRITER_METADATA },
    });
  }
}

const READ_CONCURRENCY = 16;

/** Every email local mode recorded in this bucket, in send order. */
export async function readRecordedEmails(store: ObjectStore): Promise<SentEmail[]> {
  const { objects } = await store.list(BUCKET_LAYOUT.sentEmails);
  const keys = objects
    .map((o) => o.key)
    .filter((key) => key.endsWith('.json'))
    .sort();
  const emails: SentEmail[] = [];
  for (let i = 0; i < keys.length; i += READ_CONCURRENCY) {
    const texts = await Promise.all(keys.slice(i, i + READ_CONCURRENCY).map((key) => store.readText(key)));
    for (const text of texts) if (text) emails.push(JSON.parse(text) as SentEmail);
  }
  return emails;
}
