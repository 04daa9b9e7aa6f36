import { describe, expect, it } from 'vitest';
import { safeFileNamePart } from '../../lambdas/core/files/safe-file-name.ts';
import { jobDay, parseCycle } from '../../lambdas/core/payroll/cycle.ts';
import { formatMoney } from '../../lambdas/core/payroll/money.ts';
import { daysActiveInCycle, proratedCents } from '../../lambdas/core/payroll/proration.ts';
import { dayNumber } from '../../lambdas/core/platform-events/days.ts';

describe('money formats (SPEC §8)', () => {
  it('formats BRL, USD, EUR and other currencies', () => {
    expect(formatMoney(123456, 'BRL')).toBe('R$ 1.234,56');
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(123456, 'EUR')).toBe('€1.234,56');
    expect(formatMoney(123456, 'GBP')).toBe('GBP 1234.56');
    expect(formatMoney(5, 'BRL')).toBe('R$ 0,05');
    expect(formatMoney(123456789, 'USD')).toBe('$1,234,567.89');
    expect(formatMoney(44990, 'BRL')).toBe('R$ 449,90');
  });
});

describe('proration (SPEC §8)', () => {
  it('counts the first day of the cycle as one day', () => {
    const cycle = parseCycle('2026-03');
    const days = daysActiveInCycle(cycle.firstDay, dayNumber('2025-01-01'), dayNumber('2026-03-01'));
    expect(days).toBe(1);
    expect(proratedCents(31000, days, cycle.days)).toBe(1000);
  });

  it('charges the whole month to someone removed on its last day', () => {
    const cycle = parseCycle('2026-04');
    const days = daysActiveInCycle(cycle.firstDay, undefined, dayNumber('2026-04-30'));
    expect(days).toBe(30);
    expect(proratedCents(44990, days, cycle.days)).toBe(44990);
  });

  it('uses 29 days in a leap February and 28 otherwise', () => {
    const leap = parseCycle('2028-02');
    expect(leap.days).toBe(29);
    expect(proratedCents(2900, daysActiveInCycle(leap.firstDay, undefined, dayNumber('2028-02-15')), leap.days)).toBe(1500);
    const plain = parseCycle('2027-02');
    expect(plain.days).toBe(28);
    expect(proratedCents(2800, daysActiveInCycle(plain.firstDay, undefined, dayNumber('2027-02-14')), plain.days)).toBe(1400);
  });

  it('starts counting at the effective date when the employee joined during the cycle', () => {
    const cycle = parseCycle('2026-06');
    expect(daysActiveInCycle(cycle.firstDay, dayNumber('2026-06-10'), dayNumber('2026-06-19'))).toBe(10);
  });

  it('rounds half-up to cents', () => {
    expect(proratedCents(50, 1, 4)).toBe(13); // 12.5 → 13
    expect(proratedCents(30, 1, 4)).toBe(8); // 7.5 → 8
    expect(proratedCents(10, 1, 3)).toBe(3); // 3.33 → 3
    expect(proratedCents(20, 1, 3)).toBe(7); // 6.67 → 7
    expect(proratedCents(44990, 1, 31)).toBe(1451); // 14.5129 → 14.51
  });

  it('parses cycles and picks the job date', () => {
    expect(() => parseCycle('2026-13')).toThrow(/YYYY-MM/);
    const cycle = parseCycle('2026-11');
    expect(cycle.id).toBe('202611');
    expect(jobDay(cycle, new Date('2026-11-25T03:00:00Z'))).toBe(dayNumber('2026-11-25'));
    expect(jobDay(cycle, new Date('2027-01-05T03:00:00Z'))).toBe(dayNumber('2026-11-30'));
  });
});

describe('file-name sanitising', () => {
  it('removes path separators and control characters, keeps accents', () => {
    expect(safeFileNamePart('Acme/Brasil Ltda', 'x')).toBe('Acme-Brasil Ltda');
    expect(safeFileNamePart('Conceição\u0000\tS.A.', 'x')).toBe('Conceição S.A.');
    expect(safeFileNamePart('..\\evil:name*?', 'x')).toBe('-evil-name--');
    expect(safeFileNamePart('  \u0007 ', '37211173000169')).toBe('37211173000169');
    expect([...safeFileNamePart('a'.repeat(300), 'x')]).toHaveLength(100);
  });
});
