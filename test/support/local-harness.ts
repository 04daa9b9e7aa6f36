import { randomBytes } from 'node:crypto';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { Client, type SFTPWrapper } from 'ssh2';
import { SYSTEM_WRITER_METADATA } from '../../lambdas/adapters/object-store.ts';
import { announceUpload } from '../../lambdas/adapters/upload-announcer.ts';
import { partnerSchema, type EntityType, type Partner } from '../../lambdas/core/partners/partner.ts';
import { partnerPrefix, treeFolders } from '../../lambdas/core/partners/tree.ts';
import { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from '../../local/local-pipeline.ts';
import { generateEd25519KeyPair } from '../../local/sftp/host-key.ts';

/**
 * An isolated local pipeline per test file (own bucket, tables and queues in the shared moto
 * server, own SFTP port) plus helpers to act as a partner over a real SFTP connection.
 */

export interface Harness {
  readonly pipeline: LocalPipeline;
  /** The resource-name prefix, for the CLI's BX_LOCAL_PREFIX. */
  readonly prefix: string;
  /** What the pipeline logged, one line per entry. */
  readonly logs: readonly string[];
  addPartner(partnerId: string, entityType: EntityType, extra?: Partial<Partner>): Promise<TestPartner>;
  /**
   * Resolves once every queue of the pipeline is empty, nothing in flight, on two looks in a row:
   * what a negative check ("no second upload was recorded") waits for instead of a fixed sleep.
   */
  quiet(timeoutMs?: number): Promise<void>;
  /**
   * Puts a file straight into S3, as the CLI or the web channel would, and announces its upload
   * result as they do (SPEC §15): how a test gets a file into a place SFTP would refuse.
   */
  putAnnounced(key: string, body: string | Buffer, metadata?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export interface TestPartner {
  readonly partner: Partner;
  readonly privateKey: string;
  connect(): Promise<SftpSession>;
}

export async function startHarness(
  options: Pick<
    LocalPipelineOptions,
    'processors' | 'visibilityTimeoutSeconds' | 'invocationMs' | 'transferGraceSeconds' | 'transferEventFilter' | 'webPort'
  > = {},
): Promise<Harness> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const lines: string[] = [];
  const pipeline = await startLocalPipeline({
    endpoint: inject('awsEndpoint'),
    prefix,
    sftpPort: 0,
    processors: options.processors,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
    invocationMs: options.invocationMs,
    transferGraceSeconds: options.transferGraceSeconds,
    transferEventFilter: options.transferEventFilter,
    webPort: options.webPort,
    log: (line) => lines.push(line),
  });
  const sessions: SftpSession[] = [];
  return {
    pipeline,
    prefix,
    logs: lines,
    async addPartner(partnerId, entityType, extra = {}) {
      const keys = generateEd25519KeyPair();
      const partner = partnerSchema.parse({
        partnerId,
        entityType,
        companies: [{ taxId: '37211173000169', name: 'Acme' }],
        adminEmails: [`hr@${partnerId}.example`],
        sshPublicKeys: [keys.public],
        createdAt: new Date().toISOString(),
        ...extra,
      });
      await pipeline.partners.create(partner);
      for (const folder of treeFolders(entityType)) {
        await pipeline.deps.store.put(`${partnerPrefix(partnerId)}${folder}/`, '', { metadata: { ...SYSTEM_WRITER_METADATA } });
      }
      return {
        partner,
        privateKey: keys.private,
        connect: async () => {
          const session = await connectSftp(pipeline.sftp.port, partnerId, keys.private);
          sessions.push(session);
          return session;
        },
      };
    },
    quiet: (timeoutMs) => queuesQuiet(pipeline, timeoutMs),
    async putAnnounced(key, body, metadata) {
      await pipeline.deps.store.put(key, body, metadata ? { metadata } : {});
      const head = await pipeline.deps.store.head(key);
      await announceUpload(pipeline.clients.events, {
        bucket: pipeline.resources.bucket,
        key,
        etag: head?.eTag ?? '',
        bytes: head?.size ?? 0,
        username: 'operator',
        channel: 'CLI',
      });
    },
    async stop() {
      for (const s of sessions) s.end();
      await pipeline.stop();
    },
  };
}

export interface SftpSession {
  readonly sftp: SFTPWrapper;
  put(path: string, content: string | Buffer): Promise<void>;
  get(path: string): Promise<Buffer>;
  list(path: string): Promise<string[]>;
  rename(from: string, to: string): Promise<void>;
  end(): void;
}

function promisify<T>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

export function connectSftp(port: number, username: string, privateKey: string): Promise<SftpSession> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.sftp((err, sftp) => {
          if (err) return reject(err);
          resolve({
            sftp,
            put: (path, content) =>
              new Promise((res, rej) => {
                const stream = sftp.createWriteStream(path);
                stream.on('error', rej).on('close', () => res());
                stream.end(content);
              }),
            get: (path) =>
              new Promise((res, rej) => {
                const chunks: Buffer[] = [];
                sftp
                  .createReadStream(path)
                  .on('data', (c: Buffer) => chunks.push(c))
                  .on('error', rej)
                  .on('end', () => res(Buffer.concat(chunks)));
              }),
            list: async (path) => (await promisify<{ filename: string }[]>((cb) => sftp.readdir(path, cb))).map((e) => e.filename).sort(),
            rename: (from, to) => promisify<void>((cb) => sftp.rename(from, to, cb)),
            end: () => client.end(),
          });
        });
      })
      .on('error', reject)
      .connect({ host: '127.0.0.1', port, username, privateKey });
  });
}

/** Messages visible or in flight on any of the pipeline's queues (delayed ones are not due yet). */
async function pendingMessages(pipeline: LocalPipeline): Promise<number> {
  let pending = 0;
  for (const url of Object.values(pipeline.resources.queueUrls)) {
    const out = await pipeline.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    pending +=
      Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }
  return pending;
}

async function queuesQuiet(pipeline: LocalPipeline, timeoutMs = 30_000): Promise<void> {
  let quietLooks = 0;
  await waitFor(
    async () => ((await pendingMessages(pipeline)) === 0 ? ++quietLooks : (quietLooks = 0)),
    (looks) => looks >= 2,
    timeoutMs,
  );
}

/** Polls until `read` returns a value `done` accepts, or fails with the last value seen. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}

/** Parses a small CSV we wrote (no quoted line breaks in status files) into records. */
export function parseSmallCsv(text: string): Record<string, string>[] {
  const rows = text.trim().split(/\r?\n/).map(splitCsvLine);
  const [header, ...data] = rows;
  return data.map((row) => Object.fromEntries((header ?? []).map((h, i) => [h, row[i] ?? ''])));
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') cells.push(cell), (cell = '');
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}
