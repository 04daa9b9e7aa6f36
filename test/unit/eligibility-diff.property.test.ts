import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BaseIndex } from '../../lambdas/core/eligibility/diff/base-index.ts';
import { planChanges, type Acceptance } from '../../lambdas/core/eligibility/diff/plan-changes.ts';
import {
  IDENTITY_KEYS,
  type BaseEmployee,
  type ChangePlan,
  type Identifiers,
  type RowOutcome,
} from '../../lambdas/core/eligibility/model.ts';

/** Random bases and files against the diff's contract, with a tiny reference `applyPlan`. */

type Base = ReadonlyMap<string, BaseEmployee>;
const COMPANIES = ['c1', 'c2', 'c3'];

/** Applies a plan the way the employee repository would: one write per change. */
function applyPlan(base: Base, plan: ChangePlan, generation: number): Map<string, BaseEmployee> {
  const next = new Map(base);
  for (const change of plan.changes) {
    if (change.kind === 'remove') {
      const e = next.get(change.employeeKey)!;
      expect(e.active).toBe(true);
      next.set(change.employeeKey, { ...e, active: false });
    } else {
      const { row } = change;
      const employeeKey = change.kind === 'add' ? `g${generation}-${row.companyTaxId}-${row.line}` : change.employeeKey;
      expect(change.kind === 'add' ? next.has(employeeKey) : next.get(employeeKey)?.companyTaxId === row.companyTaxId).toBe(
        change.kind !== 'add',
      );
      next.set(employeeKey, {
        employeeKey,
        companyTaxId: row.companyTaxId,
        active: true,
        fingerprint: row.fingerprint,
        identifiers: row.identifiers,
      });
    }
  }
  return next;
}

async function run(
  base: Base,
  rows: readonly RowOutcome[],
  acceptance: Acceptance,
  fingerprintCoversIdentifiers = false,
): Promise<ChangePlan> {
  const index = await BaseIndex.from(base.values());
  return planChanges({ base: index, rows, mode: 'replace', acceptance, wipeThreshold: 1, fingerprintCoversIdentifiers });
}

const identity = (company: string, ids: Identifiers): string => `${company}|${IDENTITY_KEYS.map((k) => ids[k] ?? '').join('|')}`;
const someOf = (ids: Identifiers, keep: readonly boolean[]): Identifiers => {
  const picked = Object.fromEntries(IDENTITY_KEYS.filter((k, i) => keep[i] && ids[k]).map((k) => [k, ids[k]]));
  return Object.keys(picked).length > 0 ? picked : ids;
};

/** A consistent base: each stored employee has its own identifiers (a subset of e/n/m + index). */
const baseArb = fc
  .array(
    fc.record({
      company: fc.constantFrom(...COMPANIES),
      active: fc.boolean(),
      fp: fc.constantFrom('f0', 'f1'),
      keep: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    }),
    { maxLength: 30 },
  )
  .map(
    (specs) =>
      new Map(
        specs.map((s, i): [string, BaseEmployee] => [
          `k${i}`,
          {
            employeeKey: `k${i}`,
            companyTaxId: s.company,
            active: s.active,
            fingerprint: s.fp,
            identifiers: someOf({ employeeId: `e${i}`, nationalId: `n${i}`, email: `m${i}` }, s.keep),
          },
        ]),
      ),
  );

/** A clean file for `base`: kept people (some identifiers changed or borrowed from people not in it) and newcomers. */
function cleanFileArb(base: Base): fc.Arbitrary<RowOutcome[]> {
  const stored = [...base.values()];
  const person = fc.record({
    keep: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    renamed: fc.boolean(),
    fp: fc.constantFrom('f0', 'f1', 'f2'),
    borrow: fc.boolean(),
  });
  return fc
    .record({
      kept: fc.array(fc.option(person, { nil: undefined }), { minLength: stored.length, maxLength: stored.length }),
      newcomers: fc.array(
        fc.record({ company: fc.constantFrom(...COMPANIES), keep: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }) }),
        { maxLength: 6 },
      ),
      order: fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
    })
    .map(({ kept, newcomers, order }) => {
      const inFile = new Set(stored.filter((_, i) => kept[i] !== undefined).map((e) => e.employeeKey));
      const lendable = stored.filter((e) => !inFile.has(e.employeeKey) && e.identifiers.email);
      const people: { company: string; ids: Identifiers; fp: string }[] = [];
      stored.forEach((e, i) => {
        const p = kept[i];
        if (!p) return;
        let ids = someOf(e.identifiers, p.keep);
        if (p.renamed) ids = { ...ids, employeeId: `e${i}-renamed` };
        const lender = p.borrow ? lendable.findIndex((l) => l.companyTaxId === e.companyTaxId) : -1;
        if (lender >= 0) ids = { ...ids, email: lendable.splice(lender, 1)[0]!.identifiers.email! };
        people.push({ company: e.companyTaxId, ids, fp: p.fp });
      });
      for (const [j, n] of newcomers.entries())
        people.push({ company: n.company, ids: someOf({ employeeId: `x${j}`, nationalId: `y${j}`, email: `z${j}` }, n.keep), fp: 'f0' });
      const shuffled = people.map((p, i) => ({ p, key: order[i % order.length]! * 100 + i })).sort((a, b) => a.key - b.key);
      return shuffled.map(
        ({ p }, i): RowOutcome => ({
          kind: 'valid',
          row: { line: i + 1, companyTaxId: p.company, identifiers: p.ids, values: {}, fingerprint: p.fp },
        }),
      );
    });
}

