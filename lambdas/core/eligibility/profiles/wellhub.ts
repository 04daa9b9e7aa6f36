import { z } from 'zod';
import { isValidCnpj, isValidCpf, normalizeTaxId } from '../../partners/tax-id.ts';
import { maskNationalId, safeEcho } from '../masking.ts';
import {
  FREE_TEXT,
  requiredTextColumn,
  textColumn,
  type ColumnSpec,
  type FastCell,
  type FileProfile,
  type ProfileContext,
  type RowRule,
} from '../profile.ts';

/**
 * The default `wellhub` dialect (SPEC §6.1). Every column's zod schema is its definition; the
 * `fast` functions are the same rules without zod's per-call overhead, built from the same
 * predicates, for the plainly valid cells that make up nearly every row.
 */

const isBrazil = (ctx: ProfileContext): boolean => ctx.country === 'BR';

// Zod's own email pattern, so the fast path and `z.email()` agree on what an address is.
const EMAIL = z.regexes.email;
const ID_PUNCTUATION = /[^\p{L}\p{N}]/gu;
const PUNCTUATED_CPF = /^\d{3}\.\d{3}\.\d{3}-\d{2}$/;
const CEP = /^(\d{5})-?(\d{3})$/;

// Character loops rather than regular expressions for the shapes every row has: at a million
// rows the call into the regex engine is a measurable share of the reading time.
function isDigitRun(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function isAsciiAlphanumeric(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) continue;
    const letter = code | 0x20; // folds A-Z onto a-z
    if (letter < 97 || letter > 122) return false;
  }
  return true;
}

// Characters of zod's email pattern: a local part's (C1; its last may not be `'`) and a label's.
const isLocalCode = (code: number): boolean =>
  (code >= 97 && code <= 122) ||
  (code >= 65 && code <= 90) ||
  (code >= 48 && code <= 57) ||
  code === 95 ||
  code === 39 ||
  code === 43 ||
  code === 45;
const isAlphanumericCode = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
const isLetterCode = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90);

/**
 * Zod's email pattern (`z.regexes.email`) as one pass over the characters: the regex costs more
 * per row than any other cell check. The pattern reads: a local part of dot-separated, non-empty
 * runs of `A-Za-z0-9_'+-`, not ending in `'`; `@`; one or more labels that start with a letter or
 * digit, continue with letters, digits or `-` and end in `.`; a top-level domain of two or more
 * letters. The caller still asks the regex when this says no, so only its yes must be exact; the
 * fast-path tests hold it to the regex both ways.
 */
export function isPlainEmail(value: string): boolean {
  const at = value.indexOf('@');
  if (at < 1) return false;
  // Local part: runs separated by single dots, no leading or trailing dot.
  let previous = 0x2e;
  for (let i = 0; i < at; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x2e) {
      if (previous === 0x2e) return false;
    } else if (!isLocalCode(code)) return false;
    previous = code;
  }
  if (previous === 0x2e || previous === 0x27) return false;
  // Domain: labels ending in `.`, then the top-level domain.
  const end = value.length;
  const lastDot = value.lastIndexOf('.');
  if (lastDot <= at + 1 || end - lastDot - 1 < 2) return false;
  for (let i = lastDot + 1; i < end; i++) if (!isLetterCode(value.charCodeAt(i))) return false;
  let labelStart = true;
  for (let i = at + 1; i <= lastDot; i++) {
    const code = value.charCodeAt(i);
    if (labelStart) {
      if (!isAlphanumericCode(code)) return false;
      labelStart = false;
    } else if (code === 0x2e) labelStart = true;
    else if (!isAlphanumericCode(code) && code !== 0x2d) return false;
  }
  return true;
}

/** Identifier form used for matching: no punctuation or spaces (SPEC §6.2). */
export function withoutPunctuation(value: string): string {
  return isAsciiAlphanumeric(value) ? value : value.replace(ID_PUNCTUATION, '');
}

