import { timingSafeEqual } from 'node:crypto';
import ssh2, { type PublicKeyAuthContext } from 'ssh2';

/**
 * Public-key authentication the way Transfer Family's service-managed users do it: the offered key
 * must be one of the partner's registered OpenSSH public keys.
 */

export type KeyCheck = 'no-match' | 'key-ok' | 'signature-ok' | 'bad-signature';

/**
 * Checks an offered key against the partner's `sshPublicKeys`. A client first asks whether a key
 * would do (no signature: `key-ok` lets ssh2 answer PK_OK), then proves possession by signing
 * (`signature-ok`). Unparseable stored keys are skipped rather than failing the login of a
 * partner who also has a good one.
 */
export function checkPublicKey(
  ctx: Pick<PublicKeyAuthContext, 'key' | 'signature' | 'blob' | 'hashAlgo'>,
  authorizedKeys: readonly string[],
): KeyCheck {
  for (const line of authorizedKeys) {
    const parsed = ssh2.utils.parseKey(line);
    if (parsed instanceof Error) continue;
    if (parsed.type !== ctx.key.algo || !sameBytes(ctx.key.data, parsed.getPublicSSH())) continue;
    if (!ctx.signature) return 'key-ok';
    return ctx.blob && parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? 'signature-ok' : 'bad-signature';
  }
  return 'no-match';
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
