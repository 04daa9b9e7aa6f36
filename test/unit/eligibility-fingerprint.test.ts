import { describe, expect, it } from 'vitest';
import { WELLHUB_COLUMNS } from '../../lambdas/core/eligibility/profiles/wellhub.ts';
import { hash64, rowFingerprint } from '../../lambdas/core/eligibility/read/fingerprint.ts';
import { valuesFactory } from '../../lambdas/core/eligibility/read/values-factory.ts';
import { CNPJ, readLines, validRow, WELLHUB_HEADER, wellhubRow } from './eligibility-read-fixtures.ts';

/** Fingerprints: stable across column order, different on any change (SPEC §6.3 no-op re-uploads). */

const FIELDS_AFTER_COMPANY = WELLHUB_COLUMNS.map((c) => c.field).filter((f) => f !== 'companyTaxId');

async function fingerprintOf(header: string, row: string): Promise<string> {
  const { outcomes } = await readLines([header, row]);
  return validRow(outcomes[0]!).fingerprint;
}

describe('row fingerprints', () => {
  it('are the same for the same values whatever the column order', async () => {
    // Prepare
    const cells = wellhubRow().split(',');
    const order = [9, 3, 0, 8, 1, 5, 2, 7, 4, 6];
    const headers = WELLHUB_HEADER.split(',');

    // Act
    const inOrder = await fingerprintOf(WELLHUB_HEADER, cells.join(','));
    const shuffled = await fingerprintOf(order.map((i) => headers[i]).join(','), order.map((i) => cells[i]).join(','));

    // Assess
    expect(shuffled).toBe(inOrder);
  });

  it('are the same whatever spelling of the same normalised values', async () => {
    // Act
    const plain = await fingerprintOf(
      WELLHUB_HEADER,
      wellhubRow({ company: CNPJ.acme, nationalId: '76425464089', zip: '04571926', payroll: 'yes' }),
    );
    const punctuated = await fingerprintOf(
      WELLHUB_HEADER,
      wellhubRow({ company: ` ${CNPJ.acmePunctuated}`, nationalId: '764.254.640-89', zip: '04571-926 ', payroll: 'YES' }),
    );

    // Assess
    expect(punctuated).toBe(plain);
  });

  it('change when any single value changes', async () => {
    // Prepare
    const base = wellhubRow().split(',');
    const changed = [
      '01916628000102',
      'Maria Souza Lima',
      'm2@acme.example.com',
      '151.846.620-65',
      'E-002',
      'Sales',
      'P2',
      'CC-11',
      '04571-927',
      'No',
    ];

    // Act
    const original = await fingerprintOf(WELLHUB_HEADER, base.join(','));
    const variants = await Promise.all(
      changed.map((value, i) => fingerprintOf(WELLHUB_HEADER, base.map((cell, j) => (j === i ? value : cell)).join(','))),
    );

    // Assess
    expect(new Set([original, ...variants]).size).toBe(changed.length + 1);
  });

  it('count an absent optional column like an empty one', async () => {
    // Act
    const absent = await fingerprintOf('Company Tax ID,Name,Email', `${CNPJ.acme},Ana,a@acme.example.com`);
    const blank = await fingerprintOf('Company Tax ID,Name,Email,Department', `${CNPJ.acme},Ana,a@acme.example.com,`);

    // Assess
    expect(blank).toBe(absent);
  });

  it('equal rowFingerprint over the row values, so stored rows can be re-fingerprinted', async () => {
    // Act
    const { outcomes } = await readLines([WELLHUB_HEADER, wellhubRow()]);
    const row = validRow(outcomes[0]!);

    // Assess
    expect(rowFingerprint(row.companyTaxId, row.values, FIELDS_AFTER_COMPANY)).toBe(row.fingerprint);
  });
});

describe('hash64', () => {
  it('is 16 hex characters, stable, and sensitive to where parts split', () => {
    // Act
    const a = hash64(['ab', 'c']);

    // Assess
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64(['ab', 'c'])).toBe(a);
    expect(hash64(['a', 'bc'])).not.toBe(a);
    expect(hash64(['abc'])).not.toBe(a);
    expect(hash64(['', ''])).not.toBe(hash64(['']));
  });

  it('spreads near-identical rows apart (no collisions over 100k sequential IDs)', () => {
    // Act
    const hashes = new Set(Array.from({ length: 100_000 }, (_, i) => hash64([CNPJ.acme, `E${i}`, 'Yes'])));

    // Assess
    expect(hashes.size).toBe(100_000);
  });
});

describe('valuesFactory', () => {
  it('builds objects with the fields in order', () => {
    // Act
    const values = valuesFactory(['name', 'custom:Shoe "size"'])(['Ana', '38']);

    // Assess
    expect(Object.entries(values)).toEqual([
      ['name', 'Ana'],
      ['custom:Shoe "size"', '38'],
    ]);
  });

  it('keeps __proto__ an ordinary own field', () => {
    // Act
    const values = valuesFactory(['__proto__', 'name'])(['x', 'Ana']);

    // Assess
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(Object.keys(values)).toEqual(['__proto__', 'name']);
  });
});
