import { z } from 'zod';

/**
 * S3 event notifications as they arrive in an SQS message body, from AWS or from an emulator.
 * Validated with zod rather than trusted: a body we do not understand is reported, not guessed at.
 */

const s3RecordSchema = z.object({
  eventName: z.string(),
  eventTime: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().optional(),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

const notificationSchema = z.object({ Records: z.array(s3RecordSchema) });
const testEventSchema = z.object({ Event: z.literal('s3:TestEvent') });

export interface ObjectCreated {
  readonly bucket: string;
  /** The key decoded back to the object's real name. */
  readonly key: string;
  readonly eventName: string;
  /** ISO 8601, always with a zone (emulators omit the `Z`). */
  readonly eventTime: string;
  readonly size?: number;
  readonly eTag?: string;
  readonly versionId?: string;
}

/**
 * Keys in S3 events are URL-encoded form-style: a space is `+`, a literal `+` is `%2B`, and some
 * emulators also encode `/` as `%2F`. Decoding `+` first and then percent-escapes handles both.
 */
export function decodeS3EventKey(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

function withZone(time: string): string {
  return /(Z|[+-]\d\d:?\d\d)$/.test(time) ? time : `${time}Z`;
}

/**
 * Parses one SQS message body into the objects it announces: none for S3's test event, which is
 * sent once when notifications are configured. Throws on a body that is not an S3 notification.
 */
export function parseS3Notification(body: string): ObjectCreated[] {
  const json: unknown = JSON.parse(body);
  if (testEventSchema.safeParse(json).success) return [];
  return notificationSchema
    .parse(json)
    .Records.filter((r) => r.eventName.startsWith('ObjectCreated'))
    .map((r) => ({
      bucket: r.s3.bucket.name,
      key: decodeS3EventKey(r.s3.object.key),
      eventName: r.eventName,
      eventTime: new Date(withZone(r.eventTime)).toISOString(),
      size: r.s3.object.size,
      eTag: r.s3.object.eTag,
      versionId: r.s3.object.versionId,
    }));
}
