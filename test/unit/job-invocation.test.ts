import { describe, expect, it } from 'vitest';
import type { JobDeps } from '../../lambdas/app/jobs/job-deps.ts';
import type { Partner } from '../../lambdas/core/partners/partner.ts';
import { runJobInvocation, type JobDispatcher } from '../../lambdas/app/jobs/job-invocation.ts';
import type { JobRequest } from '../../lambdas/app/jobs/job-requests.ts';

/** A scheduled payroll or reports run hands each partner to its own invocation. */

const partners = ['acme', 'globex', 'initech'].map((partnerId) => ({ partnerId }) as Partner);

function deps(now: string): { deps: JobDeps; logs: string[] } {
  const logs: string[] = [];
  const fake = {
    partners: { list: async () => partners },
    log: { info: (m: string) => logs.push(m), warn: () => {}, error: () => {} },
    clock: () => new Date(now),
  };
  return { deps: fake as unknown as JobDeps, logs };
}

function recorder(): JobDispatcher & { requests: JobRequest[] } {
  const requests: JobRequest[] = [];
  return { requests, dispatch: async (request) => void requests.push(request) };
}

describe('runJobInvocation', () => {
  it('dispatches one invocation per partner for a scheduled payroll, with the cycle fixed at dispatch time', async () => {
    const dispatcher = recorder();
    const { deps: d, logs } = deps('2026-11-30T23:59:59.500Z');
    const result = await runJobInvocation('payroll', { scheduled: true }, d, dispatcher);
    expect(result).toEqual({ dispatched: ['acme', 'globex', 'initech'] });
    expect(dispatcher.requests).toEqual(['acme', 'globex', 'initech'].map((partner) => ({ cycle: '2026-11', end: '2026-11-30', partner })));
    expect(logs).toEqual(['payroll: dispatched one invocation per partner']);
  });

  it('dispatches the reports the same way, every partner with the same end date', async () => {
    const dispatcher = recorder();
    await runJobInvocation('reports', { scheduled: true }, deps('2026-12-01T04:00:00Z').deps, dispatcher);
    expect(dispatcher.requests.map((r) => [r.partner, r.end])).toEqual([
      ['acme', '2026-12-01'],
      ['globex', '2026-12-01'],
      ['initech', '2026-12-01'],
    ]);
  });

  it("never dispatches for a job that does not fan out, or for one partner's request", async () => {
    const dispatcher = recorder();
    const running = {
      partners: { list: async () => [] },
      log: { info: () => {}, warn: () => {}, error: () => {} },
      clock: () => new Date(),
    };
    // eligibleLists does not fan out: with no partners its own run writes nothing.
    await expect(runJobInvocation('eligibleLists', { scheduled: true }, running as unknown as JobDeps, dispatcher)).resolves.toMatchObject({
      written: 0,
    });
    // One partner's invocation runs the job here (the unknown partner proves it ran, not dispatched).
    await expect(
      runJobInvocation('payroll', { scheduled: true, partner: 'nobody' }, running as unknown as JobDeps, dispatcher),
    ).rejects.toThrow(/no partner "nobody"/);
    expect(dispatcher.requests).toEqual([]);
  });
});
