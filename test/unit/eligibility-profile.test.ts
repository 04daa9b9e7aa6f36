import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { FILE_PROFILES, profileFor } from '../../lambdas/core/eligibility/profiles/index.ts';
import { wellhubProfile } from '../../lambdas/core/eligibility/profiles/wellhub.ts';
import { requiredTextColumn, textColumn, type ColumnSpec, type FileProfile } from '../../lambdas/core/eligibility/profile.ts';
import { brPartner, csvText, readAll, validRow } from './eligibility-read-fixtures.ts';

/**
 * Profiles are data: a dialect shaped like upwards/retrofit (SPEC §10, §11) — no company column,
 * exact headers, pipes, custom attributes, headers decided per partner — reads through the same
 * reader with no code of its own.
 */

const phone: ColumnSpec = {
  field: 'phone',
  header: 'Phone',
  requiredColumn: false,
  schema: () => z.string().transform((raw) => raw.replace(/\D/g, '')),
};

const toyProfile: FileProfile = {
  name: 'toy',
  headerMatch: 'exact',
  delimiters: [',', '|'],
  columns: [
    requiredTextColumn('externalId', 'External Id'),
    { ...textColumn('firstName', 'First Name'), requiredColumn: true },
    { ...textColumn('legacy', 'Legacy'), ignored: true },
  ],
  dynamicColumn: (header) => (/Cell|Work/.test(header) ? { ...phone, field: `phone:${header}`, header } : undefined),
  company: { kind: 'partner' },
  identity: { employeeId: { field: 'externalId', normalize: (value) => value } },
  rowRules: [],
  unknownColumns: 'custom-attribute',
  headerOnly: 'wipe-guard',
};

describe('profile registry', () => {
  it('serves every profile a partner can have, by name', () => {
    // Act
    const wellhub = profileFor('wellhub');

    // Assess
    expect(wellhub).toBe(wellhubProfile);
    expect(Object.keys(FILE_PROFILES)).toEqual(['wellhub', 'upwards', 'retrofit']);
    expect(profileFor('upwards').name).toBe('upwards');
    expect(profileFor('retrofit').name).toBe('retrofit');
  });
});

describe('a profile as data', () => {
  const partner = brPartner({ companies: [{ taxId: '37211173000169', name: 'Acme Ltda' }] });

  it('reads a pipe file for the partner’s only company, with custom attributes and per-header columns', async () => {
    // Act
    const { header, outcomes } = await readAll(
      [csvText(['External Id|First Name|Cell Phone|Legacy|Shoe size', 'X1|Ana|(555) 555-5555|old|38'])],
      {
        profile: toyProfile,
        partner,
      },
    );

    // Assess
    expect(header).toEqual(['externalId', 'firstName', 'phone:Cell Phone', 'custom:Shoe size']);
    const row = validRow(outcomes[0]!);
    expect(row).toMatchObject({
      companyTaxId: '37211173000169',
      identifiers: { employeeId: 'X1' },
      values: { externalId: 'X1', firstName: 'Ana', 'phone:Cell Phone': '5555555555', 'custom:Shoe size': '38' },
    });
  });

  it('matches headers exactly when the profile says so', async () => {
    // Act
    const { header } = await readAll([csvText(['External Id,first name,First Name'])], { profile: toyProfile, partner });

    // Assess
    expect(header).toEqual(['externalId', 'custom:first name', 'firstName']);
  });

  it('counts custom attributes in the fingerprint only when they hold a value', async () => {
    // Act
    const read = async (lines: string[]) =>
      validRow((await readAll([csvText(lines)], { profile: toyProfile, partner })).outcomes[0]!).fingerprint;
    const without = await read(['External Id,First Name', 'X1,Ana']);
    const blank = await read(['External Id,First Name,Shoe size', 'X1,Ana,']);
    const filled = await read(['External Id,First Name,Shoe size', 'X1,Ana,38']);

    // Assess
    expect(blank).toBe(without);
    expect(filled).not.toBe(without);
  });
});
