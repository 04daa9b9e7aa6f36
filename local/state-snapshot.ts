import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../lambdas/adapters/aws-clients.ts';
import type { LocalResources } from './provision.ts';

/**
 * `npm run local -- --persist DIR`: the emulator keeps everything in memory, so local mode saves
 * the bucket's current objects and the tables' items to DIR when it stops and loads them back
 * before S3 notifications are wired on the next start (so restoring does not re-ingest files).
 * Queues are not saved: stop local mode when uploads have settled.
 */

interface SavedObject {
  readonly key: string;
  readonly file: string;
  readonly contentType?: string;
  readonly metadata?: Record<string, string>;
}

export async function saveSnapshot(clients: AwsClients, resources: LocalResources, dir: string): Promise<void> {
  await mkdir(join(dir, 'objects'), { recursive: true });
  const objects: SavedObject[] = [];
  let token: string | undefined;
  do {
    const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: resources.bucket, ContinuationToken: token }));
    for (const item of page.Contents ?? []) {
      if (!item.Key) continue;
      const out = await clients.s3.send(new GetObjectCommand({ Bucket: resources.bucket, Key: item.Key }));
      const file = `${objects.length}.bin`;
      await writeFile(join(dir, 'objects', file), await out.Body!.transformToByteArray());
      objects.push({ key: item.Key, file, contentType: out.ContentType, metadata: out.Metadata });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  await writeFile(join(dir, 'objects.json'), JSON.stringify(objects, null, 1));

  const tables: Record<string, unknown[]> = {};
  for (const [name, tableName] of Object.entries(resources.tables)) {
    const items: unknown[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await clients.dynamo.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    tables[name] = items;
  }
  await writeFile(join(dir, 'tables.json'), JSON.stringify(tables));
}

export async function restoreSnapshot(clients: AwsClients, resources: LocalResources, dir: string): Promise<number> {
  if (!existsSync(join(dir, 'tables.json'))) return 0;
  const tables = JSON.parse(await readFile(join(dir, 'tables.json'), 'utf8')) as Record<string, Record<string, unknown>[]>;
  let restored = 0;
  for (const [name, items] of Object.entries(tables)) {
    const tableName = resources.tables[name as keyof LocalResources['tables']];
    if (!tableName) continue;
    for (const item of items) {
      await clients.dynamo.send(new PutCommand({ TableName: tableName, Item: item }));
      restored += 1;
    }
  }
  const objects = JSON.parse(await readFile(join(dir, 'objects.json'), 'utf8')) as SavedObject[];
  for (const object of objects) {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: resources.bucket,
        Key: object.key,
        Body: await readFile(join(dir, 'objects', object.file)),
        ContentType: object.contentType,
        Metadata: object.metadata,
      }),
    );
    restored += 1;
  }
  return restored;
}
