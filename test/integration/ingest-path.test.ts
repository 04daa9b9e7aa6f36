import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceUpload } from '../../lambdas/adapters/upload-announcer.ts';
import type { ProcessorRegistry, UploadContext } from '../../lambdas/app/flows/upload-processor.ts';
import { QUEUES } from '../../lib/resources.ts';
import { startHarness, parseSmallCsv, waitFor, type Harness, type SftpSession, type TestPartner } from '../support/local-harness.ts';

/**
 * The ingest path end to end: SFTP put → S3 event → ingest queue → ingest handler → FIFO uploads
 * queue → processing handler → status file and error report back in the partner's tree.
 */

const STATUS = '/multientity/employees/upload/status.csv';
const SETTLED = new Set(['Succeeded', 'Rejected', 'Validated', 'Succeeded with errors', 'Deleted']);

const runs: { name: string; start: number; end: number }[] = [];
const succeed = {
  async process(context: UploadContext) {
    const start = Date.now();
    // Longer than the gap between the ordering test's uploads, so parallel runs would overlap.
    await new Promise((r) => setTimeout(r, context.upload.name.startsWith('order-') ? 1500 : 50));
    runs.push({ name: context.upload.name, start, end: Date.now() });
    return { status: 'Succeeded' as const, errors: [] };
  },
};
const processors: ProcessorRegistry = { 'employees/all': succeed };

interface StatusRow {
  filename: string;
  batch_type: string;
  date_and_time: string;
  processing_status: string;
  source: string;
}

async function statusRows(session: SftpSession, path = STATUS): Promise<StatusRow[]> {
  return parseSmallCsv((await session.get(path)).toString('utf8')) as unknown as StatusRow[];
}

function settledRowFor(name: string) {
  return (rows: StatusRow[]) => rows.some((r) => r.filename.endsWith(`-${name}`) && SETTLED.has(r.processing_status ?? ''));
}

