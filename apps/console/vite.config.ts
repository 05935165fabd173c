import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The API the development server forwards to (`npm start` listens there). */
const API = process.env.LEDGER_API_URL ?? 'http://127.0.0.1:3000';

/**
 * The web console: built into dist/console, which the API serves at /console/. React's JSX goes
 * through Vite's own Oxc transform (automatic runtime), so no React plugin is needed.
 */
export default defineConfig({
  root: here('.'),
  base: '/console/',
  publicDir: false,
  resolve: { alias: { '@ledger/api-client': here('../../libs/api-client/src/index.ts') } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    // ECharts alone is about 600 kB, in the dashboard's own chunk, loaded only by who opens it.
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      // TanStack Query marks its hooks "use client" for React Server Components; a browser bundle has no server side to keep apart.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // `npx vite --config apps/console/vite.config.ts` beside a running API: the console's calls go to it.
  server: { proxy: { '/v1': API, '/console/catalogue.json': API, '/console/demo-users.json': API } },
});
