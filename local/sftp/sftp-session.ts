import ssh2, { type Attributes, type FileEntry, type SFTPWrapper } from 'ssh2';
import { describeErrorInline } from '../../lambdas/core/diagnostics/error-description.ts';
import { attributesOf, entryOf } from './attrs.ts';
import type { RangedReader } from './read-handle.ts';
import type { PartnerFileSystem } from './s3-filesystem.ts';
import { registerPathRequests } from './sftp-path-requests.ts';
import { failure, STATUS, SftpStatusError } from './sftp-errors.ts';
import type { SessionAnnouncer } from './transfer-announcer.ts';
import { endWithExitStatus } from './session-exit.ts';
import { checkUploadOpen } from './upload-open-checks.ts';
import { SpooledUpload } from './write-handle.ts';

/**
 * The SFTP requests of one authenticated session: handle-based ones here (open, read, write,
 * close, directory listing), path-based ones in sftp-path-requests.ts. ssh2 emits each request
 * as an event and expects exactly one reply per request id; `Replier.run` guarantees that reply
 * even when the work throws.
 */

export interface SessionContext {
  readonly fs: PartnerFileSystem;
  /** Where uploads are spooled until CLOSE. */
  readonly spoolDir: string;
  readonly log: (line: string) => void;
  /** Emits the session's upload results (SPEC §15); without it, an unclosed upload is dropped. */
  readonly announcer?: SessionAnnouncer;
}

type Handle =
  | { readonly kind: 'read'; readonly path: string; readonly reader: RangedReader; readonly mtime: Date }
  | { readonly kind: 'write'; readonly path: string; readonly upload: SpooledUpload; receiving?: true }
  | { readonly kind: 'dir'; readonly path: string; readonly entries: FileEntry[]; next: number };

const { OPEN_MODE } = ssh2.utils.sftp;
/** Bytes of names per READDIR reply, near the 32 KiB packets servers conventionally send. */
const NAME_BYTES_PER_REPLY = 30_000;
/** Bounds what one session can hold open (spool files, cached windows). */
const MAX_OPEN_HANDLES = 64;

/** Sends exactly one reply per request, mapping errors to statuses and log lines. */
export class Replier {
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly partnerId: string,
    private readonly log: (line: string) => void,
  ) {}

  run(reqId: number, op: string, path: string, work: () => Promise<void>): void {
    const running = work().catch((error: unknown) => {
      if (error instanceof SftpStatusError) {
        if (error.code === STATUS.PERMISSION_DENIED) this.note(op, path, 'refused: permission denied');
        // Many clients show only "Failure": the reason stays in the log for whoever helps them.
        if (error.code === STATUS.FAILURE) this.note(op, path, `refused: ${error.message}`);
        this.status(reqId, error.code, error.message);
        return;
      }
      // The detail stays in the server log; the client learns only that it failed.
      this.note(op, path, `failed: ${describeErrorInline(error)}`);
      this.status(reqId, STATUS.FAILURE, 'Failure');
    });
    this.inflight.add(running);
    void running.finally(() => this.inflight.delete(running));
  }

  /** Resolves once every request received so far has been answered. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** One log line: partner, operation, logical path (quoted so odd names stay on one line). */
  note(op: string, path: string, outcome?: string): void {
    this.log(`sftp ${this.partnerId} ${op} ${JSON.stringify(path)}${outcome ? ` ${outcome}` : ''}`);
  }

  status(reqId: number, code: number, message?: string): void {
    this.guard(() => this.sftp.status(reqId, code, message));
  }

  /** The channel may be gone by the time slow S3 work finishes; that must not crash the server. */
  guard(send: () => void): void {
    try {
      send();
    } catch {
      // client already disconnected: nobody to answer
    }
  }
}

