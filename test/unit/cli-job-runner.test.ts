import { type InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deploymentClients, type CommandContext } from '../../cli/context.ts';
import type { Deployment } from '../../cli/deployment.ts';
import { CliError } from '../../cli/io.ts';
import { runJob } from '../../cli/job-runner.ts';
import { PartnerRepo } from '../../lambdas/adapters/partner-repo.ts';
import type { Partner } from '../../lambdas/core/partners/partner.ts';

/** On a deployed stack `job …` invokes the job's Lambda; the Lambda API is faked here only. */

const stack: Deployment = {
  endpoint: 'http://127.0.0.1:1',
  region: 'us-east-1',
  bucket: 'b',
  tables: { partners: 'p', uploads: 'u', employees: 'e', credits: 'c', platformEvents: 'pe' },
  transfer: { serverId: 's-1', userRoleArn: 'arn:aws:iam::123456789012:role/r' },
  stackName: 'BenefitsExchange-dev',
  jobFunctions: { payroll: 'payroll-fn' },
};

function context(deployment: Deployment): CommandContext {
  const clients = deploymentClients(deployment);
  return {
    io: { stdout: { write: () => true }, stderr: { write: () => true } },
    options: () => ({ stack: deployment.stackName }),
    deployment: async () => deployment,
    clients: async () => clients,
  };
}

afterEach(() => vi.restoreAllMocks());

describe('runJob on a deployed stack', () => {
  it('invokes the job function named by the stack outputs with the request as payload', async () => {
    const send = vi
      .spyOn(LambdaClient.prototype, 'send')
      .mockImplementation(async () => ({ Payload: Buffer.from('[{"partnerId":"acme"}]') }));
    const result = await runJob(context(stack), 'payroll', { cycle: '2026-11', partner: 'acme' });
    expect(result).toEqual([{ partnerId: 'acme' }]);
    const command = send.mock.calls[0]?.[0] as InvokeCommand;
    expect(command.input.FunctionName).toBe('payroll-fn');
    expect(JSON.parse(Buffer.from(command.input.Payload as Uint8Array).toString('utf8'))).toEqual({ cycle: '2026-11', partner: 'acme' });
  });

  it('invokes a fanned-out job once per partner, waiting for each, when no partner is named', async () => {
    vi.spyOn(PartnerRepo.prototype, 'list').mockImplementation(async () => [{ partnerId: 'acme' }, { partnerId: 'globex' }] as Partner[]);
    const send = vi.spyOn(LambdaClient.prototype, 'send').mockImplementation(async (command) => {
      const { partner } = JSON.parse(Buffer.from((command as InvokeCommand).input.Payload as Uint8Array).toString('utf8')) as {
        partner: string;
      };
      return { Payload: Buffer.from(JSON.stringify([{ partnerId: partner }])) };
    });
    const result = await runJob(context(stack), 'payroll', { cycle: '2026-11' });
    expect(result).toEqual([{ partnerId: 'acme' }, { partnerId: 'globex' }]);
    const payloads = send.mock.calls.map(
      ([command]) =>
        JSON.parse(Buffer.from((command as InvokeCommand).input.Payload as Uint8Array).toString('utf8')) as Record<string, string>,
    );
    expect(payloads.map((p) => [p.partner, p.cycle])).toEqual([
      ['acme', '2026-11'],
      ['globex', '2026-11'],
    ]);
    expect(send.mock.calls.every(([command]) => (command as InvokeCommand).input.InvocationType === undefined)).toBe(true);
  });

  it('turns a function error into one line', async () => {
    vi.spyOn(LambdaClient.prototype, 'send').mockImplementation(async () => ({
      FunctionError: 'Unhandled',
      Payload: Buffer.from(JSON.stringify({ errorMessage: 'no partner "x"\nat stack' })),
    }));
    await expect(runJob(context(stack), 'payroll', { partner: 'x' })).rejects.toThrow(new CliError('job failed: no partner "x" at stack'));
  });

  it('says so when the stack predates the job', async () => {
    await expect(runJob(context(stack), 'reports', {})).rejects.toThrow(/has no reports job function/);
  });
});
