import { requiredTextColumn, textColumn, type ColumnSpec, type FileProfile } from '../profile.ts';
import { choiceColumn, emailColumn, nonNegativeNumberColumn, usDate, usDateColumn, usPhoneColumn, zip5Column } from './column-kinds.ts';

/**
 * The `upwards` dialect, the Active Members List (SPEC §10): snake_case headers (matched
 * case-insensitively), one company per partner, any column it does not know kept as a custom
 * attribute, and removals held until an admin approves them.
 */

export const EMPLOYMENT_STATUSES = [
  'full_time_employee',
  'part_time_employee',
  'contract_employee',
  'independent_contractor',
  'intern',
  'volunteer',
  'temporary',
] as const;

const required = { requiredColumn: true, requiredValue: true } as const;

/** The upwards columns, required first, in the order the eligible list is written. */
export const UPWARDS_COLUMNS: readonly ColumnSpec[] = [
  requiredTextColumn('employeeId', 'employee_id'),
  requiredTextColumn('firstName', 'first_name'),
  requiredTextColumn('lastName', 'last_name'),
  emailColumn('email', 'email', required),
  zip5Column('zipCode', 'zip_code', required),
  usPhoneColumn('phone', 'phone'),
  usPhoneColumn('secondaryPhone', 'secondary_phone'),
  emailColumn('secondaryEmail', 'secondary_email'),
  usDateColumn('startDate', 'start_date'),
  choiceColumn('hasDependents', 'has_dependents', ['0', '1']),
  zip5Column('workZipCode', 'work_zip_code'),
  textColumn('supervisor', 'supervisor'),
  textColumn('location', 'location'),
  textColumn('department', 'department'),
  textColumn('division', 'division'),
  textColumn('businessUnit', 'business_unit'),
  textColumn('jobCategory', 'job_category'),
  nonNegativeNumberColumn('annualSalary', 'annual_salary'),
  nonNegativeNumberColumn('hourlyRate', 'hourly_rate'),
  choiceColumn('employmentStatus', 'employment_status', EMPLOYMENT_STATUSES),
];

export const UPWARDS_FILE_NAME = '{CUSTOMER_NAME}_benefits_access_{YYYYMMDD}.csv';

/** SPEC §10: `{CUSTOMER_NAME}_benefits_access_{YYYYMMDD}.csv`, with a real date. */
export function upwardsFileNameProblem(name: string): string | undefined {
  const match = /^(.+)_benefits_access_(\d{4})(\d{2})(\d{2})\.csv$/i.exec(name);
  if (match && match[1]!.trim() !== '' && usDate(`${match[3]}/${match[4]}/${match[2]}`)) return undefined;
  return (
    `The file name must follow the pattern ${UPWARDS_FILE_NAME}, for example ACME_benefits_access_20261101.csv ` +
    '(the date is the day the list was produced). Rename the file and upload it again; nothing was applied.'
  );
}

/** The `upwards` profile (SPEC §10). */
export const upwardsProfile: FileProfile = {
  name: 'upwards',
  headerMatch: 'case-insensitive-trimmed',
  delimiters: [','],
  columns: UPWARDS_COLUMNS,
  company: { kind: 'partner' },
  identity: {
    employeeId: { field: 'employeeId', normalize: (value) => value },
    email: { field: 'email', normalize: (value) => value.toLowerCase() },
  },
  rowRules: [],
  unknownColumns: 'custom-attribute',
  headerOnly: 'wipe-guard',
  fileName: upwardsFileNameProblem,
  sortBy: ['lastName', 'firstName'],
  removals: 'approval',
};
