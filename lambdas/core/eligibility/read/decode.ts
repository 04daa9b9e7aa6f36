import { isUtf8 } from 'node:buffer';

/**
 * Deciding what the bytes of an upload are (SPEC §4): refuse what is clearly not text, then UTF-8
 * (with or without BOM) when the start of the file is valid UTF-8, else Windows-1252, which is
 * what Excel on Windows writes for "CSV" and still decodes names like `José` and `Conceição`.
 */

/** How much of the file the encoding is judged on. */
export const SNIFF_BYTES = 1 << 20;
// Binary signs are looked for in the first few KiB only: that is where formats announce themselves.
const BINARY_SNIFF_BYTES = 8192;

/** The encodings an upload may be in (SPEC §4). */
export type TextEncoding = 'utf-8' | 'windows-1252';

const NOT_CSV = 'This is not a CSV text file; save it as CSV UTF-8 and upload that file.';

const SIGNATURES: readonly { readonly bytes: readonly number[]; readonly what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'It looks like an Excel workbook (.xlsx) or a zip file' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'It looks like an old Excel workbook (.xls)' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'It looks like a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'It looks like a gzip archive' },
  { bytes: [0xff, 0xfe], what: 'It is saved as UTF-16 ("Unicode text")' },
  { bytes: [0xfe, 0xff], what: 'It is saved as UTF-16 ("Unicode text")' },
];

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((byte, i) => head[i] === byte);
}

/**
 * Returns why the start of a file is not CSV text, or `undefined` when it may be: a known binary
 * signature, a NUL byte, or a high share of control characters.
 */
export function binaryReason(head: Uint8Array): string | undefined {
  const known = SIGNATURES.find((signature) => startsWith(head, signature.bytes));
  if (known) return `${known.what}. ${NOT_CSV}`;
  const end = Math.min(head.length, BINARY_SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < end; i++) {
    const byte = head[i]!;
    if (byte === 0) return NOT_CSV;
    // Tab, LF, FF, CR and Ctrl-Z (an old end-of-file mark) turn up in real text files.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1a) controls++;
  }
  return controls > end / 20 ? NOT_CSV : undefined;
}

/** Length of a UTF-8 byte order mark at the start, 0 when there is none. */
export function utf8BomLength(head: Uint8Array): number {
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
}

/**
 * Where a multi-byte UTF-8 sequence cut off by the end of `bytes` starts (`bytes.length` when the
 * end is not inside a sequence). Only the last 3 bytes can belong to one.
 */
export function incompleteTailStart(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back++) {
    const byte = bytes[length - back]!;
    if (byte < 0x80) return length; // ASCII: nothing open
    if (byte >= 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return needed > back ? length - back : length;
    }
  }
  return length;
}

/** Picks the encoding from the first bytes of the file (`complete` when that is the whole file). */
export function detectEncoding(head: Uint8Array, complete: boolean): TextEncoding {
  if (utf8BomLength(head) > 0) return 'utf-8';
  const judged = complete ? head : head.subarray(0, incompleteTailStart(head));
  return isUtf8(judged) ? 'utf-8' : 'windows-1252';
}

/** Bytes that are not the encoding the file started in, and roughly where. */
export interface EncodingFailure {
  readonly kind: 'encoding-failure';
  /** Newlines before the first bad byte within the failing piece. */
  readonly newlinesBefore: number;
}

/** What csv-parse is fed: bytes as they came (UTF-8) or decoded text (Windows-1252). */
export type Decoded = Buffer | string;

/**
 * Turns a file's chunks, in order, into what csv-parse reads. Streaming: a multi-byte character
 * split across chunks is carried over, never the whole file held.
 */
export interface ChunkDecoder {
  push(chunk: Buffer): Decoded | EncodingFailure;
  end(): EncodingFailure | undefined;
}

function failureIn(bytes: Buffer): EncodingFailure {
  const text = bytes.toString('utf8');
  const bad = text.indexOf('\uFFFD');
  let newlines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && (bad === -1 || i < bad); i = text.indexOf('\n', i + 1)) newlines++;
  return { kind: 'encoding-failure', newlinesBefore: newlines };
}

/**
 * UTF-8 is validated, not decoded: csv-parse reads UTF-8 bytes natively, so the bytes go through
 * untouched and `isUtf8` (SIMD) checks them, as strictly as `TextDecoder({ fatal: true })` but
 * without decoding to a string that csv-parse would encode back to bytes.
 */
function utf8Validator(): ChunkDecoder {
  let carry: Buffer | undefined;
  return {
    push(chunk) {
      const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
      const cut = incompleteTailStart(bytes);
      if (!isUtf8(bytes.subarray(0, cut))) return failureIn(bytes);
      carry = cut < bytes.length ? bytes.subarray(cut) : undefined;
      return chunk;
    },
    end() {
      return carry ? failureIn(carry) : undefined;
    },
  };
}

function windows1252Decoder(): ChunkDecoder {
  // Windows-1252 maps every byte to a character, so this decoder cannot fail.
  const decoder = new TextDecoder('windows-1252');
  return {
    push: (chunk) => decoder.decode(chunk, { stream: true }),
    end: () => undefined,
  };
}

/** A streaming decoder for the chosen encoding. */
export function chunkDecoder(encoding: TextEncoding): ChunkDecoder {
  return encoding === 'utf-8' ? utf8Validator() : windows1252Decoder();
}
