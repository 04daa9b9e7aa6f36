import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * One line of a platform-events file (SPEC §9.1), validated with zod. Pure: the loader resolves
 * the employee and stores the result; payroll and reports replay what was stored.
 */

export const SUBSCRIPTION_TYPES = [
  'subscription.started',
  'subscription.upgraded',
  'subscription.downgraded',
  'subscription.paused',
  'subscription.resumed',
  'subscription.canceled',
] as const;
export type SubscriptionType = (typeof SUBSCRIPTION_TYPES)[number];

const text = z.string().trim().min(1);

const employeeRef = z
  .object({ employeeId: text.optional(), nationalId: text.optional(), email: text.optional() })
  .refine((e) => Boolean(e.employeeId || e.nationalId || e.email), {
    error: 'employee must give at least one of employeeId, nationalId or email',
  });

const common = {
  /** Any ISO 8601 instant with an offset; stored as UTC. */
  at: z.iso.datetime({ offset: true }).transform((at) => new Date(at).toISOString()),
  companyTaxId: text,
  employee: employeeRef,
  familyMember: z.boolean().default(false),
  /**
   * Which family member, when the platform tells (not in SPEC §9.1's examples): family events
   * without it belong to one "family" subscriber of the employee.
   */
  familyMemberId: text.optional(),
};

const priced = {
  plan: text,
  price: z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, { error: 'price must be a decimal string like "449.90"' }),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'currency must be a 3-letter ISO code like "BRL"' }),
};

export const platformEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('member.registered'), ...common }),
  z.object({ type: z.enum(['subscription.started', 'subscription.upgraded', 'subscription.downgraded']), ...common, ...priced }),
  z.object({
    type: z.enum(['subscription.paused', 'subscription.resumed', 'subscription.canceled']),
    ...common,
    plan: text.optional(),
  }),
  z.object({
    type: z.literal('checkin'),
    ...common,
    venue: text,
    activity: text,
    mode: z.enum(['PHYSICAL', 'VIRTUAL']),
  }),
]);

export type PlatformEvent = z.infer<typeof platformEventSchema>;

export type LineResult =
  | { readonly ok: true; readonly event: PlatformEvent; readonly eventId: string }
  | { readonly ok: false; readonly error: string };

/**
 * Parses one line. The event id is a hash of the validated event, so the same event in a second
 * load (or a second file) lands on the same stored item and changes nothing.
 */
export function parseEventLine(line: string): LineResult {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not valid JSON' };
  }
  const parsed = platformEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    return { ok: false, error: `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid event'}` };
  }
  return { ok: true, event: parsed.data, eventId: eventId(parsed.data) };
}

export function eventId(event: PlatformEvent): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(event)))
    .digest('base64url')
    .slice(0, 22);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The subscriber an event belongs to within its employee: the employee or one family member. */
export function subscriberSlot(event: Pick<PlatformEvent, 'familyMember' | 'familyMemberId'>): string {
  return event.familyMember ? `family:${event.familyMemberId ?? ''}` : 'self';
}

/** Price "449.90" in cents. */
export function priceCents(price: string): number {
  const [whole = '0', fraction = ''] = price.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
