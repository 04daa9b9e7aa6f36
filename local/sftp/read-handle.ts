import type { Readable } from 'node:stream';
import type { ObjectStore } from '../../lambdas/adapters/object-store.ts';

/**
 * Serves a download's READ requests from ranged GETs. Clients pipeline many small reads (32 KiB
 * each, up to dozens in flight, answered in any order), so the object is fetched in aligned
 * windows kept in a small per-handle cache: memory per open file stays bounded whatever the
 * object's size, and a sequential download costs one GET per window.
 */

const WINDOW_BYTES = 1024 * 1024;
const MAX_WINDOWS = 4;
/** OpenSSH refuses SFTP packets over 256 KiB; a shorter reply is a legal short read. */
const MAX_READ_BYTES = 255 * 1024;

export class RangedReader {
  /** Window index → its bytes; Map order doubles as least-recently-used order. */
  private readonly windows = new Map<number, Promise<Buffer>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly key: string,
    /** Size at OPEN; reads past it are EOF even if the object has grown since. */
    readonly size: number,
    /** The version read at OPEN, so every window comes from the same bytes. */
    private readonly pin: { readonly versionId?: string; readonly eTag?: string } = {},
  ) {}

  /** The bytes at `offset`, or undefined at end of file (the SFTP EOF status). */
  async read(offset: number, length: number): Promise<Buffer | undefined> {
    if (offset >= this.size || length <= 0) return undefined;
    const end = Math.min(offset + Math.min(length, MAX_READ_BYTES), this.size);
    const parts: Buffer[] = [];
    for (let index = Math.floor(offset / WINDOW_BYTES); index * WINDOW_BYTES < end; index++) {
      const windowStart = index * WINDOW_BYTES;
      const bytes = await this.window(index);
      const from = Math.max(offset, windowStart) - windowStart;
      const to = Math.min(end, windowStart + bytes.length) - windowStart;
      if (to <= from) break; // the object shrank since OPEN: serve what exists
      parts.push(bytes.subarray(from, to));
      if (bytes.length < WINDOW_BYTES) break;
    }
    const data = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    return data.length > 0 ? data : undefined;
  }

  private window(index: number): Promise<Buffer> {
    let pending = this.windows.get(index);
    if (pending) {
      this.windows.delete(index);
    } else {
      const start = index * WINDOW_BYTES;
      const end = Math.min(start + WINDOW_BYTES, this.size) - 1;
      const fetching = this.store.read(this.key, { start, end }, this.pin).then(collect);
      // A failed fetch must not stay cached: the client may retry the read.
      fetching.catch(() => {
        if (this.windows.get(index) === fetching) this.windows.delete(index);
      });
      pending = fetching;
    }
    this.windows.set(index, pending);
    while (this.windows.size > MAX_WINDOWS) {
      const oldest = this.windows.keys().next().value as number;
      this.windows.delete(oldest);
    }
    return pending;
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
