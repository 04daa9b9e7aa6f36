/**
 * Keeps National IDs out of everything a person reads (SPEC §6.7, §6.9): error reports and emails
 * may show the last 2 characters so an admin can find the row, never the whole number.
 */

const NOT_ID_CHARACTER = /[^\p{L}\p{N}]/gu;

/**
 * Masks a National ID: all but its last 2 digits become `*`, punctuation is dropped
 * (`764.254.640-89` → `*********89`). IDs of 2 characters or fewer are masked entirely, since
 * showing them would show all of them.
 */
export function maskNationalId(raw: string): string {
  const id = raw.replace(NOT_ID_CHARACTER, '');
  if (id.length <= 2) return '*'.repeat(id.length);
  return '*'.repeat(id.length - 2) + id.slice(-2);
}

// Nine or more digits, possibly punctuated, is how any CPF (and most other national IDs) looks;
// shorter runs (CEPs, dates, employee numbers) stay readable.
const ID_LIKE_RUN = /\d(?:[\d.\-/ ]*\d)?/g;
const MIN_ID_DIGITS = 9;
const MAX_ECHO_LENGTH = 80;

/**
 * Makes any text from a file safe to quote in a message: digit runs long enough to be a National
 * ID are masked with {@link maskNationalId}, and very long values are shortened. Use it for every
 * cell or header echoed back, because a value can sit in the wrong column.
 */
export function safeEcho(text: string): string {
  const masked = text.replace(ID_LIKE_RUN, (run) => (run.replace(/\D/g, '').length >= MIN_ID_DIGITS ? maskNationalId(run) : run));
  return masked.length > MAX_ECHO_LENGTH ? `${masked.slice(0, MAX_ECHO_LENGTH - 1)}…` : masked;
}
