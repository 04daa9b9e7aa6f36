import type { Partner } from './partner.ts';
import { uploadError, type UploadError } from '../uploads/upload-errors.ts';

/**
 * PGP per partner (SPEC §16), the pure part: the settings, how an upload is recognised as an
 * OpenPGP message (by name or by its first bytes), the names of files written for an encrypted
 * upload or to an encrypting partner, and what each refusal tells the partner.
 */

// The settings' values live with the partner schema that validates them.
import type { EncryptUploads } from './partner.ts';
export { ENCRYPT_DOWNLOADS, ENCRYPT_UPLOADS, type EncryptDownloads, type EncryptUploads } from './partner.ts';

/** Where every partner with encryption settings finds the provider's public key. */
export const PROVIDER_PUBLIC_KEY_FILE = 'provider-public-key.asc';
export const PROVIDER_PUBLIC_KEY_PATH = `/${PROVIDER_PUBLIC_KEY_FILE}`;

/** The suffix a file encrypted for the partner gets (SPEC §16). */
export const ENCRYPTED_DOWNLOAD_SUFFIX = '.pgp';

const ENCRYPTED_NAME = /\.(pgp|gpg|asc)$/i;

type PgpSettings = Pick<Partner, 'pgpPublicKey' | 'encryptUploads' | 'encryptDownloads'>;

/** True when the name says the file is an OpenPGP message (`.pgp`, `.gpg`, `.asc`). */
export function hasEncryptedName(name: string): boolean {
  return ENCRYPTED_NAME.test(name);
}

/** The name without its encryption suffix: what files written for the upload are named after. */
export function plainName(name: string): string {
  return name.replace(ENCRYPTED_NAME, '');
}

/** Whether files holding personal data are written encrypted to the partner's key. */
export function encryptsDownloads(partner: PgpSettings): boolean {
  return partner.encryptDownloads === 'on' && Boolean(partner.pgpPublicKey);
}

/** The name a personal-data file is written under for this partner (`x.csv` or `x.csv.pgp`). */
export function downloadName(partner: PgpSettings, name: string): string {
  return encryptsDownloads(partner) ? `${name}${ENCRYPTED_DOWNLOAD_SUFFIX}` : name;
}

/** The partner's upload setting, `off` when never set. */
export function uploadEncryption(partner: Pick<Partner, 'encryptUploads'>): EncryptUploads {
  return partner.encryptUploads ?? 'off';
}

/** A partner that set anything about PGP gets the provider's public key in its tree. */
export function hasEncryptionSettings(partner: PgpSettings): boolean {
  return Boolean(partner.pgpPublicKey) || uploadEncryption(partner) !== 'off' || partner.encryptDownloads === 'on';
}

/** How many of a file's first bytes {@link sniffOpenPgp} reads. */
export const OPENPGP_SNIFF_BYTES = 64;

/**
 * Recognises the start of an OpenPGP message: ASCII armor, or a binary packet header whose tag
 * can open a message and whose first body byte is a version or algorithm that tag allows. The
 * second check keeps a Latin-1 CSV whose first letter happens to have the high bit set (`Área`)
 * from passing for a packet.
 */
export function sniffOpenPgp(head: Uint8Array): 'armored' | 'binary' | undefined {
  const text = new TextDecoder('latin1')
    .decode(head.subarray(0, OPENPGP_SNIFF_BYTES))
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '')
    .trimStart();
  if (text.startsWith('-----BEGIN PGP MESSAGE-----')) return 'armored';
  const first = head[0];
  if (first === undefined || (first & 0x80) === 0) return undefined;
  let tag: number;
  let bodyAt: number;
  if (first & 0x40) {
    tag = first & 0x3f;
    const len = head[1];
    if (len === undefined) return undefined;
    bodyAt = len < 192 ? 2 : len < 224 ? 3 : len === 255 ? 6 : 2; // partial lengths: body starts after one octet
  } else {
    tag = (first >> 2) & 0x0f;
    const lengthType = first & 0x03;
    bodyAt = lengthType === 3 ? 1 : 1 + [1, 2, 4][lengthType]!;
  }
  const body = head[bodyAt];
  if (body === undefined) return undefined;
  const allowed: Record<number, (b: number) => boolean> = {
    1: (b) => b === 3 || b === 6, // public-key encrypted session key
    3: (b) => b === 4 || b === 5 || b === 6, // symmetric-key encrypted session key
    4: (b) => b === 3 || b === 6, // one-pass signature
    2: (b) => b === 3 || b === 4 || b === 6, // signature
    8: (b) => b <= 3, // compressed data (algorithm)
    9: () => true, // symmetrically encrypted data (no integrity: refused later, but recognised)
    11: (b) => 'btum1'.includes(String.fromCharCode(b)), // literal data (format)
    18: (b) => b === 1 || b === 2, // SEIPD
    20: (b) => b === 1, // AEAD encrypted data
  };
  return allowed[tag]?.(body) ? 'binary' : undefined;
}

/** Why an upload's encryption is refused; each has its own message (SPEC §16). */
export type EncryptionRefusal =
  | 'required'
  | 'not-set-up'
  | 'wrong-key'
  | 'password'
  | 'corrupt'
  | 'integrity'
  | 'algorithm'
  | 'bad-signature'
  | 'unknown-signer';

const AGAIN = 'Nothing was applied.';

/** The `Upload error` / `Encryption` line for a refusal, telling the partner what to do. */
export function encryptionError(reason: EncryptionRefusal, detail?: string): UploadError {
  const key = `our public key (${PROVIDER_PUBLIC_KEY_PATH} in your SFTP folder)`;
  const messages: Record<EncryptionRefusal, string> = {
    required: `Encryption is required for your files: encrypt the file with ${key} and upload it again. ${AGAIN}`,
    'not-set-up': `This file is encrypted, but encryption is not set up for your account. Upload the file unencrypted, or ask us to turn on encryption for your uploads. ${AGAIN}`,
    'wrong-key': `This file is encrypted to another key, so we cannot read it. Encrypt it with ${key} and upload it again. ${AGAIN}`,
    password: `This file is encrypted with a password, which we do not accept. Encrypt it with ${key} instead and upload it again. ${AGAIN}`,
    corrupt: `This file could not be decrypted: it is damaged, cut short or not an OpenPGP message${detail ? ` (${detail})` : ''}. Encrypt the file again with ${key} and upload it again. ${AGAIN}`,
    integrity: `This file failed its integrity check: it was damaged or changed after it was encrypted. Encrypt the original file again with ${key} and upload it again. ${AGAIN}`,
    algorithm: `This file uses an encryption or signature algorithm we refuse${detail ? ` (${detail})` : ''}. Use a current OpenPGP tool (for example GnuPG 2.2 or later) with its default settings and upload it again. ${AGAIN}`,
    'bad-signature': `The file's signature does not verify against your registered public key: it was changed after signing, or signed with another key. Sign it with the key you registered with us and upload it again. ${AGAIN}`,
    'unknown-signer': `The file is signed with a key other than the one you registered with us. Sign it with your registered key (or send it unsigned) and upload it again. ${AGAIN}`,
  };
  return uploadError('Encryption', messages[reason]);
}
