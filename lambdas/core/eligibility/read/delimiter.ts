/**
 * Picks a file's delimiter from its header line (SPEC §4): the candidate occurring most often
 * outside quotes in the first non-blank record, the profile's first candidate on a tie. Works on
 * bytes: delimiters, quotes and line ends are ASCII, and in UTF-8 and Windows-1252 alike an ASCII
 * byte is always that character, so nothing needs decoding first.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** The delimiter of the first record in `head` among `candidates` (single ASCII characters). */
export function detectDelimiter(head: Uint8Array, candidates: readonly string[]): string {
  const codes = candidates.map((candidate) => candidate.charCodeAt(0));
  const counts = codes.map(() => 0);
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < head.length; i++) {
    const byte = head[i]!;
    if (byte === QUOTE) {
      // A doubled quote inside a quoted field toggles twice: net effect nil, as RFC 4180 means.
      inQuotes = !inQuotes;
      started = true;
    } else if (!inQuotes && (byte === LF || byte === CR)) {
      if (started) break;
    } else {
      started = true;
      if (!inQuotes) {
        const index = codes.indexOf(byte);
        if (index !== -1) counts[index]!++;
      }
    }
  }
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return candidates[best] ?? ',';
}
