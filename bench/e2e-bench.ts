import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline as pipe } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { SYSTEM_WRITER_METADATA } from '../lambdas/adapters/object-store.ts';
import { partnerSchema } from '../lambdas/core/partners/partner.ts';
import { isSettled } from '../lambdas/core/uploads/upload.ts';
import { partnerPrefix, treeFolders } from '../lambdas/core/partners/tree.ts';
import { startLocalPipeline } from '../local/local-pipeline.ts';
import { startEmulator } from '../local/moto.ts';
import { generateEd25519KeyPair } from '../local/sftp/host-key.ts';
import { hasOpenSshSftp, sftpBatchOk } from '../test/support/openssh-sftp.ts';
import { connectSftp } from './e2e-ssh2-client.ts';
import { baseLines, COMPANIES, expectedChanges, toChunks, uploadLines } from './census-generator.ts';

/**
 * `npm run bench:e2e [rows]`: a `wellhub` census of `rows` people (100,000 by default) through
 * local mode end to end — the in-process pipeline against moto server, uploaded through its SFTP
 * server with OpenSSH `sftp` (ssh2 when no OpenSSH client is installed): a first load, a 2% delta
 * (1% changed, 0.5% gone, 0.5% new) and an identical re-upload of the delta, which writes nothing.
 * One JSON line per run: seconds per stage and rows/s.
 *
 * Stages: `transfer` (the client's put), `queued` (S3 event, ingest, archive copy, the FIFO queue
 * until the processor starts), then the processor's own steps as it times them (`baseLoad`,
 * `readValidate`, `apply`, `filesWritten`: the eligible list; `settle`: status file, report).
 */

const rows = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(rows) || rows <= 0) throw new Error(`rows must be a positive integer, got ${process.argv[2]}`);
const PARTNER = 'bench-e2e';
const FOLDER = '/multientity/employees/upload/all';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  await pipe(Readable.from(toChunks(lines)), createWriteStream(path));
  return (await stat(path)).size;
}

interface LogLine {
  readonly at: number;
  readonly text: string;
}

/** `k=v` fields of a line the local pipeline logged. */
function fields(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
}

const secondsOf = (ms: number | undefined): number => Math.round((ms ?? 0) / 10) / 100;

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: await freePort() });
  const logs: LogLine[] = [];
  const local = await startLocalPipeline({
    endpoint: emulator.endpoint,
    prefix: `bench${randomBytes(3).toString('hex')}`,
    sftpPort: 0,
    log: (text) => logs.push({ at: Date.now(), text }),
  });
  const dir = await mkdtemp(join(tmpdir(), 'bench-e2e-'));
  try {
    const keys = generateEd25519KeyPair();
    await local.partners.create(
      partnerSchema.parse({
        partnerId: PARTNER,
        entityType: 'multi-entity',
        companies: COMPANIES.map((taxId, i) => ({ taxId, name: `Empresa ${i + 1}` })),
        adminEmails: ['rh@empresa.com.br'],
        sshPublicKeys: [keys.public],
        createdAt: new Date().toISOString(),
      }),
    );
    for (const folder of treeFolders('multi-entity')) {
      await local.deps.store.put(`${partnerPrefix(PARTNER)}${folder}/`, '', { metadata: { ...SYSTEM_WRITER_METADATA } });
    }
    await writeFile(join(dir, 'key'), keys.private, { mode: 0o600 });
    const files = {
      first: await writeLines(join(dir, 'first.csv'), baseLines(rows)),
      delta: await writeLines(join(dir, 'delta.csv'), uploadLines(rows)),
    };
    const client = hasOpenSshSftp() ? 'openssh' : 'ssh2';
    const transfer = async (local_: string, remote: string): Promise<void> => {
      if (client === 'openssh') {
        await sftpBatchOk({ port: local.sftp.port, user: PARTNER, keyFile: 'key', cwd: dir }, [`put ${local_} ${FOLDER}/${remote}`]);
      } else {
        const session = await connectSftp(local.sftp.port, PARTNER, keys.private);
        try {
          await session.fastPut(join(dir, local_), `${FOLDER}/${remote}`);
        } finally {
          session.end();
        }
      }
    };
    const delta = expectedChanges(rows);
    const runs = [
      { run: 'first load', file: 'first.csv', bytes: files.first, writes: rows },
      { run: '2% delta', file: 'delta.csv', bytes: files.delta, writes: delta.changed + delta.added + delta.gone },
      { run: 'identical re-upload', file: 'delta.csv', bytes: files.delta, writes: 0 },
    ];
    for (const [n, r] of runs.entries()) {
      const name = `run${n + 1}-${r.file}`;
      const started = Date.now();
      await transfer(r.file, name);
      const transferred = Date.now();
      const upload = await settledUpload(local.deps.uploads, name);
      // Logged once the status file and report are written, a moment after the table says settled.
      const timing = await logged(logs, (text) => text.startsWith('upload timings') && text.includes(`uploadId=${upload.uploadId} `));
      const settledAt = timing.at;
      const stages = fields(timing.text);
      const processingMs = Object.entries(stages)
        .filter(([k]) => k.endsWith('Ms'))
        .reduce((sum, [, v]) => sum + Number(v), 0);
      const processingStart = timing.at - processingMs;
      const totalSeconds = (settledAt - started) / 1000;
      console.log(
        JSON.stringify({
          bench: 'e2e',
          run: r.run,
          rows,
          fileMiB: Math.round((r.bytes / 1024 / 1024) * 10) / 10,
          client,
          status: upload.status,
          expectedWrites: r.writes,
          seconds: {
            total: Math.round(totalSeconds * 100) / 100,
            transfer: secondsOf(transferred - started),
            queued: secondsOf(processingStart - transferred),
            baseLoad: secondsOf(Number(stages.baseLoadMs)),
            readValidate: secondsOf(Number(stages.readValidateMs)),
            apply: secondsOf(Number(stages.applyMs)),
            filesWritten: secondsOf(Number(stages.filesWrittenMs)),
            settle: secondsOf(Number(stages.settleMs) + Number(stages.prepareMs ?? 0)),
          },
          rowsPerSecond: Math.round(rows / totalSeconds),
          attempts: Number(stages.attempt ?? 0),
        }),
      );
    }
  } finally {
    await local.stop();
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function logged(logs: readonly LogLine[], match: (text: string) => boolean): Promise<LogLine> {
  for (;;) {
    const found = logs.find((l) => match(l.text));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls the uploads table until the upload of that name has its final status. */
async function settledUpload(
  uploads: { recent(partnerId: string, area: 'employees', limit: number): Promise<{ name: string; status: string; uploadId: string }[]> },
  name: string,
): Promise<{ status: string; uploadId: string }> {
  for (;;) {
    const found = (await uploads.recent(PARTNER, 'employees', 5)).find((u) => u.name === name);
    if (found && isSettled(found.status as Parameters<typeof isSettled>[0])) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
}

await main();
