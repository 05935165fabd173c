import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module `name` that sits beside `moduleUrl` (the caller's
 * `import.meta.url`).
 *
 * From the compiled JavaScript the worker is a sibling .js file. From the TypeScript sources (the
 * CLI and the benchmarks under tsx, the tests under Jest) it is the .ts file, which a worker can
 * only load once tsx's hooks are registered in it: Node 20 does not apply an `--import` of the
 * worker's execArgv to its entry module, so a two-line bootstrap registers them, then imports it.
 */
export function spawnSiblingWorker(moduleUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, moduleUrl), options);
  const entry = new URL(`./${name}.ts`, moduleUrl).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsxEsmApi())}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}

/** Where tsx's ESM API lives, read from its own manifest rather than guessed. */
function tsxEsmApi(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}
