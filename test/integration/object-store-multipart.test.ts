import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateBucketCommand, HeadObjectCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createAwsClients } from '../../lambdas/adapters/aws-clients.ts';
import { ObjectStore } from '../../lambdas/adapters/object-store.ts';

/**
 * The S3 adapter against objects written in parts (moto server, a versioned bucket like the real
 * one). Above lib-storage's 5 MiB part size an upload is multipart; a copy of such an object used
 * to carry the source's composite CRC32 as if it were the copy's own, and reading the copy back
 * failed the SDK's response checksum validation. Every flow reads copies (the archive of each
 * upload), so this is the one place that must hold for every size.
 */

const clients = createAwsClients({ endpoint: inject('awsEndpoint') });
const bucket = `multipart-${randomBytes(4).toString('hex')}`;
const store = new ObjectStore(clients.s3, bucket);
// Three parts, the last one short, and bytes that differ everywhere so a misplaced part shows.
const body = randomBytes(12 * 1024 * 1024 + 12_345);

const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The digest of what the stream yields (vitest's deep equality on 12 MB buffers takes minutes). */
async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return digest(Buffer.concat(chunks));
}

beforeAll(async () => {
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
});

describe('ObjectStore with objects written in parts', () => {
  it('streams a file above the multipart threshold in, copies it by version and reads both back byte-identical', async () => {
    await store.putStream('in/big.csv', Readable.from([body]), { metadata: { 'user-agent-id': 'acme@local' } });
    const head = await store.head('in/big.csv');
    expect(head?.size).toBe(body.length);
    // Written in parts (the ETag of a multipart object ends in -{parts}), with one checksum for the whole.
    expect(head?.eTag).toMatch(/-3$/);
    const checksum = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'in/big.csv', ChecksumMode: 'ENABLED' }));
    expect(checksum.ChecksumType).toBe('FULL_OBJECT');

    await store.copy('in/big.csv', 'archive/big.csv', head?.versionId);
    expect(await readAll(await store.read('in/big.csv'))).toBe(digest(body));
    expect(await readAll(await store.read('archive/big.csv'))).toBe(digest(body));
    expect((await store.head('archive/big.csv'))?.metadata['user-agent-id']).toBe('acme@local');
  });

  it('copies an object another client wrote in parts with a composite checksum into one that reads back', async () => {
    // lib-storage's defaults, as any other S3 client may write into the tree.
    await new Upload({ client: clients.s3, params: { Bucket: bucket, Key: 'in/composite.csv', Body: Readable.from([body]) } }).done();
    await store.copy('in/composite.csv', 'archive/composite.csv');
    expect(await readAll(await store.read('archive/composite.csv'))).toBe(digest(body));
  });

  it('reads ranges of a copy written in parts', async () => {
    await store.putStream('in/ranged.csv', Readable.from([body]));
    await store.copy('in/ranged.csv', 'archive/ranged.csv');
    const head = await store.head('archive/ranged.csv');
    const start = 5 * 1024 * 1024 - 10;
    const slice = await readAll(await store.read('archive/ranged.csv', { start, end: start + 99 }, { versionId: head?.versionId }));
    expect(slice).toBe(digest(body.subarray(start, start + 100)));
  });
});
