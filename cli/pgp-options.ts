import { readFileSync } from 'node:fs';
import { checkPartnerPublicKey } from '../lambdas/core/pgp/pgp-crypto.ts';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import { ENCRYPT_DOWNLOADS, ENCRYPT_UPLOADS, type EncryptDownloads, type EncryptUploads } from '../lambdas/core/partners/pgp-settings.ts';

/**
 * `--pgp-key <file.asc>|none`, `--encrypt-uploads off|optional|required` and
 * `--encrypt-downloads off|on` (SPEC §16, §17), for `partner add` and `partner update` alike:
 * {@link applyPgpOptions} applies whichever are given to a partner record, or returns the first
 * thing wrong as one line naming the option.
 */

export interface PgpOptions {
  readonly pgpKey?: string;
  readonly encryptUploads?: string;
  readonly encryptDownloads?: string;
}

export type PgpOptionsResult = { ok: true; partner: Partner } | { ok: false; error: string };

export interface PgpOptionsDeps {
  /** Reads a key file; throws when it cannot. */
  readonly readFile?: (path: string) => Uint8Array;
  readonly now?: () => Date;
}

const list = (values: readonly string[]): string => values.join(', ');

/**
 * Applies the PGP options given to `partner` (options not given keep the partner's values).
 *
 * @returns the updated partner, or a one-line reason: a private, expired, revoked or
 *   signing-only key, a file that is no OpenPGP key, an unknown setting, or encrypted downloads
 *   without a partner key (`--pgp-key none` is refused while downloads are encrypted)
 */
export async function applyPgpOptions(partner: Partner, options: PgpOptions, deps: PgpOptionsDeps = {}): Promise<PgpOptionsResult> {
  const readFile = deps.readFile ?? ((path: string) => readFileSync(path));
  const next: Partner = { ...partner };
  if (options.encryptUploads !== undefined) {
    if (!(ENCRYPT_UPLOADS as readonly string[]).includes(options.encryptUploads)) {
      return { ok: false, error: `invalid --encrypt-uploads "${options.encryptUploads}": expected one of ${list(ENCRYPT_UPLOADS)}` };
    }
    next.encryptUploads = options.encryptUploads as EncryptUploads;
  }
  if (options.encryptDownloads !== undefined) {
    if (!(ENCRYPT_DOWNLOADS as readonly string[]).includes(options.encryptDownloads)) {
      return { ok: false, error: `invalid --encrypt-downloads "${options.encryptDownloads}": expected one of ${list(ENCRYPT_DOWNLOADS)}` };
    }
    next.encryptDownloads = options.encryptDownloads as EncryptDownloads;
  }
  if (options.pgpKey !== undefined) {
    if (options.pgpKey.trim().toLowerCase() === 'none') {
      delete next.pgpPublicKey;
      if (next.encryptDownloads === 'on') {
        return { ok: false, error: '--pgp-key none is refused while downloads are encrypted: add --encrypt-downloads off' };
      }
    } else {
      let content: Uint8Array;
      try {
        content = readFile(options.pgpKey);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return { ok: false, error: `--pgp-key ${options.pgpKey}: ${code === 'ENOENT' ? 'file not found' : 'cannot be read'}` };
      }
      const key = await checkPartnerPublicKey(content, deps.now?.() ?? new Date());
      if (!key.ok) return { ok: false, error: `--pgp-key ${options.pgpKey}: ${key.reason}` };
      next.pgpPublicKey = key.armored;
    }
  }
  if (next.encryptDownloads === 'on' && !next.pgpPublicKey) {
    return { ok: false, error: "--encrypt-downloads on needs the partner's public key: add --pgp-key <file.asc>" };
  }
  return { ok: true, partner: next };
}
