import { describe, expect, it } from 'vitest';
import { ACME, GLOBEX, keep, plan, rejected, staff, stored, summarize, valid } from '../support/diff-factories.ts';

describe('planChanges: matching (SPEC §6.2)', () => {
  it('matches on Employee ID before National ID', async () => {
    // Prepare: one stored employee per identifier
    const base = [stored('by-id', { employeeId: 'E1' }), stored('by-cpf', { nationalId: '76425464089' })];
    // Act
    const result = await plan(base, [valid(1, { employeeId: 'E1', nationalId: '76425464089' }, 'fp-by-id')]);
    // Assess: the Employee ID wins, the other stored employee is no longer in the file
    expect(summarize(result)).toEqual(['update:by-id', 'remove:by-cpf']);
  });

  it('matches on National ID before Email', async () => {
    const base = [stored('by-mail', { email: 'ana@acme.com' }), stored('by-cpf', { nationalId: '76425464089' })];
    const result = await plan(base, [valid(1, { nationalId: '76425464089', email: 'ana@acme.com' }, 'fp-by-cpf')]);
    expect(summarize(result)).toEqual(['update:by-cpf', 'remove:by-mail']);
  });

  it('matches on Email alone', async () => {
    const base = [stored('k1', { email: 'ana@acme.com' })];
    const result = await plan(base, [valid(1, { email: 'ana@acme.com' }, 'fp-k1')]);
    expect(result.changes).toEqual([]);
    expect(result.companies[0]).toMatchObject({ unchanged: 1 });
  });

  it('updates an employee whose identifiers changed but who still matches on one of them', async () => {
    const base = [stored('k1', { employeeId: 'E1', email: 'old@acme.com' }), stored('k2', { nationalId: '15184662065', employeeId: 'E2' })];
    const rows = [
      valid(1, { employeeId: 'E1', email: 'new@acme.com' }, 'fp-k1'),
      valid(2, { employeeId: 'E9', nationalId: '15184662065' }, 'fp-k2'),
    ];
    const result = await plan(base, rows);
    expect(summarize(result)).toEqual(['update:k1', 'update:k2']);
    expect(result.verdict).toBe('accepted');
  });

  it('matches only within the same company', async () => {
    const base = [stored('k1', { employeeId: 'E1' }, { companyTaxId: GLOBEX })];
    const result = await plan(base, [valid(1, { employeeId: 'E1' }, 'fp-k1', ACME)]);
    expect(summarize(result)).toEqual(['add:1']);
  });
});

describe('planChanges: duplicates in the file', () => {
  it('rejects the later line of the same person, naming the identifier column', async () => {
    const rows = [valid(1, { employeeId: 'E1', email: 'a@x.com' }, 'f1'), valid(2, { employeeId: 'E2', email: 'a@x.com' }, 'f2')];
    const result = await plan([], rows, { acceptance: 'per-company' });
    expect(result.errors).toEqual([
      expect.objectContaining({ source: 'Input error', type: 'Duplicated', line: 2, field: 'Email', companyTaxId: ACME }),
    ]);
    expect(result.errors[0]?.description).toContain('line 1');
    expect(summarize(result)).toEqual(['add:1']);
    expect(result.verdict).toBe('partially-accepted');
  });

  it('reports the Employee ID column and never echoes the value', async () => {
    const rows = [valid(1, { employeeId: 'E1' }, 'f1'), valid(2, { employeeId: 'E1', nationalId: '76425464089' }, 'f2')];
    const result = await plan([], rows);
    expect(result.errors[0]).toMatchObject({ field: 'Employee ID', line: 2 });
    expect(result.errors[0]?.description).not.toContain('E1');
    expect(result.verdict).toBe('rejected');
    expect(result.changes).toEqual([]);
  });

  it('treats two lines matching the same stored employee as duplicates', async () => {
    const base = [stored('k1', { employeeId: 'E1', email: 'ana@acme.com' })];
    const rows = [valid(1, { employeeId: 'E1' }, 'fp-k1'), valid(2, { employeeId: 'E7', email: 'ana@acme.com' }, 'f2')];
    const result = await plan(base, rows, { acceptance: 'per-company' });
    expect(result.errors).toEqual([expect.objectContaining({ type: 'Duplicated', line: 2, field: 'Email' })]);
    expect(result.errors[0]?.description).toMatch(/line 1 are the same registered employee/);
    // Line 1 stands: it dropped the stored email.
    expect(summarize(result)).toEqual(['update:k1']);
  });

  it('does not treat the same identifier in two companies as a duplicate', async () => {
    const rows = [valid(1, { email: 'a@x.com' }, 'f1', ACME), valid(2, { email: 'a@x.com' }, 'f2', GLOBEX)];
    const result = await plan([], rows);
    expect(result.errors).toEqual([]);
    expect(summarize(result)).toEqual(['add:1', 'add:2']);
  });
});