describe('ingest path through SFTP and moto', () => {
  let harness: Harness;
  let acme: TestPartner;
  let session: SftpSession;

  beforeAll(async () => {
    harness = await startHarness({ processors });
    acme = await harness.addPartner('acme', 'multi-entity');
    session = await acme.connect();
  });
  afterAll(async () => harness?.stop());

  it('shows a put file as a row of status.csv that reaches a final status', async () => {
    // Act
    await session.put('/multientity/employees/upload/all/x.csv', 'Company Tax ID,Name\n37211173000169,Ana\n');
    const rows = await waitFor(() => statusRows(session), settledRowFor('x.csv'));

    // Assess
    const row = rows.find((r) => r.filename.endsWith('-x.csv'));
    expect(row).toMatchObject({ batch_type: 'full_file', processing_status: 'Succeeded', source: 'SFTP' });
    expect(row?.filename).toMatch(/^\d{10}-x\.csv$/);
    expect(row?.date_and_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(row?.filename.split('-')[0]) * 1000).toBe(Date.parse(row?.date_and_time ?? ''));
    expect(await session.list('/multientity/employees/upload/all')).toEqual([]);
  });

  it('keeps an unusual file name exactly as uploaded', async () => {
    const name = 'INTERNAL [Flexible Benefits x SFTP] Dry-run - PROD #11.csv';
    await session.put(`/multientity/employees/upload/all/${name}`, 'Company Tax ID,Name\n');

    const rows = await waitFor(() => statusRows(session), settledRowFor(name));

    expect(rows.filter((r) => r.filename.endsWith(`-${name}`))).toHaveLength(1);
  });

  it('records one upload for a .filepart written then renamed to its final name', async () => {
    await session.put('/multientity/employees/upload/all/renamed.csv.filepart', 'Company Tax ID,Name\n');
    await session.rename('/multientity/employees/upload/all/renamed.csv.filepart', '/multientity/employees/upload/all/renamed.csv');

    const rows = await waitFor(() => statusRows(session), settledRowFor('renamed.csv'));
    await harness.quiet(); // any stray second upload would be recorded by now

    const after = await statusRows(session);
    expect(after.filter((r) => r.filename.includes('renamed.csv'))).toHaveLength(1);
    expect(rows.some((r) => r.filename.endsWith('.filepart'))).toBe(false);
  });

  it('rejects a file for a flow that does not exist yet, with an error report that says so', async () => {
    await session.put('/multientity/employees/upload/dry-run/preview.csv', 'Company Tax ID,Name\n');

    const rows = await waitFor(() => statusRows(session), settledRowFor('preview.csv'));
    const row = rows.find((r) => r.filename.endsWith('-preview.csv'));
    const report = await session.get(`/multientity/employees/upload/error-details/${row?.filename}`);

    expect(row).toMatchObject({ batch_type: 'dry_run', processing_status: 'Rejected' });
    const errors = parseSmallCsv(report.toString('utf8'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ 'Error Source': 'Upload error', 'Error Type': 'Invalid' });
    expect(errors[0]?.['Error Description']).toContain('not available');
  });

  it('records one upload when the same SQS message is delivered twice', async () => {
    // Prepare: a file in the tree and the S3 notification for it, as moto sends it
    const key = 'partners/acme/multientity/employees/upload/all/twice.csv';
    await harness.pipeline.deps.store.put(key, 'Company Tax ID,Name\n', { metadata: { 'user-agent-id': 'acme@local' } });
    // Written by another path than SFTP, so announced as SPEC §15 asks.
    const head = await harness.pipeline.deps.store.head(key);
    await announceUpload(harness.pipeline.clients.events, {
      bucket: harness.pipeline.resources.bucket,
      key,
      etag: head?.eTag ?? '',
      bytes: head?.size ?? 0,
      username: 'acme',
      channel: 'CLI',
    });
    const body = JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          eventTime: new Date().toISOString(),
          s3: {
            bucket: { name: harness.pipeline.resources.bucket },
            object: { key: encodeURIComponent(key).replace(/%20/g, '+'), size: 19 },
          },
        },
      ],
    });

    // Act: the same message twice more (besides the real notification)
    for (let i = 0; i < 2; i++) {
      await harness.pipeline.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: harness.pipeline.resources.queueUrls.ingest, MessageBody: body }),
      );
    }
    await waitFor(() => statusRows(session), settledRowFor('twice.csv'));
    await harness.quiet();

    // Assess
    const uploads = await harness.pipeline.deps.uploads.recent('acme', 'employees', 50);
    expect(uploads.filter((u) => u.name === 'twice.csv')).toHaveLength(1);
    expect((await statusRows(session)).filter((r) => r.filename.endsWith('-twice.csv'))).toHaveLength(1);
  });

  it('records one upload for a file big enough to be stored in parts (two events from moto)', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 'a');

    await session.put('/multientity/employees/upload/all/big.csv', big);
    await waitFor(() => statusRows(session), settledRowFor('big.csv'));
    await harness.quiet();

    const uploads = await harness.pipeline.deps.uploads.recent('acme', 'employees', 50);
    const recorded = uploads.filter((u) => u.name === 'big.csv');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.size).toBe(big.length);
  });

  it("processes one partner's uploads one at a time in the order received", async () => {
    runs.length = 0;
    for (const n of [1, 2, 3]) {
      await session.put(`/multientity/employees/upload/all/order-${n}.csv`, 'Company Tax ID,Name\n');
      await new Promise((r) => setTimeout(r, 1100)); // distinct receipt seconds
    }
    await waitFor(() => statusRows(session), settledRowFor('order-3.csv'), 45_000);
    await waitFor(
      async () => runs.length,
      (n) => n >= 3,
    );

    const order = runs.filter((r) => r.name.startsWith('order-'));
    expect(order.map((r) => r.name)).toEqual(['order-1.csv', 'order-2.csv', 'order-3.csv']);
    for (let i = 1; i < order.length; i++) expect(order[i]!.start).toBeGreaterThanOrEqual(order[i - 1]!.end);
  });
});

describe('a processor that always throws', () => {
  let harness: Harness;
  let attempts = 0;

  beforeAll(async () => {
    harness = await startHarness({
      visibilityTimeoutSeconds: 1,
      processors: {
        'employees/all': {
          async process() {
            attempts += 1;
            throw new Error('boom');
          },
        },
      },
    });
  });
  afterAll(async () => harness?.stop());

  it('is retried, then ends Rejected with a System error and its message in the DLQ', async () => {
    const globex = await harness.addPartner('globex', 'single-entity');
    const session = await globex.connect();

    await session.put('/employees/upload/all/fails.csv', 'Company Tax ID,Name\n');
    const rows = await waitFor(() => statusRows(session, '/employees/upload/status.csv'), settledRowFor('fails.csv'), 60_000);
    const dlqDepth = await waitFor(
      async () => {
        const out = await harness.pipeline.clients.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: harness.pipeline.resources.deadLetterQueueUrls.uploads,
            AttributeNames: ['ApproximateNumberOfMessages'],
          }),
        );
        return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0);
      },
      (n) => n === 1,
      30_000,
    );

    const row = rows.find((r) => r.filename.endsWith('-fails.csv'));
    expect(row?.processing_status).toBe('Rejected');
    expect(attempts).toBe(QUEUES.uploads.maxReceiveCount);
    expect(dlqDepth).toBe(1);
    const report = parseSmallCsv((await session.get(`/employees/upload/error-details/${row?.filename}`)).toString('utf8'));
    expect(report[0]).toMatchObject({ 'Error Source': 'Upload error', 'Error Type': 'System' });
  });
});
