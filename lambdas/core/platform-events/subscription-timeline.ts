import { priceCents } from './event-schema.ts';
import { dayOfInstant } from './days.ts';
import type { EmployeeEvent } from './stored-event.ts';

/**
 * Replays one employee's stored events into subscriber timelines (the employee and each family
 * member): what the history report calls each event, and what each subscriber had on any day.
 */

export type HistoryEventLabel = 'FIRST_SUBSCRIPTION' | 'NEW_SUBSCRIPTION' | 'UPGRADE' | 'DOWNGRADE' | 'PAUSE' | 'RESUME' | 'CANCELLATION';

export type SubscriptionStatus = 'NONE' | 'ACTIVE' | 'PAUSED';

export interface SubscriberState {
  readonly status: SubscriptionStatus;
  readonly plan: string;
  readonly price: string;
  readonly currency: string;
  /** Start of the current subscription (ISO instant), blank without one. */
  readonly since: string;
}

export interface TimelineStep {
  readonly at: string;
  readonly day: number;
  readonly label: HistoryEventLabel;
  /** The subscriber's state right after this event. */
  readonly state: SubscriberState;
}

export interface SubscriberTimeline {
  readonly slot: string;
  readonly familyMember: boolean;
  readonly steps: readonly TimelineStep[];
  /** Day of the first `member.registered`, if any. */
  readonly registeredDay?: number;
}

const NONE: SubscriberState = { status: 'NONE', plan: '', price: '', currency: '', since: '' };

/** Timelines of one employee's subscribers; `events` in time order (as stored). */
export function subscriberTimelines(events: readonly EmployeeEvent[]): SubscriberTimeline[] {
  const bySlot = new Map<
    string,
    { familyMember: boolean; steps: TimelineStep[]; registeredDay?: number; state: SubscriberState; ever: boolean }
  >();
  for (const e of events) {
    let t = bySlot.get(e.slot);
    if (!t) bySlot.set(e.slot, (t = { familyMember: e.familyMember, steps: [], state: NONE, ever: false }));
    const day = dayOfInstant(e.at);
    if (e.type === 'member.registered') {
      t.registeredDay = Math.min(t.registeredDay ?? day, day);
      continue;
    }
    const step = apply(t.state, t.ever, e);
    if (!step) continue;
    t.state = step.state;
    if (step.label === 'FIRST_SUBSCRIPTION') t.ever = true;
    t.steps.push({ at: e.at, day, ...step });
  }
  return [...bySlot.entries()].map(([slot, t]) => ({
    slot,
    familyMember: t.familyMember,
    steps: t.steps,
    ...(t.registeredDay === undefined ? {} : { registeredDay: t.registeredDay }),
  }));
}

function apply(
  state: SubscriberState,
  everSubscribed: boolean,
  e: EmployeeEvent,
): { label: HistoryEventLabel; state: SubscriberState } | undefined {
  const priced = { plan: e.plan ?? state.plan, price: e.price ?? state.price, currency: e.currency ?? state.currency };
  switch (e.type) {
    case 'subscription.started':
      return {
        label: everSubscribed ? 'NEW_SUBSCRIPTION' : 'FIRST_SUBSCRIPTION',
        state: { status: 'ACTIVE', ...priced, since: e.at },
      };
    case 'subscription.upgraded':
    case 'subscription.downgraded':
      return {
        label: e.type === 'subscription.upgraded' ? 'UPGRADE' : 'DOWNGRADE',
        // A change of plan with no start on record still proves a running subscription.
        state: { status: state.status === 'PAUSED' ? 'PAUSED' : 'ACTIVE', ...priced, since: state.since || e.at },
      };
    case 'subscription.paused':
      return { label: 'PAUSE', state: { ...state, ...priced, status: 'PAUSED' } };
    case 'subscription.resumed':
      return { label: 'RESUME', state: { ...state, ...priced, status: 'ACTIVE' } };
    case 'subscription.canceled':
      return { label: 'CANCELLATION', state: { ...NONE, plan: priced.plan, price: priced.price, currency: priced.currency } };
    default:
      return undefined;
  }
}

/** The state at the end of `day` (after every event of that day). */
export function stateOnDay(timeline: SubscriberTimeline, day: number): SubscriberState {
  let state = NONE;
  for (const step of timeline.steps) {
    if (step.day > day) break;
    state = step.state;
  }
  return state.status === 'NONE' ? NONE : state;
}

/** The state at the start of `day` (after every event of earlier days). */
export function stateBeforeDay(timeline: SubscriberTimeline, day: number): SubscriberState {
  return stateOnDay(timeline, day - 1);
}

/** Cents of an active subscriber's monthly price; 0 when not active. */
export function activeCents(state: SubscriberState): number {
  return state.status === 'ACTIVE' && state.price ? priceCents(state.price) : 0;
}

/**
 * Day ranges `[from, to)` in which the subscriber was ACTIVE at the end of the day; `to` is
 * undefined while still active.
 */
export function activeRanges(timeline: SubscriberTimeline): { from: number; to?: number }[] {
  const ranges: { from: number; to?: number }[] = [];
  let open: number | undefined;
  const days = new Map<number, SubscriberState>();
  for (const step of timeline.steps) days.set(step.day, step.state); // the last event of a day wins
  for (const [day, state] of days) {
    if (state.status === 'ACTIVE' && open === undefined) open = day;
    if (state.status !== 'ACTIVE' && open !== undefined) {
      if (day > open) ranges.push({ from: open, to: day });
      open = undefined;
    }
  }
  if (open !== undefined) ranges.push({ from: open });
  return ranges;
}
