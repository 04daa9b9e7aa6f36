import { posix } from 'node:path';
import { createInterface } from 'node:readline';
import type { ObjectStore } from '../../adapters/object-store.ts';
import { SYSTEM_WRITER_METADATA } from '../../core/files/system-writer.ts';
import type { PlatformEventRepo, StoredPlatformEvent } from '../../adapters/platform-event-repo.ts';
import { renderCsv } from '../../core/files/csv-output.ts';
import type { Partner } from '../../core/partners/partner.ts';
import { normalizeTaxId } from '../../core/partners/tax-id.ts';
import type { Log } from '../ingest/pipeline-deps.ts';
import { EmployeeResolver, type ResolvableEmployee } from '../../core/platform-events/employee-resolver.ts';
import { parseEventLine, subscriberSlot, type PlatformEvent } from '../../core/platform-events/event-schema.ts';

/**
 * Loads one platform-events file (SPEC §9.1): streams it line by line, validates each line,
 * resolves its employee within the company's partner(s), and stores it under a key derived from
 * the event itself. Bad lines go to `{file}.errors.csv` beside the input and never stop the rest.
 * A file version is loaded once (a marker records it); the same events in another file land on
 * the same items, so nothing is counted twice.
 */

export interface EventLoaderDeps {
  readonly store: ObjectStore;
  readonly partners: { list(): Promise<Partner[]> };
  readonly employees: { allOf(partnerId: string, companyTaxId: string): AsyncIterable<ResolvableEmployee> };
  readonly events: Pick<PlatformEventRepo, 'put' | 'loaded' | 'markLoaded'>;
  readonly log: Log;
  readonly clock: () => Date;
}

export interface LoadResult {
  readonly status: 'loaded' | 'already-loaded' | 'ignored';
  readonly loaded: number;
  readonly rejected: number;
  readonly errorFile?: string;
}

const CHUNK = 2000;
export const ERROR_FILE_SUFFIX = '.errors.csv';

export function errorFileOf(key: string): string {
  return `${key}${ERROR_FILE_SUFFIX}`;
}

/** Only data files are loaded: not folder markers, our own error files, or temporary names. */
export function isEventFile(key: string): boolean {
  const name = posix.basename(key);
  return !key.endsWith('/') && !name.endsWith(ERROR_FILE_SUFFIX) && !name.startsWith('.') && !/\.(filepart|part|tmp)$/i.test(name);
}

export async function loadEventFile(deps: EventLoaderDeps, key: string, versionId?: string): Promise<LoadResult> {
  if (!isEventFile(key)) return { status: 'ignored', loaded: 0, rejected: 0 };
  const head = await deps.store.head(key, versionId);
  if (!head) return { status: 'ignored', loaded: 0, rejected: 0 };
  if (head.metadata['bx-writer'] === SYSTEM_WRITER_METADATA['bx-writer']) return { status: 'ignored', loaded: 0, rejected: 0 };
  const version = head.versionId ?? head.eTag ?? String(head.lastModified.getTime());
  if (await deps.events.loaded(key, version)) {
    deps.log.info('platform events: file already loaded', { key, version });
    return { status: 'already-loaded', loaded: 0, rejected: 0 };
  }

  const companies = companyIndex(await deps.partners.list());
  const resolvers = new Map<string, Promise<EmployeeResolver>>();
  const resolverOf = (partnerId: string, taxId: string): Promise<EmployeeResolver> => {
    const id = `${partnerId}#${taxId}`;
    let found = resolvers.get(id);
    if (!found) resolvers.set(id, (found = EmployeeResolver.from(deps.employees.allOf(partnerId, taxId))));
    return found;
  };

  const errors: [number, string][] = [];
  let loaded = 0;
  let chunk: { line: number; event: PlatformEvent; eventId: string }[] = [];
  const flush = async (): Promise<void> => {
    const byCompany = new Map<string, { partnerId: string; taxId: string; events: StoredPlatformEvent[] }>();
    for (const { line, event, eventId } of chunk) {
      const owners = companies.get(normalizeTaxId(event.companyTaxId)) ?? companies.get(normalizeTaxId(event.companyTaxId, 'BR'));
      if (!owners) {
        errors.push([line, 'companyTaxId: no partner has this company']);
        continue;
      }
      let resolvedAnywhere = false;
      for (const { partnerId, taxId } of owners) {
        const employee = (await resolverOf(partnerId, taxId)).resolve(event.employee);
        if (!employee) continue;
        resolvedAnywhere = true;
        const group = byCompany.get(`${partnerId}#${taxId}`) ?? { partnerId, taxId, events: [] };
        byCompany.set(`${partnerId}#${taxId}`, group);
        group.events.push(toStored(event, eventId, employee));
      }
      if (resolvedAnywhere) loaded += 1;
      else errors.push([line, 'employee: no eligible employee of this company matches its employeeId, nationalId or email']);
    }
    for (const group of byCompany.values()) await deps.events.put(group.partnerId, group.taxId, group.events);
    chunk = [];
  };

  const lines = createInterface({ input: await deps.store.read(key, undefined), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo += 1;
    const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!text.trim()) continue;
    const parsed = parseEventLine(text);
    if (!parsed.ok) errors.push([lineNo, parsed.error]);
    else chunk.push({ line: lineNo, event: parsed.event, eventId: parsed.eventId });
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();

  const errorFile = errorFileOf(key);
  if (errors.length > 0) {
    errors.sort((a, b) => a[0] - b[0]);
    await deps.store.put(errorFile, renderCsv(['Line', 'Error'], errors), {
      contentType: 'text/csv; charset=utf-8',
      metadata: { ...SYSTEM_WRITER_METADATA },
    });
  } else if (await deps.store.head(errorFile)) {
    await deps.store.delete(errorFile); // a corrected file under the same name leaves no stale report
  }
  await deps.events.markLoaded(key, version, { loaded, rejected: errors.length }, deps.clock());
  deps.log.info('platform events: file loaded', { key, version, loaded, rejected: errors.length });
  return { status: 'loaded', loaded, rejected: errors.length, ...(errors.length > 0 ? { errorFile } : {}) };
}

/** Tax ID → the partners that have the company (a company may be served through two partners). */
function companyIndex(partners: readonly Partner[]): Map<string, { partnerId: string; taxId: string }[]> {
  const index = new Map<string, { partnerId: string; taxId: string }[]>();
  for (const p of partners) {
    for (const c of p.companies) {
      const owners = index.get(c.taxId) ?? [];
      owners.push({ partnerId: p.partnerId, taxId: c.taxId });
      index.set(c.taxId, owners);
    }
  }
  return index;
}

function toStored(
  event: PlatformEvent,
  eventId: string,
  employee: { employeeKey: string; employeeId: string; email: string; name: string },
): StoredPlatformEvent {
  const familyMember = event.familyMember;
  if (event.type === 'checkin') {
    return {
      kind: 'checkin',
      event: {
        at: event.at,
        eventId,
        employeeKey: employee.employeeKey,
        familyMember,
        venue: event.venue,
        activity: event.activity,
        mode: event.mode,
        employeeId: employee.employeeId,
        email: employee.email,
        name: employee.name,
      },
    };
  }
  const priced = 'price' in event && event.price !== undefined ? { plan: event.plan, price: event.price, currency: event.currency } : {};
  const plan = 'plan' in event && event.plan ? { plan: event.plan } : {};
  return {
    kind: 'employee',
    event: {
      employeeKey: employee.employeeKey,
      slot: subscriberSlot(event),
      familyMember,
      type: event.type,
      at: event.at,
      eventId,
      ...plan,
      ...priced,
    },
  };
}
