import ssh2 from 'ssh2';

/**
 * The SFTP status a refused or failed request answers with. Handlers throw these; the session
 * turns them into a STATUS reply, and anything else into a generic FAILURE, so no S3 error text
 * (bucket, keys, other partners' prefixes) ever reaches a client.
 */

export const STATUS = ssh2.utils.sftp.STATUS_CODE;

export class SftpStatusError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'SftpStatusError';
  }
}

/** Writing outside an upload folder, or touching something partners may not change. */
export function permissionDenied(): SftpStatusError {
  return new SftpStatusError(STATUS.PERMISSION_DENIED, 'Permission denied');
}

/** Nothing at that path in the partner's own tree (also what other partners' paths look like). */
export function noSuchFile(): SftpStatusError {
  return new SftpStatusError(STATUS.NO_SUCH_FILE, 'No such file');
}

/** A refusal that is neither of the above (not a directory, not empty, already exists…). */
export function failure(message: string): SftpStatusError {
  return new SftpStatusError(STATUS.FAILURE, message);
}

/** A request S3 cannot honour (appends, unknown extensions). */
export function unsupported(message: string): SftpStatusError {
  return new SftpStatusError(STATUS.OP_UNSUPPORTED, message);
}
