import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { describe, expect, it, vi } from 'vitest';
import type { ObjectHead, ObjectStore, PutOptions } from '../../lambdas/adapters/object-store.ts';
import type { UploadMessage } from '../../lambdas/adapters/upload-queue.ts';
import type { SettleUpdate, UploadKey, UploadRepo } from '../../lambdas/adapters/upload-repo.ts';
import type { Partner } from '../../lambdas/core/partners/partner.ts';
import type { UploadArea } from '../../lambdas/core/partners/tree.ts';
import type { UploadError } from '../../lambdas/core/uploads/upload-errors.ts';
import type { UploadRecord, UploadStatus } from '../../lambdas/core/uploads/upload.ts';
import {
  ContinueLater,
  type ProcessOutcome,
  type ProcessorRegistry,
  type UploadContext,
} from '../../lambdas/app/flows/upload-processor.ts';
import { createProcessUploadHandler } from '../../lambdas/handlers/process-upload.ts';
import { ingestObject } from '../../lambdas/app/ingest/ingest-object.ts';
import type { PipelineDeps } from '../../lambdas/app/ingest/pipeline-deps.ts';
import { processUpload } from '../../lambdas/app/ingest/process-upload.ts';
import type { TransferDeadline } from '../../lambdas/core/transfers/ingest-message.ts';
import { MemoryTransferLedger } from '../support/memory-transfer-ledger.ts';
import type { TransferResult } from '../../lambdas/core/transfers/transfer-events.ts';
import { createIngestHandler } from '../../lambdas/handlers/ingest.ts';
import { acceptTransferResult, checkTransferDeadline } from '../../lambdas/app/ingest/transfer-results.ts';

// ---- In-memory fakes of PipelineDeps (same semantics as the S3 / DynamoDB / SQS / SES adapters) ----

interface Version {
  body: string;
  versionId?: string;
  lastModified: Date;
  metadata: Record<string, string>;
}
type StoreOp = 'copy' | 'put' | 'delete';

class FakeStore {
  readonly objects = new Map<string, Version[]>();
  readonly puts: { key: string; body: string; options?: PutOptions }[] = [];
  readonly copies: { from: string; to: string; versionId?: string }[] = [];
  readonly deletes: { key: string; versionId?: string }[] = [];
  readonly failures: Partial<Record<StoreOp, number>> = {};
  readonly bucket = 'bx-test';
  /** Transfer's upload-result event for each upload (the world stores it in the ledger). */
  onUpload: (key: string, eTag: string) => void = () => {};

  /** What the partner's SFTP client (through Transfer) leaves in the bucket. */
  upload(key: string, body: string, v: { versionId?: string; at?: string; metadata?: Record<string, string> } = {}): void {
    const version = {
      body,
      versionId: v.versionId,
      lastModified: new Date(v.at ?? RECEIVED_AT),
      metadata: v.metadata ?? { 'user-agent-id': 'acme-hr@s-0123' },
    };
    this.objects.set(key, [...(this.objects.get(key) ?? []), version]);
    this.onUpload(key, `etag-${body.length}`);
  }
  find(key: string, versionId?: string): Version | undefined {
    const versions = this.objects.get(key) ?? [];
    return versionId ? versions.find((v) => v.versionId === versionId) : versions.at(-1);
  }
  text(key: string): string | undefined {
    return this.find(key)?.body;
  }
  private failIfAsked(op: StoreOp): void {
    const left = this.failures[op] ?? 0;
    if (left > 0) {
      this.failures[op] = left - 1;
      throw new Error(`S3 ${op} failed`);
    }
  }
  async head(key: string, versionId?: string): Promise<ObjectHead | undefined> {
    const v = this.find(key, versionId);
    return (
      v && {
        key,
        size: Buffer.byteLength(v.body),
        lastModified: v.lastModified,
        eTag: `etag-${v.body.length}`,
        versionId: v.versionId,
        metadata: v.metadata,
      }
    );
  }
  async read(key: string): Promise<Readable> {
    return Readable.from([this.find(key)?.body ?? '']);
  }
  async put(key: string, body: string, options?: PutOptions): Promise<void> {
    this.failIfAsked('put');
    this.puts.push({ key, body, options });
    this.objects.set(key, [{ body, lastModified: NOW, metadata: { ...options?.metadata } }]);
  }
  async copy(from: string, to: string, versionId?: string): Promise<void> {
    this.failIfAsked('copy');
    const v = this.find(from, versionId);
    if (!v) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    this.copies.push({ from, to, versionId });
    this.objects.set(to, [{ ...v, versionId: undefined }]);
  }
  async delete(key: string, versionId?: string): Promise<void> {
    this.failIfAsked('delete');
    this.deletes.push({ key, versionId });
    const left = (this.objects.get(key) ?? []).filter((v) => versionId !== undefined && v.versionId !== versionId);
    if (left.length) this.objects.set(key, left);
    else this.objects.delete(key);
  }
}

