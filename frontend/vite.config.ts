import { defineConfig } from 'vite';

/**
 * The storefront build. In development (`npm run dev -w @sweetgiggles/frontend`) the shop API and
 * the socket are proxied to a running notifier, so the page keeps one origin as in production.
 */
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
});
