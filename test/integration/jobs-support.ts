import { parse } from 'csv-parse/sync';
import { inject } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { Harness } from '../support/local-harness.ts';

/** Helpers shared by the platform events, payroll and reports integration tests. */

/** Runs the CLI in process against the harness's local resources; returns exit code and output. */
export async function cli(harness: Harness, ...args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const saved = { prefix: process.env.BX_LOCAL_PREFIX, endpoint: process.env.AWS_ENDPOINT_URL };
  process.env.BX_LOCAL_PREFIX = harness.prefix;
  process.env.AWS_ENDPOINT_URL = inject('awsEndpoint');
  try {
    const sink = { write: (t: string) => out.push(t) };
    const code = await runCli(args, { stdout: sink, stderr: sink });
    return { code, out: out.join('') };
  } finally {
    if (saved.prefix === undefined) delete process.env.BX_LOCAL_PREFIX;
    else process.env.BX_LOCAL_PREFIX = saved.prefix;
    if (saved.endpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved.endpoint;
  }
}

/** A CSV we wrote, parsed into records by header (`;` for payroll files). */
export function records(text: string, delimiter = ','): Record<string, string>[] {
  return parse(text, { columns: true, delimiter, skip_empty_lines: true }) as Record<string, string>[];
}

export const today = (): string => new Date().toISOString().slice(0, 10);

/** One JSON Lines event for the employee with Employee ID `E{n}`. */
export function event(type: string, n: number, taxId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type,
    at: `${today()}T00:00:01Z`,
    companyTaxId: taxId,
    employee: { employeeId: `E${n}` },
    familyMember: false,
    ...extra,
  });
}

export const GOLD = { plan: 'Gold', price: '449.90', currency: 'BRL' };
export const BASIC = { plan: 'Basic', price: '99.90', currency: 'BRL' };
