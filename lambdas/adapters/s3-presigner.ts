import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadPresigner } from '../app/web/web-ports.ts';

/**
 * The web channel's presigned URLs: POSTs into the staging prefix (exactly one key, at most
 * `maxBytes`) and GETs of a partner's download files, saved under their own name.
 */
export class S3Presigner implements UploadPresigner {
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

  async presignGet(key: string, seconds: number, fileName: string): Promise<string> {
    const disposition = `attachment; filename="${fileName.replace(/["\\]/g, '')}"`;
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: disposition }), {
      expiresIn: seconds,
    });
  }
}
