import { z } from 'zod';
import type { CustomHeader } from '../../partners/partner.ts';
import {
  customAttributeField,
  requiredTextColumn,
  textColumn,
  type ColumnSpec,
  type FileProfile,
  type ProfileContext,
} from '../profile.ts';
import { choiceColumn, digitsPhoneColumn, emailColumn } from './column-kinds.ts';

/**
 * The `retrofit` dialect (SPEC §11): exact, case-sensitive headers, comma or pipe, the whole file
 * refused for a header nobody agreed on, phone columns typed by their header's name, the
 * partner's own custom headers, and people identified by their External Id alone.
 */

export const ELIGIBILITY_TYPES = ['Employee', 'Dependent', 'Consumer', 'Custom1', 'Custom2', 'Custom3'] as const;

/** Words that make a header a phone column, and the phone type each means (case-sensitive). */
export const PHONE_TYPES = ['Cell', 'Mobile', 'Home', 'Work', 'Office'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number] | 'Other';

// `123-45-6789` or nine digits: the shapes of a US Social Security number.
const SSN_LIKE = /^(?:\d{3}-\d{2}-\d{4}|\d{9})$/;

/** External Id: required, and never something that looks like an SSN (privacy). */
const externalId: ColumnSpec = {
  ...requiredTextColumn('employeeId', 'External Id'),
  aliases: ['External ID'],
  schema: () =>
    z
      .string()
      .trim()
      .min(1, { error: 'External Id is required.' })
      .refine((value) => !SSN_LIKE.test(value), {
        error:
          'External Id looks like a US Social Security number. For privacy, use another unique ID ' +
          '(an employee number, for example), never an SSN.',
      }),
  fast: undefined,
};

/** The default and optional retrofit headers, in the order the eligible list is written. */
export const RETROFIT_COLUMNS: readonly ColumnSpec[] = [
  externalId,
  requiredTextColumn('firstName', 'First Name'),
  requiredTextColumn('lastName', 'Last Name'),
  emailColumn('email', 'Email'),
  choiceColumn('eligibilityType', 'Eligibility Type', ELIGIBILITY_TYPES, { blank: 'Employee' }),
  textColumn('street1', 'Street 1'),
  textColumn('street2', 'Street 2'),
  textColumn('city', 'City'),
  textColumn('state', 'State'),
  textColumn('postalCode', 'Postal Code'),
];

/** The phone type a header names by containing one of the type words, if any. */
export function phoneTypeOf(header: string): PhoneType | undefined {
  return PHONE_TYPES.find((word) => header.includes(word));
}

/** Field id of a phone column: the type, then the header it was read under. */
export function phoneField(type: PhoneType, header: string): string {
  return `phone-${type.toLowerCase()}:${header}`;
}

function phoneColumn(type: PhoneType, header: string): ColumnSpec {
  return digitsPhoneColumn(phoneField(type, header), header);
}

/**
 * A header not among the defaults: an agreed custom header (ignored, stored, or a phone of type
 * Other when its name says phone), else a phone header by its type word, else nothing (refused).
 * Agreed headers come first, so `Work Location` agreed as `store` is text, not a work phone.
 */
function retrofitDynamicColumn(header: string, ctx: ProfileContext): ColumnSpec | undefined {
  const custom: CustomHeader | undefined = ctx.partner.customHeaders.find((agreed) => agreed.name === header);
  if (custom?.mode === 'ignore') return { ...textColumn(customAttributeField(header), header), ignored: true };
  if (custom)
    return /phone/i.test(header) ? phoneColumn(phoneTypeOf(header) ?? 'Other', header) : textColumn(customAttributeField(header), header);
  const type = phoneTypeOf(header);
  return type ? phoneColumn(type, header) : undefined;
}

/** The `retrofit` profile (SPEC §11). */
export const retrofitProfile: FileProfile = {
  name: 'retrofit',
  headerMatch: 'exact',
  delimiters: [',', '|'],
  columns: RETROFIT_COLUMNS,
  dynamicColumn: retrofitDynamicColumn,
  company: { kind: 'partner' },
  identity: { employeeId: { field: 'employeeId', normalize: (value) => value } },
  rowRules: [],
  unknownColumns: 'reject',
  headerOnly: 'wipe-guard',
  sortBy: ['lastName', 'firstName'],
  removals: 'immediate',
};
