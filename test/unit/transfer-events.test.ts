import { describe, expect, it } from 'vitest';
import { parseIngestMessage, UnrecognisedIngestMessage } from '../../lambdas/core/transfers/ingest-message.ts';
import {
  announcedUploadResult,
  sftpRenameResult,
  sftpUploadResult,
  splitFilePath,
  type BusEntry,
  type TransferResult,
} from '../../lambdas/core/transfers/transfer-events.ts';
import { verdictFor, type Arrival } from '../../lambdas/core/transfers/transfer-verdict.ts';

const KEY = 'partners/acme/employees/upload/all/INTERNAL [Flexible Benefits x SFTP] #11 José.csv';

/** A PutEvents entry as the rule's SQS target receives it (the envelope EventBridge adds). */
function delivered(entry: BusEntry, id = 'evt-1'): string {
  return JSON.stringify({
    version: '0',
    id,
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: '123456789012',
    time: entry.Time.toISOString().replace(/\.\d+Z$/, 'Z'),
    region: 'sa-east-1',
    resources: [],
    detail: JSON.parse(entry.Detail),
  });
}

describe('upload-result events', () => {
  const facts = {
    bucket: 'bx-prod',
    key: KEY,
    etag: '"B6D81B360A5672D80C27430F39153E2C"',
    bytes: 1048576,
    username: 'acme',
    sessionId: 's1',
    startedAt: new Date('2026-11-22T14:03:08.000Z'),
    endedAt: new Date('2026-11-22T14:03:10.000Z'),
  };

  it("reads Transfer's SFTP Server File Upload Completed as documented (nanosecond timestamps, /bucket/key path)", () => {
    const body = JSON.stringify({
      version: '0',
      id: 'event-ID',
      'detail-type': 'SFTP Server File Upload Completed',
      source: 'aws.transfer',
      account: '958412138249',
      time: '2024-01-29T16:31:43Z',
      region: 'us-east-1',
      resources: ['arn:aws:transfer:us-east-1:958412138249:server/s-1111aaaa2222bbbb3'],
      detail: {
        'status-code': 'COMPLETED',
        protocol: 'SFTP',
        bytes: 1048576,
        'client-ip': '10.0.0.141',
        'end-timestamp': '2024-01-29T16:31:43.311866408Z',
        etag: 'b6d81b360a5672d80c27430f39153e2c',
        'file-path': '/amzn-s3-demo-bucket/test/1mb_file',
        'server-id': 's-1111aaaa2222bbbb3',
        username: 'test',
        'session-id': 'event-ID',
        'start-timestamp': '2024-01-29T16:31:42.462088327Z',
      },
    });

    expect(parseIngestMessage(body)).toEqual({
      kind: 'result',
      result: {
        kind: 'upload',
        eventId: 'event-ID',
        bucket: 'amzn-s3-demo-bucket',
        key: 'test/1mb_file',
        outcome: 'completed',
        etag: 'b6d81b360a5672d80c27430f39153e2c',
        failureCode: undefined,
        startedAt: '2024-01-29T16:31:42.462088327Z',
        endedAt: '2024-01-29T16:31:43.311866408Z',
        at: '2024-01-29T16:31:43.000Z',
        source: 'aws.transfer',
      },
    });
  });

  it.each([
    [
      "local mode's completed upload",
      sftpUploadResult({ ...facts, outcome: 'completed' }, 'local'),
      { kind: 'upload', outcome: 'completed', source: 'aws.transfer' },
    ],
    [
      "local mode's interrupted upload",
      sftpUploadResult({ ...facts, outcome: 'failed', failureCode: 'PARTIAL_UPLOAD' }, 'local'),
      { kind: 'upload', outcome: 'failed', failureCode: 'PARTIAL_UPLOAD' },
    ],
    [
      'an upload announced by the CLI',
      announcedUploadResult({ ...facts, outcome: 'completed' }, 'CLI'),
      { kind: 'upload', outcome: 'completed', source: 'benefits-exchange.uploads' },
    ],
  ])('round-trips %s through the bus with the object, its unquoted ETag and the outcome', (_what, entry, expected) => {
    const message = parseIngestMessage(delivered(entry));

    expect(message).toMatchObject({
      kind: 'result',
      result: { ...expected, bucket: 'bx-prod', key: KEY, etag: 'b6d81b360a5672d80c27430f39153e2c' },
    });
  });

  it('reads a rename as the renamed key with its source', () => {
    const entry = sftpRenameResult(
      {
        bucket: 'bx-prod',
        fromKey: `${KEY}.filepart`,
        toKey: KEY,
        startedAt: facts.startedAt,
        endedAt: facts.endedAt,
        username: 'acme',
        sessionId: 's1',
      },
      'local',
    );

    expect(parseIngestMessage(delivered(entry))).toMatchObject({
      kind: 'result',
      result: { kind: 'rename', key: KEY, fromKey: `${KEY}.filepart` },
    });
  });

  it('takes a "completed" event whose status says FAILED as a failure', () => {
    const entry = sftpUploadResult({ ...facts, outcome: 'completed' }, 'local');
    const body = delivered({ ...entry, Detail: entry.Detail.replace('"COMPLETED"', '"FAILED"') });

    expect(parseIngestMessage(body)).toMatchObject({ result: { outcome: 'failed', failureCode: 'UNKNOWN_ERROR' } });
  });

  it('reads S3 notifications and deadlines, and refuses a rename that failed or a path that names no key', () => {
    expect(parseIngestMessage(JSON.stringify({ Event: 's3:TestEvent' }))).toEqual({ kind: 'objects', objects: [] });
    expect(parseIngestMessage(JSON.stringify({ transferDeadline: { bucket: 'b', key: 'k', uploadId: 'u' } }))).toEqual({
      kind: 'deadline',
      deadline: { bucket: 'b', key: 'k', uploadId: 'u' },
    });
    const rename = sftpRenameResult(
      { bucket: 'b', fromKey: 'a', toKey: 'c', startedAt: facts.startedAt, endedAt: facts.endedAt, username: 'u', sessionId: 's' },
      'local',
    );
    expect(() => parseIngestMessage(delivered({ ...rename, Detail: rename.Detail.replace('"COMPLETED"', '"FAILED"') }))).toThrow(
      UnrecognisedIngestMessage,
    );
    const upload = sftpUploadResult({ ...facts, outcome: 'completed' }, 'local');
    const noKey = JSON.stringify({ ...JSON.parse(upload.Detail), 'file-path': '/onlybucket' });
    expect(() => parseIngestMessage(delivered({ ...upload, Detail: noKey }))).toThrow(/file-path/);
  });

  it('splits /bucket/key paths whatever the key holds', () => {
    expect(splitFilePath(`/bx-prod/${KEY}`)).toEqual({ bucket: 'bx-prod', key: KEY });
    expect(splitFilePath('/bx-prod/')).toBeUndefined();
    expect(splitFilePath('bx-prod/key')).toBeUndefined();
  });
});

