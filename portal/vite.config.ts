import { defineConfig } from 'vite';

// The portal (SPEC §18): plain TypeScript with Preact and htm (no JSX transform), every asset bundled.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0 },
  logLevel: 'warn',
});
