import { defineConfig } from 'vite';

/**
 * The storefront build: the shop (index.html) and an order's trace (trace.html), two pages sharing
 * their components. In development (`npm run dev -w @sweetgiggles/frontend`) the shop API and
 * the socket are proxied to a running notifier, so the page keeps one origin as in production.
 */
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { shop: 'index.html', trace: 'trace.html' },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
});
