import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { partnerSchema, type Company, type CustomHeader, type Partner } from '../lambdas/core/partners/partner.ts';
import { isValidCnpj, normalizeTaxId } from '../lambdas/core/partners/tax-id.ts';
import { checkPublicKey, summarizeKey } from './ssh-keys.ts';

/**
 * `partner update` options → the changed partner and one line per change, or the first thing
 * wrong in one line (SPEC §17). Pure apart from reading key files (replaceable), so each rule is
 * unit-tested; the command (cli/partner-update.ts) only applies what this decided.
 */

/** The options of `partner update` as commander hands them over (repeatable ones as arrays). */
export interface PartnerUpdateOptions {
  readonly addCompany?: readonly string[];
  readonly removeCompany?: readonly string[];
  readonly renameCompany?: readonly string[];
  readonly addAdminEmail?: readonly string[];
  readonly removeAdminEmail?: readonly string[];
  readonly addSshKey?: readonly string[];
  readonly removeSshKey?: readonly string[];
  readonly wipeThreshold?: string;
  readonly approval?: string;
  readonly customHeader?: readonly string[];
  readonly notify?: string;
  readonly pgpKey?: string;
  readonly encryptUploads?: string;
  readonly encryptDownloads?: string;
  /** Remove companies that still have active employees (they are removed as by a full file without them). */
  readonly force?: boolean;
  /** Who is recorded as making the change (default: the OS user). */
  readonly actor?: string;
}

/** What an update changes, for the command to apply. */
export interface PartnerUpdatePlan {
  readonly partner: Partner;
  /** One line per change, as recorded and shown by `partner show`. */
  readonly changes: readonly string[];
  readonly addedKeys: readonly string[];
  readonly removedKeys: readonly string[];
  /** Normalised tax IDs of the companies removed. */
  readonly removedCompanies: readonly string[];
}

export type PartnerUpdateResult = { ok: true; plan: PartnerUpdatePlan } | { ok: false; error: string };

/**
 * PGP settings (SPEC §16): checking a key is asynchronous, so `partner update` checks the options
 * first (partner-update-pgp.ts) and hands the result over in this shape; without it any
 * `--pgp-key` / `--encrypt-*` option is refused with one line, changing nothing.
 */
export type PgpSettingsUpdate = (
  partner: Partner,
  options: Pick<PartnerUpdateOptions, 'pgpKey' | 'encryptUploads' | 'encryptDownloads'>,
) => { ok: true; partner: Partner; changes: string[] } | { ok: false; error: string };

export interface PartnerUpdateDeps {
  /** Reads a key file as UTF-8; throws when it cannot. */
  readonly readFile?: (path: string) => string;
  /** The checked PGP settings (partner-update-pgp.ts); absent means the options are refused. */
  readonly pgp?: PgpSettingsUpdate;
}

class Invalid extends Error {}

const fail = (message: string): never => {
  throw new Invalid(message);
};

/** Reads and checks public key files, as `partner add --ssh-key` does. */
export function readPublicKeys(option: string, paths: readonly string[], readFile: (path: string) => string): string[] {
  return paths.map((path) => {
    let content: string;
    try {
      content = readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return fail(`${option} ${path}: ${code === 'ENOENT' ? 'file not found' : 'cannot be read'}`);
    }
    const key = checkPublicKey(content);
    return key.ok ? key.line : fail(`${option} ${path}: ${key.reason}`);
  });
}

/** The key material of a key line (type and base64), without its comment. */
export const keyBody = (line: string): string => line.split(/\s+/).slice(0, 2).join(' ');

function taxIdOf(raw: string, option: string, partner: Partner): string {
  const taxId = normalizeTaxId(raw.trim(), partner.country);
  if (!taxId) fail(`invalid ${option} "${raw}": missing tax ID`);
  return taxId;
}

function splitNamed(value: string, option: string, needName: boolean): { raw: string; name: string } {
  const eq = value.indexOf('=');
  const raw = (eq < 0 ? value : value.slice(0, eq)).trim();
  const name = eq < 0 ? '' : value.slice(eq + 1).trim();
  if (needName && !name) fail(`invalid ${option} "${value}": expected <taxId>=<Company Name>`);
  return { raw, name };
}

