/**
 * A company's display name made safe to be part of a file name (SPEC §8, §9.2): no path
 * separators, no control characters, none of the characters Windows refuses (partners open
 * these files on Windows), no leading dots, whitespace collapsed, at most 100 characters.
 */
export function safeFileNamePart(name: string, fallback: string): string {
  const cleaned = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[/\\:*?"<>|]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .trim();
  const cut = [...cleaned].slice(0, 100).join('').trim();
  return cut || fallback;
}
