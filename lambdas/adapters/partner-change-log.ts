import { paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';

/**
 * The audit trail of operator changes to a partner (SPEC §17: who, when, what), kept in the
 * uploads table beside the partner's uploads (pk `PARTNER#id`, sk `CHANGE#{at}#{random}`), so it
 * survives as long as the uploads do, is never capped, and needs no table of its own.
 */

/** One operator change: who made it, when, and one line per thing changed. */
export interface PartnerChange {
  readonly at: string;
  /** The OS user who ran the CLI, or `--actor`. */
  readonly actor: string;
  /** The command (`partner update`, `partner user add`, …). */
  readonly command: string;
  /** What changed, one line each, no key bodies (fingerprints) and no personal data. */
  readonly changes: readonly string[];
}

const pk = (partnerId: string): string => `PARTNER#${partnerId}`;

export class PartnerChangeLog {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async record(partnerId: string, change: PartnerChange): Promise<void> {
    await this.dynamo.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: pk(partnerId), sk: `CHANGE#${change.at}#${randomBytes(4).toString('hex')}`, ...change },
      }),
    );
  }

  /** The partner's changes, oldest first. */
  async list(partnerId: string): Promise<PartnerChange[]> {
    const found: PartnerChange[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :change)',
      ExpressionAttributeValues: { ':pk': pk(partnerId), ':change': 'CHANGE#' },
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.dynamo }, query)) {
      for (const item of page.Items ?? []) {
        found.push({
          at: item.at as string,
          actor: item.actor as string,
          command: item.command as string,
          changes: item.changes as string[],
        });
      }
    }
    return found;
  }
}
