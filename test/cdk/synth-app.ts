import { readFileSync, rmSync } from 'node:fs';
import { App, Stack, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createApp } from '../../bin/app.ts';
import type { BenefitsExchangeStack } from '../../lib/benefits-exchange-stack.ts';

/** Feature flags from cdk.json, so tests synthesise what `cdk synth` does. */
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export interface SynthOptions {
  /** `-c env=<name>`. @default 'dev' */
  readonly env?: string;
  /** Bundle the Lambdas with esbuild; off where a test only inspects the construct tree. @default true */
  readonly bundle?: boolean;
  /**
   * Run CDK's built-in CloudFormation template validation (cycles, schema), as `cdk synth` does.
   * It takes seconds per synth, so template-assertion files turn it off; the cdk-nag test keeps it.
   * @default true
   */
  readonly cfnValidation?: boolean;
  /** Where the cloud assembly goes. @default - a new temporary directory */
  readonly outdir?: string;
}

export interface Synthesised {
  readonly app: App;
  readonly stack: BenefitsExchangeStack;
  readonly template: Template;
}

/** Builds the app exactly as bin/app.ts does (cdk-nag included), without synthesising it. */
export function buildApp(options: SynthOptions = {}): Omit<Synthesised, 'template'> {
  const { env = 'dev', bundle = true, cfnValidation = true, outdir } = options;
  const context = { ...CDK_JSON_CONTEXT, env, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) };
  return createApp(new App({ context, builtinCloudFormationValidation: cfnValidation, ...(outdir ? { outdir } : {}) }));
}

/** Builds and synthesises the app; synthesis runs the cdk-nag policy validation. */
export function synthApp(options: SynthOptions = {}): Synthesised {
  const { app, stack } = buildApp(options);
  return { app, stack, template: Template.fromStack(stack) };
}

/** Deletes the app's temporary cloud assembly (bundled assets included). */
export function removeAssembly(app: App | undefined): void {
  if (app) rmSync(app.outdir, { recursive: true, force: true });
}

/** The logical id of a construct's CloudFormation resource (L2 → its default child). */
export function logicalId(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnResource;
  return Stack.of(construct).getLogicalId(resource);
}

/** `{ "Fn::GetAtt": [<logical id>, attribute] }` of a construct. */
export function getAtt(construct: IConstruct, attribute = 'Arn'): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [logicalId(construct), attribute] };
}

/** `{ Ref: <logical id> }` of a construct. */
export function ref(construct: IConstruct): { Ref: string } {
  return { Ref: logicalId(construct) };
}
