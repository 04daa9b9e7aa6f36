import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENVIRONMENT_NAMES } from '../../lib/config/environments.ts';
import { cfnLint, type LintResult } from '../support/cfn-lint.ts';
import { buildApp, removeAssembly } from './synth-app.ts';

/**
 * cfn-lint on the template of every environment, as `cdk synth` writes it, plus a copy of the dev
 * template with an error planted in it, all in one cfn-lint run (its start-up is most of its time).
 * Bundling is off (the template is the same; only asset contents differ) and so is CDK's own
 * schema validation, which cfn-lint covers.
 */

const apps: App[] = [];
const dir = mkdtempSync(join(tmpdir(), 'bx-cfn-lint-'));
const templates: Record<string, string> = {};
const planted = join(dir, 'planted.template.json');
let result: LintResult;

const findingsOf = (file: string): string[] => result.findings.filter((line) => line.startsWith(`${file}:`));

beforeAll(() => {
  // prod's VPC endpoint needs an allow-list (a documentation range, RFC 5737).
  vi.stubEnv('BX_PROD_SFTP_ALLOWED_CIDRS', '198.51.100.0/24');
  for (const env of ENVIRONMENT_NAMES) {
    const { app, stack } = buildApp({ env, bundle: false, cfnValidation: false });
    apps.push(app);
    templates[env] = join(app.synth().directory, stack.templateFile);
  }
  vi.unstubAllEnvs();
  // The planted error: a queue policy for a queue the template does not have.
  const template = JSON.parse(readFileSync(templates.dev as string, 'utf8')) as { Resources: Record<string, unknown> };
  template.Resources.PlantedQueuePolicy = {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: { Queues: [{ Ref: 'NoSuchQueue' }], PolicyDocument: { Version: '2012-10-17', Statement: [] } },
  };
  writeFileSync(planted, JSON.stringify(template, undefined, 1));
  result = cfnLint([...Object.values(templates), planted]);
}, 300_000);

afterAll(() => {
  for (const app of apps) removeAssembly(app);
  rmSync(dir, { recursive: true, force: true });
});

describe('cfn-lint', () => {
  it.each(ENVIRONMENT_NAMES)('finds nothing in the %s template, warnings included', (env) => {
    // Act
    const findings = findingsOf(templates[env] as string);
    // Assess
    expect(findings).toEqual([]);
  });

  it('fails on a planted error: a Ref to a resource the template does not have', () => {
    // Act
    const findings = findingsOf(planted);
    // Assess: an error finding (E…) naming the missing resource, and the error bit in the exit status
    expect(
      findings.some((line) => /:E\d{4}:.*NoSuchQueue/.test(line)),
      findings.join('\n'),
    ).toBe(true);
    expect(result.status & 2).toBe(2);
  });
});
