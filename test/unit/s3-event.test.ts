import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeS3EventKey, parseS3Notification } from '../../lambdas/core/events/s3-event.ts';

const REAL_NAME = 'partners/acme/employees/upload/all/INTERNAL [Flexible Benefits x SFTP] Dry-run - PROD #11.csv';

/** How AWS encodes keys in S3 event notifications: form-style, `/` left as is. */
function awsEncode(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** How moto encodes them (Python's `quote_plus`): form-style, `/` encoded too. */
function motoEncode(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+');
}

function awsBody(records: { eventName: string; key: string; eventTime?: string }[]): string {
  return JSON.stringify({
    Records: records.map(({ eventName, key, eventTime }) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'sa-east-1',
      eventTime: eventTime ?? '2026-11-22T14:03:09.123Z',
      eventName,
      userIdentity: { principalId: 'AWS:AROAEXAMPLE:transfer-session' },
      requestParameters: { sourceIPAddress: '10.0.0.12' },
      responseElements: {
        'x-amz-request-id': 'C3D13FE58DE4C810',
        'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'ingest',
        bucket: {
          name: 'benefits-exchange-prod',
          ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
          arn: 'arn:aws:s3:::benefits-exchange-prod',
        },
        object: {
          key,
          size: 1024,
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
          sequencer: '0055AED6DCD90281E5',
        },
      },
    })),
  });
}

function motoBody(eventName: string, key: string, eventTime = '2026-11-22T03:53:31.938054'): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime,
        eventName,
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'ingest',
          bucket: { name: 'local-bucket', arn: 'arn:aws:s3:::local-bucket' },
          object: { key, size: 0, eTag: 'd41d8cd98f00b204e9800998ecf8427e' },
        },
      },
    ],
  });
}

