import { createHash } from 'node:crypto';

/**
 * What a file name in a partner's upload folder may be (SPEC §3): UTF-8, no control characters,
 * at most 255 bytes. The local SFTP server refuses other names at OPEN; the ingest enforces the
 * same rules on objects that reach the bucket by other paths, so both answer from this one place.
 */

/** The limit of Transfer Family, of common file systems and of the name part of our keys. */
export const MAX_NAME_BYTES = 255;

/**
 * U+FFFD is what a lossy decoder leaves for bytes that are not UTF-8 (ssh2 decodes SFTP names
 * that way, and so do many tools before S3). A name holding it cannot be told from a mangled
 * one, and two different byte strings would land on one key, so it is refused like invalid UTF-8.
 */
const REPLACEMENT = '\uFFFD';
// C0, DEL and C1 controls: a newline or tab in a name breaks logs, CSV rows and partners' scripts.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why a file name breaks the rules, in words a partner can act on, or undefined when it is fine.
 * `name` is the last path segment only.
 */
export function fileNameProblem(name: string): string | undefined {
  if (name.includes(REPLACEMENT) || LONE_SURROGATE.test(name)) {
    return 'The file name is not valid UTF-8 (it holds bytes of another encoding): rename the file using UTF-8 and upload it again.';
  }
  const control = CONTROL.exec(name);
  if (control) {
    const code = `U+${(control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return `The file name contains a control character (${code}, e.g. a line break or tab): rename the file and upload it again.`;
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) {
    return `The file name is ${bytes} bytes long; at most ${MAX_NAME_BYTES} bytes (UTF-8) are allowed: shorten it and upload it again.`;
  }
  return undefined;
}

/** Bytes kept from a refused name in its stand-in, so the partner can still recognise it. */
const STAND_IN_PREFIX_BYTES = 200;

/**
 * The name the status row and every derived file use for an upload. A valid name is itself. A
 * name that breaks the rules (it reached the bucket without our SFTP server) gets a stand-in that
 * satisfies them: controls and U+FFFD replaced by `_`, long names cut at a character boundary and
 * suffixed with a hash of the original, so derived keys stay within S3's 1,024 bytes and two
 * refused names never share a report.
 */
export function reportableName(name: string): string {
  if (!fileNameProblem(name)) return name;
  const cleaned = name.replace(new RegExp(`${CONTROL.source}|${REPLACEMENT}|\\p{Cs}`, 'gu'), '_');
  if (Buffer.byteLength(cleaned, 'utf8') <= MAX_NAME_BYTES && cleaned !== name) return cleaned;
  let cut = '';
  for (const char of cleaned) {
    if (Buffer.byteLength(cut + char, 'utf8') > STAND_IN_PREFIX_BYTES) break;
    cut += char;
  }
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 12);
  return `${cut}~${hash}`;
}
