import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EmployeeRepo } from '../lambdas/adapters/employee-repo.ts';
import type { Partner } from '../lambdas/core/partners/partner.ts';
import { wellhubProfile } from '../lambdas/core/eligibility/profiles/wellhub.ts';
import { readEmployeeFile } from '../lambdas/core/eligibility/read/index.ts';
import { encodeHeader, encodeRecord } from '../lambdas/core/eligibility/snapshot/base-snapshot.ts';
import { baseLines, toChunks } from './census-generator.ts';

/**
 * The stored base as production reads it (SPEC §13): DynamoDB query pages of the projected
 * employee items, written to disk once by the parent as the service's wire format (one response
 * body per line, per company), then served to a real DynamoDBDocumentClient through an in-process
 * request handler. `EmployeeRepo.loadBase` therefore runs exactly as in the Lambda (SDK
 * deserialisation, unmarshalling, `toEmployee`, paging on LastEvaluatedKey) with no network, and
 * the benchmark's process never holds the generated base.
 */

/** Items per query page: DynamoDB returns at most 1 MB of items, about 5,000 of these. */
const PAGE_ITEMS = 5000;
const TABLE = 'bench-employees';

type WireItem = Record<string, unknown>;

const companyFile = (dir: string, taxId: string): string => join(dir, `base-${taxId}.jsonl`);
const snapshotPart = (dir: string, taxId: string): string => join(dir, `snapshot-${taxId}.jsonl`);

/** The same base as the snapshot object an upload reads it from after an earlier apply (ADR 0140). */
export const snapshotFile = (dir: string): string => join(dir, 'base-snapshot.jsonl.gz');

/** The key employee-repo writes for an added employee: 22 base64url characters. */
const storedKey = (line: number): string => createHash('sha256').update(`bench-upload:${line}`).digest('base64url').slice(0, 22);

/**
 * Writes the base of `size` people (the benchmark's previous full file, validated by the reader so
 * fingerprints and identifiers are what the engine computes) as query pages per company, and as
 * a base snapshot (values included, as the processor writes it).
 */
export async function writeStoredBase(dir: string, partner: Partner, size: number): Promise<void> {
  const pages = new Map<string, WireItem[]>();
  const flush = (taxId: string, items: WireItem[], last: boolean): void => {
    const end = items[items.length - 1];
    const page = {
      Items: items,
      Count: items.length,
      ScannedCount: items.length,
      ...(last || !end ? {} : { LastEvaluatedKey: { pk: { S: `${partner.partnerId}#${taxId}` }, sk: end.sk } }),
    };
    appendFileSync(companyFile(dir, taxId), `${JSON.stringify(page)}\n`);
  };
  for (const company of partner.companies) {
    writeFileSync(companyFile(dir, company.taxId), '');
    writeFileSync(snapshotPart(dir, company.taxId), '');
  }
  const snapshotLines = new Map<string, string[]>();
  const options = { profile: wellhubProfile, partner, maxRows: 2 * size + 1 };
  for await (const event of readEmployeeFile(Readable.from(toChunks(baseLines(size))), options)) {
    if (event.kind === 'file-error') throw new Error(event.error.description);
    if (event.kind !== 'row') continue;
    if (event.outcome.kind !== 'valid') throw new Error(`base row ${event.outcome.line} invalid: ${JSON.stringify(event.outcome.errors)}`);
    const { row } = event.outcome;
    const ids: Record<string, { S: string }> = {};
    for (const [key, value] of Object.entries(row.identifiers)) if (value) ids[key] = { S: value };
    let lines = snapshotLines.get(row.companyTaxId);
    if (!lines) snapshotLines.set(row.companyTaxId, (lines = []));
    lines.push(
      encodeRecord({
        employeeKey: storedKey(row.line),
        companyTaxId: row.companyTaxId,
        active: true,
        fingerprint: row.fingerprint,
        identifiers: row.identifiers,
        values: row.values,
      }),
    );
    if (lines.length === PAGE_ITEMS) {
      appendFileSync(snapshotPart(dir, row.companyTaxId), lines.join(''));
      snapshotLines.set(row.companyTaxId, []);
    }
    let items = pages.get(row.companyTaxId);
    if (!items) pages.set(row.companyTaxId, (items = []));
    items.push({
      sk: { S: storedKey(row.line) },
      companyTaxId: { S: row.companyTaxId },
      active: { BOOL: true },
      fingerprint: { S: row.fingerprint },
      identifiers: { M: ids },
    });
    if (items.length === PAGE_ITEMS) {
      flush(row.companyTaxId, items, false);
      pages.set(row.companyTaxId, []);
    }
  }
  // The last page of each company carries no LastEvaluatedKey (an empty one when it divided evenly).
  for (const company of partner.companies) flush(company.taxId, pages.get(company.taxId) ?? [], true);
  for (const [taxId, lines] of snapshotLines) appendFileSync(snapshotPart(dir, taxId), lines.join(''));
  const companies = partner.companies.map((c) => c.taxId).sort();
  async function* snapshot(): AsyncGenerator<Buffer | string> {
    yield encodeHeader({ version: 1, partnerId: partner.partnerId, generation: 1, companies });
    for (const taxId of companies) yield* createReadStream(snapshotPart(dir, taxId));
  }
  await pipeline(Readable.from(snapshot()), createGzip({ level: 1 }), createWriteStream(snapshotFile(dir)));
  for (const taxId of companies) rmSync(snapshotPart(dir, taxId));
}

/** Answers Query requests from the page files, in order per partition. */
class StoredPagesHandler {
  private readonly cursors = new Map<string, AsyncIterator<string>>();

  constructor(private readonly dir: string) {}

  async handle(request: {
    body?: unknown;
  }): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }> {
    const body = request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : String(request.body);
    const input = JSON.parse(body) as {
      ExpressionAttributeValues: Record<string, { S: string }>;
      ExclusiveStartKey?: unknown;
    };
    const pk = input.ExpressionAttributeValues[':pk']!.S;
    let cursor = this.cursors.get(pk);
    if (!cursor || input.ExclusiveStartKey === undefined) {
      const taxId = pk.slice(pk.indexOf('#') + 1);
      const lines = createInterface({ input: createReadStream(companyFile(this.dir, taxId)), crlfDelay: Infinity });
      cursor = lines[Symbol.asyncIterator]();
      this.cursors.set(pk, cursor);
    }
    const next = await cursor.next();
    if (next.done) throw new Error(`no more stored pages for ${pk}`);
    return {
      response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(next.value) },
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

/** An EmployeeRepo whose DynamoDB client reads the pages `writeStoredBase` wrote to `dir`. */
export function storedBaseRepo(dir: string): EmployeeRepo {
  // Configured as aws-clients.ts configures the Lambda's client, plus the local request handler.
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: new StoredPagesHandler(dir),
  });
  return new EmployeeRepo(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), TABLE);
}
