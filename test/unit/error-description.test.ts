import { NoSuchKey } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  describeError,
  describeErrorInline,
  failureAttributes,
  MAX_ERROR_MESSAGE_CHARS,
} from '../../lambdas/core/diagnostics/error-description.ts';

describe('describeError', () => {
  it('names an SDK error by class, message, HTTP status and request id from $metadata', () => {
    const error = new NoSuchKey({
      message: 'The specified key does not exist.',
      $metadata: { httpStatusCode: 404, requestId: 'REQ-1', attempts: 1 },
    });
    expect(describeError(error)).toEqual({
      errorClass: 'NoSuchKey',
      errorMessage: 'The specified key does not exist.',
      httpStatus: 404,
      requestId: 'REQ-1',
    });
  });

  it('keeps a service error code that differs from the class, and one level of cause', () => {
    const wrapped = Object.assign(new Error('apply failed', { cause: new TypeError('x is not a function') }), { Code: 'Throttling' });
    expect(describeError(wrapped)).toEqual({
      errorClass: 'Error',
      errorMessage: 'apply failed',
      errorCode: 'Throttling',
      cause: 'TypeError: x is not a function',
    });
  });

  it('describes what is thrown that is not an Error', () => {
    expect(describeError('plain text')).toEqual({ errorClass: 'string', errorMessage: 'plain text' });
    expect(describeError(undefined)).toEqual({ errorClass: 'undefined', errorMessage: 'undefined' });
    expect(describeError(new Error(''))).toMatchObject({ errorMessage: '(no message)' });
  });

  it('never carries emails or CPF numbers a message may quote, and stays on one short line', () => {
    const d = describeError(new Error(`row 3:\n ana.souza@example.com has CPF 764.254.640-89 and 15184662065; company 37211173000169`));
    expect(d.errorMessage).toBe('row 3: <email> has CPF <number> and <number>; company 37211173000169');
    const long = describeError(new Error('x'.repeat(2000))).errorMessage;
    expect(long).toHaveLength(MAX_ERROR_MESSAGE_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });

  it('puts ids first, then the step and the description, in a failure line', () => {
    const attrs = failureAttributes('process.apply', new Error('boom'), { partnerId: 'acme', uploadId: 'u1' });
    expect(Object.keys(attrs)).toEqual(['partnerId', 'uploadId', 'step', 'errorClass', 'errorMessage']);
    expect(describeErrorInline(new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404, requestId: 'R' } }))).toBe(
      'errorClass=NoSuchKey errorMessage="gone" httpStatus=404 requestId=R',
    );
  });
});