/** Like UploadRepo: conditional record, consistent get, updates of defined fields only, recent newest first. */
class FakeUploads {
  readonly items = new Map<string, UploadRecord>();
  private id = (k: UploadKey): string => `${k.partnerId}#${k.seq}`;
  async record(upload: UploadRecord): Promise<{ upload: UploadRecord; created: boolean }> {
    const existing = this.items.get(this.id(upload));
    if (existing) return { upload: structuredClone(existing), created: false };
    this.items.set(this.id(upload), structuredClone(upload));
    return { upload, created: true };
  }
  async get(k: UploadKey): Promise<UploadRecord | undefined> {
    const found = this.items.get(this.id(k));
    return found && structuredClone(found);
  }
  async setStatus(k: UploadKey, status: UploadStatus, now: Date): Promise<UploadRecord> {
    return this.update(k, { status, updatedAt: now.toISOString() });
  }
  async settle(k: UploadKey, u: SettleUpdate, now: Date): Promise<UploadRecord> {
    return this.update(k, { ...u, updatedAt: now.toISOString() });
  }
  async recent(partnerId: string, area: UploadArea, limit: number): Promise<UploadRecord[]> {
    return [...this.items.values()]
      .filter((u) => u.partnerId === partnerId && u.statusArea === area)
      .sort((a, b) => b.seq.localeCompare(a.seq))
      .slice(0, limit)
      .map((u) => structuredClone(u));
  }
  async history(): Promise<[]> {
    return [];
  }
  async unsettledSince(partnerId: string, fromMs: number): Promise<UploadRecord[]> {
    return [...this.items.values()]
      .filter(
        (u) =>
          u.partnerId === partnerId && (u.status === 'Validating' || u.status === 'Processing') && Number(u.seq.split('#')[0]) >= fromMs,
      )
      .sort((a, b) => a.seq.localeCompare(b.seq))
      .map((u) => structuredClone(u));
  }
  readonly nameClaims = new Map<string, string>();
  async claimName(partnerId: string, nameKey: string, ts: number, uploadId: string): Promise<boolean> {
    const key = `${partnerId}#${nameKey}#${ts}`;
    if (!this.nameClaims.has(key)) this.nameClaims.set(key, uploadId);
    return this.nameClaims.get(key) === uploadId;
  }
  all(): UploadRecord[] {
    return [...this.items.values()];
  }
  private update(k: UploadKey, fields: Record<string, unknown>): UploadRecord {
    const current = this.items.get(this.id(k));
    if (!current) throw Object.assign(new Error('conditional check failed'), { name: 'ConditionalCheckFailedException' });
    const next = { ...current, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) } as UploadRecord;
    this.items.set(this.id(k), next);
    return structuredClone(next);
  }
}

// ---- Factories ----

const NOW = new Date('2026-11-22T14:05:00.000Z');
const RECEIVED_AT = '2026-11-22T14:03:09.123Z';
const TS = 1795356189;

function aPartner(partnerId: string, entityType: Partner['entityType']): Partner {
  return {
    partnerId,
    entityType,
    profile: 'wellhub',
    companies: [{ taxId: '37211173000169', name: 'Acme Ltda' }],
    adminEmails: [`hr@${partnerId}.example.com`, `cfo@${partnerId}.example.com`],
    country: 'BR',
    currency: 'BRL',
    wipeThreshold: 0.1,
    customHeaders: [],
    sshPublicKeys: ['ssh-ed25519 AAAA test'],
    createdAt: '2026-01-01T00:00:00Z',
  };
}

function aWorld(options: { processors?: ProcessorRegistry; maxUploadBytes?: number; transferResults?: 'reported' | 'unreported' } = {}) {
  const store = new FakeStore();
  const uploads = new FakeUploads();
  const queued: UploadMessage[] = [];
  const emails: { to: readonly string[]; subject: string; text: string }[] = [];
  const redelivered: { receiptHandle: string; seconds: number }[] = [];
  const queue = {
    failing: false,
    async enqueue(m: UploadMessage) {
      if (queue.failing) throw new Error('SQS down');
      queued.push(m);
    },
    async redeliverAfter(receiptHandle: string, seconds: number) {
      redelivered.push({ receiptHandle, seconds });
    },
  };
  const partners = new Map([aPartner('acme', 'multi-entity'), aPartner('solo', 'single-entity')].map((p) => [p.partnerId, p]));
  // Every upload's transfer completes, as Transfer reports it (transfer-results.test.ts covers the rest).
  const ledger = new MemoryTransferLedger();
  let events = 0;
  store.onUpload = (key, eTag) => {
    if (options.transferResults === 'unreported') return;
    void ledger.addResult({
      kind: 'upload',
      eventId: `e${++events}`,
      bucket: store.bucket,
      key,
      outcome: 'completed',
      etag: eTag,
      at: RECEIVED_AT,
      source: 'aws.transfer',
    });
  };
  const deadlines: { deadline: TransferDeadline; delaySeconds: number }[] = [];
  const time = { now: NOW };
  const deps: PipelineDeps = {
    store: store as unknown as ObjectStore,
    partners: { get: async (id) => partners.get(id) },
    uploads: uploads as unknown as UploadRepo,
    queue,
    mailer: {
      send: async (m) => {
        emails.push(m);
      },
    },
    processors: options.processors ?? {},
    log: { info: () => {}, warn: () => {}, error: () => {} },
    clock: () => time.now,
    limits: { maxUploadBytes: options.maxUploadBytes ?? 1024 },
    transfer: {
      ledger,
      deadlines: {
        schedule: async (deadline, delaySeconds) => {
          deadlines.push({ deadline, delaySeconds });
        },
      },
      graceSeconds: 900,
    },
  };
  return { deps, store, uploads, queued, emails, queue, redelivered, ledger, deadlines, time };
}
type World = ReturnType<typeof aWorld>;

