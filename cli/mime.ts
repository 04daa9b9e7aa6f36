/**
 * Just enough MIME to show a sent email in a terminal: header lookup with RFC 2047 encoded words,
 * the text/plain part of a multipart body, base64 and quoted-printable, and HTML flattened to
 * text (moto keeps only the HTML body when an email has both).
 */

/** A message split into unfolded headers (lower-cased names) and its raw body. */
export interface MimeEntity {
  readonly headers: Map<string, string>;
  readonly body: string;
}

/** Splits a raw message (or a MIME part) into headers and body. */
export function parseEntity(raw: string): MimeEntity {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: split < 0 ? '' : text.slice(split + 2) };
}

/** Decodes `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words in a header value. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, data: string) => {
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data.replace(/_/g, ' '));
      return decodeBytes(bytes, charset);
    });
}

function qpBytes(text: string): Buffer {
  const soft = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function param(header: string | undefined, name: string): string | undefined {
  const match = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(header ?? '');
  return match?.[1];
}

function decodeBody(entity: MimeEntity): string {
  const type = entity.headers.get('content-type');
  const charset = param(type, 'charset') ?? 'utf-8';
  const encoding = (entity.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return decodeBytes(Buffer.from(entity.body.replace(/\s+/g, ''), 'base64'), charset);
  if (encoding === 'quoted-printable') return decodeBytes(qpBytes(entity.body), charset);
  return entity.body;
}

/** Turns an HTML body into readable text: blocks become lines, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|table|ul|ol)>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
      return entities[code.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** True when a body looks like HTML rather than plain text. */
export function looksLikeHtml(body: string): boolean {
  return /<(html|body|p|div|br|table|h[1-6]|a)\b[^>]*>/i.test(body);
}

/** The readable text of an entity: its text/plain part if it has one, else its HTML flattened. */
export function bodyText(entity: MimeEntity): string {
  const type = (entity.headers.get('content-type') ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = param(entity.headers.get('content-type'), 'boundary');
    if (!boundary) return entity.body.trim();
    const parts = entity.body
      .split(`--${boundary}`)
      .slice(1)
      .filter((part) => !part.startsWith('--'))
      .map((part) => parseEntity(part.replace(/^\n/, '')))
      .filter((part) => !/^attachment/i.test(part.headers.get('content-disposition') ?? ''));
    const typeOf = (part: MimeEntity): string => (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
    const chosen =
      parts.find((p) => typeOf(p).startsWith('text/plain')) ??
      parts.find((p) => typeOf(p).startsWith('multipart/')) ??
      parts.find((p) => typeOf(p).startsWith('text/html'));
    return chosen ? bodyText(chosen) : '';
  }
  const text = decodeBody(entity);
  return type.startsWith('text/html') ? htmlToText(text) : text.trim();
}
