/**
 * What a failure log line says about the error, so an operator can act on it without a debugger:
 * its class and message, and for AWS SDK errors the HTTP status, request id and error code from
 * `$metadata`. Messages are cut to one short line and scrubbed of what looks like personal data
 * (emails, CPF-length digit runs), since an error thrown while reading a file may quote it.
 */

export interface ErrorDescription {
  /** The error's class (`name`), e.g. `Error`, `NoSuchKey`, `ConditionalCheckFailedException`. */
  readonly errorClass: string;
  readonly errorMessage: string;
  /** AWS SDK errors: the service's HTTP status and request id. */
  readonly httpStatus?: number;
  readonly requestId?: string;
  /** AWS SDK errors: `Code` when the service sent one different from the class. */
  readonly errorCode?: string;
  /** The class and message of `cause`, when the error wraps another. */
  readonly cause?: string;
}

export const MAX_ERROR_MESSAGE_CHARS = 300;

interface SdkLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly Code?: unknown;
  readonly cause?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly requestId?: unknown; readonly extendedRequestId?: unknown };
}

export function describeError(error: unknown): ErrorDescription {
  if (typeof error !== 'object' || error === null) {
    return { errorClass: typeof error, errorMessage: scrub(String(error)) };
  }
  const e = error as SdkLike;
  const errorClass = typeof e.name === 'string' && e.name ? e.name : (error.constructor?.name ?? 'Object');
  const message = typeof e.message === 'string' ? e.message : '';
  const meta = e.$metadata;
  const httpStatus = typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : undefined;
  const requestId = typeof meta?.requestId === 'string' && meta.requestId ? meta.requestId : undefined;
  const errorCode = typeof e.Code === 'string' && e.Code !== errorClass ? e.Code : undefined;
  const cause = e.cause === undefined || e.cause === error ? undefined : summarise(e.cause);
  return {
    errorClass,
    errorMessage: scrub(message) || '(no message)',
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(requestId ? { requestId } : {}),
    ...(errorCode ? { errorCode } : {}),
    ...(cause ? { cause } : {}),
  };
}

/**
 * The attributes of a failure log line: the step that failed and what the error was. `ids` come
 * first (partner, upload) so every failure line reads the same way.
 */
export function failureAttributes(step: string, error: unknown, ids: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...ids, step, ...describeError(error) };
}

/** The same facts on one line, for the local servers' plain-text logs. */
export function describeErrorInline(error: unknown): string {
  const d = describeError(error);
  const extra = [
    d.httpStatus !== undefined ? `httpStatus=${d.httpStatus}` : '',
    d.requestId ? `requestId=${d.requestId}` : '',
    d.errorCode ? `errorCode=${d.errorCode}` : '',
    d.cause ? `cause=${JSON.stringify(d.cause)}` : '',
  ].filter(Boolean);
  return [`errorClass=${d.errorClass}`, `errorMessage=${JSON.stringify(d.errorMessage)}`, ...extra].join(' ');
}

/** Only one level of cause: enough to name what a wrapper hides, never a chain to walk. */
function summarise(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return scrub(String(cause));
  const { name, message } = cause as SdkLike;
  return `${typeof name === 'string' ? name : 'Error'}: ${scrub(typeof message === 'string' ? message : '')}`;
}

/** One line, bounded, with emails and CPF-like numbers masked. */
function scrub(message: string): string {
  const oneLine = message
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[^\s@"'<>(),;]+@[^\s@"'<>(),;]+\.[^\s@"'<>(),;]+/g, '<email>')
    .replace(/\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?!\d)/g, (m, offset: number, all: string) =>
      /\d/.test(all[offset - 1] ?? '') ? m : '<number>',
    );
  return oneLine.length > MAX_ERROR_MESSAGE_CHARS ? `${oneLine.slice(0, MAX_ERROR_MESSAGE_CHARS - 1)}…` : oneLine;
}
