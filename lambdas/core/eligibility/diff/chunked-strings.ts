/**
 * Many short strings stored as bytes: a record's strings are written into a pending buffer and
 * every 1024 records become one exact-size Uint8Array, so a million employee keys and
 * identifiers cost about a byte a character, outside the JavaScript heap. Kept as strings (as
 * this first did) they were the bulk of the old generation, and V8 sizes its heap to a multiple
 * of what survives: some 80 MiB of live strings let the base load's passing garbage (the SDK's
 * pages) pile up to a peak well above what is live.
 *
 * A record is narrow (one byte per UTF-16 unit, every unit below 256, as keys and identifiers
 * nearly always are) or wide (two bytes per unit, little-endian); its owner remembers which.
 */

const CHUNK_BITS = 10;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
const MAX_LENGTH = 0xffff;

/** Whether every UTF-16 unit of `value` fits in a byte (undefined and blank do). */
export function isNarrow(value: string | undefined): boolean {
  if (!value) return true;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return false;
  return true;
}

/** Append-only string storage addressed by record number and byte offset within the record's chunk. */
export class ChunkedStrings {
  private readonly chunks: Uint8Array[] = [];
  private pending = new Uint8Array(16 * 1024);
  private pendingBytes = 0;

  /** Starts record `n` (records are numbered 0, 1, 2… in order); returns its offset in its chunk. */
  begin(n: number): number {
    if (n > 0 && (n & CHUNK_MASK) === 0) {
      this.chunks.push(this.pending.slice(0, this.pendingBytes));
      this.pendingBytes = 0;
    }
    return this.pendingBytes;
  }

  /**
   * Appends a string (blank when undefined) to the current record, one byte a unit or, when
   * `wide`, two; returns its length in UTF-16 units (< 65536).
   */
  push(value: string | undefined, wide: boolean): number {
    if (!value) return 0;
    const length = value.length;
    if (length > MAX_LENGTH) throw new RangeError(`stored value longer than ${MAX_LENGTH} characters`);
    const bytes = wide ? length * 2 : length;
    if (this.pendingBytes + bytes > this.pending.length) this.grow(this.pendingBytes + bytes);
    const buffer = this.pending;
    let at = this.pendingBytes;
    if (wide) {
      for (let i = 0; i < length; i++) {
        const unit = value.charCodeAt(i);
        buffer[at++] = unit & 0xff;
        buffer[at++] = unit >>> 8;
      }
    } else {
      for (let i = 0; i < length; i++) buffer[at++] = value.charCodeAt(i);
    }
    this.pendingBytes = at;
    return length;
  }

  /** The bytes holding record `n`'s strings (the pending buffer for the latest records). */
  chunkOf(n: number): Uint8Array {
    const c = n >>> CHUNK_BITS;
    return c < this.chunks.length ? this.chunks[c]! : this.pending;
  }

  /** The string of `length` units at byte `start` of record `n`'s chunk. */
  text(n: number, start: number, length: number, wide: boolean): string {
    if (length === 0) return '';
    const bytes = this.chunkOf(n);
    return Buffer.from(bytes.buffer, bytes.byteOffset + start, wide ? length * 2 : length).toString(wide ? 'utf16le' : 'latin1');
  }

  private grow(needed: number): void {
    let size = this.pending.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.pending.subarray(0, this.pendingBytes));
    this.pending = next;
  }
}
