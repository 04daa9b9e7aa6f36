import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDeps } from '../../lambdas/app/flows/registry.ts';
import type { ProcessorRegistry, UploadContext } from '../../lambdas/app/flows/upload-processor.ts';
import { QUEUES } from '../../lib/resources.ts';
import { parseSmallCsv, startHarness, waitFor, type Harness } from '../support/local-harness.ts';

/**
 * A failure explains itself (SPEC §15, issue 17): the processor below fails in its base-load step
 * with a real SDK error from moto (a GetObject of a key that is not there), and every line the
 * pipeline logs about it names the upload, the step, the error's class and message and the
 * request's HTTP status and id, while no line carries the file's personal data.
 */

const EMAIL = 'maria.conceicao@example.com';
const NAME = 'Maria da Conceição';

function failingInBaseLoad(deps: FlowDeps): ProcessorRegistry {
  return {
    'employees/all': {
      async process(context: UploadContext) {
        context.stage('baseLoad');
        await deps.store.read(`missing/${context.upload.uploadId}.json`);
        throw new Error('unreachable: the read above fails');
      },
    },
  };
}

describe('failure log lines', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ visibilityTimeoutSeconds: 1, processors: failingInBaseLoad });
  });
  afterAll(async () => harness?.stop());

  it('name the upload, the step, the error class and message, the HTTP status and request id; never the file contents', async () => {
    const globex = await harness.addPartner('globex', 'single-entity');
    const session = await globex.connect();
    await session.put('/employees/upload/all/people.csv', `Company Tax ID,Name,Email\n37211173000169,${NAME},${EMAIL}\n`);
    const rows = await waitFor(
      async () => parseSmallCsv((await session.get('/employees/upload/status.csv')).toString('utf8')),
      (r) => r.some((row) => row.processing_status === 'Rejected'),
      90_000,
    );
    const uploadId = (await harness.pipeline.deps.uploads.recent('globex', 'employees', 1))[0]?.uploadId ?? '';
    expect(rows[0]?.processing_status).toBe('Rejected');

    const shape = new RegExp(
      `^WARN processor failed partnerId=globex uploadId=${uploadId} .*attempt=\\d final=(true|false) step=process\\.baseLoad ` +
        'errorClass=NoSuchKey errorMessage=The specified key does not exist\\. httpStatus=404 requestId=\\S+$',
    );
    const failures = harness.logs.filter((line) => line.startsWith('WARN processor failed'));
    expect(failures).toHaveLength(QUEUES.uploads.maxReceiveCount);
    for (const line of failures) expect(line).toMatch(shape);
    const last = harness.logs.filter((line) => line.startsWith('ERROR upload failed on its last attempt'));
    expect(last).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ERROR upload failed on its last attempt partnerId=globex uploadId=${uploadId} step=process\\.baseLoad errorClass=NoSuchKey .*httpStatus=404 requestId=\\S+$`,
        ),
      ),
    ]);
    expect(harness.logs.filter((line) => line.includes(EMAIL) || line.includes(NAME) || line.includes('Conceição'))).toEqual([]);
  });
});
