import type { Partner } from '../lambdas/core/partners/partner.ts';
import { hasEncryptionSettings } from '../lambdas/core/partners/pgp-settings.ts';
import type { DeploymentClients } from './context.ts';
import { UsageError } from './io.ts';
import type { PartnerUpdateOptions, PgpSettingsUpdate } from './partner-update-plan.ts';
import { applyPgpOptions } from './pgp-options.ts';
import { publishProviderPublicKey, requireProviderPublicKey } from './pgp-commands.ts';

/**
 * `partner update --pgp-key / --encrypt-uploads / --encrypt-downloads` (SPEC §16, §17). The key
 * file is read and checked before anything is planned (checking a key is asynchronous, the plan
 * is not), so a bad key refuses the whole update with one line and changes nothing.
 */
export interface PgpUpdate {
  /** Hands the checked settings to the plan, which records them with the other changes. */
  readonly settings: PgpSettingsUpdate;
  /** After the record is stored: a partner that now has encryption settings gets our public key in its tree. */
  publish(clients: DeploymentClients, updated: Partner): Promise<void>;
}

const PGP_FIELDS = ['pgpPublicKey', 'encryptUploads', 'encryptDownloads'] as const;

export async function preparePgpUpdate(
  clients: DeploymentClients,
  partner: Partner,
  options: Pick<PartnerUpdateOptions, 'pgpKey' | 'encryptUploads' | 'encryptDownloads'>,
): Promise<PgpUpdate | undefined> {
  if (options.pgpKey === undefined && options.encryptUploads === undefined && options.encryptDownloads === undefined) return undefined;
  const applied = await applyPgpOptions(partner, options);
  if (!applied.ok) throw new UsageError(applied.error);
  const next = applied.partner;
  // Refused before any write: encryption settings need the environment's provider key (`pgp init`).
  const publicKey = hasEncryptionSettings(next) ? await requireProviderPublicKey(clients) : undefined;
  return {
    settings: (updated) => {
      const merged: Partner = { ...updated };
      for (const field of PGP_FIELDS) {
        if (next[field] === undefined) delete merged[field];
        else (merged as Record<string, unknown>)[field] = next[field];
      }
      return { ok: true, partner: merged, changes: pgpChanges(partner, next) };
    },
    publish: async ({ store }, updated) => {
      if (publicKey && !hasEncryptionSettings(partner)) await publishProviderPublicKey(store, updated, publicKey);
    },
  };
}

/** One line per setting that changed; a key is named by whether it is set, never by its body. */
function pgpChanges(before: Partner, after: Partner): string[] {
  const lines: string[] = [];
  if (before.pgpPublicKey !== after.pgpPublicKey) {
    lines.push(after.pgpPublicKey ? (before.pgpPublicKey ? 'PGP public key replaced' : 'PGP public key set') : 'PGP public key removed');
  }
  const uploads = [before.encryptUploads ?? 'off', after.encryptUploads ?? 'off'];
  if (uploads[0] !== uploads[1]) lines.push(`encrypt uploads: ${uploads[0]} -> ${uploads[1]}`);
  const downloads = [before.encryptDownloads ?? 'off', after.encryptDownloads ?? 'off'];
  if (downloads[0] !== downloads[1]) lines.push(`encrypt downloads: ${downloads[0]} -> ${downloads[1]}`);
  return lines;
}
