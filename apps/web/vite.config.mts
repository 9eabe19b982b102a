import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The console is built after `nest build` (which empties dist) into dist/web, and served by the server itself.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // JSX by Vite's own transformer (oxc); the page needs no Fast Refresh in its production build.
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: { alias: { '@ioa/protocol': resolve(import.meta.dirname, '../../libs/protocol/src') } },
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // React Query marks its modules "use client" (a server-components hint that means nothing in a bundle).
      onLog: (level, log, handler) => (log.code === 'MODULE_LEVEL_DIRECTIVE' ? undefined : handler(level, log)),
    },
  },
});
