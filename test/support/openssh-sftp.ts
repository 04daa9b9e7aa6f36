import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * OpenSSH's `sftp` in batch mode, as a partner's scheduler runs it: a real client with its own
 * pipelining and window sizes, which is what big transfers must survive. Used by the integration
 * tests of big files and by `npm run bench:e2e`.
 */

export const OPENSSH_SFTP = '/usr/bin/sftp';

export const hasOpenSshSftp = (): boolean => existsSync(OPENSSH_SFTP);

export interface SftpRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The options every OpenSSH-based client of the tests uses: this key only, no config, no known_hosts. */
export function opensshClientOptions(keyFile: string): string[] {
  return [
    '-i',
    keyFile,
    '-F',
    '/dev/null',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'LogLevel=ERROR',
  ];
}

/** Runs `commands` (one per line, `-b -`) as `user` with the key in `keyFile`, from `cwd`. */
export function sftpBatch(
  options: { port: number; user: string; keyFile: string; cwd: string },
  commands: readonly string[],
): Promise<SftpRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      OPENSSH_SFTP,
      ['-b', '-', '-P', String(options.port), ...opensshClientOptions(options.keyFile), `${options.user}@127.0.0.1`],
      { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    // A client that exits before reading its commands (a refused login) must not fail the run.
    child.stdin.on('error', () => {});
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(`${commands.join('\n')}\n`);
  });
}

/** Like {@link sftpBatch}, but fails with what the client printed unless it exited 0. */
export async function sftpBatchOk(options: Parameters<typeof sftpBatch>[0], commands: readonly string[]): Promise<SftpRun> {
  const run = await sftpBatch(options, commands);
  if (run.code !== 0) throw new Error(`sftp exited ${run.code}: ${run.stderr.trim() || run.stdout.trim()}`);
  return run;
}
