import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { MAX_RECORD_BYTES } from '../lambdas/core/eligibility/read/csv-records.ts';
import { toChunks, uploadLines } from './census-generator.ts';

/** The benchmark's plumbing: the upload file, feeding it in chunks, csv-parse alone, timing. */

const CHUNK = 64 * 1024;

/** A full collection between measurements (needs `--expose-gc`; a no-op without). */
export const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
/** Seconds since a `performance.now()` reading. */
export const seconds = (start: number): number => (performance.now() - start) / 1000;

/** Writes the upload of `size` rows to `path`, chunk by chunk (the harness never holds the file). */
export function writeUpload(path: string, size: number): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    for (const chunk of toChunks(uploadLines(size))) bytes += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** The file as a Readable of 64 KiB chunks, as an S3 body would arrive. */
export function chunked(path: string): Readable {
  return createReadStream(path, { highWaterMark: CHUNK });
}

const csvOptions = { delimiter: ',', relax_column_count: true, relax_quotes: true, max_record_size: MAX_RECORD_BYTES };

/** csv-parse alone, driven like the reader drives it: write a chunk, drain its records. */
export async function csvParseDrained(path: string): Promise<number> {
  const parser = parse(csvOptions);
  let records = 0;
  for await (const chunk of chunked(path)) {
    parser.write(chunk);
    while (parser.read() !== null) records++;
  }
  parser.end();
  for await (const _record of parser) records++;
  return records;
}

/** csv-parse alone, the usual way: piped, records consumed with `for await`. */
export async function csvParsePiped(path: string): Promise<number> {
  let records = 0;
  for await (const _record of chunked(path).pipe(parse(csvOptions))) records++;
  return records;
}

export interface Timing {
  wall: number;
  cpu: number;
}

/** Wall and CPU seconds of one run (CPU time is the cross-check on a busy machine). */
export async function timed<T>(run: () => Promise<T>): Promise<Timing & { value: T }> {
  gc();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { wall: seconds(start), cpu: (used.user + used.system) / 1e6, value };
}
