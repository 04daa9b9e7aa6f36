/**
 * How every function's code is built and started: esbuild's bundling options and Node's flags.
 * Read by the stack's functions and by the benchmarks, which run their measuring children the
 * way Lambda runs a handler (one bundle, no TypeScript loader, the same V8 flags).
 */

export const LAMBDA_BUNDLE = {
  target: 'node22',
  mainFields: ['module', 'main'],
  // esbuild's ESM output has no `require`; CommonJS dependencies bundled into it (parts of the
  // AWS SDK) still call it, so the bundle recreates it from import.meta.url.
  banner: "import { createRequire as __bxCreateRequire } from 'node:module'; const require = __bxCreateRequire(import.meta.url);",
  minify: true,
  keepNames: true,
} as const;

/** V8's old-space limit for a function: 85% of its memory, the rest for buffers and the runtime. */
export function heapMiB(memoryMiB: number): number {
  return Math.floor(memoryMiB * 0.85);
}

/**
 * V8's young generation, per semi-space. Under a steady stream of short-lived objects (parsed
 * rows, decrypted packets) V8 grows it to 16 MiB and rarely shrinks it. That is 32 MiB of RSS
 * for both halves, and a parse after a decryption ran 15–20% slower with it than in a fresh
 * process. At 4 MiB a million-row plan peaks 23–29 MiB lower, an encrypted census is 11% faster,
 * and plain parsing about 5% slower (ADR 0150).
 */
export const SEMI_SPACE_MIB = 4;

/** Node's flags for a function of `memoryMiB` (its NODE_OPTIONS). */
export function lambdaNodeFlags(memoryMiB: number): string[] {
  return ['--enable-source-maps', `--max-old-space-size=${heapMiB(memoryMiB)}`, `--max-semi-space-size=${SEMI_SPACE_MIB}`];
}