type RowSpec = { company: string | undefined; ids: Identifiers; bad: boolean };

/**
 * Reference for duplicates: precedence matching (the active holder of a value first), then
 * "Duplicated" exactly when an identifier repeats within a company or the matched employee was
 * already claimed (by an accepted row's match, or by any match of a rejected row).
 */
function expectExactDuplicates(base: Base, specs: readonly RowSpec[], result: ChangePlan): void {
  const holder = (company: string, k: (typeof IDENTITY_KEYS)[number], value: string): string | undefined => {
    const holders = [...base.values()].filter((e) => e.companyTaxId === company && e.identifiers[k] === value);
    return (holders.find((e) => e.active) ?? holders[0])?.employeeKey;
  };
  const seen = new Set<string>();
  const claimed = new Set<string>();
  specs.forEach((s, i) => {
    if (!s.company) return;
    const company = s.company;
    const present = IDENTITY_KEYS.filter((k) => s.ids[k]);
    const holders = present.map((k) => holder(company, k, s.ids[k]!)).filter((h) => h !== undefined);
    const match = holders[0];
    const shares = present.some((k) => seen.has(`${company}|${k}|${s.ids[k]}`));
    const duplicated = shares || (!s.bad && match !== undefined && claimed.has(match));
    const flagged = result.errors.some((e) => e.line === i + 1 && e.type === 'Duplicated');
    expect(flagged, `line ${i + 1}`).toBe(duplicated);
    if (s.bad || duplicated) for (const h of holders) claimed.add(h);
    else if (match !== undefined) claimed.add(match);
    for (const k of present) seen.add(`${company}|${k}|${s.ids[k]}`);
  });
}

function toRows(specs: readonly (RowSpec & { fp: string })[]): RowOutcome[] {
  return specs.map(
    (s, i): RowOutcome =>
      s.bad || s.company === undefined
        ? {
            kind: 'rejected',
            line: i + 1,
            identifiers: s.ids,
            errors: [{ source: 'Input error', type: 'Invalid', line: i + 1, description: 'bad' }],
            ...(s.company ? { companyTaxId: s.company } : {}),
          }
        : { kind: 'valid', row: { line: i + 1, companyTaxId: s.company, identifiers: s.ids, values: {}, fingerprint: s.fp } },
  );
}

const active = (base: Base, company: string): string[] =>
  [...base.values()]
    .filter((e) => e.active && e.companyTaxId === company)
    .map((e) => `${identity(company, e.identifiers)}#${e.fingerprint}`)
    .sort();