function updateCompanies(partner: Partner, options: PartnerUpdateOptions, changes: string[]): { companies: Company[]; removed: string[] } {
  const companies = partner.companies.map((c) => ({ ...c }));
  const has = (taxId: string) => companies.some((c) => c.taxId === taxId);
  const removed: string[] = [];
  for (const value of options.removeCompany ?? []) {
    const taxId = taxIdOf(value, '--remove-company', partner);
    if (!has(taxId)) fail(`--remove-company ${taxId}: not a company of ${partner.partnerId}`);
    companies.splice(
      companies.findIndex((c) => c.taxId === taxId),
      1,
    );
    removed.push(taxId);
    changes.push(`company removed: ${taxId}`);
  }
  for (const value of options.addCompany ?? []) {
    const { raw, name } = splitNamed(value, '--add-company', false);
    const taxId = taxIdOf(raw, '--add-company', partner);
    if (partner.country === 'BR' && !isValidCnpj(taxId)) fail(`invalid --add-company "${value}": ${raw} is not a valid CNPJ`);
    if (has(taxId)) fail(`--add-company ${taxId}: already a company of ${partner.partnerId}`);
    companies.push({ taxId, name: name || taxId });
    changes.push(`company added: ${taxId} (${name || taxId})`);
  }
  for (const value of options.renameCompany ?? []) {
    const { raw, name } = splitNamed(value, '--rename-company', true);
    const taxId = taxIdOf(raw, '--rename-company', partner);
    const company = companies.find((c) => c.taxId === taxId);
    if (!company) return fail(`--rename-company ${taxId}: not a company of ${partner.partnerId}`);
    changes.push(`company renamed: ${taxId} "${company.name}" -> "${name}"`);
    company.name = name;
  }
  if (companies.length === 0) fail(`cannot remove the last company of ${partner.partnerId}: add another first, or remove the partner`);
  if (partner.entityType === 'single-entity' && companies.length !== 1) fail('a single-entity partner has exactly one company');
  if (partner.profile === 'upwards' && companies.length !== 1) fail('the upwards profile takes exactly one company');
  return { companies, removed };
}

function updateEmails(partner: Partner, options: PartnerUpdateOptions, changes: string[]): string[] {
  let emails = [...partner.adminEmails];
  for (const raw of options.removeAdminEmail ?? []) {
    const email = raw.trim();
    if (!emails.includes(email)) fail(`--remove-admin-email ${email}: not an admin email of ${partner.partnerId}`);
    emails = emails.filter((e) => e !== email);
    changes.push(`admin email removed: ${email}`);
  }
  for (const raw of options.addAdminEmail ?? []) {
    const email = raw.trim();
    if (!z.email().safeParse(email).success) fail(`invalid --add-admin-email "${email}"`);
    if (emails.includes(email)) fail(`--add-admin-email ${email}: already an admin email of ${partner.partnerId}`);
    emails.push(email);
    changes.push(`admin email added: ${email}`);
  }
  if (emails.length === 0) fail(`cannot remove the last admin email of ${partner.partnerId}: add another first`);
  return emails;
}

function updateKeys(
  partner: Partner,
  options: PartnerUpdateOptions,
  readFile: (path: string) => string,
  changes: string[],
): { keys: string[]; added: string[]; removed: string[] } {
  let keys = [...partner.sshPublicKeys];
  const removed: string[] = [];
  for (const fingerprint of options.removeSshKey ?? []) {
    const key = keys.find((line) => summarizeKey(line).fingerprint === fingerprint.trim());
    if (!key) return fail(`--remove-ssh-key ${fingerprint}: no key of ${partner.partnerId} has this fingerprint (see partner show)`);
    keys = keys.filter((line) => line !== key);
    removed.push(key);
    changes.push(`SSH key removed: ${fingerprint.trim()}`);
  }
  const added = readPublicKeys('--add-ssh-key', options.addSshKey ?? [], readFile);
  for (const key of added) {
    if (keys.some((line) => keyBody(line) === keyBody(key)) || added.filter((k) => keyBody(k) === keyBody(key)).length > 1) {
      fail(`--add-ssh-key: the key ${summarizeKey(key).fingerprint} is already one of ${partner.partnerId}'s or given twice`);
    }
    keys.push(key);
    changes.push(`SSH key added: ${summarizeKey(key).fingerprint}`);
  }
  if (keys.length === 0) fail(`cannot remove the last SSH key of ${partner.partnerId}: add another first (--add-ssh-key)`);
  return { keys, added, removed };
}

function updateHeaders(partner: Partner, raw: readonly string[], changes: string[]): CustomHeader[] {
  if (raw.length > 0 && partner.profile !== 'retrofit') fail('--custom-header applies to the retrofit profile only');
  const headers = [...partner.customHeaders];
  for (const value of raw) {
    const match = /^(.+?)\s*=\s*(store|ignore|remove)$/.exec(value.trim());
    const name = match?.[1]?.trim();
    if (!match || !name) return fail(`invalid --custom-header "${value}": expected "<Name>=store", "<Name>=ignore" or "<Name>=remove"`);
    // Headers are matched case-insensitively, so one name has one entry whatever its spelling.
    const at = headers.findIndex((h) => h.name.toLowerCase() === name.toLowerCase());
    if (match[2] === 'remove') {
      if (at < 0) fail(`--custom-header ${name}=remove: ${partner.partnerId} has no such custom header`);
      headers.splice(at, 1);
      changes.push(`custom header removed: ${name}`);
      continue;
    }
    const header = { name, mode: match[2] as CustomHeader['mode'] };
    if (at < 0) headers.push(header);
    else headers[at] = header;
    changes.push(`custom header ${name}: ${header.mode}`);
  }
  return headers;
}

