import { posix } from 'node:path';
import ssh2 from 'ssh2';
import { fileNameProblem } from '../../lambdas/core/files/file-name-rules.ts';
import { failure } from './sftp-errors.ts';

/**
 * What is refused when a file is opened for writing, before any byte is accepted (SPEC §3): an
 * append (an S3 object cannot grow), and a name that breaks the file name rules. The same name
 * rules apply to a rename's target, the other way a name comes into being.
 */

const { OPEN_MODE } = ssh2.utils.sftp;

/** Throws the refusal the client is told when `path` may not be opened for writing with `flags`. */
export function checkUploadOpen(path: string, flags: number): void {
  if (flags & OPEN_MODE.APPEND) {
    throw failure('Appending is not supported: a file is written once, from its first byte to its last. Upload the whole file again.');
  }
  checkUploadName(path);
}

/** Throws when the last segment of `path` is not an acceptable file name, saying why. */
export function checkUploadName(path: string): void {
  const problem = fileNameProblem(posix.basename(path));
  if (problem) throw failure(`File name refused. ${problem}`);
}
