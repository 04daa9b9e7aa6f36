import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Finds and starts moto server, the AWS API emulator of local mode and the tests: the
 * `moto_server` on PATH when there is one, else one installed into a project-local virtual
 * environment (`.venv/`) on first use. A user who runs LocalStack sets AWS_ENDPOINT_URL instead
 * and nothing is started.
 */

export interface Emulator {
  readonly endpoint: string;
  /** Stops the emulator if we started it. */
  stop(): Promise<void>;
}

const PROJECT_ROOT = new URL('..', import.meta.url).pathname;
const VENV = join(PROJECT_ROOT, '.venv');

function onPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

/** The moto_server executable, installing it into `.venv/` when it is nowhere to be found. */
export function findOrInstallMotoServer(log: (line: string) => void = () => {}): string {
  const venvBinary = join(VENV, 'bin', 'moto_server');
  const existing = onPath('moto_server') ?? (existsSync(venvBinary) ? venvBinary : undefined);
  if (existing) return existing;
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error('moto_server is not on PATH and no python3 is available to install it');
  log(`installing moto[server] into ${VENV} (first run only)`);
  for (const args of [
    [python, '-m', 'venv', VENV],
    [join(VENV, 'bin', 'pip'), 'install', '--quiet', 'moto[server]>=5.1,<6'],
  ]) {
    const result = spawnSync(args[0] as string, args.slice(1), { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`failed to install moto server: ${args.join(' ')}`);
  }
  return venvBinary;
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

export interface StartEmulatorOptions {
  readonly port?: number;
  /** Use this endpoint instead of starting anything (defaults to AWS_ENDPOINT_URL). */
  readonly endpoint?: string;
  readonly log?: (line: string) => void;
}

/** Returns a running emulator: the one AWS_ENDPOINT_URL names, or a moto server we start. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const given = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  if (given) return { endpoint: given.replace(/\/$/, ''), stop: async () => {} };
  const port = options.port ?? 4566;
  const binary = findOrInstallMotoServer(options.log);
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // moto stamps events with its local time and no zone; UTC makes that time right.
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true', TZ: 'UTC' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
