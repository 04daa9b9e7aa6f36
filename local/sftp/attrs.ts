import type { Attributes, FileEntry } from 'ssh2';

/**
 * What a partner's client sees of a file or folder. S3 keeps no owner or mode, so like Transfer
 * Family every file is rw-r--r-- and every folder rwxr-xr-x; folders (prefixes) have no time, so
 * they show the epoch as Transfer's listings do.
 */

export type Node =
  | { readonly kind: 'file'; readonly name: string; readonly size: number; readonly mtime: Date }
  | { readonly kind: 'dir'; readonly name: string };

const FILE_MODE = 0o100644;
const DIR_MODE = 0o040755;

/** STAT/FSTAT attributes of a file or folder. */
export function attributesOf(node: Node): Attributes {
  if (node.kind === 'dir') return { mode: DIR_MODE, uid: 0, gid: 0, size: 0, atime: 0, mtime: 0 };
  const seconds = Math.floor(node.mtime.getTime() / 1000);
  return { mode: FILE_MODE, uid: 0, gid: 0, size: node.size, atime: seconds, mtime: seconds };
}

/** A READDIR entry; `longname` is what OpenSSH's `ls -l` prints verbatim, so it mimics `ls -l`. */
export function entryOf(node: Node, owner: string): FileEntry {
  const attrs = attributesOf(node);
  const perms = node.kind === 'dir' ? 'drwxr-xr-x' : '-rw-r--r--';
  const longname = [
    perms,
    '1'.padStart(4),
    owner.padEnd(8),
    owner.padEnd(8),
    String(attrs.size).padStart(12),
    lsDate(attrs.mtime),
    node.name,
  ].join(' ');
  return { filename: node.name, longname, attrs };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HALF_YEAR_SECONDS = 182 * 24 * 3600;

/** `ls` style: time of day for recent files, the year for older ones (always UTC). */
function lsDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const day = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`;
  const recent = Math.abs(Date.now() / 1000 - epochSeconds) < HALF_YEAR_SECONDS;
  const tail = recent
    ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
    : String(d.getUTCFullYear()).padStart(5);
  return `${day} ${tail}`;
}
