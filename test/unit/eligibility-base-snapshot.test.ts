import { describe, expect, it } from 'vitest';
import { addedKey } from '../../lambdas/core/eligibility/employee-key.ts';
import type { BaseEmployee, Change } from '../../lambdas/core/eligibility/model.ts';
import {
  activeByCompany,
  decodeHeader,
  decodeRecord,
  encodeHeader,
  encodeRecord,
  mergeChanges,
  SnapshotMismatch,
  type SnapshotRecord,
} from '../../lambdas/core/eligibility/snapshot/base-snapshot.ts';
import { ACME, GLOBEX, INITECH, keep, plan, staff, stored, valid } from '../support/diff-factories.ts';

const COMPANIES = [INITECH, GLOBEX, ACME].sort();
const UPLOAD = 'upload-7';

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const withValues = (employees: readonly BaseEmployee[]): SnapshotRecord[] =>
  employees.map((e) => (e.active ? { ...e, values: { name: `Stored ${e.employeeKey}` } } : e));
const grouped = (records: readonly SnapshotRecord[]): SnapshotRecord[] =>
  [...records].sort((a, b) => COMPANIES.indexOf(a.companyTaxId) - COMPANIES.indexOf(b.companyTaxId));

/** What the table holds after EmployeeRepo.apply wrote `changes` over `before`: the reference. */
function applied(before: readonly SnapshotRecord[], changes: readonly Change[]): Map<string, SnapshotRecord> {
  const state = new Map(before.map((r) => [`${r.companyTaxId}/${r.employeeKey}`, r]));
  for (const c of changes) {
    if (c.kind === 'add') {
      const employeeKey = addedKey(UPLOAD, c.row);
      state.set(`${c.row.companyTaxId}/${employeeKey}`, { ...c.row, employeeKey, active: true });
    } else if (c.kind === 'remove') {
      const { values: _gone, ...kept } = state.get(`${c.companyTaxId}/${c.employeeKey}`)!;
      state.set(`${c.companyTaxId}/${c.employeeKey}`, { ...kept, active: false });
    } else {
      const old = state.get(`${c.row.companyTaxId}/${c.employeeKey}`)!;
      state.set(`${c.row.companyTaxId}/${c.employeeKey}`, { ...c.row, employeeKey: c.employeeKey, active: c.reactivate || old.active });
    }
  }
  return state;
}
const comparable = (records: Iterable<SnapshotRecord>) =>
  [...records]
    .map((r) => ({
      companyTaxId: r.companyTaxId,
      employeeKey: r.employeeKey,
      active: r.active,
      fingerprint: r.fingerprint,
      identifiers: r.identifiers,
      values: r.active ? r.values : undefined,
    }))
    .sort((a, b) => `${a.companyTaxId}/${a.employeeKey}`.localeCompare(`${b.companyTaxId}/${b.employeeKey}`));

