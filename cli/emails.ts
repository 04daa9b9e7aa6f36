import { readRecordedEmails, type SentEmail } from '../lambdas/adapters/recording-mailer.ts';
import type { CommandContext } from './context.ts';
import { CliError, UsageError } from './io.ts';
import { bodyText, decodeHeader, htmlToText, looksLikeHtml, parseEntity } from './mime.ts';

/**
 * `emails`: what the system "sent" in local mode, read from the copies local mode's mailer keeps
 * in the bucket (recording-mailer.ts). moto's own view, below, is kept for mail sent by other
 * means; `emails` does not use it: moto renders it from every service's state, and answers 500
 * or takes minutes once the emulator holds large objects.
 *
 * moto keeps every SES message in memory and shows them in `GET /moto-api/data.json` under `ses`:
 *
 * - `Message[]` (SendEmail): `{ id, source, subject, body, destinations: { ToAddresses,
 *   CcAddresses?, BccAddresses? } }`; `body` is the HTML part when the email has one, else the text;
 * - `RawMessage[]` (SendRawEmail): `{ id, source, destinations: string[], raw_data }`;
 * - `TemplateMessage[]`: `{ id, source, template, template_data, destinations }`.
 *
 * moto records no send time, so `date` comes from a raw message's Date header or stays null; each
 * list is in send order, but order across the lists is lost.
 */

export type { SentEmail };

type Json = Record<string, unknown>;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const records = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : [];

function addresses(header: string | undefined): string[] {
  if (!header) return [];
  return decodeHeader(header)
    .split(',')
    .map((part) => /<([^>]+)>/.exec(part)?.[1] ?? part)
    .map((address) => address.trim())
    .filter(Boolean);
}

function fromRaw(message: Json): SentEmail {
  const entity = parseEntity(str(message.raw_data));
  const date = entity.headers.get('date');
  const parsedDate = date ? new Date(date) : undefined;
  const to = addresses(entity.headers.get('to'));
  return {
    id: str(message.id),
    date: parsedDate && !Number.isNaN(parsedDate.getTime()) ? parsedDate.toISOString() : null,
    from: str(message.source) || decodeHeader(entity.headers.get('from') ?? ''),
    to: to.length > 0 ? to : [...new Set(strings(message.destinations))],
    cc: addresses(entity.headers.get('cc')),
    bcc: [],
    subject: decodeHeader(entity.headers.get('subject') ?? ''),
    body: bodyText(entity),
  };
}

function fromSimple(message: Json, subject: string, body: string): SentEmail {
  const destinations = (message.destinations ?? {}) as Json;
  return {
    id: str(message.id),
    date: null,
    from: str(message.source),
    to: strings(destinations.ToAddresses),
    cc: strings(destinations.CcAddresses),
    bcc: strings(destinations.BccAddresses),
    subject,
    body,
  };
}

/**
 * The sent emails in a moto `data.json` document (see the module comment for its shape).
 * Unknown or missing parts are skipped, never fatal: the shape is moto's, not ours.
 */
export function sentEmailsFromMotoData(data: unknown): SentEmail[] {
  const ses = ((data as Json | null)?.ses ?? {}) as Json;
  return [
    ...records(ses.Message).map((m) => {
      const body = str(m.body);
      return fromSimple(m, str(m.subject), looksLikeHtml(body) ? htmlToText(body) : body.trim());
    }),
    ...records(ses.RawMessage).map(fromRaw),
    ...records(ses.TemplateMessage).map((m) => fromSimple(m, `(template ${str(m.template)})`, str(m.template_data))),
  ];
}

/** True when the email went to any of the addresses (case-insensitive, To, Cc or Bcc). */
export function sentTo(email: SentEmail, recipients: readonly string[]): boolean {
  const wanted = new Set(recipients.map((r) => r.toLowerCase()));
  return [...email.to, ...email.cc, ...email.bcc].some((address) => wanted.has(address.toLowerCase()));
}

/** The block `emails` prints for one message. */
export function formatEmail(email: SentEmail): string {
  const lines = [
    `Date:    ${email.date ?? '(not recorded by the emulator)'}`,
    `From:    ${email.from}`,
    `To:      ${email.to.join(', ')}`,
    ...(email.cc.length > 0 ? [`Cc:      ${email.cc.join(', ')}`] : []),
    `Subject: ${email.subject}`,
    '',
    email.body,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Fetches the emulator's state and extracts the sent emails. moto renders data.json from every
 * service's live state, and answers 500 when another request changes that state mid-render, so
 * a server error is retried a few times before we give up.
 */
export async function fetchSentEmails(endpoint: string): Promise<SentEmail[]> {
  let status = 0;
  for (let attempt = 0; attempt < 6; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${endpoint}/moto-api/data.json`);
    } catch {
      throw new CliError(`cannot reach the emulator at ${endpoint}: is local mode running (npm run local)?`);
    }
    if (response.ok) return sentEmailsFromMotoData(await response.json());
    status = response.status;
    if (status < 500) break;
    await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
  }
  throw new CliError(`${endpoint} is not a moto server (GET /moto-api/data.json gave ${status})`);
}

/** `emails [--partner id] [--json]`: local mode only, a deployed stack sends real email. */
export async function showEmails(ctx: CommandContext, options: { partner?: string; json?: boolean }): Promise<void> {
  if (ctx.options().stack) throw new UsageError('emails is local-only: a deployed stack sends real email through SES');
  const deployment = await ctx.deployment();
  if (!deployment.endpoint) throw new UsageError('emails needs the local emulator (AWS_ENDPOINT_URL)');
  const { partners, store } = await ctx.clients();
  let emails = await readRecordedEmails(store);
  if (options.partner !== undefined) {
    const partner = await partners.get(options.partner);
    if (!partner) throw new CliError(`unknown partner ${options.partner}`);
    emails = emails.filter((email) => sentTo(email, partner.adminEmails));
  }
  if (options.json) {
    ctx.io.stdout.write(`${JSON.stringify(emails, null, 2)}\n`);
    return;
  }
  if (emails.length === 0) {
    ctx.io.stderr.write(options.partner ? `no emails sent to ${options.partner}'s admins\n` : 'no emails sent yet\n');
  }
  ctx.io.stdout.write(emails.map(formatEmail).join('\n'));
}
