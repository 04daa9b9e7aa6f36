import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { partnerSchema, type Partner, type PartnerInput } from '../../lambdas/core/partners/partner.ts';
import { fingerprintCoversIdentifiers, runEligibilityEngine } from '../../lambdas/core/eligibility/engine.ts';
import { FILE_PROFILES } from '../../lambdas/core/eligibility/profiles/index.ts';
import type { BaseEmployee, DiffMode } from '../../lambdas/core/eligibility/model.ts';
import type { FileProfile } from '../../lambdas/core/eligibility/profile.ts';
import { wellhubProfile } from '../../lambdas/core/eligibility/profiles/wellhub.ts';
import { readEmployeeFile } from '../../lambdas/core/eligibility/read/index.ts';

const ACME = '37211173000169';
const GLOBEX = '12069193000116';
const HEADER = 'Company Tax ID,Name,Email,National ID,Employee ID,Department,Payroll ID,Cost center,Office zip code,Payroll Enabled';
const ANA = `${ACME},Ana Souza,ana@acme.com,764.254.640-89,A1,Sales,P1,CC1,04571-926,Yes`;
const JOSE = `${ACME},José Conceição,jose@acme.com,151.846.620-65,A2,Ops,P2,CC2,04571926,No`;
const RUI = `${ACME},Rui Lima,rui@acme.com,,A3,Ops,P3,CC2,,No`;

function partner(overrides: Partial<PartnerInput> = {}): Partner {
  return partnerSchema.parse({
    partnerId: 'acme',
    entityType: 'multi-entity',
    companies: [
      { taxId: ACME, name: 'Acme' },
      { taxId: GLOBEX, name: 'Globex' },
    ],
    adminEmails: ['hr@acme.com'],
    sshPublicKeys: ['ssh-ed25519 AAAA test'],
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  });
}

const file = (...lines: string[]): Readable => Readable.from([Buffer.from(`${lines.join('\r\n')}\r\n`)]);

/** The base a file's rows would have stored, as the reader sees them. */
async function baseOf(lines: string[], who: Partner, profile: FileProfile = wellhubProfile): Promise<BaseEmployee[]> {
  const base: BaseEmployee[] = [];
  for await (const event of readEmployeeFile(file(HEADER, ...lines), { profile, partner: who, maxRows: 100 })) {
    if (event.kind !== 'row' || event.outcome.kind !== 'valid') continue;
    const { row } = event.outcome;
    base.push({
      employeeKey: `k-${row.line}`,
      companyTaxId: row.companyTaxId,
      active: true,
      fingerprint: row.fingerprint,
      identifiers: row.identifiers,
    });
  }
  return base;
}

async function run(
  lines: string[],
  base: BaseEmployee[],
  who = partner(),
  mode: DiffMode = 'replace',
  profile: FileProfile = wellhubProfile,
) {
  return runEligibilityEngine({ input: file(...lines), profile, partner: who, mode, base, maxRows: 100 });
}

