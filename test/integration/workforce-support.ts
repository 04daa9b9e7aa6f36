import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { Harness } from '../support/local-harness.ts';

/** Helpers for checking the eligibility history (SPEC §19) in the employees table. */

/**
 * Counts the items of every write request the harness's DynamoDB client sends to the employees
 * table — each BatchWrite put, UpdateItem and PutItem — so a test measures the writes DynamoDB
 * received, not what the repo believes it made.
 */
export function countEmployeeWrites(harness: Harness): { items: number } {
  const counter = { items: 0 };
  const table = harness.pipeline.resources.tables.employees;
  harness.pipeline.clients.dynamo.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as {
        TableName?: string;
        RequestItems?: Record<string, unknown>;
        UpdateExpression?: string;
        Item?: unknown;
        Key?: { sk?: unknown };
      };
      const batch = input.RequestItems?.[table];
      // The partner's write-generation item (one update as an apply begins, one as it ends) is no employee.
      const employee = input.Key?.sk !== 'write-generation';
      if (Array.isArray(batch)) counter.items += batch.length;
      else if (input.TableName === table && employee && (input.UpdateExpression !== undefined || input.Item !== undefined))
        counter.items += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countEmployeeWrites' },
  );
  return counter;
}

/** Every stored employee's history entries, by employee key. */
export async function storedHistories(harness: Harness, partnerId: string, taxId: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const query = {
    TableName: harness.pipeline.resources.tables.employees,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `${partnerId}#${taxId}` },
  };
  for await (const page of paginateQuery({ client: harness.pipeline.clients.dynamo }, query)) {
    for (const item of page.Items ?? []) found.set(item.sk as string, (item.history as string[] | undefined) ?? []);
  }
  return found;
}
