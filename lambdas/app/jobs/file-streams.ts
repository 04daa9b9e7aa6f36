import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import yazl from 'yazl';
import { excelSafe } from '../../core/files/csv-output.ts';

/**
 * CSV and zip output of the jobs as streams: rows are rendered a batch at a time and a zip pulls
 * each entry's rows only when it gets to it, so a company of a million employees is never in
 * memory, only the part the S3 upload is sending.
 */

const ROWS_PER_CHUNK = 1000;

/** A CSV (CRLF, Excel-safe cells) of `header` then `rows`, as a byte stream. */
export function csvStream(
  header: readonly string[],
  rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
  delimiter = ',',
): Readable {
  const render = (batch: (readonly string[])[]): string =>
    stringify(
      batch.map((row) => row.map(excelSafe)),
      { delimiter, record_delimiter: 'windows', quoted_match: /[\r\n]/ },
    );
  async function* chunks(): AsyncGenerator<Buffer> {
    let batch: (readonly string[])[] = [header];
    for await (const row of rows) {
      batch.push(row);
      if (batch.length >= ROWS_PER_CHUNK) {
        yield Buffer.from(render(batch), 'utf8');
        batch = [];
      }
    }
    if (batch.length > 0) yield Buffer.from(render(batch), 'utf8');
  }
  return Readable.from(chunks(), { objectMode: false });
}

export interface ZipEntry {
  readonly name: string;
  /** Opened when the zip reaches the entry. */
  open(): Readable;
}

/** A zip of the entries, each compressed as it streams through. */
export function zipStream(entries: readonly ZipEntry[]): Readable {
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  for (const entry of entries) {
    zip.addReadStreamLazy(entry.name, (callback) => {
      const stream = entry.open();
      // An entry that fails (DynamoDB down mid-company) must fail the upload, not end a short zip.
      stream.once('error', (error) => output.destroy(error));
      callback(null, stream);
    });
  }
  zip.end();
  return output;
}
