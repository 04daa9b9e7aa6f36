import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import ssh2, { type SFTPWrapper } from 'ssh2';
import { inject } from 'vitest';
import { createAwsClients, type AwsClients } from '../../lambdas/adapters/aws-clients.ts';
import { ObjectStore } from '../../lambdas/adapters/object-store.ts';
import { PartnerRepo } from '../../lambdas/adapters/partner-repo.ts';
import { partnerSchema, type EntityType, type Partner } from '../../lambdas/core/partners/partner.ts';
import { partnerPrefix, treeFolders } from '../../lambdas/core/partners/tree.ts';
import type { BusEntry } from '../../lambdas/core/transfers/transfer-events.ts';
import { TABLES } from '../../lib/resources.ts';
import { generateEd25519KeyPair } from '../../local/sftp/host-key.ts';
import { startSftpServer, type RunningSftpServer, type SftpServerOptions } from '../../local/sftp/sftp-server.ts';

/**
 * An isolated world for one SFTP test file: its own bucket (versioned, like the real one) and
 * partners table in the shared moto server, two partners with their own ed25519 keys and folder
 * markers, and a server on a free port. `acme` is multi-entity, `globex` single-entity.
 */

export interface TestPartner {
  readonly partner: Partner;
  readonly privateKey: string;
  readonly publicKey: string;
}

export interface SftpFixture {
  readonly clients: AwsClients;
  readonly bucket: string;
  readonly store: ObjectStore;
  readonly server: RunningSftpServer;
  readonly acme: TestPartner;
  readonly globex: TestPartner;
  /** What the server logged. */
  readonly logs: string[];
  /** The upload-result events the server emitted (SPEC §15), in order. */
  readonly transferEvents: BusEntry[];
  connect(username: string, privateKey: string): Promise<SFTPWrapper>;
  /** A login attempt by password only (which the server must refuse). */
  connectWithPassword(username: string, password: string): Promise<void>;
  /** Every key under a prefix (all levels), sorted. */
  keys(prefix: string): Promise<string[]>;
  body(key: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** `overrides.store` lets a test wrap the store the server uses (e.g. to make S3 fail). */
export async function startSftpFixture(overrides: { store?: (store: ObjectStore) => ObjectStore } = {}): Promise<SftpFixture> {
  const clients = createAwsClients({ endpoint: inject('awsEndpoint') });
  const suffix = randomBytes(4).toString('hex');
  const bucket = `sftp-test-${suffix}`;
  const table = `sftp-test-partners-${suffix}`;
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const pk = TABLES.partners.partitionKey;
  await clients.dynamo.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: pk.name, AttributeType: pk.type }],
      KeySchema: [{ AttributeName: pk.name, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const store = new ObjectStore(clients.s3, bucket);
  const repo = new PartnerRepo(clients.dynamo, table);

  const addPartner = async (partnerId: string, entityType: EntityType): Promise<TestPartner> => {
    const keys = generateEd25519KeyPair();
    const partner = partnerSchema.parse({
      partnerId,
      entityType,
      companies: [{ taxId: '37211173000169', name: 'Acme' }],
      adminEmails: [`hr@${partnerId}.example`],
      sshPublicKeys: [keys.public],
      createdAt: new Date().toISOString(),
    });
    await repo.create(partner);
    // An empty Uint8Array, not '': the SDK sends no Content-Length for '' and warns about streams.
    for (const folder of treeFolders(entityType)) await store.put(`${partnerPrefix(partnerId)}${folder}/`, new Uint8Array());
    return { partner, privateKey: keys.private, publicKey: keys.public };
  };
  const acme = await addPartner('acme', 'multi-entity');
  const globex = await addPartner('globex', 'single-entity');

  const logs: string[] = [];
  const transferEvents: BusEntry[] = [];
  const options: SftpServerOptions = {
    port: 0,
    partners: repo,
    store: overrides.store ? overrides.store(store) : store,
    log: (line) => logs.push(line),
    transferEvents: { put: async (entry) => void transferEvents.push(entry) },
  };
  const server = await startSftpServer(options);
  const open: ssh2.Client[] = [];

  return {
    clients,
    bucket,
    store,
    server,
    acme,
    globex,
    logs,
    transferEvents,
    connect: (username, privateKey) =>
      new Promise((resolve, reject) => {
        const client = new ssh2.Client();
        open.push(client);
        client.on('error', reject);
        client.on('ready', () => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
        client.connect({ host: '127.0.0.1', port: server.port, username, privateKey, readyTimeout: 10_000 });
      }),
    connectWithPassword: (username, password) =>
      new Promise((resolve, reject) => {
        const client = new ssh2.Client();
        open.push(client);
        client.on('error', reject);
        client.on('ready', () => resolve());
        client.connect({ host: '127.0.0.1', port: server.port, username, password, readyTimeout: 10_000 });
      }),
    async keys(prefix) {
      const out = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (out.Contents ?? []).map((o) => o.Key as string).sort();
    },
    async body(key) {
      const out = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    },
    async close() {
      for (const client of open) client.end();
      await server.close();
      await clients.dynamo.send(new DeleteTableCommand({ TableName: table }));
    },
  };
}

/** Runs one callback-style SFTP call as a promise. */
export function call<T = void>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

/** The SFTP status code a refused call failed with (ssh2 puts it on the error's `code`). */
export async function statusOf(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

export const STATUS = ssh2.utils.sftp.STATUS_CODE;

/** Writes `data` through one OPEN / WRITE… / CLOSE, as `put` does. */
export function put(sftp: SFTPWrapper, path: string, data: Buffer | string): Promise<void> {
  return call((cb) => sftp.writeFile(path, data, cb));
}

export function get(sftp: SFTPWrapper, path: string): Promise<Buffer> {
  return call<Buffer>((cb) => sftp.readFile(path, cb));
}

export async function names(sftp: SFTPWrapper, path: string): Promise<string[]> {
  return (await call<{ filename: string }[]>((cb) => sftp.readdir(path, cb))).map((e) => e.filename).sort();
}
