import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { KEPT_PATHS } from './src/app/kept';

/**
 * Emits the service worker (sw/sw.js) with the list of every file of the build to cache on install, and a
 * version that changes with them (a new deployment replaces the old shell).
 */
function serviceWorker(): Plugin {
  return {
    name: 'lantoa-service-worker',
    apply: 'build',
    // After Vite has dropped the empty script chunks of CSS-only modules: the list names what is written.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const files = Object.keys(bundle)
          .filter((name) => !name.endsWith('.map') && name !== 'index.html')
          .map((name) => `/${name}`)
          .sort();
        const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
        const source = readFileSync(fileURLToPath(new URL('./sw/sw.js', import.meta.url)), 'utf8')
          .replace('__VERSION__', version)
          .replace('__PRECACHE__', JSON.stringify(files));
        this.emitFile({ type: 'asset', fileName: 'sw.js', source });
      },
    },
  };
}

/** The trainer's pages (the phone app), whose chunks the document asks for itself on a trainer's address. */
const TRAINER_PAGES =
  /\/src\/trainer\/(TrainerArea|MyClassesPage|ClassFormPage|ClassPage|SessionPage|CheckinPage|ReachPage)\.tsx$/;

/**
 * Puts boot/boot.js inline at the top of index.html (before the stylesheet: an inline script waits for the
 * stylesheets above it) with the list of the trainer's chunks (and the chunks
 * they import), so a phone opening /lop fetches them with the main script rather than after it has run.
 * The server allows this one inline script by its hash (libs/platform/src/http/web-app.ts).
 */
function trainerBoot(): Plugin {
  return {
    name: 'lantoa-trainer-boot',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle ?? {};
        const files = new Set<string>();
        const visit = (name: string) => {
          const chunk = bundle[name];
          if (!chunk || chunk.type !== 'chunk' || chunk.isEntry || files.has(name)) return;
          files.add(name);
          chunk.imports.forEach(visit);
        };
        for (const [name, chunk] of Object.entries(bundle))
          if (chunk.type === 'chunk' && chunk.facadeModuleId && TRAINER_PAGES.test(chunk.facadeModuleId))
            visit(name);
        const list = JSON.stringify([...files].sort().map((f) => `/${f}`));
        const source = readFileSync(fileURLToPath(new URL('./boot/boot.js', import.meta.url)), 'utf8')
          .replace(/^\/\*[\s\S]*?\*\/\n/, '')
          .replace('__TRAINER_CHUNKS__', list)
          .replace('__KEPT__', JSON.stringify(KEPT_PATHS))
          .trim();
        return [{ tag: 'script', children: source, injectTo: 'head-prepend' }];
      },
    },
  };
}

// The app is served by the API on the same origin; in development Vite proxies the API to it.
export default defineConfig({
  plugins: [react(), serviceWorker(), trainerBoot()],
  resolve: {
    alias: {
      // The pieces of the backend the app shares, plain modules without imports: Vietnamese text helpers
      // (see its header) and the learner segments' names.
      '@lantoa/text': fileURLToPath(new URL('../../libs/platform/src/text/index.ts', import.meta.url)),
      '@lantoa/segments': fileURLToPath(new URL('../../libs/people/src/segments.ts', import.meta.url)),
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
