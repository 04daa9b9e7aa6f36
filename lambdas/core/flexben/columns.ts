import { z } from 'zod';
import { safeEcho } from '../eligibility/masking.ts';
import type { ColumnSpec, RowRule } from '../eligibility/profile.ts';

/**
 * The credit columns of a flexben add-or-update file (SPEC §7.1): amount, month and year. Each
 * zod schema is the column's one definition: it validates and outputs the stored form.
 */

const AMOUNT = /^(\d+)(?:\.(\d{1,2}))?$/;
// What a spreadsheet in pt-BR writes: `10,50` or `1.000,50`.
const COMMA_DECIMAL = /^\d{1,3}(?:\.\d{3})*,\d+$|^\d+,\d+$/;
/** Ten billion: a credit above this is a typo, and it keeps amounts exact as numbers of cents. */
const MAX_INTEGER_DIGITS = 10;

/** `'10'` → `'10.00'`, `'007.5'` → `'7.50'`: the amount with two decimals, or undefined when invalid. */
export function normalizeAmount(raw: string): string | undefined {
  const match = AMOUNT.exec(raw.trim());
  if (!match) return undefined;
  const integer = match[1]!.replace(/^0+(?=\d)/, '');
  const decimals = (match[2] ?? '').padEnd(2, '0');
  if (integer.length > MAX_INTEGER_DIGITS) return undefined;
  if (/^0+$/.test(integer) && /^0+$/.test(decimals)) return undefined;
  return `${integer}.${decimals}`;
}

function amountMessage(raw: string): string {
  const value = raw.trim();
  const shown = safeEcho(value);
  if (COMMA_DECIMAL.test(value)) {
    return (
      `Amount "${shown}" uses a comma as the decimal separator. Write amounts with a dot and at most ` +
      `2 decimals, like ${value.replace(/\./g, '').replace(',', '.')} (format the column as text or as a number with a dot).`
    );
  }
  if (AMOUNT.test(value)) {
    return `Amount "${shown}" is not a positive amount: a credit must be more than 0 (and less than 10 billion), like 100.00.`;
  }
  return `Amount "${shown}" is not valid: make sure it is a positive number with a dot as decimal separator and at most 2 decimals, like 100.00 or 10.`;
}

export const amountColumn: ColumnSpec = {
  field: 'amount',
  header: 'Amount',
  requiredColumn: true,
  schema: () =>
    z.string().transform((raw, ctx) => {
      if (raw.trim() === '') {
        ctx.addIssue({ code: 'custom', message: 'Amount is required: give the credit, like 100.00.' });
        return z.NEVER;
      }
      const amount = normalizeAmount(raw);
      if (amount === undefined) {
        ctx.addIssue({ code: 'custom', message: amountMessage(raw) });
        return z.NEVER;
      }
      return amount;
    }),
  fast: () => normalizeAmount,
};

const MONTH = /^\d{1,2}$/;
const YEAR = /^\d{4}$/;

export const monthColumn: ColumnSpec = {
  field: 'month',
  header: 'Last Credited Month',
  requiredColumn: true,
  schema: () =>
    z
      .string()
      .trim()
      .min(1, { error: 'Last Credited Month is required: give the month number, 1 to 12.' })
      .refine((value) => MONTH.test(value) && Number(value) >= 1 && Number(value) <= 12, {
        error: (issue) => `Last Credited Month must be a month number from 1 to 12, not "${safeEcho(String(issue.input))}".`,
      })
      .transform((value) => String(Number(value))),
};

export const yearColumn: ColumnSpec = {
  field: 'year',
  header: 'Last Credited Year',
  requiredColumn: true,
  schema: () =>
    z
      .string()
      .trim()
      .min(1, { error: 'Last Credited Year is required: give the year with four digits, like 2026.' })
      .refine((value) => YEAR.test(value), {
        error: (issue) => `Last Credited Year must have four digits, like 2026, not "${safeEcho(String(issue.input))}".`,
      }),
};

/** (year, month) as one comparable number. */
export function monthIndex(year: number, month: number): number {
  return year * 12 + (month - 1);
}

/**
 * SPEC §7.1: the credited month must be the current UTC month or later. Built per upload from the
 * processing time, so a file put on the last evening of a month is judged by the clock, in UTC.
 */
export function creditMonthNotPast(now: Date): RowRule {
  const current = monthIndex(now.getUTCFullYear(), now.getUTCMonth() + 1);
  const shown = `${now.getUTCMonth() + 1}/${now.getUTCFullYear()}`;
  return (values, failedFields) => {
    if (failedFields.has('month') || failedFields.has('year')) return undefined;
    const month = Number(values['month']);
    const year = Number(values['year']);
    if (!month || !year || monthIndex(year, month) >= current) return undefined;
    return {
      field: 'Last Credited Month',
      type: 'Invalid',
      description:
        `The credited month ${month}/${year} is in the past. Make sure the credited month is the same as or later ` +
        `than the current month (${shown}, UTC).`,
    };
  };
}
