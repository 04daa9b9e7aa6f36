import type { Identifiers } from '../eligibility/model.ts';
import { dateOf, dayNumber } from './days.ts';

/**
 * Realistic demo platform events for local mode (`events demo`): registrations, first and later
 * subscriptions, upgrades, pauses, cancellations, family members and check-ins over the year
 * before `end`, for the employees already in the base, so every report has something to show.
 * Deterministic for a given seed.
 */

export interface DemoEmployee {
  readonly companyTaxId: string;
  readonly identifiers: Identifiers;
  readonly active: boolean;
  readonly effectiveDate: string;
  readonly terminationDate?: string;
}

const PLANS = [
  { plan: 'Basic', price: '99.90' },
  { plan: 'Silver', price: '199.90' },
  { plan: 'Gold', price: '449.90' },
  { plan: 'Platinum', price: '599.90' },
] as const;
const VENUES = ['Smart Fit Paulista', 'Bodytech Iguatemi', 'Bio Ritmo Faria Lima', 'Yoga Online', 'Crossfit Pinheiros'];
const ACTIVITIES = ['Weight training', 'Yoga', 'Swimming', 'Functional training', 'Pilates', 'Meditation'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* demoEvents(
  employees: Iterable<DemoEmployee>,
  options: { end: string; currency: (taxId: string) => string; seed?: number },
): Generator<string> {
  const random = mulberry32(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const endDay = dayNumber(options.end);
  const startDay = endDay - 365;
  const at = (day: number): string =>
    `${dateOf(day)}T${String(8 + Math.floor(random() * 12)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00Z`;
  for (const e of employees) {
    const employee = e.identifiers.employeeId
      ? { employeeId: e.identifiers.employeeId }
      : e.identifiers.nationalId
        ? { nationalId: e.identifiers.nationalId }
        : { email: e.identifiers.email };
    // The whole year, not from the effective date: in local mode everyone was loaded today, and
    // the demo is there to fill the reports (adoption still counts from the effective date).
    const from = startDay;
    const to = Math.min(endDay, e.terminationDate ? dayNumber(e.terminationDate) - 1 : endDay);
    if (to <= from || random() > 0.6) continue;
    const base = { companyTaxId: e.companyTaxId, employee };
    let day = from + Math.floor(random() * Math.min(60, to - from));
    yield JSON.stringify({ type: 'member.registered', at: at(day), ...base, familyMember: false });
    if (random() > 0.7) continue;
    const currency = options.currency(e.companyTaxId);
    let planIndex = Math.floor(random() * PLANS.length);
    day += 1 + Math.floor(random() * 20);
    if (day > to) continue;
    yield JSON.stringify({ type: 'subscription.started', at: at(day), ...base, familyMember: false, ...PLANS[planIndex], currency });
    const subscribed = day;
    if (random() < 0.25 && day + 10 <= to) {
      yield JSON.stringify({ type: 'subscription.started', at: at(day + 10), ...base, familyMember: true, ...PLANS[0], currency });
    }
    // Later changes, each with some chance, never past the end or the employee's removal.
    const next = (): number | undefined => {
      const d = day + 15 + Math.floor(random() * 90);
      return d <= to ? (day = d) : undefined;
    };
    let active = true;
    for (let step = 0; step < 3; step++) {
      const d = next();
      if (d === undefined) break;
      const roll = random();
      if (!active) {
        yield JSON.stringify({ type: 'subscription.started', at: at(d), ...base, familyMember: false, ...PLANS[planIndex], currency });
        active = true;
      } else if (roll < 0.3 && planIndex < PLANS.length - 1) {
        planIndex += 1;
        yield JSON.stringify({ type: 'subscription.upgraded', at: at(d), ...base, familyMember: false, ...PLANS[planIndex], currency });
      } else if (roll < 0.45 && planIndex > 0) {
        planIndex -= 1;
        yield JSON.stringify({ type: 'subscription.downgraded', at: at(d), ...base, familyMember: false, ...PLANS[planIndex], currency });
      } else if (roll < 0.55) {
        yield JSON.stringify({ type: 'subscription.paused', at: at(d), ...base, familyMember: false });
        const back = d + 14;
        if (back <= to) yield JSON.stringify({ type: 'subscription.resumed', at: at((day = back)), ...base, familyMember: false });
      } else if (roll < 0.65) {
        yield JSON.stringify({ type: 'subscription.canceled', at: at(d), ...base, familyMember: false });
        active = false;
      }
    }
    // A few check-ins a month from the first subscription on.
    for (let d = subscribed + 1; d <= to; d += 3 + Math.floor(random() * 10)) {
      const mode = random() < 0.8 ? 'PHYSICAL' : 'VIRTUAL';
      yield JSON.stringify({
        type: 'checkin',
        at: at(d),
        ...base,
        familyMember: false,
        venue: pick(VENUES),
        activity: pick(ACTIVITIES),
        mode,
      });
    }
  }
}
