import { describe, expect, it } from 'vitest';
import {
  ENTITY_TYPES,
  PARTNER_ID_PATTERN,
  PROFILES,
  authorFromUserAgentId,
  partnerSchema,
  rootFolder,
  type EntityType,
  type PartnerInput,
} from '../../lambdas/core/partners/partner.ts';

function partnerInput(overrides: Record<string, unknown> = {}): PartnerInput {
  return {
    partnerId: 'acme',
    entityType: 'single-entity',
    companies: [{ taxId: '37211173000169', name: 'Acme Ltda' }],
    adminEmails: ['hr@acme.example.com'],
    sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample acme@laptop'],
    createdAt: '2026-11-22T14:03:09Z',
    ...overrides,
  } as PartnerInput;
}

describe('partnerSchema', () => {
  it('fills in the defaults: wellhub profile, BR, BRL, 10% wipe threshold, no custom headers', () => {
    // Prepare
    const input = partnerInput();

    // Act
    const partner = partnerSchema.parse(input);

    // Assess
    expect(partner).toEqual({
      partnerId: 'acme',
      entityType: 'single-entity',
      profile: 'wellhub',
      companies: [{ taxId: '37211173000169', name: 'Acme Ltda' }],
      adminEmails: ['hr@acme.example.com'],
      country: 'BR',
      currency: 'BRL',
      wipeThreshold: 0.1,
      customHeaders: [],
      sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample acme@laptop'],
      createdAt: '2026-11-22T14:03:09Z',
    });
    expect(partner.pgpPublicKey).toBeUndefined();
  });

  it('keeps explicit values instead of the defaults', () => {
    // Prepare
    const input = partnerInput({
      entityType: 'channel-partner',
      profile: 'retrofit',
      country: 'US',
      currency: 'USD',
      wipeThreshold: 1,
      customHeaders: [
        { name: 'Badge Number', mode: 'store' },
        { name: 'Shoe Size', mode: 'ignore' },
      ],
      pgpPublicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
    });

    // Act
    const partner = partnerSchema.parse(input);

    // Assess
    expect(partner).toMatchObject({
      entityType: 'channel-partner',
      profile: 'retrofit',
      country: 'US',
      currency: 'USD',
      wipeThreshold: 1,
      customHeaders: [
        { name: 'Badge Number', mode: 'store' },
        { name: 'Shoe Size', mode: 'ignore' },
      ],
      pgpPublicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
    });
  });

  it.each([0, 0.5, 1])('accepts a wipe threshold of %s', (wipeThreshold) => {
    // Act
    const result = partnerSchema.safeParse(partnerInput({ wipeThreshold }));

    // Assess
    expect(result.success).toBe(true);
  });

  it.each(['abc', 'acme', 'acme-2', '123', 'a-b', 'a'.repeat(40)])('accepts the partner id %j', (partnerId) => {
    // Act
    const result = partnerSchema.safeParse(partnerInput({ partnerId }));

    // Assess
    expect(result.success).toBe(true);
    expect(PARTNER_ID_PATTERN.test(partnerId)).toBe(true);
  });

  it.each([
    ['AB', 'upper case and too short'],
    ['ab', 'too short'],
    ['a'.repeat(41), 'too long'],
    ['Acme', 'upper case'],
    ['ACME', 'upper case'],
    ['ac_me', 'underscore'],
    ['ac me', 'space'],
    ['acme!', 'punctuation'],
    ['acme/x', 'slash'],
    ['../x', 'path traversal'],
    ['josé', 'non-ASCII letter'],
    ['', 'empty'],
  ])('rejects the partner id %j (%s)', (partnerId) => {
    // Act
    const result = partnerSchema.safeParse(partnerInput({ partnerId }));

    // Assess
    expect(result.success).toBe(false);
    expect(PARTNER_ID_PATTERN.test(partnerId)).toBe(false);
  });

  it.each([
    ['entityType', 'solo'],
    ['profile', 'excel'],
    ['country', 'br'],
    ['country', 'BRA'],
    ['currency', 'R$'],
    ['currency', 'brl'],
    ['wipeThreshold', 1.5],
    ['wipeThreshold', -0.1],
    ['wipeThreshold', '0.1'],
    ['companies', []],
    ['companies', [{ taxId: '', name: 'Acme' }]],
    ['companies', [{ taxId: '37211173000169', name: '' }]],
    ['adminEmails', []],
    ['adminEmails', ['dacus@modigliani@com']],
    ['sshPublicKeys', []],
    ['sshPublicKeys', ['']],
    ['customHeaders', [{ name: 'Badge', mode: 'keep' }]],
    ['customHeaders', [{ name: '', mode: 'store' }]],
    ['createdAt', undefined],
  ])('rejects %s = %j', (field, value) => {
    // Prepare
    const input = partnerInput({ [field]: value });

    // Act
    const result = partnerSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it('lists the three entity types and the three profiles', () => {
    // Assess
    expect(ENTITY_TYPES).toEqual(['single-entity', 'multi-entity', 'channel-partner']);
    expect(PROFILES).toEqual(['wellhub', 'upwards', 'retrofit']);
  });
});

describe('rootFolder', () => {
  it.each<{ entityType: EntityType; expected: string }>([
    { entityType: 'single-entity', expected: '' },
    { entityType: 'multi-entity', expected: 'multientity' },
    { entityType: 'channel-partner', expected: 'channelpartner' },
  ])('is $expected for $entityType', ({ entityType, expected }) => {
    // Act
    const root = rootFolder(entityType);

    // Assess
    expect(root).toBe(expected);
  });
});

describe('authorFromUserAgentId', () => {
  it.each([
    { userAgentId: 'acme@s-1234', expected: 'acme' },
    { userAgentId: 'acme-corp@s-01234567890abcdef', expected: 'acme-corp' },
    { userAgentId: 'first.last@corp.example@s-1234', expected: 'first.last@corp.example' },
    { userAgentId: 'acme', expected: 'acme' },
    { userAgentId: '', expected: undefined },
    { userAgentId: undefined, expected: undefined },
  ])('reads $expected from $userAgentId', ({ userAgentId, expected }) => {
    // Act
    const author = authorFromUserAgentId(userAgentId);

    // Assess
    expect(author).toBe(expected);
  });
});
