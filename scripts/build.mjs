// npm run build — the server side and the web console into dist/, both at once:
//
// - the server (every apps/*/src but the console's, every libs/*/src, as tsconfig.build.json says;
//   no specs, no testing helpers), file by file with SWC, as Jest runs the same sources. No
//   type-checking: `npm run typecheck` (in `npm test`) does it, and the sources compile one file at
//   a time (they pass `tsc --isolatedModules`). Decorators are emitted as tsc emits them (legacy,
//   with the design:paramtypes metadata Nest's injector reads), and `@ledger/*` imports become
//   relative paths to full file names, as Node's ESM loader needs. tsc took 15 s for this, SWC 1 s.
// - the fonts the Post Office PDF embeds;
// - the console with Vite (no tsc: the typecheck covers it too), unless dist/console is newer than
//   every source of it (a second `npm start` then spares the 3 s).
//
// node scripts/build.mjs [--server-only] [--out-dir <directory>]
//   --server-only --out-dir: the crash tests' build of the API, apart from dist/ (see buildApi).
import { transform } from '@swc/core';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPOSITORY = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: { 'server-only': { type: 'boolean', default: false }, 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = resolve(REPOSITORY, values['out-dir']);
/** What the console is built from: a change to any of them (or to the installed packages) builds it again. */
const CONSOLE_SOURCES = ['apps/console', 'libs/api-client/src', 'package-lock.json'];

await Promise.all([buildServer(), ...(values['server-only'] ? [] : [copyFonts(), buildConsole()])]);

async function buildServer() {
  const { compilerOptions } = JSON.parse(await readFile(join(REPOSITORY, 'tsconfig.base.json'), 'utf8'));
  const options = {
    swcrc: false,
    configFile: false,
    sourceMaps: true,
    jsc: {
      target: compilerOptions.target.toLowerCase(),
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      baseUrl: resolve(REPOSITORY, compilerOptions.baseUrl),
      paths: compilerOptions.paths,
    },
    module: { type: 'es6', resolveFully: true },
  };
  await Promise.all(
    (await serverSources()).map(async (source) => {
      const output = join(outDir, relative(REPOSITORY, source).replace(/\.ts$/, '.js'));
      const { code, map } = await transform(await readFile(source, 'utf8'), { ...options, filename: source, sourceFileName: relative(dirname(output), source) });
      await mkdir(dirname(output), { recursive: true });
      await Promise.all([writeFile(output, `${code}\n//# sourceMappingURL=${basename(output)}.map\n`), writeFile(`${output}.map`, map)]);
    }),
  );
}

/** The sources tsconfig.build.json includes: apps/*\/src and libs/*\/src, without the console, specs, declarations and testing helpers. */
async function serverSources() {
  const files = [];
  const visit = async (directory) => {
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testing') await visit(path);
      } else if (entry.name.endsWith('.ts') && !/\.(d|spec|int-spec|e2e-spec)\.ts$/.test(entry.name)) {
        files.push(path);
      }
    }
  };
  for (const root of ['apps', 'libs']) {
    for (const project of await readdir(join(REPOSITORY, root))) {
      const source = join(REPOSITORY, root, project, 'src');
      if (!(root === 'apps' && project === 'console') && (await isDirectory(source))) await visit(source);
    }
  }
  return files;
}

async function copyFonts() {
  await cp(join(REPOSITORY, 'libs/payment-files/fonts'), join(outDir, 'libs/payment-files/fonts'), { recursive: true });
}

async function buildConsole() {
  const built = join(outDir, 'console/index.html');
  const sources = await Promise.all(CONSOLE_SOURCES.map((path) => newestChange(join(REPOSITORY, path))));
  if ((await stat(built).catch(() => undefined))?.mtimeMs >= Math.max(...sources)) return;
  // Loaded only when it builds: Vite takes a few hundred milliseconds to load.
  const { build } = await import('vite');
  await build({ configFile: join(REPOSITORY, 'apps/console/vite.config.ts'), logLevel: 'warn', ...(outDir === join(REPOSITORY, 'dist') ? {} : { build: { outDir: join(outDir, 'console') } }) });
}

async function newestChange(path) {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  return Math.max(info.mtimeMs, ...(await Promise.all(entries.map((entry) => newestChange(join(path, entry))))));
}

async function isDirectory(path) {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