const anEvent = (key: string, versionId?: string) => ({
  bucket: 'bx-test',
  key,
  eventName: 'ObjectCreated:Put',
  eventTime: RECEIVED_AT,
  versionId,
});

function aProcessor(run: (context: UploadContext) => Promise<ProcessOutcome>) {
  return { process: vi.fn(run) };
}

const ACME = 'partners/acme/multientity/';
const ACME_ALL = `${ACME}employees/upload/all/census.csv`;
const FILE = 'Name,Email\r\nJosé,jose@example.com\r\n';

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

/** Puts a file, ingests its event, and returns the queue message for processing. */
async function uploaded(world: World, key = ACME_ALL, body = FILE): Promise<UploadMessage> {
  world.store.upload(key, body, { versionId: 'v1' });
  expect(await ingestObject(world.deps, anEvent(key, 'v1'))).toBe('recorded');
  return only(world.queued);
}

const csvRows = (body: string | undefined): string[][] => parse(body ?? '');
const reportRows = (world: World, prefix: string, name = 'census.csv'): string[][] =>
  csvRows(world.store.text(`${prefix}employees/upload/error-details/${TS}-${name}`)).slice(1);
const FIFTEEN_MINUTES = () => 15 * 60 * 1000;
const FIRST_ATTEMPT = { number: 1, final: false, remainingMs: FIFTEEN_MINUTES };
const LAST_ATTEMPT = { number: 6, final: true, remainingMs: FIFTEEN_MINUTES };

// ---- ingestObject ----

