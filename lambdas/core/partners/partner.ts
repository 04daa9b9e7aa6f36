import { z } from 'zod';

/** SPEC §16 encryption settings (pgp-settings.ts holds their rules). */
export const ENCRYPT_UPLOADS = ['off', 'optional', 'required'] as const;
export type EncryptUploads = (typeof ENCRYPT_UPLOADS)[number];

export const ENCRYPT_DOWNLOADS = ['off', 'on'] as const;
export type EncryptDownloads = (typeof ENCRYPT_DOWNLOADS)[number];

/**
 * A partner is one SFTP account (SPEC §2). This schema is the stored shape and the one the CLI
 * validates against, so the two cannot disagree.
 */

export const ENTITY_TYPES = ['single-entity', 'multi-entity', 'channel-partner'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const PROFILES = ['wellhub', 'upwards', 'retrofit'] as const;
export type Profile = (typeof PROFILES)[number];

// SPEC §2 says `[a-z0-9-]{3,40}`; the first character is also kept off `-` because Transfer user
// names must start with a word character (and a leading dash reads as a CLI option).
export const PARTNER_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,39}$/;

export const companySchema = z.object({
  /** Normalised tax ID (see normalizeTaxId). */
  taxId: z.string().min(1),
  /** Display name, used in file names. */
  name: z.string().min(1),
});
export type Company = z.infer<typeof companySchema>;

export const customHeaderSchema = z.object({
  name: z.string().min(1),
  mode: z.enum(['store', 'ignore']),
});
export type CustomHeader = z.infer<typeof customHeaderSchema>;

/**
 * A further SFTP login of a partner (SPEC §17): its own keys, the partner's tree as home, and
 * optionally fewer companies than the partner may send rows for.
 */
export const sftpUserSchema = z.object({
  /** The login name, unique in the environment among partner ids and user names. */
  name: z.string().regex(PARTNER_ID_PATTERN),
  sshPublicKeys: z.array(z.string().min(1)).min(1),
  /** Normalised tax IDs this user may send rows for; absent means all of the partner's. */
  companies: z.array(z.string().min(1)).min(1).optional(),
  createdAt: z.string(),
});
export type SftpUser = z.infer<typeof sftpUserSchema>;

export const partnerSchema = z.object({
  partnerId: z.string().regex(PARTNER_ID_PATTERN),
  entityType: z.enum(ENTITY_TYPES),
  profile: z.enum(PROFILES).default('wellhub'),
  companies: z.array(companySchema).min(1),
  adminEmails: z.array(z.email()).min(1),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('BR'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('BRL'),
  /** Share of a company's active employees a full file may remove (SPEC §6.5). */
  wipeThreshold: z.number().min(0).max(1).default(0.1),
  customHeaders: z.array(customHeaderSchema).default([]),
  /**
   * Whether a full file's removals wait for an admin's approval (SPEC §10); unset means the
   * profile's own rule (upwards: required; wellhub, retrofit: none).
   */
  approval: z.enum(['required', 'none']).optional(),
  /** OpenSSH public key lines (`ssh-ed25519 AAAA… comment`). */
  sshPublicKeys: z.array(z.string().min(1)).min(1),
  /** The partner's armored OpenPGP public key (SPEC §16): what encrypted downloads are encrypted to. */
  pgpPublicKey: z.string().optional(),
  /** Who is emailed about what (SPEC §17): only rejections (the default), or every settled upload. */
  notify: z.enum(['rejections', 'all']).optional(),
  /** SFTP users besides the partner id itself (SPEC §17). */
  users: z.array(sftpUserSchema).optional(),
  /** Bumped by every change, so two operators' concurrent updates cannot overwrite each other. */
  revision: z.number().int().min(0).optional(),
  /**
   * Whether uploads may (`optional`) or must (`required`) be OpenPGP-encrypted to the provider's
   * key; unset is `off` (optional in the type, so partners stored before §16 still parse unchanged).
   */
  encryptUploads: z.enum(ENCRYPT_UPLOADS).optional(),
  /** `on`: files holding personal data are written `{name}.pgp`, encrypted to `pgpPublicKey`; unset is `off`. */
  encryptDownloads: z.enum(ENCRYPT_DOWNLOADS).optional(),
  createdAt: z.string(),
});
export type Partner = z.infer<typeof partnerSchema>;
export type PartnerInput = z.input<typeof partnerSchema>;

/** Root folder of a partner's SFTP tree, by entity type (SPEC §3): '' means the tree's `/`. */
export function rootFolder(entityType: EntityType): '' | 'multientity' | 'channelpartner' {
  switch (entityType) {
    case 'single-entity':
      return '';
    case 'multi-entity':
      return 'multientity';
    case 'channel-partner':
      return 'channelpartner';
  }
}

/** The SFTP user name as Transfer writes it in `user-agent-id` metadata (`user@server-id`). */
export function authorFromUserAgentId(userAgentId: string | undefined): string | undefined {
  if (!userAgentId) return undefined;
  const at = userAgentId.lastIndexOf('@');
  return at > 0 ? userAgentId.slice(0, at) : userAgentId;
}

/**
 * The partner as seen by what `author` sends: a user given `--company` may send rows only for
 * those companies (SPEC §17), so the flows judge its rows against that narrower list. The partner
 * id itself and unrestricted users see every company.
 */
export function partnerScopedTo(partner: Partner, author: string | undefined): Partner {
  const user = partner.users?.find((u) => u.name === author);
  if (!user?.companies) return partner;
  const allowed = new Set(user.companies);
  return { ...partner, companies: partner.companies.filter((c) => allowed.has(c.taxId)) };
}
