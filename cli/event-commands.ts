import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { EmployeeRepo } from '../lambdas/adapters/employee-repo.ts';
import { PlatformEventRepo } from '../lambdas/adapters/platform-event-repo.ts';
import { demoEvents, type DemoEmployee } from '../lambdas/core/platform-events/demo-events.ts';
import { errorFileOf } from '../lambdas/app/platform-events/event-loader.ts';
import { BUCKET_LAYOUT } from '../lib/resources.ts';
import type { CommandContext, DeploymentClients } from './context.ts';
import { CliError } from './io.ts';

/**
 * `events …`: platform events for payroll and the usage reports (SPEC §9.1). A file is put under
 * `internal/platform-events/`, where the bucket notification hands it to the loader (the local
 * pipeline's poller, or the Lambda on a stack); the command then waits a little for the loader's
 * verdict so the operator sees the counts.
 */

const WAIT_MS = 60_000;

/** `events load <file.jsonl>`. */
export async function loadEvents(ctx: CommandContext, file: string, options: { wait?: boolean } = {}): Promise<void> {
  const clients = await ctx.clients();
  const key = `${BUCKET_LAYOUT.platformEvents}${basename(file)}`;
  await clients.store.putStream(key, createReadStream(file), { contentType: 'application/x-ndjson' });
  await report(ctx, clients, key, options.wait ?? true);
}

/** `events demo [--partner id] [--end YYYY-MM-DD]`: demo events for the employees in the base. */
export async function loadDemoEvents(ctx: CommandContext, options: { partner?: string; end?: string; wait?: boolean }): Promise<void> {
  const clients = await ctx.clients();
  const employees = new EmployeeRepo(clients.aws.dynamo, clients.deployment.tables.employees);
  const partners = (await clients.partners.list()).filter((p) => !options.partner || p.partnerId === options.partner);
  if (partners.length === 0)
    throw new CliError(options.partner ? `no partner "${options.partner}"` : 'no partners yet: add one and upload employees first');
  const currencies = new Map(partners.flatMap((p) => p.companies.map((c) => [c.taxId, p.currency] as const)));
  const base: DemoEmployee[] = [];
  for (const p of partners) {
    for (const c of p.companies) for await (const e of employees.allOf(p.partnerId, c.taxId)) base.push(e);
  }
  if (base.length === 0) throw new CliError('no employees yet: upload an eligibility file first');
  const end = options.end ?? new Date().toISOString().slice(0, 10);
  const lines = demoEvents(base, { end, currency: (taxId) => currencies.get(taxId) ?? 'BRL' });
  const key = `${BUCKET_LAYOUT.platformEvents}demo-${Date.now()}.jsonl`;
  const body = Readable.from(
    (function* () {
      for (const line of lines) yield `${line}\n`;
    })(),
  );
  await clients.store.putStream(key, body, { contentType: 'application/x-ndjson' });
  ctx.io.stdout.write(
    `generated demo events for ${base.length} employees of ${partners.length} partner${partners.length === 1 ? '' : 's'}\n`,
  );
  await report(ctx, clients, key, options.wait ?? true);
}

async function report(ctx: CommandContext, clients: DeploymentClients, key: string, wait: boolean): Promise<void> {
  ctx.io.stdout.write(`put s3://${clients.deployment.bucket}/${key}\n`);
  if (!wait) return;
  const head = await clients.store.head(key);
  const version = head?.versionId ?? head?.eTag ?? '';
  const events = new PlatformEventRepo(clients.aws.dynamo, clients.deployment.tables.platformEvents);
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const marker = await events.marker(key, version);
    if (marker) {
      ctx.io.stdout.write(
        `loaded ${marker.loaded} event${marker.loaded === 1 ? '' : 's'}, rejected ${marker.rejected} line${marker.rejected === 1 ? '' : 's'}\n`,
      );
      if (marker.rejected > 0) ctx.io.stdout.write(`errors: s3://${clients.deployment.bucket}/${errorFileOf(key)}\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  ctx.io.stdout.write('not loaded yet: the loader picks it up when the pipeline runs (npm run local, or the stack)\n');
}
