import { rootFolder, type Partner } from '../lambdas/core/partners/partner.ts';
import { partnerPrefix } from '../lambdas/core/partners/tree.ts';
import { syncPortalAdmins } from './portal-invitations.ts';
import type { CommandContext } from './context.ts';
import { CliError, oneLine, UsageError } from './io.ts';
import { partnerFromOptions, type PartnerAddOptions } from './partner-options.ts';
import { summarizePublicKey } from '../lambdas/core/pgp/pgp-crypto.ts';
import { hasEncryptionSettings } from '../lambdas/core/partners/pgp-settings.ts';
import { applyPgpOptions, type PgpOptions } from './pgp-options.ts';
import { publishProviderPublicKey, requireProviderPublicKey } from './pgp-commands.ts';
import { createFolderMarkers, folderMarkerKeys, removeFolderMarkers } from './partner-tree.ts';
import { summarizeKey } from './ssh-keys.ts';
import { operatorClients } from './operator-clients.ts';
import { loginOwner } from './user-commands.ts';
import { createTransferUser, deleteTransferUser } from './transfer-users.ts';

/** `partner add | list | show | remove`: onboarding and offboarding of SFTP accounts. */

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The partner's `/` as its SFTP client shows it (SPEC §3). */
export function sftpRoot(partner: Pick<Partner, 'entityType'>): string {
  return `/${rootFolder(partner.entityType)}`;
}

/**
 * `partner add`: validate, store the item, write the folder markers and, on a deployed stack,
 * create the Transfer user. Any failure after the item is stored removes it again, so a partner
 * is either fully onboarded or not at all.
 */
export async function addPartner(ctx: CommandContext, id: string, options: PartnerAddOptions & PgpOptions): Promise<void> {
  const result = partnerFromOptions(id, options);
  if (!result.ok) throw new UsageError(result.error);
  const pgp = await applyPgpOptions(result.partner, options);
  if (!pgp.ok) throw new UsageError(pgp.error);
  const { partner } = pgp;
  const clients = await ctx.clients();
  const { deployment, partners, store, transfer } = clients;
  // Login names are unique in the environment (SPEC §17): a further user may hold this one.
  const owner = loginOwner(await partners.list(), id);
  if (owner && owner.partnerId !== id)
    throw new CliError(`the login name ${id} is in use (a user of ${owner.partnerId}): pick another partner id`);
  // SPEC §16: a partner with encryption settings finds our public key in its tree from the start.
  const providerPublicKey = hasEncryptionSettings(partner) ? await requireProviderPublicKey(clients) : undefined;
  if (!(await partners.create(partner))) throw new CliError(`partner ${id} already exists`);

  const markers = folderMarkerKeys(id, partner.entityType);
  let step = 'creating its folders';
  try {
    await createFolderMarkers(store, markers);
    if (providerPublicKey) await publishProviderPublicKey(store, partner, providerPublicKey);
    if (transfer && deployment.transfer) {
      step = 'creating its Transfer Family user';
      await createTransferUser(transfer, deployment.transfer, deployment.bucket, partner);
    }
  } catch (error) {
    await partners.delete(id).catch(() => undefined);
    await removeFolderMarkers(store, markers);
    throw new CliError(`partner ${id} not added: failed ${step}: ${oneLine((error as Error).message ?? String(error))}`);
  }

  const { stdout } = ctx.io;
  stdout.write(
    `added partner ${id}: ${partner.entityType}, ${partner.profile} profile, ` +
      `${count(partner.companies.length, 'company', 'companies')}, ${count(partner.adminEmails.length, 'admin email')}, ` +
      `${count(partner.sshPublicKeys.length, 'SSH key')}\n`,
  );
  const where = deployment.transfer ? `Transfer server ${deployment.transfer.serverId}` : 'the local SFTP server';
  stdout.write(`SFTP root: ${sftpRoot(partner)} (user ${id} on ${where})\n`);
  await syncPortalAdmins(ctx, clients, partner);
}

/** `partner list`: one line per partner, sorted by id. */
export async function listPartners(ctx: CommandContext): Promise<void> {
  const { partners } = await ctx.clients();
  const all = await partners.list();
  if (all.length === 0) {
    ctx.io.stderr.write('no partners yet\n');
    return;
  }
  const idWidth = Math.max(...all.map((p) => p.partnerId.length));
  for (const p of all) {
    const companies = count(p.companies.length, 'company', 'companies');
    ctx.io.stdout.write(`${p.partnerId.padEnd(idWidth)}  ${p.entityType.padEnd(15)}  ${p.profile.padEnd(8)}  ${companies}\n`);
  }
}

async function existing(ctx: CommandContext, id: string): Promise<Partner> {
  const { partners } = await ctx.clients();
  const partner = await partners.get(id);
  if (!partner) throw new CliError(`unknown partner ${id}`);
  return partner;
}

/** `partner show`: the stored partner as JSON, keys summarised (bodies are long and not secret, but noise). */
export async function showPartner(ctx: CommandContext, id: string): Promise<void> {
  const partner = await existing(ctx, id);
  const { changeLog } = await operatorClients(ctx);
  const users = partner.users?.map((u) => ({ ...u, sshPublicKeys: u.sshPublicKeys.map(summarizeKey) }));
  const shown = {
    ...partner,
    sftpRoot: sftpRoot(partner),
    sshPublicKeys: partner.sshPublicKeys.map(summarizeKey),
    ...(users ? { users } : {}),
    changes: await changeLog.list(id),
    // SPEC §16: the key as fingerprint, user ids and expiry; the settings with their defaults.
    pgpPublicKey: partner.pgpPublicKey ? await summarizePublicKey(partner.pgpPublicKey) : null,
    encryptUploads: partner.encryptUploads ?? 'off',
    encryptDownloads: partner.encryptDownloads ?? 'off',
  };
  ctx.io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
}

/**
 * `partner remove`: the Transfer user first (so the partner cannot log in while half-removed),
 * then the item. Files stay in the bucket: they are the audit trail of what was exchanged.
 */
export async function removePartner(ctx: CommandContext, id: string): Promise<void> {
  const removed = await existing(ctx, id);
  const { deployment, partners, transfer } = await ctx.clients();
  if (transfer && deployment.transfer) {
    for (const user of removed.users ?? []) await deleteTransferUser(transfer, deployment.transfer, user.name);
    const deleted = await deleteTransferUser(transfer, deployment.transfer, id);
    if (!deleted) ctx.io.stderr.write(`note: partner ${id} had no Transfer user on ${deployment.transfer.serverId}\n`);
  }
  await partners.delete(id);
  ctx.io.stdout.write(`removed partner ${id}; its files under ${partnerPrefix(id)} are kept for audit\n`);
  // An admin of another partner too keeps their portal user.
  const stillAdmins = new Set((await partners.list()).flatMap((p) => p.adminEmails.map((e) => e.toLowerCase())));
  const clients = await ctx.clients();
  await syncPortalAdmins(
    ctx,
    clients,
    { partnerId: id, adminEmails: [] },
    removed.adminEmails.filter((e) => !stillAdmins.has(e.toLowerCase())),
  );
}
