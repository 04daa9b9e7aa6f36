/**
 * The layering rule, checked by `npm test` (see the README's architecture section):
 * - the pure core (domain, eligibility, flexben, payroll, reports, platform-event parsing) imports
 *   no AWS SDK, no I/O module, and nothing from the I/O layers;
 * - Lambda code never imports local mode, the CLI, tests or benches;
 * - no import cycles anywhere, type-only imports included.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const CORE = '^lambdas/(domain|eligibility|flexben|payroll|reports)/|^lambdas/platform-events/(?!event-loader\\.ts$)';
const IO_LAYERS = '^lambdas/(adapters|flows|ingest|jobs|handlers)/|^lambdas/platform-events/event-loader\\.ts$|^(local|cli|bench|test)/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Cycles couple modules both ways; split out the shared type.', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'Pure code takes data and returns data; I/O belongs to adapters and flows.',
      from: { path: CORE },
      to: {
        path: [IO_LAYERS, '^node_modules/(@aws-sdk|@aws-lambda-powertools|@smithy|ssh2|aws-cdk-lib|constructs)/'],
      },
    },
    {
      name: 'core-has-no-io-builtins',
      severity: 'error',
      from: { path: CORE },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|child_process|net|http|https|dgram|worker_threads)$' },
    },
    {
      name: 'lambdas-stand-alone',
      severity: 'error',
      comment: 'What runs in Lambda must not depend on local mode, the CLI, tests or benches.',
      from: { path: '^lambdas/' },
      to: { path: '^(local|cli|test|bench)/' },
    },
    {
      name: 'stack-does-not-import-runtime-code',
      severity: 'error',
      comment: 'The CDK app bundles handlers by path; importing them would pull runtime code into synth.',
      from: { path: '^(lib|bin)/' },
      to: { path: '^lambdas/(adapters|flows|ingest|jobs|handlers)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
