import { parse, type Parser } from 'csv-parse';
import { chunkDecoder, type TextEncoding } from './decode.ts';

/**
 * Streams a file's chunks through its decoder into csv-parse and hands back records a chunk's
 * worth at a time. The parser is driven synchronously: a `write` parses the chunk there and then,
 * and its records are drained straight away, so at most one chunk's records are ever buffered and
 * no promise is paid per record.
 */

// A real record is well under a kilobyte; a megabyte means a quote was never closed, and without
// this limit the rest of a 512 MiB file would pile up in one field.
export const MAX_RECORD_BYTES = 1 << 20;
// Bytes are parsed in slices of at most this size (the 1 MiB head, or a big chunk from the input),
// so only some hundred rows are alive at once: a megabyte of parsed rows (the whole head, as first
// written) outlived young-generation collections, got promoted, and made every later collection
// slower. The await per slice costs well under 1% of parsing it.
const WRITE_BYTES = 16 * 1024;

function* slices(bytes: Buffer): Generator<Buffer> {
  if (bytes.length <= WRITE_BYTES) yield bytes;
  else for (let offset = 0; offset < bytes.length; offset += WRITE_BYTES) yield bytes.subarray(offset, offset + WRITE_BYTES);
}

/** The head, then the rest of the input, in slices. */
async function* pieces(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* slices(head);
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield* slices(next.value);
}

/** What reading the CSV layer yields. */
export type CsvBatch =
  | { readonly kind: 'records'; readonly records: readonly string[][] }
  /** Not parseable as CSV; `code` is csv-parse's error code. */
  | { readonly kind: 'malformed'; readonly code: string }
  /** Bytes that are not the encoding the file started in, around physical line `fileLine`. */
  | { readonly kind: 'encoding'; readonly fileLine: number };

function drain(parser: Parser): string[][] {
  const records: string[][] = [];
  for (let record: unknown = parser.read(); record !== null; record = parser.read()) records.push(record as string[]);
  return records;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/**
 * Parses `head` (the file's first bytes, without BOM) then the rest of `chunks` as CSV with
 * `delimiter`. Terminal after a `malformed` or `encoding` batch.
 */
export async function* csvBatches(
  head: Buffer,
  chunks: AsyncIterator<Buffer>,
  encoding: TextEncoding,
  delimiter: string,
): AsyncGenerator<CsvBatch> {
  const parser = parse({
    delimiter,
    relax_column_count: true,
    // A quote inside an unquoted value (`Joe "JJ" Smith`) is kept as text rather than refusing
    // the file; a quoted value that never closes is still an error.
    relax_quotes: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  // Errors are read from `parser.errored` right after each write; this only keeps an emitted
  // 'error' event from being unhandled.
  parser.on('error', () => {});
  const decoder = chunkDecoder(encoding);
  try {
    for await (const piece of pieces(head, chunks)) {
      const decoded = decoder.push(piece);
      if (typeof decoded !== 'string' && !Buffer.isBuffer(decoded)) {
        yield { kind: 'encoding', fileLine: parser.info.lines + decoded.newlinesBefore };
        return;
      }
      parser.write(decoded);
      const records = drain(parser);
      if (parser.errored) {
        yield { kind: 'malformed', code: errorCode(parser.errored) };
        return;
      }
      if (records.length > 0) yield { kind: 'records', records };
    }
    const cut = decoder.end();
    if (cut) {
      yield { kind: 'encoding', fileLine: parser.info.lines + cut.newlinesBefore };
      return;
    }
    parser.end();
    const rest: string[][] = [];
    try {
      for await (const record of parser) rest.push(record as string[]);
    } catch (error) {
      yield { kind: 'malformed', code: errorCode(error) };
      return;
    }
    if (rest.length > 0) yield { kind: 'records', records: rest };
  } finally {
    parser.destroy();
  }
}
