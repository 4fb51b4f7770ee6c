import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The app is served by the API on the same origin; in development Vite proxies the API to it.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      // The one piece of the backend the app shares: pure Vietnamese text helpers (see its header).
      '@lantoa/text': fileURLToPath(new URL('../../libs/platform/src/text/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // The budget is checked by test/bench/web-size.ts; warn well before it.
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/verify': 'http://localhost:3000',
      '/checkin': 'http://localhost:3000',
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
