import { describe, expect, it } from 'vitest';
import type { Identifiers, RowOutcome } from '../../lambdas/core/eligibility/model.ts';
import { beneficiariesListStream } from '../../lambdas/core/flexben/beneficiaries-list.ts';
import { planCancellations } from '../../lambdas/core/flexben/cancellations.ts';
import { planCredits, UNKNOWN_CREDIT, UNKNOWN_EMPLOYEE } from '../../lambdas/core/flexben/credit-plan.ts';
import { IdentityMatcher } from '../../lambdas/core/flexben/identity-matcher.ts';
import { creditKey, type CreditedEmployee, type StoredCredit } from '../../lambdas/core/flexben/model.ts';

/** SPEC §7.1–§7.3 and §7.5: planning credit files and automatic cancellations, pure. */

const ACME = '37211173000169';
const GLOBEX = '12069193000116';

function anEmployee(n: number, companyTaxId = ACME, ids: Identifiers = { employeeId: `E${n}`, email: `p${n}@x.com` }): CreditedEmployee {
  return {
    companyTaxId,
    employeeKey: `k${n}`,
    identifiers: ids,
    listed: { email: ids.email ?? '', nationalId: ids.nationalId ?? '', employeeId: ids.employeeId ?? '' },
  };
}

function aCredit(employee: CreditedEmployee, overrides: Partial<StoredCredit> = {}): StoredCredit {
  return {
    ...employee,
    amount: '10.00',
    month: 12,
    year: 2026,
    state: 'ACTIVE',
    changedBy: 'u0',
    method: 'SFTP',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

function aRow(line: number, ids: Identifiers, companyTaxId = ACME, amount = '50.00'): RowOutcome {
  return { kind: 'valid', row: { line, companyTaxId, identifiers: ids, values: { amount, month: '12', year: '2026' }, fingerprint: '' } };
}

const credits = (...list: StoredCredit[]) => new Map(list.map((c) => [creditKey(c), c]));

describe('planCredits, add-or-update', () => {
  const employees = new IdentityMatcher([anEmployee(1), anEmployee(2), anEmployee(3, GLOBEX)]);

  it('credits matched employees and rejects unknown ones, duplicates and invalid rows on their own lines', () => {
    const invalid: RowOutcome = {
      kind: 'rejected',
      line: 3,
      identifiers: {},
      errors: [{ source: 'Input error', line: 3, field: 'Amount', type: 'Invalid', description: 'comma' }],
    };

    const plan = planCredits({
      kind: 'add-or-update',
      rows: [
        aRow(1, { employeeId: 'E1' }),
        aRow(2, { email: 'nobody@x.com' }),
        invalid,
        aRow(4, { email: 'p1@x.com' }),
        aRow(5, { employeeId: 'E3' }, ACME),
      ],
      employees,
      credits: new Map(),
      uploadId: 'u1',
    });

    expect(plan.grants.map((g) => [g.employeeKey, g.amount, g.month, g.year])).toEqual([['k1', '50.00', 12, 2026]]);
    expect(plan.errors.map((e) => [e.line, e.type, e.field])).toEqual([
      [2, 'Unknown', 'Email'],
      [3, 'Invalid', 'Amount'],
      [4, 'Duplicated', 'Email'],
      [5, 'Unknown', 'Employee ID'], // E3 is eligible under Globex, not Acme
    ]);
    expect(plan.errors[0]?.description).toBe(UNKNOWN_EMPLOYEE);
    expect(plan.errors[2]?.description).toMatch(/line 1/);
    expect(plan).toMatchObject({ rowsRead: 5, rowsRejected: 4, rowsApplied: 1 });
  });

  it('matches by Employee ID first, then National ID, then Email', () => {
    const matcher = new IdentityMatcher([
      anEmployee(1, ACME, { employeeId: 'E1' }),
      anEmployee(2, ACME, { nationalId: '76425464089', email: 'two@x.com' }),
    ]);

    const plan = planCredits({
      kind: 'add-or-update',
      rows: [
        aRow(1, { employeeId: 'E9', nationalId: '76425464089', email: 'zzz@x.com' }),
        aRow(2, { employeeId: 'E1', email: 'two@x.com' }),
      ],
      employees: matcher,
      credits: new Map(),
      uploadId: 'u1',
    });

    expect(plan.grants.map((g) => g.employeeKey)).toEqual(['k2', 'k1']);
  });

  it('overwrites an existing credit of the same employee', () => {
    const plan = planCredits({
      kind: 'add-or-update',
      rows: [aRow(1, { employeeId: 'E2' }, ACME, '75.00')],
      employees,
      credits: credits(aCredit(anEmployee(2))),
      uploadId: 'u1',
    });

    expect(plan.grants).toEqual([expect.objectContaining({ employeeKey: 'k2', amount: '75.00' })]);
  });
});

describe('planCredits, removal', () => {
  const employees = new IdentityMatcher([anEmployee(1), anEmployee(2)]);

  it('cancels existing credits and reports a row for someone without a credit as Unknown', () => {
    const plan = planCredits({
      kind: 'removal',
      rows: [aRow(1, { employeeId: 'E1' }), aRow(2, { employeeId: 'E2' }), aRow(3, { email: 'ghost@x.com' })],
      employees,
      credits: credits(aCredit(anEmployee(1)), aCredit(anEmployee(2), { state: 'CANCELED', changedBy: 'u0' })),
      uploadId: 'u1',
    });

    expect(plan.cancels.map((c) => c.employeeKey)).toEqual(['k1']);
    expect(plan.errors.map((e) => [e.line, e.type, e.description])).toEqual([
      [2, 'Unknown', UNKNOWN_CREDIT],
      [3, 'Unknown', UNKNOWN_CREDIT],
    ]);
  });

  it('counts a credit this same upload cancelled before a crash as removed, not unknown', () => {
    const plan = planCredits({
      kind: 'removal',
      rows: [aRow(1, { employeeId: 'E1' })],
      employees,
      credits: credits(aCredit(anEmployee(1), { state: 'CANCELED', changedBy: 'u1' })),
      uploadId: 'u1',
    });

    expect(plan.errors).toEqual([]);
    expect(plan.rowsApplied).toBe(1);
  });

  it('finds the credit of someone no longer eligible by the identifiers stored with it', () => {
    const plan = planCredits({
      kind: 'removal',
      rows: [aRow(1, { email: 'p7@x.com' })],
      employees,
      credits: credits(aCredit(anEmployee(7))),
      uploadId: 'u1',
    });

    expect(plan.cancels.map((c) => c.employeeKey)).toEqual(['k7']);
  });
});

describe('planCancellations', () => {
  it('cancels removed employees with a credit as ELIGIBILITY_LOSS, and as RELOCATION when they arrive in another company', () => {
    const stored = credits(aCredit(anEmployee(1)), aCredit(anEmployee(2)), aCredit(anEmployee(3), { state: 'CANCELED' }));

    const found = planCancellations(
      [
        { companyTaxId: ACME, employeeKey: 'k1' },
        { companyTaxId: ACME, employeeKey: 'k2' },
        { companyTaxId: ACME, employeeKey: 'k3' },
        { companyTaxId: ACME, employeeKey: 'k9' },
      ],
      [
        { companyTaxId: GLOBEX, identifiers: { email: 'p2@x.com' } },
        { companyTaxId: ACME, identifiers: { email: 'p1@x.com' } },
      ],
      stored,
      'u5',
    );

    expect(found.map((c) => [c.credit.employeeKey, c.method])).toEqual([
      ['k1', 'ELIGIBILITY_LOSS'],
      ['k2', 'RELOCATION'],
    ]);
  });

  it('lists again, with the reason given then, what the same trigger cancelled before', () => {
    const stored = credits(aCredit(anEmployee(2), { state: 'CANCELED', changedBy: 'u5', method: 'RELOCATION' }));

    const found = planCancellations([], [], stored, 'u5');

    expect(found.map((c) => [c.credit.employeeKey, c.method])).toEqual([['k2', 'RELOCATION']]);
  });
});

describe('beneficiariesListStream', () => {
  it('lists active credits by company then employee, amounts with two decimals, in the upload columns', async () => {
    const list = [
      aCredit(anEmployee(10, GLOBEX), { amount: '101.00', month: 4 }),
      aCredit(anEmployee(2), { amount: '7.50' }),
      aCredit(anEmployee(1), { amount: '300.00' }),
      aCredit(anEmployee(3), { state: 'CANCELED' }),
    ];

    let text = '';
    for await (const chunk of beneficiariesListStream(list)) text += String(chunk);

    expect(text.split('\r\n')).toEqual([
      'Company Tax ID,Email,National ID,Employee ID,Amount,Last Credited Month,Last Credited Year',
      `${GLOBEX},p10@x.com,,E10,101.00,4,2026`,
      `${ACME},p1@x.com,,E1,300.00,12,2026`,
      `${ACME},p2@x.com,,E2,7.50,12,2026`,
      '',
    ]);
  });
});
