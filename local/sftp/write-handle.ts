import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { WriteOrder } from './write-order.ts';

/**
 * An upload in progress, spooled to a local temp file. Writes must arrive in order, from the
 * first byte to the last (write-order.ts); a refused one poisons the upload so that nothing of it
 * is stored. Only on CLOSE is the file streamed to S3, like Transfer, which creates the object
 * when the client closes the handle.
 */
export class SpooledUpload {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly order = new WriteOrder();
  private failed: unknown;
  private end = 0;
  private closed = false;

  private constructor(
    private readonly file: FileHandle,
    private readonly path: string,
  ) {}

  /** Creates an empty spool file in `dir`. */
  static async create(dir: string): Promise<SpooledUpload> {
    const path = join(dir, `${randomUUID()}.upload`);
    return new SpooledUpload(await open(path, 'wx+', 0o600), path);
  }

  /** Bytes received so far (the highest offset written), for FSTAT. */
  get size(): number {
    return this.end;
  }

  async write(offset: number, data: Buffer): Promise<void> {
    if (this.closed) throw new Error('upload already closed');
    try {
      this.order.accept(offset, data.length);
    } catch (refusal) {
      this.failed ??= refusal;
      throw refusal;
    }
    const writing = this.writeAll(offset, data);
    this.pending.add(writing);
    try {
      await writing;
      this.end = Math.max(this.end, offset + data.length);
    } catch (error) {
      this.failed ??= error;
      throw error;
    } finally {
      this.pending.delete(writing);
    }
  }

  private async writeAll(offset: number, data: Buffer): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.file.write(data, done, data.length - done, offset + done);
      done += bytesWritten;
    }
  }

  /**
   * Hands the spooled bytes to `store` as a stream, then deletes the spool file whatever
   * happens. Throws when a write failed or the store refused the upload.
   */
  async commit(store: (body: Readable) => Promise<void>): Promise<number> {
    try {
      await this.settle();
      if (this.failed) throw this.failed;
      await store(createReadStream(this.path));
      return this.end;
    } finally {
      await rm(this.path, { force: true });
    }
  }

  /** Drops the upload (connection lost before CLOSE): nothing reaches S3. */
  async discard(): Promise<void> {
    await this.settle().catch(() => {});
    await rm(this.path, { force: true });
  }

  private async settle(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    await this.file.close();
  }
}
