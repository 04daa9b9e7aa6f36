import type { SubscriptionType } from './event-schema.ts';

/**
 * Platform events as stored per partner company once the employee is resolved (SPEC §9.1).
 * Subscription and membership events sit under the employee (`EMP#{employeeKey}#…`), so one
 * query returns them in the same order as the company's employees and jobs join the two streams
 * without holding either in memory. Check-ins sit by time (`CHK#{at}#…`) for the check-ins
 * report, with the employee's display fields copied at load time.
 */

export interface EmployeeEvent {
  readonly employeeKey: string;
  /** `self`, or `family:{id}` for a family member (see subscriberSlot). */
  readonly slot: string;
  readonly familyMember: boolean;
  readonly type: 'member.registered' | SubscriptionType;
  /** ISO instant, UTC. */
  readonly at: string;
  readonly eventId: string;
  readonly plan?: string;
  readonly price?: string;
  readonly currency?: string;
}

export interface CheckinEvent {
  readonly at: string;
  readonly eventId: string;
  readonly employeeKey: string;
  readonly familyMember: boolean;
  readonly venue: string;
  readonly activity: string;
  readonly mode: 'PHYSICAL' | 'VIRTUAL';
  /** The employee as they were when the check-in was loaded. */
  readonly employeeId: string;
  readonly email: string;
  readonly name: string;
}

/** Sort keys: events order by employee, then time, then id (a stable order for equal instants). */
export function employeeEventSortKey(e: Pick<EmployeeEvent, 'employeeKey' | 'at' | 'eventId'>): string {
  return `EMP#${e.employeeKey}#${e.at}#${e.eventId}`;
}

export function checkinSortKey(e: Pick<CheckinEvent, 'at' | 'eventId'>): string {
  return `CHK#${e.at}#${e.eventId}`;
}

/** One employee with every stored event of theirs, in time order. */
export interface EmployeeWithEvents<E> {
  readonly employee: E;
  readonly events: readonly EmployeeEvent[];
}

/**
 * Merges a company's employees and its employee events, both ordered by employee key (as
 * DynamoDB returns them), into one item per employee. Events of a key with no employee are
 * dropped (cannot happen: the loader only stores resolved employees).
 */
export async function* joinEmployeeEvents<E extends { readonly employeeKey: string }>(
  employees: AsyncIterable<E>,
  events: AsyncIterable<EmployeeEvent>,
): AsyncGenerator<EmployeeWithEvents<E>> {
  const it = events[Symbol.asyncIterator]();
  let next = await it.next();
  for await (const employee of employees) {
    while (!next.done && next.value.employeeKey < employee.employeeKey) next = await it.next();
    const mine: EmployeeEvent[] = [];
    while (!next.done && next.value.employeeKey === employee.employeeKey) {
      mine.push(next.value);
      next = await it.next();
    }
    yield { employee, events: mine };
  }
  await it.return?.();
}