describe('verdictFor', () => {
  const arrival: Arrival = {
    bucket: 'b',
    key: 'k',
    partnerId: 'acme',
    seq: 's',
    uploadId: 'u',
    etag: 'e1',
    receivedAt: '2026-11-22T14:03:09.000Z',
    deadlineAt: '2026-11-22T14:18:09.000Z',
  };
  const upload = (over: Partial<Extract<TransferResult, { kind: 'upload' }>>): TransferResult => ({
    kind: 'upload',
    eventId: Math.random().toString(36),
    bucket: 'b',
    key: 'k',
    outcome: 'completed',
    etag: 'e1',
    at: '2026-11-22T14:03:10.000Z',
    source: 'aws.transfer',
    ...over,
  });
  const rename = (over: Partial<Extract<TransferResult, { kind: 'rename' }>> = {}): TransferResult => ({
    kind: 'rename',
    eventId: 'r',
    bucket: 'b',
    key: 'k',
    fromKey: 'k.filepart',
    startedAt: '2026-11-22T14:03:09.100Z',
    endedAt: '2026-11-22T14:03:09.300Z',
    at: '2026-11-22T14:03:09.300Z',
    source: 'aws.transfer',
    ...over,
  });
  const none = new Map<string, TransferResult[]>();

  it('follows the result with the same ETag, and says nothing about another ETag or key', () => {
    expect(verdictFor(arrival, [upload({})], none)).toBe('completed');
    expect(verdictFor(arrival, [upload({ etag: 'E1' })], none)).toBeUndefined(); // stored normalised; an unnormalised one is not ours
    expect(verdictFor(arrival, [upload({ etag: 'e2' }), upload({ key: 'other' })], none)).toBeUndefined();
  });

  it('lets a failure win over a completion of the same object', () => {
    expect(verdictFor(arrival, [upload({}), upload({ outcome: 'failed' })], none)).toBe('failed');
  });

  it('fails an arrival received during a failed transfer that reported no ETag, and no other', () => {
    const failed = upload({
      outcome: 'failed',
      etag: undefined,
      startedAt: '2026-11-22T14:02:00.000Z',
      endedAt: '2026-11-22T14:03:10.000Z',
    });
    expect(verdictFor(arrival, [failed], none)).toBe('failed');
    expect(verdictFor({ ...arrival, receivedAt: '2026-11-22T15:00:00.000Z' }, [failed], none)).toBeUndefined();
  });

  it('gives a rename the result of the last upload of its source before it, matched by time', () => {
    const sources = new Map([
      [
        'k.filepart',
        [
          upload({ key: 'k.filepart', etag: 'old', outcome: 'failed', at: '2026-11-21T10:00:00.000Z' }),
          upload({ key: 'k.filepart', etag: 'tmp', outcome: 'completed', at: '2026-11-22T14:03:08.000Z' }),
        ],
      ],
    ]);
    expect(verdictFor(arrival, [rename()], sources)).toBe('completed');
    expect(verdictFor(arrival, [rename()], new Map())).toBeUndefined();
    expect(verdictFor({ ...arrival, receivedAt: '2026-11-22T14:10:00.000Z' }, [rename()], sources)).toBeUndefined();
  });
});
