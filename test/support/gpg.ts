import { execFile, spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * GnuPG as a partner runs it, in a throwaway GNUPGHOME: key pairs, encryption to the provider's
 * key, decryption of what we wrote. Tests use the real `gpg`, never the library under test, so
 * what they prove is interoperability.
 */

const run = promisify(execFile);

export interface Gpg {
  readonly home: string;
  /** Runs gpg in batch mode (no passphrases: test keys have none); returns stdout as bytes. */
  exec(args: readonly string[], input?: Buffer | string): Promise<Buffer>;
  /** A new key pair; `usage` `default` gives a signing key with an encryption subkey. */
  generateKey(userId: string, options?: { expire?: string; signOnly?: boolean }): Promise<void>;
  importKey(armored: string): Promise<void>;
  exportPublic(userId: string): Promise<string>;
  exportSecret(userId: string): Promise<string>;
  fingerprint(userId: string): Promise<string>;
  close(): Promise<void>;
}

export const GPG_AVAILABLE = await run('gpg', ['--version']).then(
  () => true,
  () => false,
);

export async function startGpg(): Promise<Gpg> {
  const base = await mkdtemp(join(tmpdir(), 'bx-gpg-'));
  const home = join(base, 'home');
  await mkdir(home, { mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: home };
  const common = ['--batch', '--yes', '--quiet', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', '--trust-model', 'always'];
  const exec = (args: readonly string[], input?: Buffer | string): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const child = spawn('gpg', [...common, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', reject);
      // gpg may exit before reading all of stdin (a refused key); its exit code and stderr say why,
      // so the broken pipe itself is not the error to report.
      child.stdin.on('error', () => undefined);
      child.on('close', (code) =>
        code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`gpg ${args.join(' ')}: ${Buffer.concat(err).toString()}`)),
      );
      child.stdin.end(input ?? '');
    });
  return {
    home,
    exec,
    async generateKey(userId, options = {}) {
      await exec([
        '--quick-generate-key',
        userId,
        options.signOnly ? 'ed25519' : 'default',
        options.signOnly ? 'sign' : 'default',
        options.expire ?? 'never',
      ]);
    },
    async importKey(armored) {
      await exec(['--import'], armored);
    },
    exportPublic: async (userId) => (await exec(['--armor', '--export', userId])).toString('utf8'),
    exportSecret: async (userId) => (await exec(['--armor', '--export-secret-keys', userId])).toString('utf8'),
    async fingerprint(userId) {
      const listing = (await exec(['--with-colons', '--fingerprint', userId])).toString('utf8');
      const fpr = listing.split('\n').find((line) => line.startsWith('fpr:'));
      return fpr?.split(':')[9] ?? '';
    },
    async close() {
      await run('gpgconf', ['--kill', 'all'], { env }).catch(() => undefined);
      await rm(base, { recursive: true, force: true });
    },
  };
}
