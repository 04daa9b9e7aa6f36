import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BenefitsExchangeStack } from '../lib/benefits-exchange-stack.ts';
import { loadEnvironmentConfig } from '../lib/config/environments.ts';

/**
 * The CDK app: `cdk synth|deploy -c env=<dev|staging|prod>` (default dev) builds the stack
 * `BenefitsExchange-<env>` from that environment's config.
 */
export function createApp(app: App = new App()): { app: App; stack: BenefitsExchangeStack } {
  const envName = String(app.node.tryGetContext('env') ?? 'dev');
  const config = loadEnvironmentConfig(envName);
  const stack = new BenefitsExchangeStack(app, `BenefitsExchange-${config.name}`, {
    config,
    env: { account: config.account, region: config.region },
    description: `Benefits exchange (${config.name}): partner SFTP, file processing, notifications`,
    tags: { Application: 'benefits-exchange', Environment: config.name },
  });
  // cdk-nag v3 runs as a CDK policy-validation plugin: any unacknowledged AwsSolutions error fails
  // synthesis. Acknowledgements sit next to the constructs they concern (Validations.of(x).acknowledge).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

// Only synthesise when run as the app entry (tsx bin/app.ts), not when tests import createApp.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  createApp().app.synth();
}
