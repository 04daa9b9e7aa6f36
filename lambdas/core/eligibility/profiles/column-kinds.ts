import { z } from 'zod';
import { safeEcho } from '../masking.ts';
import type { ColumnSpec } from '../profile.ts';

/**
 * Column kinds shared by the US dialects (upwards, SPEC §10; retrofit, SPEC §11): each is a zod
 * schema whose error message is what the admin reads. Blank cells pass unless the column says
 * the value is required; the required ones fail blank as `Missing` (see cell-check.ts).
 */

const shown = (input: unknown): string => `"${safeEcho(String(input))}"`;

interface KindOptions {
  readonly requiredColumn?: boolean;
  /** The cell must not be blank. */
  readonly requiredValue?: boolean;
}

/** Builds a column from a check of the trimmed, non-blank value; blank stays `''` unless required. */
function column(
  field: string,
  header: string,
  options: KindOptions,
  check: (value: string) => string | undefined,
  complaint: (value: string) => string,
): ColumnSpec {
  return {
    field,
    header,
    requiredColumn: options.requiredColumn ?? false,
    schema: () =>
      z
        .string()
        .trim()
        .transform((value, ctx) => {
          if (value === '') {
            if (options.requiredValue) ctx.addIssue({ code: 'custom', message: `${header} is required.` });
            return '';
          }
          const stored = check(value);
          if (stored === undefined) ctx.addIssue({ code: 'custom', message: complaint(value) });
          return stored ?? '';
        }),
  };
}

const EMAIL = z.regexes.email;

/** An email address (zod's own pattern, as wellhub uses). */
export function emailColumn(field: string, header: string, options: KindOptions = {}): ColumnSpec {
  return column(
    field,
    header,
    options,
    (v) => (EMAIL.test(v) ? v : undefined),
    (v) => `${header} ${shown(v)} is not a valid email address.`,
  );
}

/** A 5-digit US ZIP code. */
export function zip5Column(field: string, header: string, options: KindOptions = {}): ColumnSpec {
  return column(
    field,
    header,
    options,
    (v) => (/^\d{5}$/.test(v) ? v : undefined),
    (v) => `${header} ${shown(v)} is not a 5-digit ZIP code, like 90292 (format the column as text so a ` + 'leading zero is kept).',
  );
}

const US_PHONE = /^(?:\((\d{3})\) ?(\d{3})-(\d{4})|(\d{3})-(\d{3})-(\d{4})|(\d{10}))$/;

/** Normalises `(555) 555-5555`, `555-555-5555` or `5555555555` to ten digits; undefined otherwise. */
export function usPhoneDigits(value: string): string | undefined {
  return US_PHONE.test(value) ? value.replace(/\D/g, '') : undefined;
}

/** A US phone number in one of the accepted formats, stored as its 10 digits. */
export function usPhoneColumn(field: string, header: string, options: KindOptions = {}): ColumnSpec {
  return column(
    field,
    header,
    options,
    usPhoneDigits,
    (v) => `${header} ${shown(v)} is not a US phone number: use (555) 555-5555, 555-555-5555 or 10 digits.`,
  );
}

/** A phone number written as digits only (retrofit: no spaces, dots, brackets or dashes). */
export function digitsPhoneColumn(field: string, header: string, options: KindOptions = {}): ColumnSpec {
  return column(
    field,
    header,
    options,
    (v) => (/^\d{7,15}$/.test(v) ? v : undefined),
    (v) => `${header} ${shown(v)} must be digits only, like 8471234567 (no spaces, dots, brackets or dashes).`,
  );
}

/** Parses `MM/DD/YYYY` (one-digit month and day accepted) into the zero-padded form, if a real date. */
export function usDate(value: string): string | undefined {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!match) return undefined;
  const [month, day, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/${year}`;
}

/** A calendar date written `MM/DD/YYYY`. */
export function usDateColumn(field: string, header: string, options: KindOptions = {}): ColumnSpec {
  return column(field, header, options, usDate, (v) => `${header} ${shown(v)} is not a date written MM/DD/YYYY, like 01/22/2021.`);
}

/** A non-negative number (digits, optionally a `.` and decimals). */
export function nonNegativeNumberColumn(field: string, header: string, options: KindOptions = {}): ColumnSpec {
  return column(
    field,
    header,
    options,
    (v) => (/^\d+(\.\d+)?$/.test(v) ? v : undefined),
    (v) => `${header} ${shown(v)} must be a number of 0 or more, with . for decimals and no currency sign (like 50000 or 15.50).`,
  );
}

/**
 * One of a fixed list of values, matched case-insensitively and stored in its listed spelling;
 * `blank` is what an empty cell means (stored as such), when the column allows one.
 */
export function choiceColumn(
  field: string,
  header: string,
  values: readonly string[],
  options: KindOptions & { readonly blank?: string } = {},
): ColumnSpec {
  const byKey = new Map(values.map((value) => [value.toLowerCase(), value]));
  const spec = column(
    field,
    header,
    options,
    (v) => byKey.get(v.toLowerCase()),
    (v) => `${header} ${shown(v)} must be one of: ${values.join(', ')}.`,
  );
  if (options.blank === undefined) return spec;
  const blank = options.blank;
  return { ...spec, schema: (ctx) => spec.schema(ctx).transform((value) => (value === '' ? blank : value)) };
}
