#!/usr/bin/env node
// The package bin: runs the TypeScript CLI straight from the sources through tsx, so
// `npx benefits-exchange …` works in a checkout with no build step.
import { register } from 'tsx/esm/api';

// AWS SDK v3 warns on every run under Node 20; the project supports Node >= 20.19 on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../cli/main.ts');
await main();
