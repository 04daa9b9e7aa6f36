import { describe, expect, it } from 'vitest';
import { BaseIndex } from '../../lambdas/core/eligibility/diff/base-index.ts';
import { HashTable64 } from '../../lambdas/core/eligibility/diff/hash-table.ts';
import { ACME, GLOBEX, stored } from '../support/diff-factories.ts';

describe('BaseIndex', () => {
  it('finds employees by company, identity key and value across chunks and growth', async () => {
    // Prepare: more employees than one 1024-employee chunk and than the initial capacity
    const employees = Array.from({ length: 5000 }, (_, i) =>
      stored(`key-${i}`, { employeeId: `E${i}`, ...(i % 3 ? { email: `p${i}@acme.com` } : {}) }, { active: i % 7 !== 0 }),
    );
    // Act
    const index = await BaseIndex.from(employees);
    // Assess
    expect(index.size).toBe(5000);
    for (const i of [0, 1, 1023, 1024, 2047, 4999]) {
      const slot = index.find(ACME, 'employeeId', `E${i}`);
      expect(index.slots.employeeKey(slot)).toBe(`key-${i}`);
      expect(index.slots.identifiers(slot)).toEqual(employees[i]!.identifiers);
      expect(index.slots.isActive(slot)).toBe(i % 7 !== 0);
      expect(index.companyTaxId(slot)).toBe(ACME);
    }
    expect(index.find(ACME, 'email', 'p4997@acme.com')).toBe(4997);
    expect(index.activeCount(ACME)).toBe(5000 - Math.ceil(5000 / 7));
  });

  it('keeps every employee across slot blocks, with the table built after the last one', async () => {
    // Prepare: more than one 65,536-slot block, some sharing an email with a later, active one
    const size = 70_000;
    const employees = Array.from({ length: size }, (_, i) =>
      stored(
        `key-${i}`,
        {
          employeeId: `E${i}`,
          email: i % 1000 === 5 ? `shared${i + 1}@acme.com` : i % 1000 === 6 ? `shared${i}@acme.com` : `p${i}@acme.com`,
        },
        { active: i % 1000 !== 5 },
      ),
    );
    // Act
    const index = await BaseIndex.from(employees);
    index.freeze();
    // Assess
    for (const i of [0, 65_535, 65_536, 69_999]) {
      const slot = index.find(ACME, 'employeeId', `E${i}`);
      expect(slot).toBe(i);
      expect(index.slots.employeeKey(slot)).toBe(`key-${i}`);
      expect(index.slots.isShared(slot)).toBe(false);
    }
    expect(index.slots.employeeKey(index.find(ACME, 'email', 'shared66006@acme.com'))).toBe('key-66006');
    expect(index.slots.isShared(66_005)).toBe(true);
    expect(index.slots.isShared(66_006)).toBe(true);
  });

  it('indexes employees added after a lookup as they come', () => {
    const index = new BaseIndex();
    index.add(stored('first', { employeeId: '1', email: 'a@acme.com' }, { active: false }));
    expect(index.find(ACME, 'email', 'a@acme.com')).toBe(0);
    index.add(stored('second', { employeeId: '2', email: 'a@acme.com' }));
    expect(index.find(ACME, 'employeeId', '2')).toBe(1);
    expect(index.find(ACME, 'email', 'a@acme.com')).toBe(1);
    expect(index.slots.isShared(0)).toBe(true);
  });

  it('misses on another company, another key or a prefix of the value', async () => {
    const index = await BaseIndex.from([stored('k', { employeeId: '123', email: 'a@b.com' })]);
    expect(index.find(GLOBEX, 'employeeId', '123')).toBe(-1);
    expect(index.find(ACME, 'nationalId', '123')).toBe(-1);
    expect(index.find(ACME, 'employeeId', '12')).toBe(-1);
    expect(index.find(ACME, 'email', 'a@b.com')).toBe(0);
    expect(index.activeCount(GLOBEX)).toBe(0);
  });

  it('keeps non-Latin-1 characters and leaves blank identifiers out', async () => {
    const index = await BaseIndex.from([stored('κλειδί-1', { email: 'joão@conceição.com.br' }), stored('k2', { employeeId: '7' })]);
    expect(index.slots.identifiers(0)).toEqual({ email: 'joão@conceição.com.br' });
    expect(index.slots.employeeKey(0)).toBe('κλειδί-1');
    expect(index.slots.identifierEquals(1, 1, undefined)).toBe(true);
    expect(index.slots.identifierEquals(1, 0, '7')).toBe(true);
    // Stored as bytes, wide (two a unit) or narrow: found by hash and compared unit by unit.
    expect(index.find(ACME, 'email', 'joão@conceição.com.br')).toBe(0);
    expect(index.find(ACME, 'email', 'joão@conceição.com.bR')).toBe(-1);
    expect(index.find(ACME, 'employeeId', '7')).toBe(1);
    const narrow = await BaseIndex.from([stored('k', { email: 'ÿé@x.com' }), stored('ł', { employeeId: 'Łódź-7', email: 'ł@x.pl' })]);
    expect(narrow.find(ACME, 'email', 'ÿé@x.com')).toBe(0);
    expect(narrow.find(ACME, 'email', 'ł@x.pl')).toBe(1);
    expect(narrow.find(ACME, 'employeeId', 'Łódź-7')).toBe(1);
    expect(narrow.slots.identifiers(1)).toEqual({ employeeId: 'Łódź-7', email: 'ł@x.pl' });
    expect(narrow.slots.employeeKey(0)).toBe('k');
  });

  it('prefers the active holder of an identifier two stored employees share', async () => {
    const gone = stored('gone', { email: 'shared@acme.com' }, { active: false });
    const current = stored('current', { email: 'shared@acme.com' });
    for (const order of [
      [gone, current],
      [current, gone],
    ]) {
      const index = await BaseIndex.from(order);
      expect(index.slots.employeeKey(index.find(ACME, 'email', 'shared@acme.com'))).toBe('current');
    }
  });

  it('compares fingerprints through their hash', async () => {
    const index = await BaseIndex.from([stored('k', { employeeId: '1' }, { fingerprint: 'abc' })]);
    expect(index.slots.fingerprintEquals(0, 0, 0)).toBe(false);
  });

  it('refuses additions once a plan froze it', () => {
    const index = new BaseIndex();
    index.freeze();
    expect(() => index.add(stored('k', { employeeId: '1' }))).toThrow(/frozen/);
  });
});

