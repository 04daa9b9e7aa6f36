import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProcessors } from '../../lambdas/app/flows/registry.ts';
import type { UploadProcessor } from '../../lambdas/app/flows/upload-processor.ts';
import { startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { cli } from '../support/operator-cli.ts';
import { ACME, csvOf, person, putAndSettle } from './eligibility-support.ts';

/**
 * SPEC §17 `uploads list|show|retry` and `queues redrive` against local mode: an upload that our
 * side fails on every attempt ends `Rejected` / `System` with its message in the DLQ; the
 * operator finds it, reads why, retries it once the fault is gone, and redrives the DLQ — the
 * procedure of docs/operations.md.
 */

let harness: Harness;
let partner: SftpSession;
/** While true, the census flow fails for files named `boom*` (our fault, not the file's). */
let failing = true;
const saved = { ...process.env };

beforeAll(async () => {
  harness = await startHarness({
    visibilityTimeoutSeconds: 1,
    processors: (deps) => {
      const real = createProcessors(deps);
      const all = real['employees/all'] as UploadProcessor;
      return {
        ...real,
        'employees/all': {
          process: async (context) => {
            if (failing && context.upload.name.startsWith('boom')) throw new Error('simulated outage');
            return all.process(context);
          },
        },
      };
    },
  });
  Object.assign(process.env, { AWS_ENDPOINT_URL: inject('awsEndpoint'), BX_LOCAL_PREFIX: harness.prefix, AWS_REGION: 'us-east-1' });
  partner = await (await harness.addPartner('acme', 'multi-entity')).connect();
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await harness?.stop();
});

const ROOT = '/multientity';
const dlqDepth = async (queue: 'uploads' | 'ingest'): Promise<number> => {
  const { clients, resources } = harness.pipeline;
  const out = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: resources.deadLetterQueueUrls[queue], AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0);
};

