import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { EmployeeRepo } from '../../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../../adapters/object-store.ts';
import { BaseIndex } from '../../../core/eligibility/diff/base-index.ts';
import { addedKey } from '../../../core/eligibility/employee-key.ts';
import type { Change } from '../../../core/eligibility/model.ts';
import {
  decodeHeader,
  decodeRecord,
  encodeHeader,
  encodeRecord,
  mergeChanges,
  SnapshotMismatch,
  type SnapshotHeader,
  type SnapshotRecord,
} from '../../../core/eligibility/snapshot/base-snapshot.ts';
import type { Partner } from '../../../core/partners/partner.ts';
import { BUCKET_LAYOUT } from '../../../../lib/resources.ts';

/**
 * The partner's stored employees as an upload plans against them (docs/decisions/0140-base-snapshot.md).
 * The base is read from the partner's snapshot object when it is valid — written at the write
 * generation the partner is still at, no write in flight, every company in it — and from the
 * table otherwise. Either way a copy stays in a local file, so that after the apply the next
 * snapshot is that copy with the changes merged in, and the eligible list is read from it: no
 * employee is read back from the table after a write.
 */

export interface BaseStateDeps {
  readonly store: ObjectStore;
  readonly employees: EmployeeRepo;
}

/** The employees as they were before the apply, in a local file (snapshot format). */
export interface PriorState {
  readonly file: string;
  readonly header: SnapshotHeader;
  /** Read from a valid snapshot object (else from the table). */
  readonly fromSnapshot: boolean;
}

export interface LoadedBase {
  readonly index: BaseIndex;
  /** Absent when a write was in flight as the base was read: no snapshot may be made from it. */
  readonly prior?: PriorState;
}

export const snapshotKey = (partnerId: string): string => `${BUCKET_LAYOUT.employeeSnapshots}${partnerId}.jsonl.gz`;

/** The partner's companies in the order a snapshot holds them. */
export const snapshotCompanies = (partner: Partner): string[] => partner.companies.map((c) => c.taxId).sort();

/**
 * Loads the base of `scopedTaxIds` (an upload's scope) into an index, keeping every company's
 * employees in a local file for the snapshot that follows the apply. `withPrior: false` (dry runs)
 * reads only what the plan needs when there is no valid snapshot.
 */
export async function loadBaseState(
  deps: BaseStateDeps,
  partner: Partner,
  scopedTaxIds: readonly string[],
  options: { withPrior: boolean },
): Promise<LoadedBase> {
  const generation = await deps.employees.writeGeneration(partner.partnerId);
  const companies = snapshotCompanies(partner);
  const scoped = new Set(scopedTaxIds);
  const inScope = async function* (records: AsyncIterable<SnapshotRecord>) {
    for await (const r of records) if (scoped.has(r.companyTaxId)) yield r;
  };
  if (generation.settled && generation.started > 0) {
    const prior = await downloadSnapshot(deps.store, partner.partnerId);
    if (prior && isValid(prior.header, partner.partnerId, generation.started, companies)) {
      return { index: await BaseIndex.from(inScope(readRecords(prior.file))), prior };
    }
    if (prior) await rm(prior.file, { force: true });
  }
  if (!generation.settled || !options.withPrior) {
    return { index: await BaseIndex.from(deps.employees.loadBase(partner.partnerId, scopedTaxIds)) };
  }
  const header: SnapshotHeader = { version: 1, partnerId: partner.partnerId, generation: generation.started, companies };
  const file = tempFile('prior');
  let index: BaseIndex | undefined;
  const tee = async function* () {
    const into = new BaseIndex();
    for await (const r of deps.employees.snapshotRecords(partner.partnerId, companies)) {
      if (scoped.has(r.companyTaxId)) into.add(r);
      yield r;
    }
    index = into.loaded();
  };
  await writeSnapshotFile(file, header, tee());
  return { index: index!, prior: { file, header, fromSnapshot: false } };
}

/**
 * After an apply of `changes` at `generation` (what EmployeeRepo.apply returned): the next
 * snapshot, merged from the prior copy, written locally and to the bucket. Returns its local file
 * for the eligible list, or undefined when no snapshot can follow — another write came between
 * the base read and this apply, or the copy and the changes disagree — and the list is then
 * read from the table.
 */
export async function saveBaseState(
  deps: BaseStateDeps,
  partner: Partner,
  prior: PriorState | undefined,
  applied: { readonly changes: readonly Change[]; readonly uploadId: string; readonly generation: number },
): Promise<{ file?: string; skipped?: string }> {
  if (!prior) return { skipped: 'a write was in flight as the base was read' };
  if (applied.generation !== prior.header.generation + 1) return { skipped: 'another write came between the base read and the apply' };
  const header: SnapshotHeader = { ...prior.header, generation: applied.generation, companies: snapshotCompanies(partner) };
  const file = tempFile('next');
  try {
    await writeSnapshotFile(
      file,
      header,
      mergeChanges(readRecords(prior.file), header.companies, applied.changes, (row) => addedKey(applied.uploadId, row)),
    );
  } catch (error) {
    await rm(file, { force: true });
    if (error instanceof SnapshotMismatch) return { skipped: error.message };
    throw error;
  }
  await deps.store.putStream(snapshotKey(partner.partnerId), createReadStream(file), { contentType: 'application/gzip' });
  return { file };
}

/** The records of a snapshot file, header skipped. */
export async function* readRecords(file: string): AsyncGenerator<SnapshotRecord> {
  let first = true;
  for await (const line of snapshotLines(file)) {
    if (first) {
      first = false;
      continue;
    }
    if (line) yield decodeRecord(line);
  }
}

function snapshotLines(file: string) {
  return createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
}

export async function removeStateFiles(...files: (string | undefined)[]): Promise<void> {
  await Promise.all(files.map((f) => (f ? rm(f, { force: true }) : undefined)));
}

function isValid(header: SnapshotHeader, partnerId: string, generation: number, companies: readonly string[]): boolean {
  const held = new Set(header.companies);
  return header.partnerId === partnerId && header.generation === generation && companies.every((c) => held.has(c));
}

async function downloadSnapshot(store: ObjectStore, partnerId: string): Promise<PriorState | undefined> {
  const key = snapshotKey(partnerId);
  if (!(await store.head(key))) return undefined;
  const file = tempFile('prior');
  await pipeline(await store.read(key), createWriteStream(file));
  try {
    return { file, header: await readHeader(file), fromSnapshot: true };
  } catch (error) {
    await rm(file, { force: true });
    if (error instanceof SnapshotMismatch || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

async function readHeader(file: string): Promise<SnapshotHeader> {
  const lines = snapshotLines(file);
  try {
    for await (const line of lines) return decodeHeader(line);
  } finally {
    lines.close();
  }
  throw new SnapshotMismatch('the snapshot is empty');
}

/** Writes header and records gzipped, in chunks of many lines (a stream item per line is slow). */
async function writeSnapshotFile(file: string, header: SnapshotHeader, records: AsyncIterable<SnapshotRecord>): Promise<void> {
  async function* chunks() {
    yield encodeHeader(header);
    let chunk = '';
    for await (const r of records) {
      chunk += encodeRecord(r);
      if (chunk.length >= 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(chunks()), createGzip({ level: 1 }), createWriteStream(file));
}

function tempFile(kind: string): string {
  return join(tmpdir(), `bx-base-${kind}-${randomUUID()}.jsonl.gz`);
}
