import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidCpf } from '../../lambdas/core/partners/tax-id.ts';
import { z } from 'zod';
import { isPlainEmail, plainCpfIsValid, WELLHUB_COLUMNS } from '../../lambdas/core/eligibility/profiles/wellhub.ts';
import { profileContext } from '../../lambdas/core/eligibility/profile.ts';
import { compileCell } from '../../lambdas/core/eligibility/read/cell-check.ts';
import { brPartner } from './eligibility-read-fixtures.ts';

/**
 * Each column's zod schema is its definition; the fast paths only skip zod's overhead. These
 * properties hold them to that: a fast path never accepts what the schema refuses, and when it
 * answers it answers exactly what the schema outputs.
 */

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
const cpfLike = fc.oneof(
  digits(11, 11),
  digits(11, 11).map((d) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`),
  fc.constantFrom('764.254.640-89', '76425464089', '151.846.620-65', '111.111.111-11', '764 254 640 89', '764.254.640-89x'),
);
const cepLike = fc.oneof(
  digits(7, 9),
  digits(5, 5).chain((a) => digits(3, 4).map((b) => `${a}-${b}`)),
);
const padded = (cell: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom('', ' ', '\t'), cell, fc.constantFrom('', ' ', '  ')).map(([a, b, c]) => `${a}${b}${c}`);
const cells = padded(
  fc.oneof(
    fc.string(),
    cpfLike,
    cepLike,
    fc.emailAddress(),
    fc.constantFrom('', 'Yes', 'yes', 'YES', 'No', 'no', 'maybe', 'constructor', 'dacus@modigliani@com', '37.211.173/0001-69'),
  ),
);

describe('wellhub fast paths agree with the schemas', () => {
  for (const country of ['BR', 'US']) {
    const ctx = profileContext(brPartner({ country }));
    for (const column of WELLHUB_COLUMNS) {
      const fast = column.fast?.(ctx);
      if (!fast) continue;
      const schema = column.schema(ctx);
      it(`${column.header} (${country})`, () => {
        fc.assert(
          fc.property(cells, (raw) => {
            const answer = fast(raw);
            if (answer === undefined) return;
            const parsed = schema.safeParse(raw);
            expect(parsed.success).toBe(true);
            expect(parsed.data).toBe(answer);
          }),
          { numRuns: 2000 },
        );
      });
    }
  }
});

/** Appends CPF check digits, computed the textbook way (weights from the right), to 9 digits. */
function withCpfCheckDigits(base: string): string {
  const digit = (body: string): number => {
    let sum = 0;
    for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i + 2);
    const rest = sum % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  const first = digit(base);
  return `${base}${first}${digit(`${base}${first}`)}`;
}

describe('plainCpfIsValid', () => {
  it('accepts CPFs with correct check digits, as isValidCpf does', () => {
    fc.assert(
      fc.property(digits(9, 9).map(withCpfCheckDigits), (cpf) => {
        expect(plainCpfIsValid(cpf)).toBe(isValidCpf(cpf));
        expect(plainCpfIsValid(cpf)).toBe(!/^(\d)\1{10}$/.test(cpf));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with isValidCpf on every 11-digit string', () => {
    fc.assert(
      fc.property(digits(11, 11), (cpf) => {
        expect(plainCpfIsValid(cpf)).toBe(isValidCpf(cpf));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees on the repeated-digit CPFs, which have valid check digits but are refused', () => {
    for (let d = 0; d <= 9; d++) expect(plainCpfIsValid(String(d).repeat(11))).toBe(false);
  });
});

describe('compileCell', () => {
  const ctx = profileContext(brPartner());
  const column = (field: string) => WELLHUB_COLUMNS.find((c) => c.field === field)!;

  it('reports a failing blank cell as Missing and a failing non-blank one as Invalid', () => {
    // Prepare
    const name = compileCell(column('name'), ctx);
    const company = compileCell(column('companyTaxId'), ctx);

    // Act
    const blankName = name.fast(' ') ?? name.full(' ');
    const badCompany = company.fast('123') ?? company.full('123');

    // Assess
    expect(blankName).toEqual({ type: 'Missing', description: 'Name is required.' });
    expect(badCompany).toMatchObject({ type: 'Invalid' });
  });

  it('answers a repeated cell of a column without a fast path from what it remembers', () => {
    // Prepare
    const company = compileCell(column('companyTaxId'), ctx);
    const first = company.full('37.211.173/0001-69');

    // Act
    const again = company.fast('37.211.173/0001-69');

    // Assess
    expect(first).toBe('37211173000169');
    expect(again).toBe('37211173000169');
    expect(company.fast('12069193000116')).toBeUndefined();
  });
});

describe('isPlainEmail', () => {
  // Strings built from the characters that matter to the pattern, so both answers come up often.
  const emailish = fc.array(fc.constantFrom(..."aZ09_'+-..@@-xé "), { minLength: 0, maxLength: 14 }).map((chars) => chars.join(''));
  const shaped = fc
    .tuple(emailish, emailish, fc.constantFrom('com', 'br', 'c', 'c0', 'COM', ''))
    .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

  it("says yes exactly when zod's email pattern does", () => {
    fc.assert(
      fc.property(fc.oneof(emailish, shaped, fc.emailAddress(), fc.string()), (value) => {
        expect(isPlainEmail(value)).toBe(z.regexes.email.test(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees on hand-picked edges', () => {
    for (const value of [
      'a@b.co',
      'a.b@c.de',
      '.a@b.co',
      'a.@b.co',
      "a'@b.co",
      "'a@b.co",
      'a..b@c.de',
      'a@-b.co',
      'a@b-.co',
      'a@b.c',
      'a@b.c1',
      'a@b..co',
      'a@b@c.co',
      'dacus@modigliani@com',
      '@b.co',
      'a@.co',
      'a@b.co.',
    ]) {
      expect(isPlainEmail(value), value).toBe(z.regexes.email.test(value));
    }
  });
});
