import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { partnerFromOptions, type PartnerAddOptions } from '../../cli/partner-options.ts';
import { generateEd25519KeyPair } from '../../local/sftp/host-key.ts';

const ed25519 = generateEd25519KeyPair('ops@laptop');
const rsa = ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 });
const files: Record<string, string> = {
  'ops.pub': `${ed25519.public}\n`,
  'rsa.pub': rsa.public,
  ops: ed25519.private,
  'ops-renamed.pub': ed25519.public.replace('ops@laptop', 'someone-else'),
  'junk.pub': 'not a key at all\n',
};
const readFile = (path: string): string => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return content;
};

const valid: PartnerAddOptions = {
  entityType: 'multi-entity',
  company: ['37211173000169=Acme'],
  adminEmail: ['hr@acme.example'],
  sshKey: ['ops.pub'],
};

function run(options: Partial<PartnerAddOptions>, id = 'acme') {
  return partnerFromOptions(id, { ...valid, ...options }, { readFile, now: () => new Date('2026-11-22T10:00:00Z') });
}

function errorOf(options: Partial<PartnerAddOptions>, id = 'acme'): string {
  const result = run(options, id);
  if (result.ok) throw new Error('expected a validation error');
  expect(result.error).not.toContain('\n');
  return result.error;
}

describe('partnerFromOptions', () => {
  it('builds a partner with the documented defaults', () => {
    // Act
    const result = run({});

    // Assess
    expect(result).toEqual({
      ok: true,
      partner: {
        partnerId: 'acme',
        entityType: 'multi-entity',
        profile: 'wellhub',
        companies: [{ taxId: '37211173000169', name: 'Acme' }],
        adminEmails: ['hr@acme.example'],
        sshPublicKeys: [ed25519.public.trim()],
        country: 'BR',
        currency: 'BRL',
        wipeThreshold: 0.1,
        customHeaders: [],
        createdAt: '2026-11-22T10:00:00.000Z',
      },
    });
  });

  it.each(['37.211.173/0001-69', '12069193000116', '1916628000102'])('accepts the valid CNPJ %s', (taxId) => {
    expect(run({ company: [taxId] }).ok).toBe(true);
  });

  it('normalises tax IDs, restoring the leading zero a spreadsheet dropped, and defaults the name to it', () => {
    const result = run({ company: ['1916628000102', '37.211.173/0001-69 = Acme Ltda '] });
    expect(result.ok && result.partner.companies).toEqual([
      { taxId: '01916628000102', name: '01916628000102' },
      { taxId: '37211173000169', name: 'Acme Ltda' },
    ]);
  });

  it.each([['37211173000168'], ['11111111111111'], ['123']])('refuses the invalid CNPJ %s', (taxId) => {
    expect(errorOf({ company: [taxId] })).toMatch(/not a valid CNPJ/);
  });

  it('checks CNPJ digits only for BR partners', () => {
    const result = run({ country: 'us', currency: 'usd', company: ['12-3456789=Acme Inc'] });
    expect(result.ok && [result.partner.country, result.partner.currency, result.partner.companies[0]?.taxId]).toEqual([
      'US',
      'USD',
      '123456789',
    ]);
  });

  it('refuses duplicate tax IDs, however they are written', () => {
    expect(errorOf({ company: ['37211173000169', '37.211.173/0001-69=Other'] })).toMatch(/duplicate --company/);
  });

  it.each([
    ['missing company', { company: [] }, /--company is required/],
    [
      'upwards with two companies',
      { profile: 'upwards', company: ['37211173000169', '12069193000116'] },
      /upwards profile takes exactly one/,
    ],
    ['single-entity with two companies', { entityType: 'single-entity', company: ['37211173000169', '12069193000116'] }, /single-entity/],
    ['missing entity type', { entityType: undefined }, /--entity-type is required/],
    ['unknown entity type', { entityType: 'conglomerate' }, /invalid --entity-type "conglomerate"/],
    ['unknown profile', { profile: 'acme' }, /invalid --profile "acme"/],
    ['missing admin email', { adminEmail: [] }, /--admin-email is required/],
    ['invalid admin email', { adminEmail: ['hr@acme.example', 'dacus@modigliani@com'] }, /invalid --admin-email "dacus@modigliani@com"/],
    ['missing ssh key', { sshKey: [] }, /--ssh-key is required/],
    ['missing key file', { sshKey: ['nope.pub'] }, /--ssh-key nope.pub: file not found/],
    ['not a key', { sshKey: ['junk.pub'] }, /junk.pub: not an SSH public key/],
    ['private key', { sshKey: ['ops'] }, /is a private key/],
    ['same key twice', { sshKey: ['ops.pub', 'ops-renamed.pub'] }, /same --ssh-key/],
    ['country of three letters', { country: 'BRA' }, /invalid --country/],
    ['currency of two letters', { currency: 'R$' }, /invalid --currency/],
    ['threshold above 1', { wipeThreshold: '1.5' }, /invalid --wipe-threshold/],
    ['negative threshold', { wipeThreshold: '-0.1' }, /invalid --wipe-threshold/],
    ['threshold not a number', { wipeThreshold: '10%' }, /invalid --wipe-threshold/],
    ['custom header outside retrofit', { customHeader: ['Cost Center=store'] }, /retrofit profile only/],
    ['custom header without mode', { profile: 'retrofit', customHeader: ['Cost Center'] }, /invalid --custom-header/],
    ['custom header with unknown mode', { profile: 'retrofit', customHeader: ['Cost Center=keep'] }, /invalid --custom-header/],
    ['duplicate custom header', { profile: 'retrofit', customHeader: ['Team=store', 'team=ignore'] }, /duplicate --custom-header/],
  ] as const)('refuses %s in one line', (_case, options, expected) => {
    expect(errorOf(options as Partial<PartnerAddOptions>)).toMatch(expected);
  });

  it.each(['Acme', 'ac', 'a'.repeat(41), 'acme_corp'])('refuses the partner id %s', (id) => {
    expect(errorOf({}, id)).toMatch(/invalid partner id/);
  });

  it('accepts the full option set: several keys, threshold 1, retrofit headers', () => {
    const result = run({
      profile: 'retrofit',
      entityType: 'channel-partner',
      company: ['37211173000169=Acme', '12069193000116=Beta'],
      adminEmail: ['hr@acme.example', 'it@acme.example'],
      sshKey: ['ops.pub', 'rsa.pub'],
      wipeThreshold: '1',
      customHeader: ['Cost Center=store', 'Badge = ignore'],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.partner.wipeThreshold).toBe(1);
    expect(result.partner.sshPublicKeys).toEqual([ed25519.public.trim(), rsa.public.trim()]);
    expect(result.partner.customHeaders).toEqual([
      { name: 'Cost Center', mode: 'store' },
      { name: 'Badge', mode: 'ignore' },
    ]);
  });
});