describe('HashTable64', () => {
  it('keeps every entry through growth', () => {
    const table = new HashTable64();
    for (let i = 1; i <= 20_000; i++) table.insert(i * 7919, i ^ 0x5bd1e995, i);
    expect(table.size).toBe(20_000);
    expect(table.capacity).toBeGreaterThanOrEqual(20_000 / 0.8);
    for (let i = 1; i <= 20_000; i += 997) expect(table.valueAt(table.find(i * 7919, i ^ 0x5bd1e995))).toBe(i);
    expect(table.find(1, 1)).toBe(-1);
    expect(table.valueAt(table.insert(7919, 1 ^ 0x5bd1e995, 42))).toBe(1);
  });

  it('is sized to the entries expected, not to the next power of two, and wraps around its end', () => {
    // Three million identifiers (a million employees) fit in 3.75M entries, not 4M or 8M.
    expect(new HashTable64(3_000_000).capacity).toBeLessThan(3_760_000);
    const table = new HashTable64(1_500);
    expect(table.capacity).toBe(1_876);
    // Hashes whose home is the last entry: the second and third land at the start.
    const last: [number, number][] = [];
    for (let i = 1; last.length < 3; i += 1) {
      const probe = new HashTable64(1_500);
      if (probe.insert(i, Math.imul(i, 0x27d4eb2d) >>> 0, 1) === probe.capacity - 1) last.push([i, Math.imul(i, 0x27d4eb2d) >>> 0]);
    }
    const positions = last.map(([hi, lo], i) => table.insert(hi, lo, i + 1));
    expect(positions).toEqual([table.capacity - 1, 0, 1]);
    for (const [i, [hi, lo]] of last.entries()) expect(table.valueAt(table.find(hi, lo))).toBe(i + 1);
    expect(table.size).toBe(3);
  });
});
