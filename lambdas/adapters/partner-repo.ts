import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { partnerSchema, type Partner } from '../core/partners/partner.ts';

/** Partners in DynamoDB, validated on the way out so a bad item fails loudly, not downstream. */
export class PartnerRepo {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(partnerId: string): Promise<Partner | undefined> {
    const out = await this.dynamo.send(new GetCommand({ TableName: this.tableName, Key: { partnerId }, ConsistentRead: true }));
    return out.Item ? partnerSchema.parse(out.Item) : undefined;
  }

  /** Stores a new partner; false when the id is taken. */
  async create(partner: Partner): Promise<boolean> {
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: partner,
          ConditionExpression: 'attribute_not_exists(partnerId)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /**
   * Replaces a stored partner with its changed version, only if nobody changed it since it was
   * read (its `revision`); the stored revision is bumped. False when it changed meanwhile.
   */
  async replace(partner: Partner, readRevision: number | undefined): Promise<boolean> {
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...partner, revision: (readRevision ?? 0) + 1 },
          ConditionExpression:
            readRevision === undefined ? 'attribute_exists(partnerId) AND attribute_not_exists(revision)' : 'revision = :read',
          ...(readRevision === undefined ? {} : { ExpressionAttributeValues: { ':read': readRevision } }),
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async delete(partnerId: string): Promise<void> {
    await this.dynamo.send(new DeleteCommand({ TableName: this.tableName, Key: { partnerId } }));
  }

  /** Every partner, sorted by id (the table stays small: one item per SFTP account). */
  async list(): Promise<Partner[]> {
    const partners: Partner[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.dynamo.send(new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: start }));
      for (const item of out.Items ?? []) partners.push(partnerSchema.parse(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return partners.sort((a, b) => a.partnerId.localeCompare(b.partnerId));
  }
}