describe('runEligibilityEngine', () => {
  it('plans one change per added, updated or removed employee and none for the rest', async () => {
    // Prepare
    const base = await baseOf([ANA, JOSE, RUI], partner());
    // Act: José moved department, Rui left, a newcomer joined
    const plan = await run([HEADER, ANA, JOSE.replace('Ops', 'Finance'), `${ACME},Bia Reis,BIA@acme.com,,,,,,,`], base);
    // Assess
    expect(plan.verdict).toBe('accepted');
    expect(plan.changes.map((c) => (c.kind === 'add' ? `add:${c.row.line}` : `${c.kind}:${c.employeeKey}`))).toEqual([
      'update:k-2',
      'add:3',
      'remove:k-3',
    ]);
    expect(plan.companies).toEqual([expect.objectContaining({ companyTaxId: ACME, added: 1, updated: 1, removed: 1, unchanged: 1 })]);
  });

  it('changes nothing when the file is the base itself', async () => {
    const base = await baseOf([ANA, JOSE, RUI], partner());
    const plan = await run([HEADER, RUI, JOSE, ANA], base);
    expect(plan).toMatchObject({ verdict: 'accepted', changes: [], errors: [], rowsRead: 3 });
  });

  it('matches identifiers as normalised by the reader', async () => {
    const base = await baseOf([ANA], partner());
    // Only the email identifier, upper-cased: still Ana (the stored spelling changes, so one update).
    const plan = await run([HEADER, `${ACME},Ana Souza,ANA@ACME.COM,,,Sales,P1,CC1,04571-926,Yes`], base);
    expect(plan.changes).toEqual([expect.objectContaining({ kind: 'update', employeeKey: 'k-1' })]);
  });

  it('reports duplicates under the profile column header', async () => {
    const plan = await run([HEADER, ANA, ANA.replace('A1', 'A9').replace('764.254.640-89', '')], []);
    expect(plan.errors).toEqual([expect.objectContaining({ type: 'Duplicated', field: 'Email', line: 2 })]);
    expect(plan.verdict).toBe('rejected');
  });

  it('accepts per company for a channel partner', async () => {
    const who = partner({ entityType: 'channel-partner' });
    const plan = await run([HEADER, ANA, `01916628000102,Eve,eve@x.com,,,,,,,`], [], who);
    expect(plan.verdict).toBe('partially-accepted');
    expect(plan.errors).toEqual([expect.objectContaining({ source: 'Client error', type: 'Unauthorized' })]);
    expect(plan.changes).toHaveLength(1);
  });

  it('rejects an unreadable file with its one error', async () => {
    const plan = await run([], [], partner());
    expect(plan).toMatchObject({ verdict: 'rejected', changes: [], errors: [expect.objectContaining({ type: 'Empty file' })] });
    expect(plan.fileError).toEqual(plan.errors[0]);
  });

  it('rejects a header-only wellhub file as an empty file', async () => {
    const plan = await run([HEADER], await baseOf([ANA], partner()));
    expect(plan.errors).toEqual([expect.objectContaining({ source: 'Upload error', type: 'Empty file' })]);
    expect(plan.errors[0]?.description).toMatch(/header but no employees/);
  });

  describe('with a wipe-guard profile (one company per partner)', () => {
    const guarded: FileProfile = { ...wellhubProfile, headerOnly: 'wipe-guard', company: { kind: 'partner' } };
    const single = (wipeThreshold?: number) =>
      partner({
        entityType: 'single-entity',
        companies: [{ taxId: ACME, name: 'Acme' }],
        ...(wipeThreshold === undefined ? {} : { wipeThreshold }),
      });

    it('refuses a header-only full file with Database wipe', async () => {
      const plan = await run([HEADER], await baseOf([ANA, JOSE], single()), single(), 'replace', guarded);
      expect(plan).toMatchObject({ verdict: 'rejected', changes: [] });
      expect(plan.errors).toEqual([expect.objectContaining({ type: 'Database wipe', companyTaxId: ACME })]);
    });

    it('applies it when the threshold is 1', async () => {
      const plan = await run([HEADER], await baseOf([ANA, JOSE], single()), single(1), 'replace', guarded);
      expect(plan.verdict).toBe('accepted');
      expect(plan.changes.map((c) => c.kind)).toEqual(['remove', 'remove']);
    });

    it('still rejects a header-only newcomers file as empty', async () => {
      const plan = await run([HEADER], [], single(1), 'add-only', guarded);
      expect(plan.errors).toEqual([expect.objectContaining({ type: 'Empty file' })]);
    });
  });
});

describe('fingerprintCoversIdentifiers', () => {
  it('holds for every profile, so every profile takes the fast path on an unchanged row', () => {
    const profiles = Object.values(FILE_PROFILES);
    expect(profiles.length).toBeGreaterThanOrEqual(3);
    for (const profile of profiles) expect(fingerprintCoversIdentifiers(profile!), profile!.name).toBe(true);
  });

  it('fails when an identity column is ignored or is the company column', () => {
    const ignoredEmail: FileProfile = {
      ...wellhubProfile,
      columns: wellhubProfile.columns.map((c) => (c.field === 'email' ? { ...c, ignored: true } : c)),
    };
    expect(fingerprintCoversIdentifiers(ignoredEmail)).toBe(false);
    const companyAsId: FileProfile = {
      ...wellhubProfile,
      identity: { ...wellhubProfile.identity, employeeId: { field: 'companyTaxId', normalize: (v) => v } },
    };
    expect(fingerprintCoversIdentifiers(companyAsId)).toBe(false);
  });
});
