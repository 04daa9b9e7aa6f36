import type { Partner } from '../../partners/partner.ts';
import type { UploadError } from '../../uploads/upload-errors.ts';
import type { RowOutcome } from '../model.ts';
import { profileContext, type FileProfile } from '../profile.ts';
import { csvBatches } from './csv-records.ts';
import { binaryReason, detectEncoding, SNIFF_BYTES, utf8BomLength } from './decode.ts';
import { detectDelimiter } from './delimiter.ts';
import { badEncoding, emptyFile, malformedCsv, notText, tooManyRows } from './file-errors.ts';
import { flattenBatches } from './flatten-batches.ts';
import { mapHeader } from './header.ts';
import { compileRowValidator, type RowValidator } from './row-validator.ts';

/**
 * Reads an eligibility upload as a stream of events (SPEC §4, §6.1): the header's fields, then
 * one validated outcome per data row. Never holds the file: bytes flow from the input through
 * the decoder and csv-parse into the row validator, as fast as the caller pulls events.
 */

/** How to read one upload. */
export interface ReadOptions {
  profile: FileProfile;
  partner: Partner;
  /** More data rows than this refuses the file as `Too large` (SPEC §4: 2,000,000). */
  maxRows: number;
}

/**
 * What reading yields, in order: `header` once, then `row` per data row. A `file-error` is the
 * last event and refuses the whole upload, including rows already yielded: row events stream
 * out before the end of the file (where a `Too large`, `Encoding` or `Malformed` may surface) is
 * known, so a caller applies nothing before the reader has finished.
 */
export type ReadEvent =
  | { kind: 'file-error'; error: UploadError }
  | { kind: 'header'; fields: string[] }
  | { kind: 'row'; outcome: RowOutcome };

async function* byteChunks(input: AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else if (Buffer.isBuffer(chunk)) yield chunk;
    else yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Pulls chunks until `size` bytes are in hand or the input ends. */
async function readHead(chunks: AsyncIterator<Buffer>, size: number): Promise<{ bytes: Buffer; complete: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const next = await chunks.next();
    if (next.done) return { bytes: Buffer.concat(parts, length), complete: true };
    parts.push(next.value);
    length += next.value.length;
  }
  return { bytes: Buffer.concat(parts, length), complete: false };
}

// Excel writes a row of bare delimiters for a formatted but empty row; like an empty line, it is
// no employee. Checked cheaply: almost every record has a non-empty first cell.
function isBlank(record: readonly string[]): boolean {
  const first = record[0] ?? '';
  if (first.length > 0 && first.charCodeAt(0) > 0x20) return false;
  for (const cell of record) if (cell.trim() !== '') return false;
  return true;
}

/** Reads and validates an eligibility file; see {@link ReadEvent} for what it yields. */
export function readEmployeeFile(
  input: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  options: ReadOptions,
): AsyncGenerator<ReadEvent> {
  return flattenBatches(eventBatches(input, options));
}

/**
 * The same events, one CSV chunk's worth at a time: for a consumer that loops over each batch
 * itself (the engine), which then pays no promise per row at all.
 */
export function readEmployeeBatches(
  input: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  options: ReadOptions,
): AsyncGenerator<readonly ReadEvent[], void> {
  return eventBatches(input, options);
}

/** The events of one CSV chunk at a time (see flatten-batches.ts for why not one at a time). */
async function* eventBatches(
  input: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  options: ReadOptions,
): AsyncGenerator<ReadEvent[], void> {
  const { profile, partner, maxRows } = options;
  const chunks = byteChunks(input);
  const fileError = (error: UploadError): ReadEvent[] => [{ kind: 'file-error', error }];
  try {
    const head = await readHead(chunks, SNIFF_BYTES);
    if (head.bytes.length === 0) {
      yield fileError(emptyFile(profile));
      return;
    }
    const reason = binaryReason(head.bytes);
    if (reason !== undefined) {
      yield fileError(notText(reason));
      return;
    }
    const encoding = detectEncoding(head.bytes, head.complete);
    const text = head.bytes.subarray(utf8BomLength(head.bytes));
    const delimiter = detectDelimiter(text, profile.delimiters);
    const ctx = profileContext(partner);

    let validator: RowValidator | undefined;
    let line = 0;
    let rows = 0;
    for await (const batch of csvBatches(text, chunks, encoding, delimiter)) {
      if (batch.kind === 'encoding') {
        yield fileError(badEncoding(batch.fileLine));
        return;
      }
      if (batch.kind === 'malformed') {
        yield fileError(malformedCsv(batch.code, validator ? line + 1 : 0));
        return;
      }
      const events: ReadEvent[] = [];
      for (const record of batch.records) {
        if (isBlank(record)) {
          // Blank lines keep their place in the numbering so Line IDs match spreadsheet rows.
          if (validator) line++;
          continue;
        }
        if (!validator) {
          const mapping = mapHeader(record, profile, ctx);
          if ('type' in mapping) {
            yield fileError(mapping);
            return;
          }
          validator = compileRowValidator(profile, mapping, ctx);
          events.push({ kind: 'header', fields: [...mapping.fields] });
          continue;
        }
        line++;
        if (++rows > maxRows) {
          yield [...events, ...fileError(tooManyRows(maxRows))];
          return;
        }
        events.push({ kind: 'row', outcome: validator.validate(record, line) });
      }
      yield events;
    }
    if (!validator) yield fileError(emptyFile(profile));
  } finally {
    await chunks.return(undefined);
  }
}
