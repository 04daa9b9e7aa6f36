import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  ENTITY_TYPES,
  PARTNER_ID_PATTERN,
  PROFILES,
  partnerSchema,
  type Company,
  type CustomHeader,
  type EntityType,
  type Partner,
  type Profile,
} from '../lambdas/core/partners/partner.ts';
import { isValidCnpj, normalizeTaxId } from '../lambdas/core/partners/tax-id.ts';
import { checkPublicKey } from './ssh-keys.ts';

/**
 * `partner add` options → a valid Partner, or the first thing wrong in one line. Every rule lives
 * here, away from AWS, so each can be unit-tested; the only outside access is reading key files,
 * through a function the tests can replace.
 */

/** The options of `partner add` as commander hands them over (repeatable ones as arrays). */
export interface PartnerAddOptions {
  readonly entityType?: string;
  readonly profile?: string;
  readonly company?: readonly string[];
  readonly adminEmail?: readonly string[];
  readonly sshKey?: readonly string[];
  readonly country?: string;
  readonly currency?: string;
  readonly wipeThreshold?: string;
  readonly customHeader?: readonly string[];
  /** `required` or `none`: whether full files' removals wait for approval (default: the profile's rule). */
  readonly approval?: string;
}

/** The outcome: a partner ready to store, or a one-line reason. */
export type PartnerOptionsResult = { ok: true; partner: Partner } | { ok: false; error: string };

/** Outside effects, replaceable in tests. */
export interface PartnerOptionsDeps {
  /** Reads a key file as UTF-8; throws when it cannot. */
  readonly readFile?: (path: string) => string;
  readonly now?: () => Date;
}

class Invalid extends Error {}

const fail = (message: string): never => {
  throw new Invalid(message);
};

const list = (values: readonly string[]): string => values.join(', ');

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string, fallback?: T): T {
  if (value === undefined && fallback) return fallback;
  if (value === undefined) return fail(`${option} is required: one of ${list(allowed)}`);
  return (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fail(`invalid ${option} "${value}": expected one of ${list(allowed)}`);
}

function parseCompanies(raw: readonly string[], country: string, entityType: EntityType, profile: Profile): Company[] {
  if (raw.length === 0) return fail('--company is required (at least one): <taxId>[=<Company Name>]');
  const seen = new Set<string>();
  const companies = raw.map((value) => {
    const eq = value.indexOf('=');
    const rawTaxId = (eq < 0 ? value : value.slice(0, eq)).trim();
    const taxId = normalizeTaxId(rawTaxId, country);
    if (!taxId) fail(`invalid --company "${value}": missing tax ID`);
    if (country === 'BR' && !isValidCnpj(taxId)) fail(`invalid --company "${value}": ${rawTaxId} is not a valid CNPJ`);
    if (seen.has(taxId)) fail(`duplicate --company tax ID ${taxId}`);
    seen.add(taxId);
    const name = eq < 0 ? '' : value.slice(eq + 1).trim();
    return { taxId, name: name || taxId };
  });
  if (profile === 'upwards' && companies.length !== 1) fail('the upwards profile takes exactly one --company');
  if (entityType === 'single-entity' && companies.length !== 1) {
    fail('a single-entity partner has exactly one --company; use multi-entity or channel-partner for several');
  }
  return companies;
}

function parseEmails(raw: readonly string[]): string[] {
  if (raw.length === 0) return fail('--admin-email is required (at least one)');
  const emails = raw.map((value) => value.trim());
  for (const email of emails) if (!z.email().safeParse(email).success) fail(`invalid --admin-email "${email}"`);
  return [...new Set(emails)];
}

function parseKeys(paths: readonly string[], readFile: (path: string) => string): string[] {
  if (paths.length === 0) return fail('--ssh-key is required (at least one): a public key file such as id_ed25519.pub');
  const lines = paths.map((path) => {
    let content: string;
    try {
      content = readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return fail(`--ssh-key ${path}: ${code === 'ENOENT' ? 'file not found' : 'cannot be read'}`);
    }
    const key = checkPublicKey(content);
    return key.ok ? key.line : fail(`--ssh-key ${path}: ${key.reason}`);
  });
  // Compare the key material only: the same key with another comment is still the same key.
  const bodies = lines.map((line) => line.split(/\s+/).slice(0, 2).join(' '));
  if (new Set(bodies).size !== bodies.length) fail('the same --ssh-key is given twice');
  return lines;
}

function parseThreshold(raw: string | undefined): number {
  if (raw === undefined) return 0.1;
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    fail(`invalid --wipe-threshold "${raw}": a number from 0 to 1 (0.1 = 10%; 1 allows removing everyone)`);
  }
  return value;
}

function parseCustomHeaders(raw: readonly string[], profile: Profile): CustomHeader[] {
  if (raw.length > 0 && profile !== 'retrofit') fail('--custom-header applies to the retrofit profile only');
  const seen = new Set<string>();
  return raw.map((value) => {
    const match = /^(.+?)\s*=\s*(store|ignore)$/.exec(value.trim());
    const name = match?.[1]?.trim();
    if (!match || !name) return fail(`invalid --custom-header "${value}": expected "<Name>=store" or "<Name>=ignore"`);
    // Headers are matched case-insensitively, so two spellings of one name would be ambiguous.
    if (seen.has(name.toLowerCase())) fail(`duplicate --custom-header ${name}`);
    seen.add(name.toLowerCase());
    return { name, mode: match[2] as CustomHeader['mode'] };
  });
}

/**
 * Validates `partner add <id>` options and builds the partner to store.
 *
 * @param id - the partner id (also the SFTP user name)
 * @param options - the parsed command options
 * @param deps - file reading and clock, replaceable in tests
 * @returns the partner, or the first problem as one line naming the option
 */
export function partnerFromOptions(id: string, options: PartnerAddOptions, deps: PartnerOptionsDeps = {}): PartnerOptionsResult {
  const readFile = deps.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  try {
    if (!PARTNER_ID_PATTERN.test(id)) fail(`invalid partner id "${id}": 3 to 40 lowercase letters, digits or hyphens`);
    const entityType = oneOf(options.entityType, ENTITY_TYPES, '--entity-type');
    const profile = oneOf(options.profile, PROFILES, '--profile', 'wellhub');
    const country = (options.country ?? 'BR').trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) fail(`invalid --country "${options.country}": a two-letter code such as BR`);
    const currency = (options.currency ?? 'BRL').trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) fail(`invalid --currency "${options.currency}": a three-letter code such as BRL`);
    const candidate = {
      partnerId: id,
      entityType,
      profile,
      companies: parseCompanies(options.company ?? [], country, entityType, profile),
      adminEmails: parseEmails(options.adminEmail ?? []),
      sshPublicKeys: parseKeys(options.sshKey ?? [], readFile),
      country,
      currency,
      wipeThreshold: parseThreshold(options.wipeThreshold),
      customHeaders: parseCustomHeaders(options.customHeader ?? [], profile),
      ...(options.approval === undefined ? {} : { approval: oneOf(options.approval, ['required', 'none'] as const, '--approval') }),
      createdAt: (deps.now?.() ?? new Date()).toISOString(),
    };
    // The stored schema has the last word, so the CLI can never write an item the Lambdas reject.
    const parsed = partnerSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: `invalid partner: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim() };
    }
    return { ok: true, partner: parsed.data };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}