describe('decodeS3EventKey', () => {
  it.each([
    {
      style: 'AWS (spaces as +, brackets and # escaped)',
      raw: 'partners/acme/employees/upload/all/INTERNAL+%5BFlexible+Benefits+x+SFTP%5D+Dry-run+-+PROD+%2311.csv',
      expected: REAL_NAME,
    },
    {
      style: 'moto (slashes escaped too)',
      raw: 'partners%2Facme%2Femployees%2Fupload%2Fall%2FINTERNAL+%5BFlexible+Benefits+x+SFTP%5D+Dry-run+-+PROD+%2311.csv',
      expected: REAL_NAME,
    },
    { style: 'literal plus', raw: 'partners/acme/employees/upload/all/a%2Bb.csv', expected: 'partners/acme/employees/upload/all/a+b.csv' },
    { style: 'plus and spaces mixed', raw: 'a+%2B+b.csv', expected: 'a + b.csv' },
    {
      style: 'unicode name',
      raw: 'partners/acme/employees/upload/all/Jos%C3%A9.csv',
      expected: 'partners/acme/employees/upload/all/José.csv',
    },
    { style: 'unicode name', raw: 'Concei%C3%A7%C3%A3o.csv', expected: 'Conceição.csv' },
    { style: 'hash', raw: 'PROD+%2311.csv', expected: 'PROD #11.csv' },
    { style: 'percent sign', raw: '100%25.csv', expected: '100%.csv' },
    { style: 'plain key', raw: 'partners/acme/employees/upload/all/census.csv', expected: 'partners/acme/employees/upload/all/census.csv' },
    { style: 'empty', raw: '', expected: '' },
  ])('decodes a $style key', ({ raw, expected }) => {
    // Act
    const decoded = decodeS3EventKey(raw);

    // Assess
    expect(decoded).toBe(expected);
  });

  it('round-trips any key encoded the AWS way or the moto way', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (key) => {
        expect(decodeS3EventKey(awsEncode(key))).toBe(key);
        expect(decodeS3EventKey(motoEncode(key))).toBe(key);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseS3Notification', () => {
  it('parses a real AWS body (versionId, sequencer, eventTime with Z)', () => {
    // Prepare
    const body = awsBody([{ eventName: 'ObjectCreated:Put', key: awsEncode(REAL_NAME) }]);

    // Act
    const objects = parseS3Notification(body);

    // Assess
    expect(objects).toEqual([
      {
        bucket: 'benefits-exchange-prod',
        key: REAL_NAME,
        eventName: 'ObjectCreated:Put',
        eventTime: '2026-11-22T14:03:09.123Z',
        size: 1024,
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
      },
    ]);
  });

  it('parses a moto body (no versionId or sequencer, eventTime without zone, read as UTC)', () => {
    // Prepare
    const body = motoBody('ObjectCreated:Put', motoEncode('partners/acme/employees/upload/all/Conceição.csv'));

    // Act
    const objects = parseS3Notification(body);

    // Assess
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({
      bucket: 'local-bucket',
      key: 'partners/acme/employees/upload/all/Conceição.csv',
      eventName: 'ObjectCreated:Put',
      eventTime: '2026-11-22T03:53:31.938Z',
      size: 0,
      eTag: 'd41d8cd98f00b204e9800998ecf8427e',
    });
    expect(objects[0]?.versionId).toBeUndefined();
  });

  it.each([
    { eventTime: '2026-11-22T14:03:09.123Z', expected: '2026-11-22T14:03:09.123Z' },
    { eventTime: '2026-11-22T14:03:09Z', expected: '2026-11-22T14:03:09.000Z' },
    { eventTime: '2026-11-22T03:53:31.938054', expected: '2026-11-22T03:53:31.938Z' },
    { eventTime: '2026-11-22T03:53:31', expected: '2026-11-22T03:53:31.000Z' },
    { eventTime: '2026-11-22T14:03:09.123+00:00', expected: '2026-11-22T14:03:09.123Z' },
    { eventTime: '2026-11-22T11:03:09-03:00', expected: '2026-11-22T14:03:09.000Z' },
    { eventTime: '2026-11-22T23:30:00.000-03:00', expected: '2026-11-23T02:30:00.000Z' },
  ])('turns eventTime $eventTime into the UTC ISO string $expected', ({ eventTime, expected }) => {
    // Prepare
    const body = motoBody('ObjectCreated:Put', 'x.csv', eventTime);

    // Act
    const [object] = parseS3Notification(body);

    // Assess
    expect(object?.eventTime).toBe(expected);
  });

  it('returns no objects for the s3:TestEvent sent when notifications are configured', () => {
    // Prepare
    const body = JSON.stringify({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-11-22T14:00:00.000Z',
      Bucket: 'b',
      RequestId: '5582815E1AEA5ADF',
      HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
    });

    // Act
    const objects = parseS3Notification(body);

    // Assess
    expect(objects).toEqual([]);
  });

  it('keeps ObjectCreated records of every kind, in order, and drops ObjectRemoved ones', () => {
    // Prepare
    const body = awsBody([
      { eventName: 'ObjectCreated:Put', key: 'partners/acme/employees/upload/all/a.csv' },
      { eventName: 'ObjectRemoved:Delete', key: 'partners/acme/employees/upload/all/b.csv' },
      { eventName: 'ObjectCreated:Copy', key: 'partners/acme/employees/upload/all/c.csv' },
      { eventName: 'ObjectRemoved:DeleteMarkerCreated', key: 'partners/acme/employees/upload/all/d.csv' },
      { eventName: 'ObjectCreated:CompleteMultipartUpload', key: 'partners/acme/employees/upload/all/e.csv' },
      { eventName: 'ObjectRestore:Completed', key: 'partners/acme/employees/upload/all/f.csv' },
    ]);

    // Act
    const objects = parseS3Notification(body);

    // Assess
    expect(objects.map((o) => [o.eventName, o.key])).toEqual([
      ['ObjectCreated:Put', 'partners/acme/employees/upload/all/a.csv'],
      ['ObjectCreated:Copy', 'partners/acme/employees/upload/all/c.csv'],
      ['ObjectCreated:CompleteMultipartUpload', 'partners/acme/employees/upload/all/e.csv'],
    ]);
  });

  it('returns no objects for a body that only removes objects', () => {
    // Prepare
    const body = motoBody('ObjectRemoved:Delete', 'partners%2Facme%2Fx.csv');

    // Act
    const objects = parseS3Notification(body);

    // Assess
    expect(objects).toEqual([]);
  });

  it('returns no objects for an empty Records list', () => {
    // Act
    const objects = parseS3Notification('{"Records":[]}');

    // Assess
    expect(objects).toEqual([]);
  });

  it.each([
    { what: 'an unrelated JSON object', body: '{"hello":"world"}' },
    { what: 'another test event', body: '{"Service":"Amazon S3","Event":"s3:SomethingElse"}' },
    { what: 'Records that are not S3 records', body: '{"Records":[{"eventName":"ObjectCreated:Put"}]}' },
    { what: 'Records that is not a list', body: '{"Records":{}}' },
    {
      what: 'an S3 record without a key',
      body: '{"Records":[{"eventName":"ObjectCreated:Put","eventTime":"2026-11-22T14:03:09Z","s3":{"bucket":{"name":"b"},"object":{}}}]}',
    },
    { what: 'JSON null', body: 'null' },
    { what: 'a JSON array', body: '[]' },
    { what: 'text that is not JSON', body: 'not json' },
    { what: 'an empty body', body: '' },
  ])('throws on $what', ({ body }) => {
    // Act
    const parse = (): unknown => parseS3Notification(body);

    // Assess
    expect(parse).toThrow();
  });
});
