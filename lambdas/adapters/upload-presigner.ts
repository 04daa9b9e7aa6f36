import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { S3Client } from '@aws-sdk/client-s3';
import type { UploadPresigner } from '../app/web/web-ports.ts';

/** Presigned POSTs into the web staging prefix: exactly one key, at most `maxBytes`. */
export class S3UploadPresigner implements UploadPresigner {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async presignPost(key: string, maxBytes: number, seconds: number): Promise<{ url: string; fields: Record<string, string> }> {
    return createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [['content-length-range', 0, maxBytes]],
      Expires: seconds,
    });
  }
}
