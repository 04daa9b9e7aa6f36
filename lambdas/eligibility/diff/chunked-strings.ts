/**
 * Many short strings stored as a few long ones: records are appended to a pending list and
 * joined into one flat string per 1024 records, so a million employee keys and identifiers cost
 * about a byte a character rather than a heap object (16+ bytes of header) each.
 */

const CHUNK_BITS = 10;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
const MAX_LENGTH = 0xffff;

/** Append-only string storage addressed by record number and offset within the record's chunk. */
export class ChunkedStrings {
  private readonly chunks: string[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private pendingJoined: string | undefined;

  /** Starts record `n` (records are numbered 0, 1, 2… in order); returns its offset in its chunk. */
  begin(n: number): number {
    if (n > 0 && (n & CHUNK_MASK) === 0) {
      // join() makes one flat string: no per-string headers, no cons-string tree left behind.
      this.chunks.push(this.pending.join(''));
      this.pending = [];
      this.pendingChars = 0;
    }
    this.pendingJoined = undefined;
    return this.pendingChars;
  }

  /** Appends a string (blank when undefined) to the current record; returns its length (< 65536). */
  push(value: string | undefined): number {
    if (!value) return 0;
    if (value.length > MAX_LENGTH) throw new RangeError(`stored value longer than ${MAX_LENGTH} characters`);
    this.pending.push(value);
    this.pendingChars += value.length;
    return value.length;
  }

  /** The string holding record `n`'s characters. */
  chunkOf(n: number): string {
    const c = n >>> CHUNK_BITS;
    if (c < this.chunks.length) return this.chunks[c]!;
    this.pendingJoined ??= this.pending.join('');
    return this.pendingJoined;
  }
}