describe('ingestObject', () => {
  it.each<[string, string, Record<string, string> | 'absent', string]>([
    ['the status file', `${ACME}employees/upload/status.csv`, {}, 'ignored'],
    ['a WinSCP temporary name', `${ACME_ALL}.filepart`, {}, 'ignored'],
    ['a dot file', `${ACME}employees/upload/all/.census.csv`, {}, 'ignored'],
    ['a folder marker', `${ACME}employees/upload/all/`, {}, 'ignored'],
    ['an object the system wrote', ACME_ALL, { 'bx-writer': 'system' }, 'ignored'],
    ['an object in the tree of an unknown partner', 'partners/ghost/employees/upload/all/census.csv', {}, 'ignored'],
    ['an object that no longer exists', ACME_ALL, 'absent', 'gone'],
  ])('leaves %s alone and records nothing', async (_what, key, metadata, expected) => {
    // Prepare
    const world = aWorld();
    if (metadata !== 'absent') world.store.upload(key, FILE, { versionId: 'v1', metadata });

    // Act
    const outcome = await ingestObject(world.deps, anEvent(key, 'v1'));

    // Assess
    expect(outcome).toBe(expected);
    expect([world.store.puts, world.store.copies, world.store.deletes, world.queued, world.uploads.all()]).toEqual([[], [], [], [], []]);
    expect(world.store.text(key)).toBe(metadata === 'absent' ? undefined : FILE);
  });

  it('records, archives, publishes the status file, enqueues once and deletes only that version', async () => {
    // Prepare
    const world = aWorld();
    world.store.upload(ACME_ALL, FILE, { versionId: 'v1' });

    // Act
    const outcome = await ingestObject(world.deps, anEvent(ACME_ALL, 'v1'));

    // Assess
    expect(outcome).toBe('recorded');
    const upload = only(world.uploads.all());
    expect(upload).toMatchObject({
      partnerId: 'acme',
      name: 'census.csv',
      ts: TS,
      receivedAt: RECEIVED_AT,
      area: 'employees',
      statusArea: 'employees',
      folder: 'all',
      root: 'multientity',
      batchType: 'full_file',
      source: 'SFTP',
      author: 'acme-hr',
      originalKey: ACME_ALL,
      size: Buffer.byteLength(FILE),
      status: 'Validating',
    });
    expect(upload.misplacedReason).toBeUndefined();
    expect(upload.archiveKey).toBe(`archive/uploads/acme/${upload.uploadId}/census.csv`);
    expect(world.store.copies).toEqual([{ from: ACME_ALL, to: upload.archiveKey, versionId: 'v1' }]);
    expect(world.store.text(upload.archiveKey)).toBe(FILE);
    const status = only(world.store.puts);
    expect(status.key).toBe(`${ACME}employees/upload/status.csv`);
    expect(status.options?.metadata).toEqual({ 'bx-writer': 'system' });
    expect(csvRows(status.body)).toEqual([
      ['filename', 'batch_type', 'date_and_time', 'processing_status', 'source'],
      [`${TS}-census.csv`, 'full_file', '2026-11-22T14:03:09Z', 'Validating', 'SFTP'],
    ]);
    expect(world.queued).toEqual([{ partnerId: 'acme', seq: upload.seq, uploadId: upload.uploadId }]);
    expect(world.store.deletes).toEqual([{ key: ACME_ALL, versionId: 'v1' }]);
    expect(world.store.find(ACME_ALL)).toBeUndefined();
  });

  it("answers 'duplicate' when the event comes again after a crash, and keeps one upload", async () => {
    // Prepare
    const world = aWorld();
    world.store.upload(ACME_ALL, FILE, { versionId: 'v1' });
    world.store.failures.delete = 1;
    await expect(ingestObject(world.deps, anEvent(ACME_ALL, 'v1'))).rejects.toThrow('S3 delete failed');

    // Act
    const outcome = await ingestObject(world.deps, anEvent(ACME_ALL, 'v1'));

    // Assess
    expect(outcome).toBe('duplicate');
    const upload = only(world.uploads.all());
    expect(new Set(world.queued.map((m) => m.uploadId))).toEqual(new Set([upload.uploadId]));
    expect(world.store.find(ACME_ALL)).toBeUndefined();
  });

  it('records one upload when the same event is delivered twice at once', async () => {
    // Prepare
    const world = aWorld();
    world.store.upload(ACME_ALL, FILE, { versionId: 'v1' });

    // Act
    const outcomes = await Promise.all([1, 2].map(() => ingestObject(world.deps, anEvent(ACME_ALL, 'v1'))));

    // Assess
    expect(outcomes.sort()).toEqual(['duplicate', 'recorded']);
    expect(world.uploads.all()).toHaveLength(1);
  });

  it('derives the same uploadId from the same version, and a new one from a new version of the key', async () => {
    // Prepare
    const [first, again] = [aWorld(), aWorld()];
    for (const w of [first, again]) await uploaded(w);
    first.store.upload(ACME_ALL, 'Name,Email\r\n', { versionId: 'v2', at: '2026-11-22T15:00:00.000Z' });

    // Act
    await ingestObject(first.deps, anEvent(ACME_ALL, 'v2'));

    // Assess
    const [v1, v2] = first.uploads.all();
    expect(v1?.uploadId).toBe(only(again.uploads.all()).uploadId);
    expect(v2?.uploadId).toMatch(/^[0-9a-f]{24}$/);
    expect(v2?.uploadId).not.toBe(v1?.uploadId);
    expect(first.store.deletes.at(-1)).toEqual({ key: ACME_ALL, versionId: 'v2' });
  });

  it('reports a flexben file of a single-entity partner in its employees status file', async () => {
    // Prepare
    const world = aWorld();

    // Act
    await uploaded(world, 'partners/solo/flexben/upload/add-or-update/credits.csv');

    // Assess
    expect(only(world.uploads.all())).toMatchObject({ area: 'flexben', statusArea: 'employees' });
    expect(only(world.store.puts).key).toBe('partners/solo/employees/upload/status.csv');
    expect(csvRows(world.store.text('partners/solo/employees/upload/status.csv'))[1]?.[0]).toBe(`${TS}-credits.csv`);
  });

  it.each([
    [
      'a folder that is not an upload folder',
      'partners/solo/employees/upload/foo/x.csv',
      'partners/solo/',
      /"foo" is not an upload folder/,
    ],
    ['a subfolder of an upload folder', 'partners/solo/employees/upload/all/sub/x.csv', 'partners/solo/', /Subfolders/],
    ['new/ of a multi-entity partner', `${ACME}employees/upload/new/x.csv`, ACME, /not available to multi-entity/],
    ['the wrong root for the entity type', 'partners/acme/employees/upload/all/x.csv', ACME, /under \/multientity/],
    [
      'flexben of a single-entity partner',
      'partners/solo/flexben/upload/add-or-update/x.csv',
      'partners/solo/',
      /not available to single-entity/,
    ],
  ])('records a file put in %s as misplaced, then rejects it and emails the admins', async (_what, key, prefix, reason) => {
    // Prepare
    const processor = aProcessor(async () => ({ status: 'Succeeded', errors: [] }));
    const world = aWorld({ processors: { 'employees/all': processor, 'flexben/add-or-update': processor } });
    const message = await uploaded(world, key);
    expect(only(world.uploads.all()).misplacedReason).toMatch(reason);

    // Act
    await processUpload(world.deps, message, FIRST_ATTEMPT);

    // Assess
    expect(processor.process).not.toHaveBeenCalled();
    expect(only(world.uploads.all()).status).toBe('Rejected');
    const [row] = reportRows(world, prefix, 'x.csv');
    expect(row?.slice(0, 5)).toEqual(['', 'Upload error', '', '', 'Invalid']);
    expect(row?.[5]).toMatch(reason);
    expect(only(world.emails).to).toEqual(aPartner(prefix.split('/')[1] ?? '', 'single-entity').adminEmails);
  });

  it('settles the upload as a system failure when ingest fails on the final attempt only', async () => {
    // Prepare
    const [early, last] = [aWorld(), aWorld()];
    for (const w of [early, last]) {
      w.store.upload(ACME_ALL, FILE, { versionId: 'v1' });
      w.queue.failing = true;
    }

    // Act
    await expect(ingestObject(early.deps, anEvent(ACME_ALL, 'v1'))).rejects.toThrow('SQS down');
    await expect(ingestObject(last.deps, anEvent(ACME_ALL, 'v1'), { finalAttempt: true })).rejects.toThrow('SQS down');

    // Assess
    expect(only(early.uploads.all()).status).toBe('Validating');
    expect(early.emails).toEqual([]);
    expect(early.store.find(ACME_ALL)).toBeDefined();
    expect(only(last.uploads.all())).toMatchObject({ status: 'Rejected', systemFailure: true, errorCount: 1 });
    expect(reportRows(last, ACME).map((r) => r.slice(1, 5))).toEqual([['Upload error', '', '', 'System']]);
    expect(only(last.emails).subject).toContain('Rejected');
  });
});

