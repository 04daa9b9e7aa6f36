import { describe, expect, it } from 'vitest';
import { ACME, GLOBEX, INITECH, keep, plan, rejected, staff, summarize, valid } from '../support/diff-factories.ts';

describe('planChanges: acceptance policy (SPEC §6.4)', () => {
  it('all-or-nothing rejects the whole upload for one bad row', async () => {
    const base = staff('a', 10);
    const rows = [...keep(base.slice(0, 9)), valid(10, { employeeId: 'new' }, 'f'), rejected(11, { email: 'x@x.com' })];
    const result = await plan(base, rows);
    expect(result).toMatchObject({ verdict: 'rejected', changes: [], rowsRead: 11, rowsRejected: 1 });
    expect(result.companies[0]).toMatchObject({ added: 1, removed: 1, rejectedRows: 1 });
  });

  it('per-company skips a company with a client error and applies the rest', async () => {
    const acme = staff('a', 3);
    const globex = staff('g', 3, GLOBEX);
    const rows = [
      ...keep(acme.slice(0, 2)),
      valid(3, { employeeId: 'new-g' }, 'f', GLOBEX),
      rejected(4, { employeeId: 'z' }, GLOBEX, { source: 'Client error', type: 'Unauthorized', companyTaxId: GLOBEX }),
    ];
    const result = await plan([...acme, ...globex], rows, { acceptance: 'per-company' });
    expect(summarize(result)).toEqual(['remove:a2']);
    expect(result.verdict).toBe('partially-accepted');
    // The skipped company's valid row counts as not applied.
    expect(result).toMatchObject({ rowsRead: 4, rowsRejected: 2 });
  });

  it('per-company keeps the person of a rejected row as they are', async () => {
    const base = staff('a', 4);
    const rows = [
      ...keep(base.slice(0, 2)),
      rejected(3, { employeeId: 'a-id-2', email: 'new@acme.com' }),
      rejected(4, { email: 'not-read@x.com', employeeId: 'a-id-3' }, undefined),
    ];
    const result = await plan(base, rows, { acceptance: 'per-company' });
    expect(result.changes).toEqual([]);
    expect(result.verdict).toBe('partially-accepted');
  });

  it('per-company rejects the upload when nothing can be applied', async () => {
    const rows = [rejected(1, { employeeId: 'a-id-0' }), rejected(2, { employeeId: 'a-id-1' })];
    const result = await plan(staff('a', 2), rows, { acceptance: 'per-company' });
    expect(result).toMatchObject({ verdict: 'rejected', changes: [] });
  });

  it('a later line duplicating a rejected one is rejected too, keeping the stored employee', async () => {
    const base = staff('a', 2);
    const rows = [keep(base)[0]!, rejected(2, { employeeId: 'a-id-1' }), valid(3, { employeeId: 'a-id-1' }, 'changed')];
    const result = await plan(base, rows, { acceptance: 'per-company' });
    expect(result.changes).toEqual([]);
    expect(result.errors.map((e) => `${e.line}:${e.type}`)).toEqual(['2:Missing', '3:Duplicated']);
  });
});

describe('planChanges: wipe guard (SPEC §6.5)', () => {
  const removing = async (active: number, removed: number, args: Parameters<typeof plan>[2] = {}) => {
    const base = staff('a', active);
    return plan(base, keep(base.slice(0, active - removed)), args);
  };

  it('allows removals exactly at the threshold', async () => {
    const result = await removing(70, 7);
    expect(result.verdict).toBe('accepted');
    expect(result.changes).toHaveLength(7);
  });

  it('refuses removals over the threshold with a client error', async () => {
    const result = await removing(70, 8);
    expect(result.verdict).toBe('rejected');
    expect(result.changes).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ source: 'Client error', type: 'Database wipe', companyTaxId: ACME })]);
    expect(result.errors[0]?.description).toMatch(/remove 8 of the 70 active employees .*11\.4%.*10%/);
  });

  it('never trips on 5 removals, can on 6', async () => {
    expect((await removing(10, 5)).verdict).toBe('accepted');
    expect((await removing(10, 6)).errors[0]).toMatchObject({ type: 'Database wipe' });
  });

  it('is disabled by a threshold of 1', async () => {
    const result = await removing(10, 9, { wipeThreshold: 1 });
    expect(result.verdict).toBe('accepted');
    expect(result.changes).toHaveLength(9);
  });

  it('applies only to full files', async () => {
    const base = staff('a', 10);
    const result = await plan(base, keep(base.slice(0, 8)), { mode: 'remove-only' });
    expect(result.changes).toHaveLength(8);
  });

  it('refuses only that company for a channel partner', async () => {
    const acme = staff('a', 10);
    const globex = staff('g', 10, GLOBEX);
    const rows = [...keep(acme.slice(0, 4)), ...keep(globex.slice(0, 9), 5), valid(20, { employeeId: 'n' }, 'f', INITECH)];
    const result = await plan([...acme, ...globex], rows, { acceptance: 'per-company' });
    expect(summarize(result)).toEqual(['add:20', 'remove:g9']);
    expect(result.verdict).toBe('partially-accepted');
    expect(result.companies.find((c) => c.companyTaxId === ACME)).toMatchObject({ removed: 6, activeBefore: 10 });
    expect(result.rowsRejected).toBe(4);
  });

  it('refuses a company named with no rows at all, with no minimum (header-only file)', async () => {
    const base = staff('a', 3);
    const result = await plan(base, [], { companies: [ACME], wipeMinimum: 0 });
    expect(result.errors).toEqual([expect.objectContaining({ type: 'Database wipe' })]);
    const allowed = await plan(base, [], { companies: [ACME], wipeMinimum: 0, wipeThreshold: 1 });
    expect(allowed.changes).toHaveLength(3);
  });

  it('does not count removed employees as active', async () => {
    const base = [...staff('a', 10), ...staff('x', 40).map((e) => ({ ...e, active: false }))];
    const result = await plan(base, keep(base.slice(0, 3)));
    expect(result.companies[0]).toMatchObject({ activeBefore: 10, removed: 7 });
    expect(result.errors[0]).toMatchObject({ type: 'Database wipe' });
  });
});
