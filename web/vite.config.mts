import { defineConfig } from 'vite';

/**
 * The web console: Preact (a 4 kB runtime) bundled by Vite into web/dist, which the API serves at
 * /console. The domain's zod schemas are imported from ../domain, so the forms validate with the very
 * schemas the API validates with.
 */
export default defineConfig({
  // npm scripts run from the repository root.
  root: 'web',
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 700 },
  logLevel: 'warn',
});
