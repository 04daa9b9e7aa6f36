import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';

/**
 * SSH public keys as operators hand them over (`id_ed25519.pub` files) and as Transfer Family
 * expects them: one OpenSSH line, `type base64 [comment]`.
 */

/** What `partner show` prints instead of a key body. */
export interface KeySummary {
  readonly type: string;
  /** OpenSSH style, `SHA256:…`, what `ssh-keygen -lf key.pub` prints. */
  readonly fingerprint: string;
  readonly comment?: string;
}

/**
 * Checks a public key file's content; returns the key line to store, or why it is refused.
 * Refuses private keys (a common slip: passing `id_ed25519` instead of `id_ed25519.pub`) and
 * RFC 4716 or PEM keys, which Transfer does not take.
 */
export function checkPublicKey(content: string): { ok: true; line: string } | { ok: false; reason: string } {
  const line = content.trim();
  const parsed = ssh2.utils.parseKey(line);
  if (parsed instanceof Error || Array.isArray(parsed)) return { ok: false, reason: 'not an SSH public key' };
  if (parsed.isPrivateKey()) return { ok: false, reason: 'is a private key; pass the .pub file' };
  if (parsed.type === 'ssh-dss') return { ok: false, reason: 'DSA keys are not accepted by AWS Transfer Family' };
  if (line.includes('\n') || !line.startsWith(`${parsed.type} `)) {
    return { ok: false, reason: 'not in OpenSSH one-line format (ssh-keygen -i converts it)' };
  }
  return { ok: true, line };
}

/** Type, fingerprint and comment of a stored key line (never the key body). */
export function summarizeKey(line: string): KeySummary {
  const parsed = ssh2.utils.parseKey(line);
  if (parsed instanceof Error || Array.isArray(parsed)) return { type: 'unparseable', fingerprint: '' };
  const digest = createHash('sha256').update(parsed.getPublicSSH()).digest('base64').replace(/=+$/, '');
  return { type: parsed.type, fingerprint: `SHA256:${digest}`, ...(parsed.comment ? { comment: parsed.comment } : {}) };
}
