import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, removeAssembly, synthApp } from './synth-app.ts';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement recorded on the construct tree, read back from construct metadata. */
function acknowledgementsOf(app: App): Acknowledgement[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>)
          // aws-cdk-lib's own, of its built-in template validation (W3010 once a VPC reads the AZs).
          .filter(([id]) => !id.startsWith('CloudFormation-Validate::'))
          .map(([id, reason]) => ({
            path: construct.node.path,
            id: id.replace(/^[^:]+::/, ''),
            reason,
          })),
      ),
  );
}

const describeViolations = (app: App): string[] =>
  new AwsSolutionsChecks()
    .validateScope(app)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath ?? '?'}`));

describe.each(['dev', 'prod'])('cdk-nag AwsSolutions on BenefitsExchange-%s', (env) => {
  let app: App;

  beforeAll(() => {
    // The full `cdk synth` path (bundling, CloudFormation validation) once, for dev; prod differs
    // in settings, not in code.
    // prod's VPC endpoint needs an allow-list (a documentation range, RFC 5737).
    vi.stubEnv('BX_PROD_SFTP_ALLOWED_CIDRS', '198.51.100.0/24');
    ({ app } = synthApp({ env, bundle: env === 'dev', cfnValidation: env === 'dev' }));
    vi.unstubAllEnvs();
  }, 300_000);

  afterAll(() => removeAssembly(app));

  it('synthesises with zero unacknowledged violations, errors or warnings', () => {
    // Act: synthApp already ran app.synth(); policy validation would have thrown on an error
    const violations = describeViolations(app);
    // Assess
    expect(violations).toEqual([]);
  });

  it('gives every acknowledgement a specific AwsSolutions rule id and a real reason', () => {
    // Act
    const acknowledgements = acknowledgementsOf(app);
    // Assess
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.trim().length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(60);
    }
  });
});

describe('cdk-nag acknowledgements', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are each still needed: every one matches a finding the checks report without them', () => {
    // Prepare: record acknowledgements instead of applying them
    const recorded: { path: string; id: string }[] = [];
    const of = Validations.of.bind(Validations);
    vi.spyOn(Validations, 'of').mockImplementation((scope: IConstruct) => {
      const real = of(scope);
      return Object.assign(Object.create(real) as Validations, {
        acknowledge: (...rules: { id: string }[]) => {
          recorded.push(...rules.map((rule) => ({ path: scope.node.path, id: rule.id })));
        },
      });
    });
    const { app } = buildApp({ env: 'dev', bundle: false, cfnValidation: false });
    // Act
    const findings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })));
    // Assess
    expect(recorded.length).toBeGreaterThan(0);
    const stale = recorded.filter(
      (ack) => !findings.some((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );
    expect(stale).toEqual([]);
  });
});
