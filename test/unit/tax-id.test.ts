import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCnpj, isValidCnpj, isValidCpf, normalizeTaxId } from '../../lambdas/core/partners/tax-id.ts';

/**
 * Independent check-digit implementations, written differently from the module's (weights cycle
 * 2..9 from the right), used only to generate valid identifiers for the properties below.
 */
function cnpjCheckDigit(chars: string): number {
  let sum = 0;
  let weight = 2;
  for (let i = chars.length - 1; i >= 0; i--) {
    sum += (chars.charCodeAt(i) - 48) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const mod = sum % 11;
  return mod < 2 ? 0 : 11 - mod;
}

function withCnpjCheckDigits(base: string): string {
  const first = cnpjCheckDigit(base);
  const second = cnpjCheckDigit(`${base}${first}`);
  return `${base}${first}${second}`;
}

function cpfCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i + 2);
  const mod = sum % 11;
  return mod < 2 ? 0 : 11 - mod;
}

function withCpfCheckDigits(base: string): string {
  const first = cpfCheckDigit(base);
  const second = cpfCheckDigit(`${base}${first}`);
  return `${base}${first}${second}`;
}

const ALPHANUMERIC = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const cnpjBase = fc.array(fc.constantFrom(...ALPHANUMERIC), { minLength: 12, maxLength: 12 }).map((c) => c.join(''));
const cpfBase = fc.array(fc.constantFrom(...'0123456789'), { minLength: 9, maxLength: 9 }).map((c) => c.join(''));
const isAllSameDigit = (value: string): boolean => /^(\d)\1*$/.test(value);

describe('normalizeTaxId', () => {
  it.each([
    { raw: '37.211.173/0001-69', country: 'BR', expected: '37211173000169' },
    { raw: ' 37 211 173 0001 69 ', country: 'BR', expected: '37211173000169' },
    { raw: '12.abc.345/01de-35', country: 'BR', expected: '12ABC34501DE35' },
    { raw: '12.ABC.345/01DE-35', country: undefined, expected: '12ABC34501DE35' },
    { raw: '1916628000102', country: 'BR', expected: '01916628000102' },
    { raw: '191', country: 'BR', expected: '00000000000191' },
    { raw: '12069193000116', country: 'BR', expected: '12069193000116' },
    { raw: '372111730001690', country: 'BR', expected: '372111730001690' },
    { raw: '1916628000102', country: 'US', expected: '1916628000102' },
    { raw: '1916628000102', country: undefined, expected: '1916628000102' },
    { raw: '12-3456789', country: 'US', expected: '123456789' },
    { raw: 'de-123_456.789', country: 'DE', expected: 'DE123456789' },
    { raw: '', country: 'BR', expected: '' },
    { raw: '', country: undefined, expected: '' },
    { raw: './- ', country: 'BR', expected: '' },
  ])('normalises $raw (country $country) to $expected', ({ raw, country, expected }) => {
    // Act
    const normalized = normalizeTaxId(raw, country);

    // Assess
    expect(normalized).toBe(expected);
  });

  it('is idempotent for any input and country', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('BR', 'US', undefined), (raw, country) => {
        const once = normalizeTaxId(raw, country);
        expect(normalizeTaxId(once, country)).toBe(once);
        expect(once).toMatch(/^[0-9A-Z]*$/);
      }),
    );
  });
});

