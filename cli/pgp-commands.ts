import type { ObjectStore } from '../lambdas/adapters/object-store.ts';
import { ProviderKeyStore } from '../lambdas/adapters/provider-key.ts';
import { writeSystemFile } from '../lambdas/app/files/system-files.ts';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import { hasEncryptionSettings, PROVIDER_PUBLIC_KEY_FILE } from '../lambdas/core/partners/pgp-settings.ts';
import { partnerPrefix } from '../lambdas/core/partners/tree.ts';
import type { CommandContext, DeploymentClients } from './context.ts';
import { CliError } from './io.ts';

/**
 * `pgp init | public-key` (SPEC §16): the provider's key pair of this environment, and the copy
 * of its public key every partner with encryption settings finds at `/provider-public-key.asc`.
 */

/** The environment's provider key store; fails with a one-line reason on a stack without the secret. */
export function providerKeyStore(clients: DeploymentClients): ProviderKeyStore {
  const secretId = clients.deployment.secrets?.providerPgpKey;
  if (!secretId) {
    throw new CliError(
      `stack ${clients.deployment.stackName ?? ''} has no provider PGP key secret: deploy the current version of the stack first`.replace(
        '  ',
        ' ',
      ),
    );
  }
  return new ProviderKeyStore(clients.aws.secrets, secretId);
}

/** Writes the provider's public key into the partner's tree (read-only for the partner: not an upload folder). */
export async function publishProviderPublicKey(store: ObjectStore, partner: Partner, publicKey: string): Promise<void> {
  const key = `${partnerPrefix(partner.partnerId)}${PROVIDER_PUBLIC_KEY_FILE}`;
  await writeSystemFile(store, partner, { key, body: publicKey, contentType: 'application/pgp-keys', personal: false });
}

/**
 * The public key a partner with encryption settings needs; a one-line error while the environment
 * has no key pair yet (a partner told to encrypt must be able to).
 */
export async function requireProviderPublicKey(clients: DeploymentClients): Promise<string> {
  const key = await providerKeyStore(clients).get();
  if (!key) throw new CliError('this environment has no provider PGP key yet: run `benefits-exchange pgp init` first');
  return key.publicKey;
}

/** `pgp init`: creates the key pair once (idempotent) and publishes its public key to every partner with encryption settings. */
export async function initProviderKey(ctx: CommandContext): Promise<void> {
  const clients = await ctx.clients();
  const environment = clients.deployment.stackName ?? 'local';
  const { created, key } = await providerKeyStore(clients).ensure(environment);
  ctx.io.stdout.write(`${created ? 'created' : 'kept the existing'} provider PGP key ${key.fingerprint}\n`);
  let published = 0;
  for (const partner of await clients.partners.list()) {
    if (!hasEncryptionSettings(partner)) continue;
    await publishProviderPublicKey(clients.store, partner, key.publicKey);
    published += 1;
  }
  if (published > 0)
    ctx.io.stdout.write(`public key written to ${published} partner tree${published === 1 ? '' : 's'} as /${PROVIDER_PUBLIC_KEY_FILE}\n`);
}

/** `pgp public-key`: the armored public key, for partners to encrypt to. */
export async function printProviderPublicKey(ctx: CommandContext): Promise<void> {
  ctx.io.stdout.write((await requireProviderPublicKey(await ctx.clients())).trimEnd() + '\n');
}