describe('uploads and queues', () => {
  let failed = '';
  let good = '';

  it('lists uploads newest first, as a table and as JSON', async () => {
    // Prepare
    good = (await putAndSettle(partner, ROOT, 'all', 'good.csv', csvOf([person(1, ACME)]))).filename;
    const boom = await putAndSettle(partner, ROOT, 'all', 'boom.csv', csvOf([person(2, ACME)]));
    failed = boom.filename;
    expect(boom.processing_status).toBe('Rejected');

    // Act
    const table = await cli('uploads', 'list', 'acme');
    const json = await cli('uploads', 'list', 'acme', '--json', '--limit', '1');

    // Assess
    expect([table.code, table.stderr]).toEqual([0, '']);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^UPLOAD\s+FOLDER\s+STATUS\s+READ\/APPLIED\/REJECTED\s+AUTHOR\s+SOURCE$/);
    expect(lines[1]).toMatch(new RegExp(`^${failed}\\s+employees/all\\s+Rejected \\(System\\)\\s+acme\\s+SFTP$`));
    expect(lines[2]).toMatch(new RegExp(`^${good}\\s+employees/all\\s+Succeeded\\s+1/1/0\\s+acme\\s+SFTP$`));
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ upload: failed, status: 'Rejected', systemFailure: true, author: 'acme' }),
    ]);
  });

  it('shows an upload: its record, its errors and the paths of its files', async () => {
    const shown = await cli('uploads', 'show', 'acme', failed);
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toContain(`${failed}  Rejected (System: our failure, retry with uploads retry)`);
    expect(shown.stdout).toContain(`errorReport: ${ROOT}/employees/upload/error-details/${failed}`);
    expect(shown.stdout).toContain(`uploadedAs: ${ROOT}/employees/upload/all/boom.csv`);
    expect(shown.stdout).toMatch(
      /errors \(1 of 1\):\n {2}Upload error \/ System: We could not process this file because of a problem on our side/,
    );
    const json = JSON.parse((await cli('uploads', 'show', 'acme', failed, '--json')).stdout);
    expect(json).toMatchObject({
      status: 'Rejected',
      systemFailure: true,
      errorsInReport: 1,
      files: { statusFile: `${ROOT}/employees/upload/status.csv` },
    });
    const missing = await cli('uploads', 'show', 'acme', '1-nothing.csv');
    expect([missing.code, missing.stderr]).toEqual([1, 'error: partner acme has no upload 1-nothing.csv (see uploads list acme)\n']);
  });

  it('retries only a System failure, once, from its archived bytes as a new upload', async () => {
    // Refused with a reason
    const notSystem = await cli('uploads', 'retry', 'acme', good);
    expect(notSystem.code).toBe(1);
    expect(notSystem.stderr).toMatch(/ended Succeeded: only an upload that failed on our side \(System\) is retried/);

    // Act: the fault is gone
    failing = false;
    const retry = await cli('uploads', 'retry', 'acme', failed, '--actor', 'oncall');

    // Assess
    expect([retry.code, retry.stderr]).toEqual([0, '']);
    expect(retry.stdout).toContain(`sent again as a new upload of ${ROOT}/employees/upload/all/boom.csv`);
    const uploads = await waitFor(
      () => harness.pipeline.deps.uploads.newest('acme', 5),
      (u) => u[0]?.name === 'boom.csv' && u[0]?.status === 'Succeeded',
      60_000,
    );
    expect(uploads[0]).toMatchObject({ author: 'acme', counts: { rowsRead: 1, rowsApplied: 1, rowsRejected: 0 } });
    expect(`${uploads[0]?.ts}-boom.csv`).not.toBe(failed);
    const again = await cli('uploads', 'retry', 'acme', failed);
    expect(again.stderr).toMatch(/was already retried by oncall at/);
    expect((await cli('uploads', 'show', 'acme', failed)).stdout).toContain('retried by oncall at');
  });

  it('redrives dead letters back to their queue and prints the counts', async () => {
    // Prepare: the failed upload's message is in the uploads DLQ; an S3 event for a real object in the ingest DLQ
    await waitFor(
      () => dlqDepth('uploads'),
      (n) => n === 1,
      30_000,
    );
    const key = `partners/acme/multientity/employees/upload/all/late.csv`;
    const { clients, resources } = harness.pipeline;
    await harness.putAnnounced(key, csvOf([person(3, ACME)]), { 'user-agent-id': 'acme@local' });
    await waitFor(
      () => harness.pipeline.deps.uploads.newest('acme', 10),
      (u) => u.some((x) => x.name === 'late.csv' && x.status === 'Succeeded'),
      60_000,
    );
    const event = {
      Records: [
        { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: resources.bucket }, object: { key, size: 1 } } },
      ],
    };
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.deadLetterQueueUrls.ingest, MessageBody: JSON.stringify(event) }));

    // Act
    const run = await cli('queues', 'redrive');

    // Assess
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toBe(
      [
        'ingest: 1 message moved back from its dead-letter queue',
        'uploads: 1 message moved back from its dead-letter queue (an upload already settled is not run again: use uploads retry for System failures)',
        'events: 0 messages moved back from its dead-letter queue',
        '',
      ].join('\n'),
    );
    expect([await dlqDepth('uploads'), await dlqDepth('ingest')]).toEqual([0, 0]);
    expect((await cli('queues', 'redrive', 'bogus')).code).toBe(2);
  });

  it('prints the counters of the emitted metric lines in local mode', async () => {
    // Act
    const totals = await waitFor(
      async () =>
        JSON.parse((await cli('metrics', '--partner', 'acme', '--json')).stdout) as {
          metric: string;
          dimensions: Record<string, string>;
          sum: number;
        }[],
      (t) => t.some((x) => x.metric === 'UploadsSettled' && x.dimensions.status === 'Succeeded' && x.sum === 3),
      30_000,
    );
    const table = await cli('metrics');

    // Assess: good.csv, boom.csv, its retry and late.csv
    const sum = (metric: string, status?: string) =>
      totals.filter((t) => t.metric === metric && t.dimensions.status === status).reduce((n, t) => n + t.sum, 0);
    expect(sum('UploadsReceived')).toBe(4);
    expect([sum('UploadsSettled', 'Succeeded'), sum('UploadsSettled', 'Rejected'), sum('UploadsFailedOnOurSide')]).toEqual([3, 1, 1]);
    expect(sum('RowsApplied')).toBe(3);
    expect(table.stdout).toMatch(/^METRIC\s+FLOW\s+STATUS\s+VALUE\n/);
    expect(table.stdout).toMatch(/UploadsSettled\s+employees\/all\s+Rejected\s+1\n/);
    expect((await cli('metrics', '--stack', 'x')).code).toBe(2);
  });
});