describe('isValidCnpj', () => {
  it.each([
    ['37.211.173/0001-69', 'reference vector, punctuated'],
    ['37211173000169', 'reference vector, digits only'],
    ['12069193000116', 'reference vector'],
    ['1916628000102', 'reference vector with the leading zero dropped by a spreadsheet'],
    ['01.916.628/0001-02', 'the same CNPJ with its leading zero'],
    ['00000000000191', 'a CNPJ made mostly of zeros'],
    ['191', 'the same with every leading zero dropped'],
    ['12.ABC.345/01DE-35', 'alphanumeric CNPJ (letters worth ASCII code minus 48)'],
    ['12ABC34501DE35', 'alphanumeric CNPJ without punctuation'],
    ['12.abc.345/01de-35', 'alphanumeric CNPJ in lower case'],
  ])('accepts %s (%s)', (raw) => {
    // Act
    const valid = isValidCnpj(raw);

    // Assess
    expect(valid).toBe(true);
  });

  it.each([
    ['37.211.173/0001-68', 'wrong second check digit'],
    ['37.211.173/0001-96', 'check digits swapped'],
    ['12069193000117', 'wrong second check digit'],
    ['12069193000106', 'wrong first check digit'],
    ['1916628000103', 'wrong check digit with the leading zero dropped'],
    ['12.ABC.345/01DE-36', 'alphanumeric with a wrong check digit'],
    ['12.ABD.345/01DE-35', 'alphanumeric with a changed base character'],
    ['00000000000000', 'all zeros'],
    ['00.000.000/0000-00', 'all zeros, punctuated'],
    ['11.111.111/1111-11', 'all ones'],
    ['99999999999999', 'all nines'],
    ['0', 'a single zero (pads to all zeros)'],
    ['372111730001690', 'fifteen digits'],
    ['3721117300016900', 'sixteen digits'],
    ['12345', 'five digits (padded, wrong check digits)'],
    ['37211173000', 'eleven digits (padded, wrong check digits)'],
    ['372111730001A9', 'a letter in the first check-digit position'],
    ['3721117300016X', 'a letter in the second check-digit position'],
    ['12ABC34501DEAB', 'letters in both check-digit positions'],
    ['12ABC34501DE3A', 'a letter in the second check-digit position of an alphanumeric CNPJ'],
    ['', 'empty'],
    ['./-', 'punctuation only'],
  ])('rejects %s (%s)', (raw) => {
    // Act
    const valid = isValidCnpj(raw);

    // Assess
    expect(valid).toBe(false);
  });

  it('accepts any 12-character alphanumeric base with its computed check digits, in any presentation', () => {
    fc.assert(
      fc.property(cnpjBase, (base) => {
        // Prepare
        const cnpj = withCnpjCheckDigits(base);
        fc.pre(!isAllSameDigit(cnpj));

        // Act / Assess
        expect(isValidCnpj(cnpj)).toBe(true);
        expect(isValidCnpj(cnpj.toLowerCase())).toBe(true);
        expect(isValidCnpj(formatCnpj(cnpj))).toBe(true);
        expect(normalizeTaxId(formatCnpj(cnpj), 'BR')).toBe(cnpj);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a numeric CNPJ whose leading zeros were dropped', () => {
    fc.assert(
      fc.property(
        cnpjBase.map((b) => `0${b.slice(1).replace(/[A-Z]/g, '7')}`),
        (base) => {
          // Prepare
          const cnpj = withCnpjCheckDigits(base);
          fc.pre(!isAllSameDigit(cnpj));
          const asSpreadsheetNumber = cnpj.replace(/^0+/, '');

          // Act / Assess
          expect(isValidCnpj(asSpreadsheetNumber)).toBe(true);
        },
      ),
    );
  });

  it('rejects a valid CNPJ in which any single check digit was changed', () => {
    fc.assert(
      fc.property(cnpjBase, fc.constantFrom(12, 13), fc.integer({ min: 1, max: 9 }), (base, position, shift) => {
        // Prepare
        const cnpj = withCnpjCheckDigits(base);
        fc.pre(!isAllSameDigit(cnpj));
        const changedDigit = (Number(cnpj[position]) + shift) % 10;
        const tampered = `${cnpj.slice(0, position)}${changedDigit}${cnpj.slice(position + 1)}`;

        // Act / Assess
        expect(isValidCnpj(tampered)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('isValidCpf', () => {
  it.each([['764.254.640-89'], ['76425464089'], ['151.846.620-65'], ['15184662065'], [' 151 846 620 65 ']])('accepts %s', (raw) => {
    // Act
    const valid = isValidCpf(raw);

    // Assess
    expect(valid).toBe(true);
  });

  it.each([
    ['764.254.640-88', 'wrong second check digit'],
    ['764.254.640-98', 'check digits swapped'],
    ['151.846.620-56', 'check digits swapped'],
    ['151.846.620-75', 'wrong first check digit'],
    ['111.111.111-11', 'all the same digit'],
    ['000.000.000-00', 'all zeros'],
    ['99999999999', 'all nines'],
    ['7642546408', 'ten digits'],
    ['764254640890', 'twelve digits'],
    ['6425464089', 'leading digit missing'],
    ['764.254.640-8X', 'a letter instead of a check digit'],
    ['764A254640-89', 'a letter among eleven valid digits'],
    ['', 'empty'],
    ['...-', 'punctuation only'],
  ])('rejects %s (%s)', (raw) => {
    // Act
    const valid = isValidCpf(raw);

    // Assess
    expect(valid).toBe(false);
  });

  it('accepts any 9-digit base with its computed check digits, punctuated or not', () => {
    fc.assert(
      fc.property(cpfBase, (base) => {
        // Prepare
        const cpf = withCpfCheckDigits(base);
        fc.pre(!isAllSameDigit(cpf));
        const punctuated = `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;

        // Act / Assess
        expect(isValidCpf(cpf)).toBe(true);
        expect(isValidCpf(punctuated)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a valid CPF in which any single check digit was changed', () => {
    fc.assert(
      fc.property(cpfBase, fc.constantFrom(9, 10), fc.integer({ min: 1, max: 9 }), (base, position, shift) => {
        // Prepare
        const cpf = withCpfCheckDigits(base);
        fc.pre(!isAllSameDigit(cpf));
        const tampered = `${cpf.slice(0, position)}${(Number(cpf[position]) + shift) % 10}${cpf.slice(position + 1)}`;

        // Act / Assess
        expect(isValidCpf(tampered)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatCnpj', () => {
  it.each([
    { normalized: '37211173000169', expected: '37.211.173/0001-69' },
    { normalized: '01916628000102', expected: '01.916.628/0001-02' },
    { normalized: '12ABC34501DE35', expected: '12.ABC.345/01DE-35' },
    { normalized: '1916628000102', expected: '1916628000102' },
    { normalized: '372111730001690', expected: '372111730001690' },
    { normalized: '', expected: '' },
  ])('formats $normalized as $expected', ({ normalized, expected }) => {
    // Act
    const formatted = formatCnpj(normalized);

    // Assess
    expect(formatted).toBe(expected);
  });

  it('formats the normalised form of a spreadsheet-mangled CNPJ with its leading zero', () => {
    // Prepare
    const normalized = normalizeTaxId('1916628000102', 'BR');

    // Act
    const formatted = formatCnpj(normalized);

    // Assess
    expect(formatted).toBe('01.916.628/0001-02');
  });
});
