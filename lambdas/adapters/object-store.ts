import type { Readable } from 'node:stream';
import {
  ChecksumAlgorithm,
  ChecksumType,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/**
 * The bucket, seen through the few operations the system needs. Handlers, the CLI and the local
 * SFTP server all go through this, so each behaves the same against AWS and the emulator.
 */

export interface ObjectHead {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
  readonly eTag?: string;
  readonly versionId?: string;
  readonly metadata: Record<string, string>;
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

export interface Listing {
  /** Objects directly under the prefix. */
  readonly objects: ListedObject[];
  /** Sub-prefixes ("folders") directly under the prefix, each ending in `/`. */
  readonly prefixes: string[];
}

/** One checksum for the whole object however it was sent, so reads and copies can verify it. */
const FULL_OBJECT_CRC32 = { ChecksumAlgorithm: ChecksumAlgorithm.CRC32, ChecksumType: ChecksumType.FULL_OBJECT } as const;

// Kept importable from here for the CLI, local mode and tests.
export { SYSTEM_WRITER_METADATA } from '../core/files/system-writer.ts';

export class ObjectStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  /** Head of the object, or undefined when it does not exist. */
  async head(key: string, versionId?: string): Promise<ObjectHead | undefined> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }));
      return {
        key,
        size: out.ContentLength ?? 0,
        lastModified: out.LastModified ?? new Date(),
        eTag: out.ETag?.replace(/"/g, ''),
        versionId: out.VersionId && out.VersionId !== 'null' ? out.VersionId : undefined,
        metadata: out.Metadata ?? {},
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * A stream of the object's bytes; never buffers the whole object. `pin` holds several ranged
   * reads to one version of an object that may be rewritten meanwhile (a status file, say): its
   * version id where the bucket keeps versions, else its ETag, which fails the read if it changed.
   */
  async read(key: string, range?: { start: number; end: number }, pin?: { versionId?: string; eTag?: string }): Promise<Readable> {
    const out = await this.s3.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        VersionId: pin?.versionId,
        IfMatch: pin?.versionId || !pin?.eTag ? undefined : `"${pin.eTag}"`,
      }),
    );
    return out.Body as Readable;
  }

  /** Reads a small object (status files, reports) as text; undefined when absent. */
  async readText(key: string): Promise<string | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await out.Body?.transformToString('utf-8');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Writes a small object in one request. */
  async put(key: string, body: string | Uint8Array, options: PutOptions = {}): Promise<void> {
    // A known length keeps the SDK from treating an empty string as a stream of unknown size.
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.byteLength,
        ContentType: options.contentType,
        Metadata: options.metadata,
      }),
    );
  }

  /**
   * Streams a body of any size into the object (multipart above 5 MiB). The checksum is a
   * full-object CRC32 even when the body goes up in parts: lib-storage's default is a composite
   * one (the CRC of the parts' CRCs, `xxxx==-3`), which a copy may carry over as if it were the
   * object's own, and every later read of that copy then fails the SDK's checksum validation.
   * Returns the stored object's ETag (unquoted) and version, which upload-result events name.
   */
  async putStream(key: string, body: Readable, options: PutOptions = {}): Promise<{ eTag?: string; versionId?: string }> {
    const out = await new Upload({
      client: this.s3,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        Metadata: options.metadata,
        ...FULL_OBJECT_CRC32,
      },
    }).done();
    return { eTag: out.ETag?.replace(/"/g, ''), versionId: out.VersionId && out.VersionId !== 'null' ? out.VersionId : undefined };
  }

  /**
   * Copies an object, asking S3 to compute the copy's own full-object CRC32 rather than inherit
   * the source's: a source written in parts (by Transfer Family, another client, or an older
   * putStream) may carry a composite checksum that does not describe the copy's bytes as a whole.
   */
  async copy(sourceKey: string, targetKey: string, sourceVersionId?: string): Promise<void> {
    const source = `${this.bucket}/${encodeURIComponent(sourceKey).replace(/%2F/g, '/')}`;
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: targetKey,
        CopySource: sourceVersionId ? `${source}?versionId=${encodeURIComponent(sourceVersionId)}` : source,
        ChecksumAlgorithm: ChecksumAlgorithm.CRC32,
      }),
    );
  }

  /** Deletes the object, or only the given version of it (so a newer upload of the same name survives). */
  async delete(key: string, versionId?: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }));
  }

  /** One level of the tree under `prefix` (which ends in `/`), all pages. */
  async list(prefix: string): Promise<Listing> {
    const objects: ListedObject[] = [];
    const prefixes: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) {
        if (o.Key && o.Key !== prefix) {
          objects.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
        }
      }
      for (const p of out.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return { objects, prefixes };
  }

  /** True when any object has this prefix (a "folder" exists). */
  async hasPrefix(prefix: string): Promise<boolean> {
    const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: 1 }));
    return (out.KeyCount ?? 0) > 0;
  }
}

export interface PutOptions {
  readonly contentType?: string;
  readonly metadata?: Record<string, string>;
}

function isNotFound(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404;
}
