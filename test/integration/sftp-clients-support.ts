import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { uploadError } from '../../lambdas/core/uploads/upload-errors.ts';
import type { ProcessorRegistry, UploadContext } from '../../lambdas/app/flows/upload-processor.ts';
import { parseSmallCsv, startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { opensshClientOptions } from '../support/openssh-sftp.ts';

/**
 * The client matrix's world (SPEC §3, §15): a local pipeline whose full-file processor records
 * what it was given and settles it from the first line (`ok…` succeeds, anything else is rejected
 * with the bytes' digest in its error report, so a report shows whose upload it is), one
 * multi-entity partner, its key on disk in the formats the clients read, and helpers to run a
 * client as a child process the way a partner's script does.
 */

export const ALL = '/multientity/employees/upload/all';
export const STATUS_PATH = '/multientity/employees/upload/status.csv';
export const ERRORS = '/multientity/employees/upload/error-details';
const SETTLED = new Set(['Succeeded', 'Rejected', 'Validated', 'Succeeded with errors', 'Deleted', 'Approval_Requested']);

/** Whether a client program is installed (`.ci/run` installs them; a developer may not have). */
export function installed(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** A python3 that has paramiko: Debian's (python3-paramiko) may not be the first on PATH. */
export function paramikoPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import paramiko']).status === 0) return python;
  }
  return undefined;
}

export function sha(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

export interface Seen {
  readonly name: string;
  readonly bytes: number;
  readonly sha: string;
}

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export type Row = Record<string, string>;

export interface ClientWorld {
  readonly harness: Harness;
  readonly port: number;
  /** Scratch folder: key files, local files, downloads. */
  readonly dir: string;
  /** OpenSSH-format private key of `acme`, and its PuTTY form when puttygen is there. */
  readonly keyFile: string;
  readonly ppkFile?: string;
  /** `SHA256:…` of the server's host key, as a partner would pin it. */
  readonly hostKeyFingerprint: string;
  /** Uploads the processor was given, in order. */
  readonly seen: Seen[];
  readonly session: SftpSession;
  /** Writes a local file into the scratch folder and returns its path. */
  file(name: string, content: string | Buffer): Promise<string>;
  rows(): Promise<Row[]>;
  /** Waits until `count` rows for `name` have settled, and returns those rows. */
  settled(name: string, count?: number): Promise<Row[]>;
  report(row: Row): Promise<Row[]>;
  /** Runs a client; `killAfterMs` kills it (SIGKILL) mid-way, like a dropped laptop. */
  run(program: string, args: string[], options?: { stdin?: string; env?: NodeJS.ProcessEnv; killAfterMs?: number }): Promise<Run>;
  stop(): Promise<void>;
}

const recorder = (seen: Seen[]) => ({
  async process(context: UploadContext) {
    const body = await buffer(await context.openInput());
    seen.push({ name: context.upload.name, bytes: context.upload.size, sha: sha(body) });
    return body.toString('utf8').startsWith('ok')
      ? { status: 'Succeeded' as const, errors: [] }
      : { status: 'Rejected' as const, errors: [uploadError('Invalid', `content ${sha(body)}, ${context.upload.size} bytes`)] };
  },
});

export async function startClientWorld(partnerId = 'acme'): Promise<ClientWorld> {
  const seen: Seen[] = [];
  const processors: ProcessorRegistry = { 'employees/all': recorder(seen) };
  const harness = await startHarness({ processors });
  const partner = await harness.addPartner(partnerId, 'multi-entity');
  const session = await partner.connect();
  const port = harness.pipeline.sftp.port;
  const dir = await mkdtemp(join(tmpdir(), 'sftp-clients-'));
  const keyFile = join(dir, 'id_ed25519');
  await writeFile(keyFile, partner.privateKey, { mode: 0o600 });
  let ppkFile: string | undefined;
  if (installed('puttygen')) {
    ppkFile = join(dir, 'id_ed25519.ppk');
    spawnSync('puttygen', [keyFile, '-O', 'private', '-o', ppkFile]);
    if (!existsSync(ppkFile)) ppkFile = undefined;
  }
  // Asynchronously: the server answering the scan runs in this very process.
  const scan = await runChild('ssh-keyscan', ['-p', String(port), '-t', 'ed25519', '127.0.0.1'], { cwd: dir });
  const fingerprint = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], { input: scan.stdout, encoding: 'utf8' });
  const hostKeyFingerprint = /SHA256:\S+/.exec(fingerprint.stdout)?.[0] ?? '';

  // No status file until the first upload: no rows.
  const rows = async (): Promise<Row[]> => parseSmallCsv((await session.get(STATUS_PATH).catch(() => Buffer.alloc(0))).toString('utf8'));
  return {
    harness,
    port,
    dir,
    keyFile,
    ppkFile,
    hostKeyFingerprint,
    seen,
    session,
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    rows,
    async settled(name, count = 1) {
      const mine = (all: Row[]) => all.filter((r) => r.filename?.replace(/^\d+-/, '') === name);
      try {
        const all = await waitFor(rows, (r) => mine(r).filter((row) => SETTLED.has(row.processing_status ?? '')).length >= count);
        return mine(all);
      } catch (error) {
        // A stalled upload says where it stopped: the local pipeline's last lines go with the failure.
        throw new Error(`${(error as Error).message}\nlocal pipeline, last lines:\n${harness.logs.slice(-40).join('\n')}`);
      }
    },
    async report(row) {
      const name = row.filename?.endsWith('.csv') ? row.filename : `${row.filename}.csv`;
      return parseSmallCsv((await session.get(`${ERRORS}/${name}`)).toString('utf8'));
    },
    run: (program, args, options = {}) => runChild(program, args, { ...options, cwd: dir }),
    async stop() {
      await harness.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function runChild(
  program: string,
  args: string[],
  options: { cwd: string; stdin?: string; env?: NodeJS.ProcessEnv; killAfterMs?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    // A client that exits before reading its input (a refused login) must not fail the test run.
    child.stdin.on('error', () => {});
    const kill = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** OpenSSH options every OpenSSH-based client here shares: this key only, no known_hosts file. */
export function opensshOptions(world: ClientWorld): string[] {
  return opensshClientOptions(world.keyFile);
}

/** Waits long enough for a stray event (a temporary name, a second copy) to have shown up. */
export async function quietPeriod(ms = 2500): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** The rows and processor runs of one name, after a quiet period: what "applied" means here. */
export async function outcomeOf(world: ClientWorld, name: string): Promise<{ rows: Row[]; seen: Seen[] }> {
  const rows = (await world.rows()).filter((r) => r.filename?.replace(/^\d+-/, '') === name);
  return { rows, seen: world.seen.filter((s) => s.name === name) };
}