const companyTaxId: ColumnSpec = {
  field: 'companyTaxId',
  header: 'Company Tax ID',
  requiredColumn: true,
  schema: (ctx) => {
    const present = z.string().min(1, { error: 'Company Tax ID is required.' });
    // Membership in the partner's companies is checked by the reader for every profile; here
    // only the shape. The value is not echoed: the report's Company Tax ID column shows it.
    const checked = isBrazil(ctx)
      ? present.refine(isValidCnpj, { error: 'Company Tax ID is not a valid CNPJ: check its 14 characters.' })
      : present;
    return z
      .string()
      .transform((raw) => normalizeTaxId(raw, ctx.country))
      .pipe(checked);
  },
};

const email: ColumnSpec = {
  field: 'email',
  header: 'Email',
  requiredColumn: false,
  schema: () =>
    z
      .string()
      .trim()
      .refine((value) => value === '' || EMAIL.test(value), {
        error: (issue) => `Email "${safeEcho(String(issue.input))}" is not a valid email address.`,
      }),
  fast: () => (raw) => {
    const value = raw.trim();
    return value === '' || isPlainEmail(value) || EMAIL.test(value) ? value : undefined;
  },
};

const cpfColumnSchema = (): z.ZodType<string, string> =>
  z
    .string()
    .trim()
    .refine((value) => value === '' || isValidCpf(value), {
      error: (issue) =>
        `National ID ${maskNationalId(String(issue.input))} is not a valid CPF: it needs 11 digits ` +
        'with valid check digits (dots and dash optional).',
    })
    .transform((value) => value.replace(/\D/g, ''));

/**
 * `isValidCpf` for a string of exactly 11 digits, without its allocations: the fast path runs it
 * on every row. Same rule: mod-11 check digits (a rest of 10 counts as 0), repeated digits refused.
 */
export function plainCpfIsValid(digits: string): boolean {
  let first = 0;
  let second = 0;
  let repeated = true;
  const d0 = digits.charCodeAt(0);
  for (let i = 0; i < 9; i++) {
    const code = digits.charCodeAt(i);
    if (code !== d0) repeated = false;
    first += (code - 48) * (10 - i);
    second += (code - 48) * (11 - i);
  }
  const check1 = ((first * 10) % 11) % 10;
  if (check1 !== digits.charCodeAt(9) - 48) return false;
  const check2 = (((second + check1 * 2) * 10) % 11) % 10;
  if (check2 !== digits.charCodeAt(10) - 48) return false;
  return !(repeated && digits.charCodeAt(9) === d0 && digits.charCodeAt(10) === d0);
}

const cpfFast: FastCell = (raw) => {
  const value = raw.trim();
  if (value === '') return '';
  if (value.length === 11 && isDigitRun(value, 0, 11)) return plainCpfIsValid(value) ? value : undefined;
  if (PUNCTUATED_CPF.test(value)) {
    // One string built from char codes: slicing and joining would make eight.
    const v = value;
    const digits = String.fromCharCode(
      v.charCodeAt(0),
      v.charCodeAt(1),
      v.charCodeAt(2),
      v.charCodeAt(4),
      v.charCodeAt(5),
      v.charCodeAt(6),
      v.charCodeAt(8),
      v.charCodeAt(9),
      v.charCodeAt(10),
      v.charCodeAt(12),
      v.charCodeAt(13),
    );
    return plainCpfIsValid(digits) ? digits : undefined;
  }
  return isValidCpf(value) ? value.replace(/\D/g, '') : undefined;
};

const nationalId: ColumnSpec = {
  field: 'nationalId',
  header: 'National ID',
  requiredColumn: false,
  schema: (ctx) => (isBrazil(ctx) ? cpfColumnSchema() : z.string().trim()),
  fast: (ctx) => (isBrazil(ctx) ? cpfFast : FREE_TEXT),
};

