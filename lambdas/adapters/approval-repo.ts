import { GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApprovalRecord, ApprovalState } from '../core/uploads/approvals.ts';

/**
 * Approvals (SPEC §10) in the uploads table, next to the uploads they belong to: pk
 * `PARTNER#id`, sk `APPROVAL#{ts}-{name}`, so a partner's pending approvals read with one query
 * and the name admins use is the key. Status-file queries read `UPLOAD#` keys only.
 */

const pk = (partnerId: string): string => `PARTNER#${partnerId}`;
const sk = (uploadName: string): string => `APPROVAL#${uploadName}`;

export class ApprovalRepo {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** Stores a pending approval (a retry of the same upload writes the same item again). */
  async put(record: ApprovalRecord): Promise<void> {
    await this.dynamo.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: pk(record.partnerId), sk: sk(record.uploadName), ...record } }),
    );
  }

  async get(partnerId: string, uploadName: string): Promise<ApprovalRecord | undefined> {
    const out = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: pk(partnerId), sk: sk(uploadName) }, ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item) : undefined;
  }

  /** The partner's approvals still waiting for an answer, oldest first. */
  async pending(partnerId: string): Promise<ApprovalRecord[]> {
    const found: ApprovalRecord[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :approval)',
      FilterExpression: '#state = :pending',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': pk(partnerId), ':approval': 'APPROVAL#', ':pending': 'pending' },
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.dynamo }, query)) found.push(...(page.Items ?? []).map(strip));
    return found.sort((a, b) => a.uploadSeq.localeCompare(b.uploadSeq));
  }

  /** Moves a pending approval to its decided state; false when it was no longer pending. */
  async decide(partnerId: string, uploadName: string, state: Exclude<ApprovalState, 'pending'>, at: Date, by: string): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(partnerId), sk: sk(uploadName) },
          UpdateExpression: 'SET #state = :state, decidedAt = :at, decidedBy = :by',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':state': state, ':at': at.toISOString(), ':by': by, ':pending': 'pending' },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

function strip(item: Record<string, unknown>): ApprovalRecord {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as ApprovalRecord;
}