describe('planChanges properties', () => {
  it('a clean full file leaves exactly its people active, touches no other company, and is idempotent', async () => {
    const scenario = baseArb.chain((base) =>
      fc.record({
        base: fc.constant(base),
        rows: cleanFileArb(base),
        acceptance: fc.constantFrom<Acceptance>('all-or-nothing', 'per-company'),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ base, rows, acceptance }) => {
        const first = await run(base, rows, acceptance);
        expect(first.errors).toEqual([]);
        const keys = first.changes.map((c) => (c.kind === 'add' ? `line${c.row.line}` : c.employeeKey));
        expect(new Set(keys).size).toBe(keys.length);

        const after = applyPlan(base, first, 1);
        const present = new Set(rows.map((r) => (r.kind === 'valid' ? r.row.companyTaxId : '')));
        for (const company of COMPANIES) {
          if (present.has(company)) {
            const expected = rows.flatMap((r) =>
              r.kind === 'valid' && r.row.companyTaxId === company ? [`${identity(company, r.row.identifiers)}#${r.row.fingerprint}`] : [],
            );
            expect(active(after, company)).toEqual(expected.sort());
          } else {
            expect([...after.values()].filter((e) => e.companyTaxId === company)).toEqual(
              [...base.values()].filter((e) => e.companyTaxId === company),
            );
          }
        }

        const second = await run(after, rows, acceptance);
        expect(second.changes).toEqual([]);
        expect(second.verdict).toBe('accepted');
      }),
      { numRuns: 300 },
    );
  });

  it('messy files: one change per employee, exactly the duplicates flagged, rejected rows never remove their person', async () => {
    const ids = fc
      .record({
        employeeId: fc.option(fc.constantFrom('e0', 'e1', 'e2', 'e3'), { nil: undefined }),
        nationalId: fc.option(fc.constantFrom('n0', 'n1', 'n2'), { nil: undefined }),
        email: fc.option(fc.constantFrom('m0', 'm1', 'm2', 'm3'), { nil: undefined }),
      })
      .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Identifiers);
    const employee = fc.record({ company: fc.constantFrom(...COMPANIES), active: fc.boolean(), ids, fp: fc.constantFrom('f0', 'f1') });
    const row = fc.record({
      company: fc.option(fc.constantFrom(...COMPANIES), { nil: undefined, freq: 8 }),
      ids,
      fp: fc.constantFrom('f0', 'f1'),
      bad: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(employee, { maxLength: 20 }), fc.array(row, { maxLength: 20 }), async (employees, specs) => {
        const base = new Map(
          employees.map((e, i): [string, BaseEmployee] => [
            `k${i}`,
            { employeeKey: `k${i}`, companyTaxId: e.company, active: e.active, fingerprint: e.fp, identifiers: e.ids },
          ]),
        );
        const rows = toRows(specs);
        const result = await run(base, rows, 'per-company');

        const keys = result.changes.filter((c) => c.kind !== 'add').map((c) => c.employeeKey);
        expect(new Set(keys).size).toBe(keys.length);
        expectExactDuplicates(base, specs, result);
        const removed = new Set(result.changes.flatMap((c) => (c.kind === 'remove' ? [c.employeeKey] : [])));
        rows.forEach((r) => {
          if (r.kind !== 'rejected') return;
          for (const e of base.values()) {
            const shares = IDENTITY_KEYS.some((k) => r.identifiers[k] && r.identifiers[k] === e.identifiers[k]);
            if (shares && (r.companyTaxId === undefined || r.companyTaxId === e.companyTaxId))
              expect(removed.has(e.employeeKey)).toBe(false);
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('consistent bases: rows carrying stored identifiers exactly, partly or mixed get exactly the right duplicates', async () => {
    const source = fc.oneof(fc.constant(undefined), fc.nat(11), fc.constantFrom('new-a', 'new-b'));
    const spec = fc.record({
      exact: fc.option(fc.nat(11), { nil: undefined, freq: 2 }),
      mix: fc.tuple(source, source, source),
      bad: fc.nat(9).map((n) => n < 2),
      fp: fc.constantFrom('f0', 'f1'),
      otherCompany: fc.option(fc.constantFrom(...COMPANIES), { nil: undefined, freq: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(baseArb, fc.array(spec, { maxLength: 24 }), async (base, drafts) => {
        const stored = [...base.values()];
        const specs = drafts.map((d) => {
          const exact = d.exact === undefined ? undefined : stored[d.exact % Math.max(1, stored.length)];
          let ids: Record<string, string> = {};
          if (exact) ids = { ...exact.identifiers };
          else {
            d.mix.forEach((from, k) => {
              const key = IDENTITY_KEYS[k]!;
              const value =
                typeof from === 'number' ? stored[from % Math.max(1, stored.length)]?.identifiers[key] : from && `${from}-${key}`;
              if (value) ids[key] = value;
            });
            if (Object.keys(ids).length === 0) ids = { email: 'fallback@x.com' };
          }
          const company = d.otherCompany ?? exact?.companyTaxId ?? stored[0]?.companyTaxId ?? 'c1';
          return { company, ids: ids as Identifiers, bad: d.bad, fp: d.fp };
        });
        const result = await run(base, toRows(specs), 'per-company');
        expectExactDuplicates(base, specs, result);
        const keys = result.changes.filter((c) => c.kind !== 'add').map((c) => c.employeeKey);
        expect(new Set(keys).size).toBe(keys.length);

        // Fingerprints that cover the identifiers, as a real profile's do: the fast path may then
        // trust an equal fingerprint instead of reading the stored identifiers. Same plan.
        const coveredBase = new Map(
          [...base].map(([key, e]) => [key, { ...e, fingerprint: `${e.fingerprint}|${identity(e.companyTaxId, e.identifiers)}` }]),
        );
        const coveredRows = toRows(specs.map((s) => ({ ...s, fp: `${s.fp}|${identity(s.company, s.ids)}` })));
        const trusting = await run(coveredBase, coveredRows, 'per-company', true);
        expect(trusting).toEqual(await run(coveredBase, coveredRows, 'per-company', false));
        expectExactDuplicates(coveredBase, specs, trusting);
      }),
      { numRuns: 1000 },
    );
  });
});
