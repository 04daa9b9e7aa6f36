/**
 * The HTML part of the emails we send (SPEC §17: plain text and HTML). Rendered from the plain
 * text itself, so the two parts can never say different things: paragraphs at blank lines,
 * lines kept, everything escaped (file names are the partner's own and may hold `<` or `&`).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** The HTML version of a plain-text email body. */
export function textToHtml(subject: string, text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('\n');
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="font-family: sans-serif; font-size: 14px;">\n${paragraphs}\n</body></html>`
  );
}