/** Serves one SFTP channel for the partner whose tree `ctx.fs` is. */
export function serveSftp(sftp: SFTPWrapper, ctx: SessionContext): void {
  const { fs } = ctx;
  const replier = new Replier(sftp, fs.partner.partnerId, ctx.log);
  const handles = new Map<string, Handle>();
  let counter = 0;
  let closed = false;

  const newHandle = (handle: Handle): Buffer => {
    // An OPEN that finishes after the channel closed would leak its spool file.
    if (closed) throw failure('Channel closed');
    if (handles.size >= MAX_OPEN_HANDLES) throw failure('Too many open files');
    const id = Buffer.alloc(4);
    id.writeUInt32BE(counter++ % 0x1_0000_0000);
    handles.set(id.toString('hex'), handle);
    return id;
  };
  const pathOf = (id: Buffer): string => handles.get(id.toString('hex'))?.path ?? '';
  const handleOf = (id: Buffer): Handle => {
    const handle = handles.get(id.toString('hex'));
    if (!handle) throw failure('Invalid handle');
    return handle;
  };

  sftp.on('OPEN', (reqId: number, filename: string, flags: number) => {
    const path = fs.resolve(filename);
    const writing = (flags & OPEN_MODE.WRITE) !== 0;
    replier.run(reqId, writing ? 'put' : 'get', path, async () => {
      let handle: Handle;
      if (writing) {
        // An S3 object cannot be patched in place: the object becomes exactly the bytes written
        // through this handle, whatever TRUNC says. Appends and bad names are refused here.
        checkUploadOpen(path, flags);
        await fs.checkWritable(path, (flags & OPEN_MODE.EXCL) !== 0);
        handle = { kind: 'write', path, upload: await SpooledUpload.create(ctx.spoolDir) };
      } else {
        const opened = await fs.openForRead(path);
        handle = { kind: 'read', path, reader: fs.reader(opened), mtime: opened.mtime };
      }
      let id: Buffer;
      try {
        id = newHandle(handle);
      } catch (error) {
        if (handle.kind === 'write') await handle.upload.discard();
        throw error;
      }
      replier.guard(() => sftp.handle(reqId, id));
    });
  });

  sftp.on('READ', (reqId: number, id: Buffer, offset: number, length: number) => {
    replier.run(reqId, 'read', pathOf(id), async () => {
      const handle = handleOf(id);
      if (handle.kind !== 'read') throw failure('Handle not open for reading');
      const data = await handle.reader.read(offset, length);
      if (data) replier.guard(() => sftp.data(reqId, data));
      else replier.status(reqId, STATUS.EOF);
    });
  });

  sftp.on('WRITE', (reqId: number, id: Buffer, offset: number, data: Buffer) => {
    replier.run(reqId, 'write', pathOf(id), async () => {
      const handle = handleOf(id);
      if (handle.kind !== 'write') throw failure('Handle not open for writing');
      await handle.upload.write(offset, data);
      // One line when a file's first bytes are in, as Transfer logs an OPEN: an operator (or a
      // test that must cut a transfer half way) sees that the transfer is under way.
      if (!handle.receiving) {
        handle.receiving = true;
        replier.note('put', handle.path, 'receiving');
      }
      replier.status(reqId, STATUS.OK);
    });
  });

  sftp.on('FSTAT', (reqId: number, id: Buffer) => {
    replier.run(reqId, 'fstat', pathOf(id), async () => {
      const handle = handleOf(id);
      const name = handle.path;
      const attrs: Attributes =
        handle.kind === 'dir'
          ? attributesOf({ kind: 'dir', name })
          : handle.kind === 'read'
            ? attributesOf({ kind: 'file', name, size: handle.reader.size, mtime: handle.mtime })
            : attributesOf({ kind: 'file', name, size: handle.upload.size, mtime: new Date() });
      replier.guard(() => sftp.attrs(reqId, attrs));
    });
  });

  // Transfer's SetStatOption ENABLE_NO_OP: clients that set times (WinSCP, `put -p`) must not fail.
  sftp.on('FSETSTAT', (reqId: number, id: Buffer) => {
    replier.run(reqId, 'fsetstat', pathOf(id), async () => {
      handleOf(id);
      replier.status(reqId, STATUS.OK);
    });
  });

  sftp.on('CLOSE', (reqId: number, id: Buffer) => {
    const handle = handles.get(id.toString('hex'));
    handles.delete(id.toString('hex'));
    if (handle?.kind !== 'write') {
      replier.status(reqId, handle ? STATUS.OK : STATUS.FAILURE, handle ? undefined : 'Invalid handle');
      return;
    }
    replier.run(reqId, 'put', handle.path, async () => {
      const startedAt = new Date();
      let stored: { eTag?: string } = {};
      const bytes = await handle.upload.commit(async (body) => void (stored = await fs.upload(handle.path, body)));
      replier.note('put', handle.path, `${bytes} bytes`);
      await ctx.announcer?.completed(handle.path, bytes, startedAt, stored.eTag);
      replier.status(reqId, STATUS.OK);
    });
  });

  sftp.on('OPENDIR', (reqId: number, dirPath: string) => {
    const path = fs.resolve(dirPath);
    replier.run(reqId, 'ls', path, async () => {
      const owner = fs.partner.partnerId;
      const entries = (await fs.list(path)).map((node) => entryOf(node, owner));
      const id = newHandle({ kind: 'dir', path, entries, next: 0 });
      replier.guard(() => sftp.handle(reqId, id));
    });
  });

  sftp.on('READDIR', (reqId: number, id: Buffer) => {
    replier.run(reqId, 'ls', pathOf(id), async () => {
      const handle = handleOf(id);
      if (handle.kind !== 'dir') throw failure('Not a directory handle');
      if (handle.next >= handle.entries.length) return replier.status(reqId, STATUS.EOF);
      const batch: FileEntry[] = [];
      let bytes = 0;
      for (const entry of handle.entries.slice(handle.next)) {
        bytes += Buffer.byteLength(entry.filename) + Buffer.byteLength(entry.longname) + 64;
        if (batch.length > 0 && bytes > NAME_BYTES_PER_REPLY) break;
        batch.push(entry);
      }
      handle.next += batch.length;
      replier.guard(() => sftp.name(reqId, batch));
    });
  });

  registerPathRequests(sftp, fs, replier, ctx.announcer);

  // The client's EOF means it is done (OpenSSH `sftp` then waits for us to close the channel,
  // as OpenSSH's sftp-server does by exiting); finish what is in flight first.
  sftp.once('end', () => {
    void replier.idle().then(() => replier.guard(() => endWithExitStatus(sftp)));
  });

  // A connection lost mid-upload leaves what arrived in S3, as on Transfer, announced as a failed
  // transfer so that it ends Rejected / Interrupted and is never applied (transfer-announcer.ts).
  sftp.once('close', () => {
    closed = true;
    for (const handle of handles.values()) {
      if (handle.kind !== 'write') continue;
      if (ctx.announcer) void ctx.announcer.interrupted(handle.path, handle.upload, (body) => fs.upload(handle.path, body));
      else void handle.upload.discard();
    }
    handles.clear();
  });
}