describe('base snapshot', () => {
  it('round-trips its header and records, keeping values only for active employees', () => {
    // Prepare
    const header = { version: 1 as const, partnerId: 'acme', generation: 4, companies: COMPANIES };
    const active: SnapshotRecord = { ...stored('k1', { employeeId: 'E1', email: 'a@b.co' }), values: { name: 'Ana' } };
    const removed: SnapshotRecord = { ...stored('k2', { employeeId: 'E2' }, { active: false }), values: { name: 'Old' } };

    // Act / Assess
    expect(decodeHeader(encodeHeader(header).trim())).toEqual(header);
    expect(decodeRecord(encodeRecord(active).trim())).toEqual(active);
    expect(decodeRecord(encodeRecord(removed).trim())).toEqual({ ...removed, values: undefined });
    expect(() => decodeHeader('{"version":2}')).toThrow(SnapshotMismatch);
  });

  it('merges a plan of adds, updates, reactivations and removals into what the table holds after the apply', async () => {
    // Prepare: three companies, one of them empty before; some stored employees inactive
    const acme = staff('a', 6).map((e, i) => (i === 5 ? { ...e, active: false } : e));
    const globex = staff('g', 3, GLOBEX);
    const before = grouped(withValues([...acme, ...globex]));
    const rows = [
      ...keep(acme.slice(0, 3)), // unchanged
      valid(4, acme[3]!.identifiers, 'fp-new-3'), // update
      valid(5, acme[5]!.identifiers, acme[5]!.fingerprint), // reactivation (acme[4] is missing: removed)
      valid(6, { employeeId: 'new-acme' }, 'fp-x'), // add
      valid(7, { employeeId: 'new-initech' }, 'fp-y', INITECH), // add to the empty company
      ...keep(globex, 8),
    ];
    const result = await plan([...acme, ...globex], rows, {});
    expect(result.changes.map((c) => c.kind).sort()).toEqual(['add', 'add', 'remove', 'update', 'update']);

    // Act
    const merged = await all(mergeChanges(from(before), COMPANIES, result.changes, (row) => addedKey(UPLOAD, row)));

    // Assess: the same employees and attributes, still grouped by company in order
    expect(comparable(merged)).toEqual(comparable(applied(before, result.changes).values()));
    const order = merged.map((r) => COMPANIES.indexOf(r.companyTaxId));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('drops companies the partner no longer has and adds to companies that had no one', async () => {
    // Prepare: a snapshot holding a company that is gone; changes add to the first and last company
    const gone = '00000000000191';
    const before = [...withValues(staff('z', 2, gone)), ...withValues(staff('g', 1, GLOBEX))];
    const adds: Change[] = [
      {
        kind: 'add',
        row: { line: 2, companyTaxId: COMPANIES[0]!, identifiers: { employeeId: 'first' }, values: { name: 'F' }, fingerprint: 'f' },
      },
      {
        kind: 'add',
        row: { line: 3, companyTaxId: COMPANIES[2]!, identifiers: { employeeId: 'last' }, values: { name: 'L' }, fingerprint: 'l' },
      },
    ];

    // Act
    const merged = await all(
      mergeChanges(from([...before].sort((a, b) => a.companyTaxId.localeCompare(b.companyTaxId))), COMPANIES, adds, (row) =>
        addedKey(UPLOAD, row),
      ),
    );

    // Assess
    expect(merged.map((r) => r.companyTaxId)).toEqual([COMPANIES[0], GLOBEX, COMPANIES[2]]);
    expect(merged.some((r) => r.companyTaxId === gone)).toBe(false);
  });

  it('refuses to merge when the snapshot and the changes disagree', async () => {
    // Prepare
    const before = withValues(staff('a', 2));
    const update: Change = {
      kind: 'update',
      employeeKey: 'not-there',
      reactivate: false,
      row: { line: 1, companyTaxId: ACME, identifiers: {}, values: {}, fingerprint: 'f' },
    };
    const unordered = [...withValues(staff('g', 1, GLOBEX)), ...withValues(staff('a', 1)), ...withValues(staff('h', 1, GLOBEX))];

    // Act / Assess
    await expect(all(mergeChanges(from(before), COMPANIES, [update], (row) => addedKey(UPLOAD, row)))).rejects.toThrow(SnapshotMismatch);
    await expect(all(mergeChanges(from(unordered), COMPANIES, [], (row) => addedKey(UPLOAD, row)))).rejects.toThrow(/grouped by company/);
  });

  it('lists the active employees company by company, empty companies included', async () => {
    // Prepare
    const records = grouped(withValues([...staff('a', 2), stored('x', {}, { active: false }), ...staff('i', 1, INITECH)]));

    // Act
    const companies = await all(activeByCompany(from(records), COMPANIES));

    // Assess
    expect(companies.map((c) => [c.companyTaxId, c.employees.length])).toEqual(
      COMPANIES.map((taxId) => [taxId, taxId === ACME ? 2 : taxId === INITECH ? 1 : 0]),
    );
  });
});
