import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { applyPgpOptions } from '../../cli/pgp-options.ts';
import { partnerSchema, type Partner } from '../../lambdas/core/partners/partner.ts';

const partner: Partner = partnerSchema.parse({
  partnerId: 'acme',
  entityType: 'single-entity',
  companies: [{ taxId: '37211173000169', name: 'Acme' }],
  adminEmails: ['hr@acme.example'],
  sshPublicKeys: ['ssh-ed25519 AAAA test'],
  createdAt: '2026-01-01T00:00:00Z',
});

const userIDs = [{ name: 'HR', email: 'hr@acme.example' }];
const good = await openpgp.generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs, format: 'armored' });
const expired = await openpgp.generateKey({
  type: 'ecc',
  curve: 'ed25519Legacy',
  userIDs,
  date: new Date('2020-01-01T00:00:00Z'),
  keyExpirationTime: 86_400,
  format: 'armored',
});
const signOnly = await openpgp.generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs, subkeys: [], format: 'armored' });
const files: Record<string, string> = {
  'good.asc': good.publicKey,
  'private.asc': good.privateKey,
  'expired.asc': expired.publicKey,
  'sign-only.asc': signOnly.publicKey,
  'junk.asc': 'hello',
};
const readFile = (path: string): Uint8Array => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return Buffer.from(content);
};
const apply = (options: Parameters<typeof applyPgpOptions>[1], base: Partner = partner) => applyPgpOptions(base, options, { readFile });

describe('applyPgpOptions (partner add and update)', () => {
  it('stores a valid key and the settings', async () => {
    const result = await apply({ pgpKey: 'good.asc', encryptUploads: 'required', encryptDownloads: 'on' });
    expect(result.ok && result.partner).toMatchObject({ encryptUploads: 'required', encryptDownloads: 'on' });
    expect(result.ok && result.partner.pgpPublicKey).toMatch(/BEGIN PGP PUBLIC KEY BLOCK/);
  });

  it('leaves options not given as they were, and `none` removes the key', async () => {
    const withKey = await apply({ pgpKey: 'good.asc', encryptUploads: 'optional' });
    if (!withKey.ok) throw new Error(withKey.error);
    const removed = await apply({ pgpKey: 'none' }, withKey.partner);
    expect(removed.ok && removed.partner).toMatchObject({ encryptUploads: 'optional' });
    expect(removed.ok && 'pgpPublicKey' in removed.partner).toBe(false);
  });

  it.each([
    [{ pgpKey: 'private.asc' }, /^--pgp-key private\.asc: is a private key/],
    [{ pgpKey: 'expired.asc' }, /^--pgp-key expired\.asc: expired on 2020-01-02/],
    [{ pgpKey: 'sign-only.asc' }, /^--pgp-key sign-only\.asc: has no valid encryption subkey/],
    [{ pgpKey: 'junk.asc' }, /^--pgp-key junk\.asc: is not an OpenPGP public key/],
    [{ pgpKey: 'missing.asc' }, /^--pgp-key missing\.asc: file not found$/],
    [{ encryptUploads: 'yes' }, /^invalid --encrypt-uploads "yes": expected one of off, optional, required$/],
    [{ encryptDownloads: 'required' }, /^invalid --encrypt-downloads "required": expected one of off, on$/],
    [{ encryptDownloads: 'on' }, /^--encrypt-downloads on needs the partner's public key/],
    [{ pgpKey: 'none', encryptDownloads: 'on' }, /^--pgp-key none is refused while downloads are encrypted/],
  ])('refuses %o in one line', async (options, reason) => {
    const result = await apply(options);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(reason);
    expect(!result.ok && result.error.includes('\n')).toBe(false);
  });

  it('refuses removing the key of a partner whose downloads are encrypted', async () => {
    const on = await apply({ pgpKey: 'good.asc', encryptDownloads: 'on' });
    if (!on.ok) throw new Error(on.error);
    const result = await apply({ pgpKey: 'none' }, on.partner);
    expect(!result.ok && result.error).toMatch(/--pgp-key none is refused while downloads are encrypted/);
  });
});
