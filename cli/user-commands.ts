import { readFileSync } from 'node:fs';
import { PARTNER_ID_PATTERN, type Partner, type SftpUser } from '../lambdas/core/partners/partner.ts';
import { normalizeTaxId } from '../lambdas/core/partners/tax-id.ts';
import type { CommandContext } from './context.ts';
import { CliError, oneLine, UsageError } from './io.ts';
import { actorName, existingPartner, operatorClients } from './operator-clients.ts';
import { keyBody, readPublicKeys } from './partner-update-plan.ts';
import { summarizeKey } from './ssh-keys.ts';
import { createUserLogin } from './transfer-logins.ts';
import { deleteTransferUser } from './transfer-users.ts';

/**
 * `partner user add | list | remove` (SPEC §17): further SFTP logins of a partner. Each has its
 * own keys and logs in with its own name into the partner's tree; what it sends carries its name
 * as `Author`. Names are unique in the environment among partner ids and user names. The partner
 * id itself stays a user (the partner's own keys).
 */

export interface UserAddOptions {
  readonly sshKey?: readonly string[];
  readonly company?: readonly string[];
  readonly actor?: string;
}

/** The partner that owns a login name (its id or one of its users), if any. */
export function loginOwner(partners: readonly Partner[], name: string): Partner | undefined {
  return partners.find((p) => p.partnerId === name || p.users?.some((u) => u.name === name));
}

/** Validates `partner user add` and builds the user; throws a UsageError naming the option. */
export function userFromOptions(
  partner: Partner,
  name: string,
  options: UserAddOptions,
  now: Date,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): SftpUser {
  if (!PARTNER_ID_PATTERN.test(name)) throw new UsageError(`invalid user name "${name}": 3 to 40 lowercase letters, digits or hyphens`);
  const paths = options.sshKey ?? [];
  if (paths.length === 0) throw new UsageError('--ssh-key is required (at least one): a public key file such as id_ed25519.pub');
  let keys: string[];
  try {
    keys = readPublicKeys('--ssh-key', paths, readFile);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (new Set(keys.map(keyBody)).size !== keys.length) throw new UsageError('the same --ssh-key is given twice');
  const companies = (options.company ?? []).map((raw) => {
    const taxId = normalizeTaxId(raw.trim(), partner.country);
    if (!partner.companies.some((c) => c.taxId === taxId)) throw new UsageError(`--company ${raw}: not a company of ${partner.partnerId}`);
    return taxId;
  });
  return {
    name,
    sshPublicKeys: keys,
    ...(companies.length > 0 ? { companies: [...new Set(companies)] } : {}),
    createdAt: now.toISOString(),
  };
}

export async function addUser(ctx: CommandContext, partnerId: string, name: string, options: UserAddOptions): Promise<void> {
  const clients = await operatorClients(ctx);
  const partner = await existingPartner(clients, partnerId);
  const now = new Date();
  const user = userFromOptions(partner, name, options, now);
  const owner = loginOwner(await clients.partners.list(), name);
  if (owner)
    throw new CliError(
      `the login name ${name} is in use (${owner.partnerId === name ? 'a partner id' : `a user of ${owner.partnerId}`}): pick another`,
    );

  const { transfer, deployment } = clients;
  if (transfer && deployment.transfer) {
    try {
      await createUserLogin(transfer, deployment.transfer, deployment.bucket, partner, user);
    } catch (error) {
      throw new CliError(
        `user ${name} not added: failed creating its Transfer Family user: ${oneLine((error as Error).message ?? String(error))}`,
      );
    }
  }
  const updated = { ...partner, users: [...(partner.users ?? []), user] };
  if (!(await clients.partners.replace(updated, partner.revision))) {
    if (transfer && deployment.transfer) await deleteTransferUser(transfer, deployment.transfer, name).catch(() => undefined);
    throw new CliError(`partner ${partnerId} was changed by someone else meanwhile: run the command again`);
  }
  const fingerprints = user.sshPublicKeys.map((k) => summarizeKey(k).fingerprint);
  const scope = user.companies ? `companies ${user.companies.join(', ')}` : 'all companies';
  await clients.changeLog.record(partnerId, {
    at: now.toISOString(),
    actor: actorName(options.actor),
    command: 'partner user add',
    changes: [`user added: ${name} (${scope}; keys ${fingerprints.join(', ')})`],
  });
  ctx.io.stdout.write(
    `added user ${name} to partner ${partnerId}: ${fingerprints.length} SSH key${fingerprints.length === 1 ? '' : 's'}, ${scope}\n`,
  );
}

export async function listUsers(ctx: CommandContext, partnerId: string, options: { json?: boolean }): Promise<void> {
  const clients = await operatorClients(ctx);
  const partner = await existingPartner(clients, partnerId);
  const rows = [
    {
      name: partner.partnerId,
      role: 'partner id',
      companies: 'all',
      keys: partner.sshPublicKeys.map((k) => summarizeKey(k).fingerprint),
      createdAt: partner.createdAt,
    },
    ...(partner.users ?? []).map((u) => ({
      name: u.name,
      role: 'user',
      companies: u.companies?.join(' ') ?? 'all',
      keys: u.sshPublicKeys.map((k) => summarizeKey(k).fingerprint),
      createdAt: u.createdAt,
    })),
  ];
  if (options.json) {
    ctx.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  ctx.io.stdout.write(`${'USER'.padEnd(width)}  ${'ROLE'.padEnd(10)}  KEYS  COMPANIES\n`);
  for (const r of rows)
    ctx.io.stdout.write(`${r.name.padEnd(width)}  ${r.role.padEnd(10)}  ${String(r.keys.length).padStart(4)}  ${r.companies}\n`);
}

export async function removeUser(ctx: CommandContext, partnerId: string, name: string, options: { actor?: string }): Promise<void> {
  const clients = await operatorClients(ctx);
  const partner = await existingPartner(clients, partnerId);
  if (name === partnerId) throw new CliError(`${name} is the partner id itself: it stays a user (remove the partner instead)`);
  if (!partner.users?.some((u) => u.name === name)) throw new CliError(`partner ${partnerId} has no user ${name}`);
  // The login goes first, so a removed user cannot log in while the record still lists it.
  const { transfer, deployment } = clients;
  if (transfer && deployment.transfer) await deleteTransferUser(transfer, deployment.transfer, name);
  const updated = { ...partner, users: partner.users.filter((u) => u.name !== name) };
  if (!(await clients.partners.replace(updated, partner.revision))) {
    throw new CliError(`partner ${partnerId} was changed by someone else meanwhile: run the command again`);
  }
  await clients.changeLog.record(partnerId, {
    at: new Date().toISOString(),
    actor: actorName(options.actor),
    command: 'partner user remove',
    changes: [`user removed: ${name}`],
  });
  ctx.io.stdout.write(`removed user ${name} from partner ${partnerId}\n`);
}