// ---- processUpload ----

describe('processUpload', () => {
  const succeeded = async (): Promise<ProcessOutcome> => ({
    status: 'Succeeded',
    errors: [],
    counts: { rowsRead: 1, rowsApplied: 1, rowsRejected: 0 },
  });

  it('does nothing for an upload already settled (a repeated delivery)', async () => {
    // Prepare
    const processor = aProcessor(succeeded);
    const world = aWorld({ processors: { 'employees/all': processor } });
    const message = await uploaded(world);
    await world.uploads.settle(message, { status: 'Succeeded', errorCount: 0 }, NOW);
    const putsBefore = world.store.puts.length;

    // Act
    await processUpload(world.deps, message, FIRST_ATTEMPT);

    // Assess
    expect(processor.process).not.toHaveBeenCalled();
    expect([world.store.puts.length, world.emails.length]).toEqual([putsBefore, 0]);
  });

  const MIB = 1024 * 1024;
  it.each<[string, ProcessorRegistry, string, string, RegExp]>([
    ['no processor for the folder', { 'flexben/removal': aProcessor(succeeded) }, FILE, 'Invalid', /not available/],
    ['an empty file', { 'employees/all': aProcessor(succeeded) }, '', 'Empty file', /empty/],
    ['a file over the size limit', { 'employees/all': aProcessor(succeeded) }, 'x'.repeat(MIB + 1), 'Too large', /1 MiB limit/],
  ])('rejects %s with an Upload error, a report and an email', async (_what, processors, body, type, description) => {
    // Prepare
    const world = aWorld({ processors, maxUploadBytes: MIB });
    const message = await uploaded(world, ACME_ALL, body);

    // Act
    await processUpload(world.deps, message, FIRST_ATTEMPT);

    // Assess
    expect(only(world.uploads.all())).toMatchObject({ status: 'Rejected', errorCount: 1 });
    const row = only(reportRows(world, ACME));
    expect(row.slice(1, 5)).toEqual(['Upload error', '', '', type]);
    expect(row[5]).toMatch(description);
    expect(only(world.emails).to).toEqual(['hr@acme.example.com', 'cfo@acme.example.com']);
    for (const processor of Object.values(processors)) expect(processor?.process).not.toHaveBeenCalled();
  });

  it('settles a Succeeded outcome, reads the archived copy, and emails no one', async () => {
    // Prepare
    let read = '';
    const processor = aProcessor(async (context) => {
      read = await text(await context.openInput());
      await context.setStatus('Processing');
      return succeeded();
    });
    const world = aWorld({ processors: { 'employees/all': processor }, maxUploadBytes: Buffer.byteLength(FILE) });
    const message = await uploaded(world);

    // Act
    await processUpload(world.deps, message, FIRST_ATTEMPT);

    // Assess
    expect(read).toBe(FILE);
    expect(only(world.uploads.all())).toMatchObject({ status: 'Succeeded', counts: { rowsRead: 1, rowsApplied: 1, rowsRejected: 0 } });
    const statuses = world.store.puts.map((p) => csvRows(p.body)[1]?.[3]);
    expect(statuses).toEqual(['Validating', 'Processing', 'Succeeded']);
    expect(world.emails).toEqual([]);
    expect(world.store.puts.some((p) => p.key.includes('error-details'))).toBe(false);
  });

  it('writes the report and emails every admin once when the processor rejects the file', async () => {
    // Prepare
    const errors: UploadError[] = [
      {
        companyTaxId: '37211173000169',
        source: 'Input error',
        line: 1,
        field: 'Email',
        type: 'Invalid',
        description: 'Email is not valid.',
      },
    ];
    const world = aWorld({ processors: { 'employees/all': aProcessor(async () => ({ status: 'Rejected', errors })) } });
    const message = await uploaded(world);

    // Act
    await processUpload(world.deps, message, FIRST_ATTEMPT);

    // Assess
    expect(reportRows(world, ACME)).toEqual([['37211173000169', 'Input error', '1', 'Email', 'Invalid', 'Email is not valid.']]);
    const email = only(world.emails);
    expect(email.to).toEqual(['hr@acme.example.com', 'cfo@acme.example.com']);
    expect(email.subject).toContain(`${TS}-census.csv`);
    expect(email.text).toContain(`/multientity/employees/upload/error-details/${TS}-census.csv`);
    expect(only(world.uploads.all())).toMatchObject({ status: 'Rejected', errorCount: 1 });
  });

  it.each([
    ['leaves the upload unsettled when a retry is left', FIRST_ATTEMPT, { status: 'Validating' }, []],
    [
      'settles the upload as Rejected with one System error on the final attempt',
      LAST_ATTEMPT,
      { status: 'Rejected', systemFailure: true, errorCount: 1 },
      [['', 'Upload error', '', '', 'System']],
    ],
  ])('rethrows a processor failure and %s', async (_what, attempt, expected, report) => {
    // Prepare
    const world = aWorld({
      processors: {
        'employees/all': aProcessor(async () => {
          throw new Error('DynamoDB throttled');
        }),
      },
    });
    const message = await uploaded(world);

    // Act
    const run = processUpload(world.deps, message, attempt);

    // Assess
    await expect(run).rejects.toThrow('DynamoDB throttled');
    expect(only(world.uploads.all())).toMatchObject(expected);
    expect(reportRows(world, ACME).map((r) => r.slice(0, 5))).toEqual(report);
    expect(world.emails.map((e) => e.subject)).toEqual(report.length ? [`benefits-exchange: ${TS}-census.csv Rejected`] : []);
  });
});

