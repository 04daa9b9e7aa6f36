import {
  CreateUserCommand,
  DeleteUserCommand,
  ImportSshPublicKeyCommand,
  type CreateUserCommandInput,
  type TransferClient,
} from '@aws-sdk/client-transfer';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import { transferSessionPolicy } from '../lib/transfer-session-policy.ts';
import type { Deployment } from './deployment.ts';

/**
 * Transfer Family users of a deployed stack: one per partner, named by the partner id, its logical
 * home the partner's tree. Uses only CreateUser, ImportSshPublicKey and DeleteUser, which every
 * emulator we test against implements.
 */

type TransferTarget = NonNullable<Deployment['transfer']>;

/** CreateUser input for a partner: logical `/` = `partners/{id}/`, scoped by the session policy. */
export function createUserInput(partner: Partner, transfer: TransferTarget, bucket: string): CreateUserCommandInput {
  const [firstKey] = partner.sshPublicKeys;
  return {
    ServerId: transfer.serverId,
    UserName: partner.partnerId,
    Role: transfer.userRoleArn,
    HomeDirectoryType: 'LOGICAL',
    HomeDirectoryMappings: [{ Entry: '/', Target: `/${bucket}/partners/${partner.partnerId}` }],
    Policy: transferSessionPolicy(bucket),
    SshPublicKeyBody: firstKey,
    Tags: [
      { Key: 'benefits-exchange:partner', Value: partner.partnerId },
      { Key: 'benefits-exchange:entity-type', Value: partner.entityType },
    ],
  };
}

/**
 * Creates the partner's Transfer user with its first key, then imports the others. When a later
 * key fails, the user is deleted again so the caller's rollback leaves nothing behind.
 */
export async function createTransferUser(
  client: TransferClient,
  transfer: TransferTarget,
  bucket: string,
  partner: Partner,
): Promise<void> {
  await client.send(new CreateUserCommand(createUserInput(partner, transfer, bucket)));
  try {
    for (const key of partner.sshPublicKeys.slice(1)) {
      await client.send(new ImportSshPublicKeyCommand({ ServerId: transfer.serverId, UserName: partner.partnerId, SshPublicKeyBody: key }));
    }
  } catch (error) {
    await deleteTransferUser(client, transfer, partner.partnerId).catch(() => undefined);
    throw error;
  }
}

/** Deletes the partner's Transfer user; false when there was none. */
export async function deleteTransferUser(client: TransferClient, transfer: TransferTarget, partnerId: string): Promise<boolean> {
  try {
    await client.send(new DeleteUserCommand({ ServerId: transfer.serverId, UserName: partnerId }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}
