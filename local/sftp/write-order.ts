import { failure, type SftpStatusError } from './sftp-errors.ts';

/**
 * Transfer Family with S3 storage writes a file from its first byte to its last (SPEC §3): an
 * object cannot be patched, so a write that does not continue exactly where the previous one
 * ended (a resume at an offset, `reput`, a hole, a multi-connection transfer) is refused at once.
 * Clients pipeline WRITEs but send them in increasing offset order, and ssh2 hands them to us in
 * arrival order, so checking each against the bytes received so far is exact.
 */
export class WriteOrder {
  private next = 0;
  private refusal: SftpStatusError | undefined;

  /** Bytes accepted so far: where the next write must start. */
  get received(): number {
    return this.next;
  }

  /** The refusal that ended this upload, if any; once refused, every later write is too. */
  get refused(): SftpStatusError | undefined {
    return this.refusal;
  }

  /**
   * Accepts a write of `length` bytes at `offset`, or throws the refusal the client is told.
   * Must be called in arrival order, synchronously, before the bytes are written anywhere.
   */
  accept(offset: number, length: number): void {
    if (this.refusal) throw this.refusal;
    if (offset !== this.next) {
      this.refusal = failure(
        offset < this.next
          ? `Out-of-order write refused: offset ${offset} was already written (${this.next} bytes received). Files must be written once, from first byte to last; nothing is stored.`
          : `Write at offset ${offset} refused: ${this.next} bytes received so far. Resuming, appending and out-of-order writes are not supported; upload the whole file again; nothing is stored.`,
      );
      throw this.refusal;
    }
    this.next += length;
  }
}
