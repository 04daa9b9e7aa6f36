import { timingSafeEqual } from 'node:crypto';
import ssh2, { type PublicKeyAuthContext } from 'ssh2';
import { PARTNER_ID_PATTERN, type Partner } from '../../lambdas/core/partners/partner.ts';

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

/** Where logins are looked up: partners by id, and (for further users) all of them. */
export interface LoginDirectory {
  get(partnerId: string): Promise<Partner | undefined>;
  /** Every partner, to find a further user (SPEC §17); without it only partner ids log in. */
  list?(): Promise<Partner[]>;
}

/** An SFTP login: the partner whose tree it opens, the name it logged in with, and its keys. */
export interface Login {
  readonly partner: Partner;
  readonly user: string;
  readonly keys: readonly string[];
}

/**
 * Resolves a login name as Transfer does for service-managed users: the partner id with the
 * partner's keys, or a further user of a partner with the user's own keys. Read at every login,
 * so a key added or removed by `partner update` / `partner user` counts at the next one.
 */
export async function findLogin(directory: LoginDirectory, username: string): Promise<Login | undefined> {
  if (!PARTNER_ID_PATTERN.test(username)) return undefined;
  const partner = await directory.get(username);
  if (partner) return { partner, user: username, keys: partner.sshPublicKeys };
  for (const candidate of (await directory.list?.()) ?? []) {
    const user = candidate.users?.find((u) => u.name === username);
    if (user) return { partner: candidate, user: user.name, keys: user.sshPublicKeys };
  }
  return undefined;
}
