/**
 * The layering rule, checked by `npm test` (docs/architecture.md):
 * - `lambdas/core/` is pure: it imports only core, npm libraries that do no I/O, and the resource
 *   definitions (lib/resources.ts, plain data); never the AWS SDK, an I/O built-in or another layer;
 * - `lambdas/app/` (the flows) reaches the outside world only through ports: it imports adapters
 *   as types, never their code, and never the wiring or the handlers;
 * - `lambdas/handlers/` are thin entry points: they import the wiring, app and adapters, not core;
 * - Lambda code never imports local mode, the CLI, tests or benches, and the CDK app never imports
 *   runtime code (it bundles handlers by path);
 * - no import cycles anywhere, type-only imports included.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const CORE = '^lambdas/core/';
const AWS_PACKAGES = '^node_modules/(@aws-sdk|@aws-lambda-powertools|@smithy|ssh2|aws-cdk-lib|constructs)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles couple modules both ways; split out the shared type.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'Pure code takes data and returns data; I/O belongs to adapters, orchestration to app.',
      from: { path: CORE },
      to: {
        pathNot: [
          CORE,
          '^lib/resources\\.ts$',
          '^node_modules/',
          '^(node:)?(buffer|crypto|path|stream|stream/promises|stream/web|string_decoder|util|zlib)$',
        ],
      },
    },
    {
      name: 'core-uses-no-aws',
      severity: 'error',
      from: { path: CORE },
      to: { path: AWS_PACKAGES },
    },
    {
      name: 'core-has-no-io-builtins',
      severity: 'error',
      from: { path: CORE },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|child_process|net|http|https|dgram|worker_threads)$' },
    },
    {
      name: 'app-uses-adapters-through-ports',
      severity: 'error',
      comment: "Flows get their adapters handed in by the wiring; importing an adapter's code would wire it twice.",
      from: { path: '^lambdas/app/' },
      to: { path: '^lambdas/adapters/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'app-is-not-wired-from-inside',
      severity: 'error',
      from: { path: '^lambdas/app/' },
      to: { path: '^lambdas/(wiring|handlers)/' },
    },
    {
      name: 'handlers-are-thin',
      severity: 'error',
      comment: 'A handler reads its event and calls app; rules and formats live in core, behind app.',
      from: { path: '^lambdas/handlers/' },
      to: { path: CORE },
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
      to: { path: '^lambdas/(adapters|app|handlers|wiring)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
