import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/main.ts';
import { summarizeKey } from '../../cli/ssh-keys.ts';
import { generateEd25519KeyPair } from '../../local/sftp/host-key.ts';
import { OPENSSH_SFTP, sftpBatch as opensshBatch } from './openssh-sftp.ts';

/** Drives the CLI in process and OpenSSH `sftp` against a harness, as an operator and a partner would. */

export const SFTP = OPENSSH_SFTP;

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `benefits-exchange …` in process against local mode (the harness's prefix must be in BX_LOCAL_PREFIX). */
export async function cli(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

export interface KeyFiles {
  /** The private key file (mode 600), for `sftp -i`. */
  readonly private: string;
  /** The `.pub` file, for `--ssh-key`. */
  readonly public: string;
  readonly fingerprint: string;
}

const dir = mkdtempSync(join(tmpdir(), 'bx-ops-'));

/** A fresh ed25519 key pair written to files. */
export function keyFiles(name: string): KeyFiles {
  const pair = generateEd25519KeyPair(`${name}@test`);
  const priv = join(dir, name);
  writeFileSync(priv, pair.private, { mode: 0o600 });
  writeFileSync(`${priv}.pub`, `${pair.public}\n`);
  return { private: priv, public: `${priv}.pub`, fingerprint: summarizeKey(pair.public).fingerprint };
}

/** Runs OpenSSH `sftp` in batch mode as `user` with `key`; resolves with its exit code and output. */
export async function sftpBatch(port: number, user: string, key: string, commands: readonly string[], cwd = dir): Promise<CliRun> {
  const run = await opensshBatch({ port, user, keyFile: key, cwd }, commands);
  return { ...run, code: run.code ?? -1 };
}

/** Writes a file into the directory sftpBatch runs in; returns its name. */
export function localFile(name: string, content: string): string {
  writeFileSync(join(dir, name), content);
  return name;
}