function updateSettings(partner: Partner, options: PartnerUpdateOptions, changes: string[]): Partial<Partner> {
  const settings: { wipeThreshold?: number; approval?: Partner['approval']; notify?: Partner['notify'] } = {};
  if (options.wipeThreshold !== undefined) {
    const value = options.wipeThreshold.trim() === '' ? Number.NaN : Number(options.wipeThreshold);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      fail(`invalid --wipe-threshold "${options.wipeThreshold}": a number from 0 to 1 (0.1 = 10%; 1 allows removing everyone)`);
    }
    settings.wipeThreshold = value;
    changes.push(`wipe threshold: ${partner.wipeThreshold} -> ${value}`);
  }
  if (options.approval !== undefined) {
    if (!['required', 'none', 'profile'].includes(options.approval))
      fail(`invalid --approval "${options.approval}": expected one of required, none, profile`);
    settings.approval = options.approval === 'profile' ? undefined : (options.approval as Partner['approval']);
    changes.push(`approval: ${partner.approval ?? 'profile'} -> ${options.approval}`);
  }
  if (options.notify !== undefined) {
    if (!['rejections', 'all'].includes(options.notify)) fail(`invalid --notify "${options.notify}": expected rejections or all`);
    settings.notify = options.notify as Partner['notify'];
    changes.push(`notify: ${partner.notify ?? 'rejections'} -> ${options.notify}`);
  }
  return settings;
}

/** Users restricted to a removed company would be left with fewer companies, or none: decided here. */
function updateUsers(partner: Partner, removedCompanies: readonly string[], changes: string[]): Partner['users'] {
  if (!partner.users || removedCompanies.length === 0) return partner.users;
  return partner.users.map((user) => {
    if (!user.companies) return user;
    const companies = user.companies.filter((c) => !removedCompanies.includes(c));
    if (companies.length === 0) {
      fail(`user ${user.name} may send rows only for ${user.companies.join(', ')}: remove the user first (partner user remove)`);
    }
    if (companies.length !== user.companies.length) changes.push(`user ${user.name}: companies ${companies.join(', ')}`);
    return { ...user, companies };
  });
}

/**
 * Validates `partner update <id>` options against the stored partner and builds the changed one.
 *
 * @returns the plan, or the first problem as one line naming the option; nothing is changed either way
 */
export function planPartnerUpdate(partner: Partner, options: PartnerUpdateOptions, deps: PartnerUpdateDeps = {}): PartnerUpdateResult {
  const readFile = deps.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const changes: string[] = [];
  try {
    const { companies, removed: removedCompanies } = updateCompanies(partner, options, changes);
    const adminEmails = updateEmails(partner, options, changes);
    const { keys, added, removed } = updateKeys(partner, options, readFile, changes);
    const customHeaders = updateHeaders(partner, options.customHeader ?? [], changes);
    const settings = updateSettings(partner, options, changes);
    const users = updateUsers(partner, removedCompanies, changes);
    let updated: Partner = {
      ...partner,
      companies,
      adminEmails,
      sshPublicKeys: keys,
      customHeaders,
      ...settings,
      ...(users ? { users } : {}),
    };
    if ('approval' in settings && settings.approval === undefined) delete (updated as { approval?: unknown }).approval;

    const pgpOptions = { pgpKey: options.pgpKey, encryptUploads: options.encryptUploads, encryptDownloads: options.encryptDownloads };
    if (Object.values(pgpOptions).some((v) => v !== undefined)) {
      if (!deps.pgp) return { ok: false, error: '--pgp-key and --encrypt-* need the checked settings: nothing was changed' };
      const pgp = deps.pgp(updated, pgpOptions);
      if (!pgp.ok) return pgp;
      updated = pgp.partner;
      changes.push(...pgp.changes);
    }
    if (changes.length === 0) return { ok: false, error: 'nothing to change: give at least one option (see partner update --help)' };

    // The stored schema has the last word, so the CLI can never write an item the Lambdas reject.
    const parsed = partnerSchema.safeParse(updated);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: `invalid partner: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim() };
    }
    return { ok: true, plan: { partner: parsed.data, changes, addedKeys: added, removedKeys: removed, removedCompanies } };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}
