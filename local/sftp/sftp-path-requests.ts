import type { Attributes, SFTPWrapper } from 'ssh2';
import { attributesOf } from './attrs.ts';
import type { PartnerFileSystem } from './s3-filesystem.ts';
import { noSuchFile, STATUS, unsupported } from './sftp-errors.ts';
import type { SessionAnnouncer } from './transfer-announcer.ts';
import { checkUploadName } from './upload-open-checks.ts';

/**
 * The path-based SFTP requests (stat, realpath, rename, remove, mkdir, rmdir, setstat and the
 * OpenSSH rename extension). Each resolves the client's path into the partner's logical tree
 * first; the tree decides what exists and what may change.
 */
/** What these handlers need of the session's replier (its class lives in sftp-session.ts, which registers them). */
export interface Replier {
  run(reqId: number, op: string, path: string, work: () => Promise<void>): void;
  note(op: string, path: string, outcome?: string): void;
  status(reqId: number, code: number, message?: string): void;
  guard(send: () => void): void;
}

export function registerPathRequests(sftp: SFTPWrapper, fs: PartnerFileSystem, replier: Replier, announcer?: SessionAnnouncer): void {
  const stat = (reqId: number, input: string): void => {
    const path = fs.resolve(input);
    replier.run(reqId, 'stat', path, async () => {
      const node = await fs.stat(path);
      if (!node) throw noSuchFile();
      replier.guard(() => sftp.attrs(reqId, attributesOf(node)));
    });
  };
  // There are no symbolic links in S3, so LSTAT is STAT.
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);

  // Clients learn their home (`.` → `/`) and canonicalise `cd` targets this way; it never
  // touches S3, so a path that does not exist still canonicalises (the following STAT says so).
  sftp.on('REALPATH', (reqId: number, input: string) => {
    const path = fs.resolve(input);
    replier.guard(() => sftp.name(reqId, [{ filename: path, longname: path, attrs: {} as Attributes }]));
  });

  // Transfer's SetStatOption ENABLE_NO_OP: accepted and ignored, S3 keeps its own times.
  sftp.on('SETSTAT', (reqId: number) => replier.status(reqId, STATUS.OK));

  const rename = (reqId: number, fromInput: string, toInput: string): void => {
    const from = fs.resolve(fromInput);
    const to = fs.resolve(toInput);
    replier.run(reqId, 'rename', from, async () => {
      if (fs.canWrite(to)) checkUploadName(to);
      const startedAt = new Date();
      await fs.rename(from, to);
      replier.note('rename', from, `-> ${JSON.stringify(to)}`);
      await announcer?.renamed(from, to, startedAt);
      replier.status(reqId, STATUS.OK);
    });
  };
  sftp.on('RENAME', rename);

  sftp.on('EXTENDED', (reqId: number, name: string, data: Buffer | undefined) => {
    const paths = name === 'posix-rename@openssh.com' && data ? readStrings(data, 2) : undefined;
    if (paths) return rename(reqId, paths[0] as string, paths[1] as string);
    replier.run(reqId, 'extended', '', async () => {
      throw unsupported('Unsupported extension');
    });
  });

  const change = (op: string, act: (path: string) => Promise<void>) => (reqId: number, input: string) => {
    const path = fs.resolve(input);
    replier.run(reqId, op, path, async () => {
      await act(path);
      replier.note(op, path);
      replier.status(reqId, STATUS.OK);
    });
  };
  sftp.on(
    'REMOVE',
    change('rm', (path) => fs.remove(path)),
  );
  sftp.on(
    'MKDIR',
    change('mkdir', (path) => fs.mkdir(path)),
  );
  sftp.on(
    'RMDIR',
    change('rmdir', (path) => fs.rmdir(path)),
  );
}

/** Reads `count` SSH strings (uint32 length + UTF-8 bytes); undefined when malformed. */
function readStrings(data: Buffer, count: number): string[] | undefined {
  const out: string[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 4 > data.length) return undefined;
    const length = data.readUInt32BE(p);
    p += 4;
    if (p + length > data.length) return undefined;
    out.push(data.toString('utf8', p, p + length));
    p += length;
  }
  return out;
}
