import type { FileProfile } from '../eligibility/profile.ts';
import { atLeastOneIdentifier, WELLHUB_COLUMNS, wellhubProfile } from '../eligibility/profiles/wellhub.ts';
import { amountColumn, creditMonthNotPast, monthColumn, yearColumn } from './columns.ts';

/**
 * The two flexben files (SPEC §7.1, §7.2) as eligibility file profiles, so the same reader
 * decodes them (UTF-8 or Windows-1252, `,` or `;`, RFC 4180) and refuses broken files with the
 * same words. The identifying columns are wellhub's own, so a credit row names an employee the
 * way the census does, and matches the base under the same normalisation (SPEC §6.2).
 */

const IDENTITY_FIELDS = ['companyTaxId', 'email', 'nationalId', 'employeeId'];
const identityColumns = IDENTITY_FIELDS.map((field) => WELLHUB_COLUMNS.find((column) => column.field === field)!);

const base = {
  headerMatch: wellhubProfile.headerMatch,
  delimiters: wellhubProfile.delimiters,
  company: wellhubProfile.company,
  identity: wellhubProfile.identity,
  unknownColumns: 'reject',
  headerOnly: 'empty-file',
} as const;

/** `flexben/upload/add-or-update/`: who, how much, and the month credited (judged against `now`, UTC). */
export function addOrUpdateProfile(now: Date): FileProfile {
  return {
    ...base,
    name: 'wellhub-flexben-add-or-update',
    columns: [...identityColumns, amountColumn, monthColumn, yearColumn],
    rowRules: [atLeastOneIdentifier, creditMonthNotPast(now)],
  };
}

/** `flexben/upload/removal/`: who loses their credit. */
export const removalProfile: FileProfile = {
  ...base,
  name: 'wellhub-flexben-removal',
  columns: identityColumns,
  rowRules: [atLeastOneIdentifier],
};

/** The add-or-update file's columns in order: also the beneficiaries list's (SPEC §7.4). */
export const CREDIT_COLUMNS = addOrUpdateProfile(new Date(0)).columns.map((c) => ({ field: c.field, header: c.header }));