describe('processUpload of a flexben file', () => {
  const CREDITS = `${ACME}flexben/upload/add-or-update/credits.csv`;

  it('ends our own failure as ERROR in the upload history, with an error report and an email', async () => {
    // Prepare
    const world = aWorld({
      processors: {
        'flexben/add-or-update': aProcessor(async () => {
          throw new Error('DynamoDB throttled');
        }),
      },
    });
    const message = await uploaded(world, CREDITS);

    // Act
    await expect(processUpload(world.deps, message, LAST_ATTEMPT)).rejects.toThrow('DynamoDB throttled');

    // Assess
    const history = csvRows(world.store.text(`${ACME}flexben/download/upload_history.csv`));
    expect(history[1]).toEqual([`${TS}-credits.csv`, '2026-11-22 14:03:09.123000 +0000 UTC', 'ADD', 'SFTP', 'ERROR', 'acme-hr', '1']);
    expect(csvRows(world.store.text(`${ACME}flexben/download/errors/${TS}-credits.csv`))[1]?.slice(0, 4)).toEqual(['', '', '', 'System']);
    expect(only(world.emails).text).toContain('Status: ERROR');
  });
});

describe('the process-upload handler', () => {
  function sqsEvent(message: UploadMessage, receives: number) {
    return {
      Records: [
        {
          messageId: 'm1',
          receiptHandle: 'rh-1',
          body: JSON.stringify(message),
          attributes: {
            ApproximateReceiveCount: String(receives),
            SentTimestamp: '0',
            SenderId: 'x',
            ApproximateFirstReceiveTimestamp: '0',
            MessageGroupId: message.partnerId,
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:uploads.fifo',
          awsRegion: 'us-east-1',
        },
      ],
    };
  }

  it('hands an upload that ran out of time straight back to the queue, unsettled', async () => {
    // Prepare
    const budgets: number[] = [];
    const world = aWorld({
      processors: {
        'employees/all': aProcessor(async (context) => {
          budgets.push(context.remainingMs());
          throw new ContinueLater({ written: 400 });
        }),
      },
    });
    const handler = createProcessUploadHandler(() => world.deps, { maxReceives: 6 });

    // Act
    const response = await handler(sqsEvent(await uploaded(world), 1), { getRemainingTimeInMillis: () => 123_456 });

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(world.redelivered).toEqual([{ receiptHandle: 'rh-1', seconds: 0 }]);
    expect(budgets).toEqual([123_456]);
    expect(only(world.uploads.all()).status).toBe('Validating');
  });

  it('leaves a failed upload to come back after its visibility timeout, and settles it on the last delivery', async () => {
    // Prepare
    const world = aWorld({
      processors: {
        'employees/all': aProcessor(async () => {
          throw new Error('DynamoDB throttled');
        }),
      },
    });
    const handler = createProcessUploadHandler(() => world.deps, { maxReceives: 6 });
    const message = await uploaded(world);

    // Act
    const early = await handler(sqsEvent(message, 5));
    const last = await handler(sqsEvent(message, 6));

    // Assess
    expect(early.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(last.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(world.redelivered).toEqual([]);
    expect(only(world.uploads.all())).toMatchObject({ status: 'Rejected', systemFailure: true });
  });

  it('gives local mode, which has no Lambda context, the function timeout as its budget', async () => {
    // Prepare
    const budgets: number[] = [];
    const world = aWorld({
      processors: {
        'employees/all': aProcessor(async (context) => {
          budgets.push(context.remainingMs());
          return { status: 'Succeeded', errors: [] };
        }),
      },
    });
    const handler = createProcessUploadHandler(() => world.deps, { maxReceives: 6, invocationMs: 10_000 });

    // Act
    await handler(sqsEvent(await uploaded(world), 1));

    // Assess
    expect(budgets[0]).toBeGreaterThan(9_000);
    expect(budgets[0]).toBeLessThanOrEqual(10_000);
  });
});

// ---- Transfer results (SPEC §15) ----

describe('transfer results', () => {
  const BUCKET = 'bx-test';
  const ETAG = `etag-${FILE.length}`;
  let events = 0;
  const result = (over: Partial<Extract<TransferResult, { kind: 'upload' }>> = {}): TransferResult => ({
    kind: 'upload',
    eventId: `t${++events}`,
    bucket: BUCKET,
    key: ACME_ALL,
    outcome: 'completed',
    etag: ETAG,
    startedAt: '2026-11-22T14:03:08.000Z',
    endedAt: '2026-11-22T14:03:10.000Z',
    at: '2026-11-22T14:03:10.000Z',
    source: 'aws.transfer',
    ...over,
  });
  const unreported = () => aWorld({ processors: {}, transferResults: 'unreported' });
  const arrive = async (world: World, key = ACME_ALL) => {
    world.store.upload(key, FILE, { versionId: 'v1' });
    await ingestObject(world.deps, anEvent(key, 'v1'));
  };

  it('queues an arrival once its completed result comes after it, and not before', async () => {
    // Prepare
    const world = unreported();
    await arrive(world);
    expect(world.queued).toEqual([]);
    expect(only(world.deadlines)).toMatchObject({ deadline: { bucket: BUCKET, key: ACME_ALL }, delaySeconds: 900 });

    // Act
    await acceptTransferResult(world.deps, result());
    await acceptTransferResult(world.deps, result()); // delivered again, as a new event

    // Assess
    const upload = only(world.uploads.all());
    expect(world.queued).toEqual([{ partnerId: 'acme', seq: upload.seq, uploadId: upload.uploadId }]);
    expect(upload.status).toBe('Validating');
  });

  it('queues at arrival a file whose completed result came first, and schedules no deadline', async () => {
    const world = unreported();
    await acceptTransferResult(world.deps, result());

    await arrive(world);

    expect(world.queued).toHaveLength(1);
    expect(world.deadlines).toEqual([]);
  });

  it.each(['before', 'after'] as const)(
    'ends a failed transfer (result %s the arrival) Rejected / Interrupted, applying nothing',
    async (order) => {
      // Prepare
      const world = unreported();
      const failed = result({ outcome: 'failed', failureCode: 'PARTIAL_UPLOAD' });

      // Act
      if (order === 'before') await acceptTransferResult(world.deps, failed);
      await arrive(world);
      if (order === 'after') await acceptTransferResult(world.deps, failed);

      // Assess
      expect(world.queued).toEqual([]);
      expect(only(world.uploads.all())).toMatchObject({ status: 'Rejected', errorCount: 1 });
      const row = only(reportRows(world, ACME));
      expect(row.slice(1, 6)).toEqual([
        'Upload error',
        '',
        '',
        'Interrupted',
        'The transfer of this file did not finish; nothing was applied; upload it again.',
      ]);
      expect(only(world.emails).subject).toContain('Rejected');
    },
  );

  it('ends an arrival whose result never came Interrupted at its deadline, counted in a log line, and ignores a late result', async () => {
    // Prepare
    const world = unreported();
    const errors: Record<string, unknown>[] = [];
    world.deps.log.error = (message, attributes) => errors.push({ message, ...attributes });
    await arrive(world);
    const { deadline } = only(world.deadlines);

    // Act: the delayed message, early (a grace longer than SQS's 900 s), then on time
    world.time.now = new Date(NOW.getTime() + 600_000);
    await checkTransferDeadline(world.deps, deadline);
    expect(world.uploads.all()[0]?.status).toBe('Validating');
    expect(world.deadlines.at(-1)?.delaySeconds).toBe(301);
    world.time.now = new Date(NOW.getTime() + 901_000);
    await checkTransferDeadline(world.deps, deadline);
    await acceptTransferResult(world.deps, result());

    // Assess
    expect(world.queued).toEqual([]);
    const upload = only(world.uploads.all());
    expect(upload.status).toBe('Rejected');
    expect(only(reportRows(world, ACME))[5]).toBe('We could not confirm that the transfer finished; nothing was applied; upload it again.');
    expect(errors).toEqual([
      {
        message: 'transfer result missing',
        metric: 'TransferResultMissing',
        partnerId: 'acme',
        uploadId: upload.uploadId,
        graceSeconds: 900,
      },
    ]);
  });

  it('gives a renamed file the result of the upload that wrote its temporary name, in either order', async () => {
    // Prepare: `census.csv.filepart` uploaded (its result), renamed (a copy: new ETag), its arrival
    const world = unreported();
    const temp = `${ACME_ALL}.filepart`;
    const rename: TransferResult = {
      kind: 'rename',
      eventId: 'r1',
      bucket: BUCKET,
      key: ACME_ALL,
      fromKey: temp,
      startedAt: '2026-11-22T14:03:09.500Z',
      endedAt: '2026-11-22T14:03:09.800Z',
      at: '2026-11-22T14:03:09.800Z',
      source: 'aws.transfer',
    };

    // Act: rename result and arrival first, the temporary name's upload result last
    await acceptTransferResult(world.deps, rename);
    await arrive(world);
    expect(world.queued).toEqual([]);
    await acceptTransferResult(world.deps, result({ key: temp, etag: 'other-etag' }));

    // Assess
    expect(world.queued).toHaveLength(1);
  });

  it("records one arrival and queues it once for moto's double event of a multipart upload", async () => {
    const world = unreported();
    world.store.upload(ACME_ALL, FILE, { versionId: 'v1' });
    await acceptTransferResult(world.deps, result());

    await Promise.all([1, 2].map(() => ingestObject(world.deps, anEvent(ACME_ALL, 'v1'))));

    expect(world.uploads.all()).toHaveLength(1);
    expect(new Set(world.queued.map((m) => m.uploadId)).size).toBe(1);
  });

  it('ignores a result about another bucket', async () => {
    const world = unreported();
    await arrive(world);

    await acceptTransferResult(world.deps, result({ bucket: 'someone-else' }));

    expect([world.queued, world.ledger.results.size]).toEqual([[], 0]);
  });
});

describe('the ingest handler', () => {
  const record = (body: string, id = 'm1') => ({
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:ingest',
    awsRegion: 'us-east-1',
  });
  const s3Body = (key: string) =>
    JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          eventTime: RECEIVED_AT,
          s3: { bucket: { name: 'bx-test' }, object: { key: encodeURIComponent(key), versionId: 'v1' } },
        },
      ],
    });
  const transferBody = (key: string, etag: string) =>
    JSON.stringify({
      version: '0',
      id: 'evt-1',
      'detail-type': 'SFTP Server File Upload Completed',
      source: 'aws.transfer',
      account: '123456789012',
      time: '2026-11-22T14:03:10Z',
      region: 'sa-east-1',
      resources: ['arn:aws:transfer:sa-east-1:123456789012:server/s-0123'],
      detail: {
        'status-code': 'COMPLETED',
        protocol: 'SFTP',
        bytes: 33,
        etag,
        'file-path': `/bx-test/${key}`,
        'server-id': 's-0123',
        username: 'acme',
        'session-id': 'abc',
        'start-timestamp': '2026-11-22T14:03:08.100000001Z',
        'end-timestamp': '2026-11-22T14:03:09.900000001Z',
      },
    });

  it('takes S3 notifications and Transfer results from the same queue, and queues the upload', async () => {
    // Prepare
    const world = aWorld({ transferResults: 'unreported' });
    world.store.upload(ACME_ALL, FILE, { versionId: 'v1' });
    const handler = createIngestHandler(() => world.deps, 5);

    // Act
    const response = await handler({
      Records: [record(s3Body(ACME_ALL), 'm1'), record(transferBody(ACME_ALL, `etag-${FILE.length}`), 'm2')],
    });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.queued).toHaveLength(1);
  });

  it.each([
    ['not JSON', 'hello', 'body is not JSON'],
    [
      "another service's event",
      JSON.stringify({
        id: 'x',
        'detail-type': 'EC2 Instance State-change Notification',
        source: 'aws.ec2',
        time: '2026-11-22T14:03:10Z',
        detail: {},
      }),
      'EventBridge event is not an upload result',
    ],
    ['a Transfer download event', transferBody(ACME_ALL, 'e').replace('Upload Completed', 'Download Completed'), 'is not an upload result'],
    ['an unknown body', JSON.stringify({ hello: 'world' }), 'neither an S3 notification'],
  ])('refuses %s with its reason in the log, and fails only that message', async (_what, body, reason) => {
    // Prepare
    const world = aWorld();
    const errors: Record<string, unknown>[] = [];
    world.deps.log.error = (message, attributes) => errors.push({ message, ...attributes });
    const handler = createIngestHandler(() => world.deps, 5);

    // Act
    const response = await handler({ Records: [record(body, 'bad')] });

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(only(errors)).toMatchObject({ message: 'ingest message refused', messageId: 'bad', reason: expect.stringContaining(reason) });
  });
});
