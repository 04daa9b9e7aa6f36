import {
  CreateUserCommand,
  DeleteSshPublicKeyCommand,
  DescribeUserCommand,
  ImportSshPublicKeyCommand,
  type TransferClient,
} from '@aws-sdk/client-transfer';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import type { Deployment } from './deployment.ts';
import { createUserInput, deleteTransferUser } from './transfer-users.ts';
import { keyBody } from './partner-update-plan.ts';

/**
 * Live changes to Transfer Family logins (SPEC §17): a key imported works at the next login, a
 * key deleted is refused at the next one, with no downtime for the partner's other keys. A
 * partner's further users are Transfer users of their own with the partner's home mapping and
 * session policy, so they see exactly the partner's tree.
 */

type TransferTarget = NonNullable<Deployment['transfer']>;

/** Imports keys into a Transfer user; returns their key ids (for a rollback). */
export async function importKeys(
  client: TransferClient,
  transfer: TransferTarget,
  userName: string,
  keys: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const key of keys) {
    const out = await client.send(
      new ImportSshPublicKeyCommand({ ServerId: transfer.serverId, UserName: userName, SshPublicKeyBody: key }),
    );
    if (out.SshPublicKeyId) ids.push(out.SshPublicKeyId);
  }
  return ids;
}

/** Deletes key ids from a Transfer user. */
export async function deleteKeyIds(
  client: TransferClient,
  transfer: TransferTarget,
  userName: string,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) {
    await client.send(new DeleteSshPublicKeyCommand({ ServerId: transfer.serverId, UserName: userName, SshPublicKeyId: id }));
  }
}

/** Deletes the user's keys whose material matches `keys` (comments are not compared). */
export async function deleteKeys(
  client: TransferClient,
  transfer: TransferTarget,
  userName: string,
  keys: readonly string[],
): Promise<number> {
  const { User: user } = await client.send(new DescribeUserCommand({ ServerId: transfer.serverId, UserName: userName }));
  const bodies = new Set(keys.map(keyBody));
  const ids = (user?.SshPublicKeys ?? [])
    .filter((k) => k.SshPublicKeyBody && bodies.has(keyBody(k.SshPublicKeyBody)))
    .flatMap((k) => (k.SshPublicKeyId ? [k.SshPublicKeyId] : []));
  await deleteKeyIds(client, transfer, userName, ids);
  return ids.length;
}

/**
 * Creates a further user of a partner: its own name and keys, the partner's logical home and
 * session policy (the same CreateUser input the partner's own user gets, but for the user name).
 */
export async function createUserLogin(
  client: TransferClient,
  transfer: TransferTarget,
  bucket: string,
  partner: Partner,
  user: { name: string; sshPublicKeys: readonly string[] },
): Promise<void> {
  const input = createUserInput(partner, transfer, bucket);
  await client.send(
    new CreateUserCommand({
      ...input,
      UserName: user.name,
      SshPublicKeyBody: user.sshPublicKeys[0],
      Tags: [...(input.Tags ?? []), { Key: 'benefits-exchange:user', Value: user.name }],
    }),
  );
  try {
    await importKeys(client, transfer, user.name, user.sshPublicKeys.slice(1));
  } catch (error) {
    await deleteTransferUser(client, transfer, user.name).catch(() => undefined);
    throw error;
  }
}