// Called only on a value CEP matched: 8 digits, or 5 digits, a dash and 3 digits.
function formatCep(value: string): string {
  if (value.length !== 8) return value;
  const v = value;
  return String.fromCharCode(
    v.charCodeAt(0),
    v.charCodeAt(1),
    v.charCodeAt(2),
    v.charCodeAt(3),
    v.charCodeAt(4),
    0x2d,
    v.charCodeAt(5),
    v.charCodeAt(6),
    v.charCodeAt(7),
  );
}

const officeZip: ColumnSpec = {
  field: 'officeZip',
  header: 'Office zip code',
  requiredColumn: false,
  schema: (ctx) =>
    isBrazil(ctx)
      ? z
          .string()
          .trim()
          .refine((value) => value === '' || CEP.test(value), {
            error: (issue) =>
              `Office zip code "${safeEcho(String(issue.input))}" is not a CEP: use 8 digits, like ` +
              '04571-926 or 04571926 (format the column as text so a leading zero is kept).',
          })
          .transform(formatCep)
      : z.string().trim(),
  fast: (ctx) =>
    isBrazil(ctx)
      ? (raw) => {
          const value = raw.trim();
          if (value === '') return value;
          if (value.length === 9 && value.charCodeAt(5) === 45 && isDigitRun(value, 0, 5) && isDigitRun(value, 6, 9)) return value;
          return value.length === 8 && isDigitRun(value, 0, 8) ? formatCep(value) : undefined;
        }
      : FREE_TEXT,
};

// A Map, not an object literal: a cell reading `constructor` must not find Object.prototype.
const YES_NO: ReadonlyMap<string, 'Yes' | 'No'> = new Map([
  ['', 'No'],
  ['yes', 'Yes'],
  ['no', 'No'],
]);

const payrollEnabled: ColumnSpec = {
  field: 'payrollEnabled',
  header: 'Payroll Enabled',
  requiredColumn: false,
  schema: () =>
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(
        z.enum(['', 'yes', 'no'], {
          error: (issue) => `Payroll Enabled must be Yes or No (blank means No), not "${safeEcho(String(issue.input))}".`,
        }),
      )
      .transform((value) => YES_NO.get(value) ?? 'No'),
  fast: () => (raw) => {
    if (raw === 'Yes' || raw === 'No') return raw;
    return YES_NO.get(raw.trim().toLowerCase());
  },
};

/** SPEC §6.1: a row must say who the person is by at least one identifier. */
export const atLeastOneIdentifier: RowRule = (values, failedFields) => {
  if (values['email'] || values['nationalId'] || values['employeeId']) return undefined;
  if (failedFields.has('email') || failedFields.has('nationalId') || failedFields.has('employeeId')) return undefined;
  return {
    type: 'Missing',
    description: 'Give at least one of Email, National ID or Employee ID so we can tell who the employee is.',
  };
};

/** The wellhub columns in the order the eligible list is written. */
export const WELLHUB_COLUMNS: readonly ColumnSpec[] = [
  companyTaxId,
  requiredTextColumn('name', 'Name'),
  email,
  nationalId,
  textColumn('employeeId', 'Employee ID'),
  textColumn('department', 'Department'),
  textColumn('payrollId', 'Payroll ID'),
  textColumn('costCenter', 'Cost center'),
  officeZip,
  payrollEnabled,
];

/** The `wellhub` profile (SPEC §6.1). */
export const wellhubProfile: FileProfile = {
  name: 'wellhub',
  headerMatch: 'case-insensitive-trimmed',
  delimiters: [',', ';'],
  columns: WELLHUB_COLUMNS,
  company: { kind: 'column', field: 'companyTaxId' },
  identity: {
    employeeId: { field: 'employeeId', normalize: withoutPunctuation },
    nationalId: { field: 'nationalId', normalize: withoutPunctuation },
    email: { field: 'email', normalize: (value) => value.toLowerCase() },
  },
  rowRules: [atLeastOneIdentifier],
  unknownColumns: 'reject',
  headerOnly: 'empty-file',
};