describe('planChanges: full file (replace)', () => {
  it('adds, updates and removes, and writes nothing for unchanged rows', async () => {
    const base = staff('a', 20);
    const rows = [...keep(base.slice(0, 18)), valid(19, { employeeId: 'new' }, 'f-new')];
    rows[3] = valid(4, base[3]!.identifiers, 'changed');
    const result = await plan(base, rows);
    expect(summarize(result)).toEqual(['update:a3', 'add:19', 'remove:a18', 'remove:a19']);
    expect(result.companies).toEqual([
      { companyTaxId: ACME, activeBefore: 20, added: 1, updated: 1, reactivated: 0, removed: 2, unchanged: 17, rejectedRows: 0 },
    ]);
  });

  it('reactivates a removed employee even when nothing else changed', async () => {
    const base = [stored('k1', { employeeId: 'E1' }, { active: false })];
    const result = await plan(base, [valid(1, { employeeId: 'E1' }, 'fp-k1')]);
    expect(result.changes).toEqual([expect.objectContaining({ kind: 'update', employeeKey: 'k1', reactivate: true })]);
    expect(result.companies[0]).toMatchObject({ reactivated: 1, updated: 0, activeBefore: 0 });
  });

  it('leaves companies that are not in the file untouched, and removed employees removed', async () => {
    const base = [...staff('a', 3), ...staff('g', 3, GLOBEX), stored('gone', { employeeId: 'X' }, { active: false })];
    const result = await plan(base, keep(base.slice(0, 3)));
    expect(result.changes).toEqual([]);
    expect(result.companies.map((c) => c.companyTaxId)).toEqual([ACME]);
  });

  it('changes nothing when the file equals the base', async () => {
    const base = [...staff('a', 50), ...staff('g', 50, GLOBEX)];
    const result = await plan(base, keep(base));
    expect(result).toMatchObject({ verdict: 'accepted', changes: [], errors: [], rowsRead: 100, rowsRejected: 0 });
  });
});

describe('planChanges: newcomers and leavers', () => {
  it('add-only adds and updates but never removes', async () => {
    const base = staff('a', 3);
    const rows = [valid(1, base[0]!.identifiers, 'changed'), valid(2, { employeeId: 'new' }, 'f')];
    const result = await plan(base, rows, { mode: 'add-only' });
    expect(summarize(result)).toEqual(['update:a0', 'add:2']);
  });

  it('remove-only removes matched active employees and adds nobody', async () => {
    const base = [...staff('a', 3), stored('old', { employeeId: 'OLD' }, { active: false })];
    const rows = [
      valid(1, base[1]!.identifiers, 'whatever'),
      valid(2, { employeeId: 'nobody' }, 'f'),
      valid(3, { employeeId: 'OLD' }, 'f'),
    ];
    const result = await plan(base, rows, { mode: 'remove-only', acceptance: 'per-company' });
    expect(result.changes).toEqual([{ kind: 'remove', employeeKey: 'a1', companyTaxId: ACME }]);
    expect(result.errors).toEqual([
      expect.objectContaining({ type: 'Unknown', line: 2, source: 'Input error' }),
      expect.objectContaining({ type: 'Unknown', line: 3, field: 'Employee ID' }),
    ]);
    expect(result.errors[0]?.description).toMatch(/No active employee/);
    expect(result.errors[1]?.description).toMatch(/already removed/);
    expect(result.verdict).toBe('partially-accepted');
  });

  it('remove-only reports a leaver listed twice', async () => {
    const base = staff('a', 2);
    const rows = [valid(1, base[0]!.identifiers, 'f'), valid(2, base[0]!.identifiers, 'f')];
    const result = await plan(base, rows, { mode: 'remove-only' });
    expect(result.errors).toEqual([expect.objectContaining({ type: 'Duplicated', line: 2 })]);
    expect(result.verdict).toBe('rejected');
  });
});

describe('planChanges: errors and counts', () => {
  it('sorts file-level, then client, then input errors by line', async () => {
    const rows = [
      rejected(3, { email: 'c@x.com' }),
      rejected(1, { email: 'a@x.com' }, GLOBEX, { source: 'Client error', type: 'Unauthorized', companyTaxId: GLOBEX }),
      rejected(2, { email: 'b@x.com' }),
    ];
    const result = await plan([], rows);
    expect(result.errors.map((e) => `${e.source}:${e.line}`)).toEqual(['Client error:1', 'Input error:2', 'Input error:3']);
    expect(result).toMatchObject({ rowsRead: 3, rowsRejected: 3, verdict: 'rejected' });
  });
});
