import { describe, expect, it } from 'vitest';
import { planPartnerUpdate, type PgpSettingsUpdate } from '../../cli/partner-update-plan.ts';
import { summarizeKey } from '../../cli/ssh-keys.ts';
import { partnerSchema, partnerScopedTo, type Partner } from '../../lambdas/core/partners/partner.ts';
import { generateEd25519KeyPair } from '../../local/sftp/host-key.ts';

const k1 = generateEd25519KeyPair('one').public;
const k2 = generateEd25519KeyPair('two').public;
const files: Record<string, string> = { 'two.pub': k2, 'one-again.pub': k1.replace(' one', ' other-comment') };
const readFile = (path: string): string => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
  return content;
};

function partner(extra: Partial<Partner> = {}): Partner {
  return partnerSchema.parse({
    partnerId: 'acme',
    entityType: 'multi-entity',
    companies: [
      { taxId: '37211173000169', name: 'Acme' },
      { taxId: '12069193000116', name: 'Globex' },
    ],
    adminEmails: ['hr@acme.example'],
    sshPublicKeys: [k1],
    createdAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  });
}

describe('planPartnerUpdate', () => {
  it('adds and removes keys by fingerprint, and says so without key bodies', () => {
    // Act
    const result = planPartnerUpdate(partner(), { addSshKey: ['two.pub'], removeSshKey: [summarizeKey(k1).fingerprint] }, { readFile });
    // Assess
    expect(result.ok && result.plan.partner.sshPublicKeys).toEqual([k2]);
    expect(result.ok && result.plan.addedKeys).toEqual([k2]);
    expect(result.ok && result.plan.removedKeys).toEqual([k1]);
    expect(result.ok && result.plan.changes.join('\n')).not.toContain('AAAA');
  });

  it('refuses, in one line, what would leave the partner without a way in or out', () => {
    const refusals: [Parameters<typeof planPartnerUpdate>[1], string][] = [
      [{ removeSshKey: [summarizeKey(k1).fingerprint] }, 'cannot remove the last SSH key of acme: add another first (--add-ssh-key)'],
      [{ removeAdminEmail: ['hr@acme.example'] }, 'cannot remove the last admin email of acme: add another first'],
      [
        { removeCompany: ['37211173000169', '12069193000116'] },
        'cannot remove the last company of acme: add another first, or remove the partner',
      ],
      [{ addSshKey: ['one-again.pub'] }, `--add-ssh-key: the key ${summarizeKey(k1).fingerprint} is already one of acme's or given twice`],
      [{ addSshKey: ['gone.pub'] }, '--add-ssh-key gone.pub: file not found'],
      [{ addCompany: ['37.211.173/0001-69'] }, '--add-company 37211173000169: already a company of acme'],
      [{ renameCompany: ['37211173000169'] }, 'invalid --rename-company "37211173000169": expected <taxId>=<Company Name>'],
      [{ customHeader: ['Store=store'] }, '--custom-header applies to the retrofit profile only'],
      [{}, 'nothing to change: give at least one option (see partner update --help)'],
    ];
    for (const [options, error] of refusals) expect(planPartnerUpdate(partner(), options, { readFile })).toEqual({ ok: false, error });
  });

  it('keeps a single-entity partner at one company', () => {
    const single = partner({ entityType: 'single-entity', companies: [{ taxId: '37211173000169', name: 'Acme' }] });
    expect(planPartnerUpdate(single, { addCompany: ['12069193000116=Globex'] })).toEqual({
      ok: false,
      error: 'a single-entity partner has exactly one company',
    });
  });

  it('narrows users restricted to a removed company, and refuses to leave one with none', () => {
    const withUsers = partner({
      users: [
        { name: 'bob', sshPublicKeys: [k2], companies: ['37211173000169', '12069193000116'], createdAt: 'x' },
        { name: 'eve', sshPublicKeys: [k2], companies: ['12069193000116'], createdAt: 'x' },
      ],
    });
    expect(planPartnerUpdate(withUsers, { removeCompany: ['12069193000116'] })).toEqual({
      ok: false,
      error: 'user eve may send rows only for 12069193000116: remove the user first (partner user remove)',
    });
    const narrowed = planPartnerUpdate({ ...withUsers, users: withUsers.users?.slice(0, 1) }, { removeCompany: ['12069193000116'] });
    expect(narrowed.ok && narrowed.plan.partner.users?.[0]?.companies).toEqual(['37211173000169']);
  });

  it("sets approval back to the profile's rule, notify and custom headers of a retrofit partner", () => {
    const retrofit = partner({ profile: 'retrofit', approval: 'required', customHeaders: [{ name: 'Store', mode: 'ignore' }] });
    const result = planPartnerUpdate(retrofit, { approval: 'profile', notify: 'all', customHeader: ['store=store', 'Region=ignore'] });
    expect(result.ok && result.plan.partner).toMatchObject({
      notify: 'all',
      customHeaders: [
        { name: 'store', mode: 'store' },
        { name: 'Region', mode: 'ignore' },
      ],
    });
    expect(result.ok && 'approval' in result.plan.partner).toBe(false);
  });

  it('hands PGP options to the PGP settings function when one is given, and refuses them otherwise', () => {
    expect(planPartnerUpdate(partner(), { encryptUploads: 'required' }).ok).toBe(false);
    const pgp: PgpSettingsUpdate = (p, o) => ({
      ok: true,
      partner: { ...p, pgpPublicKey: 'KEY' },
      changes: [`encrypt uploads: ${o.encryptUploads}`],
    });
    const result = planPartnerUpdate(partner(), { encryptUploads: 'required' }, { pgp });
    expect(result.ok && result.plan.changes).toEqual(['encrypt uploads: required']);
  });
});

describe('partnerScopedTo', () => {
  it('narrows the companies for a restricted user only', () => {
    const p = partner({ users: [{ name: 'bob', sshPublicKeys: [k2], companies: ['12069193000116'], createdAt: 'x' }] });
    expect(partnerScopedTo(p, 'bob').companies).toEqual([{ taxId: '12069193000116', name: 'Globex' }]);
    expect(partnerScopedTo(p, 'acme')).toBe(p);
    expect(partnerScopedTo(p, undefined)).toBe(p);
  });
});
