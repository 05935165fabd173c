import { existsSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:console` writes the console: `dist/console` beside the repository's package.json. */
export function builtConsoleDirectory(from = dirname(fileURLToPath(import.meta.url))): string {
  // From the sources (apps/ledger-api/src/console) and from the build (dist/apps/ledger-api/src/console) alike.
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return join(directory, 'dist', 'console');
    if (dirname(directory) === directory) return join(from, 'console');
  }
}

/** What a console path resolves to: a file of the build, the page every screen starts from, or nothing. */
export type ConsoleAnswer =
  | { readonly kind: 'file'; readonly path: string; readonly contentType: string; readonly immutable: boolean }
  | { readonly kind: 'not-built' }
  | { readonly kind: 'not-found' };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The console is a single-page app: a path that names a file (it has an extension) is that file of
 * the build or nothing, and any other path is a screen, answered with index.html so that a link to
 * `/console/payroll-runs/…` opens where it points. A path that climbs out of the build directory, or
 * carries a NUL, is nothing. `requested` is the path below /console/, decoded once (by the router) and
 * without its query. Files under `assets/` carry a content hash in their names, so they may
 * be cached for good; index.html must not be, or a browser would keep asking for the old hashes.
 */
export function resolveConsolePath(root: string, requested: string): ConsoleAnswer {
  if (requested.includes('\0') || requested.includes('\\')) return { kind: 'not-found' };
  const segments = requested.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { kind: 'not-found' };
  if (extname(segments.at(-1) ?? '') === '') {
    const index = join(root, 'index.html');
    return isFile(index) ? { kind: 'file', path: index, contentType: CONTENT_TYPES['.html']!, immutable: false } : { kind: 'not-built' };
  }
  const path = resolve(root, ...segments);
  const contentType = CONTENT_TYPES[extname(path).toLowerCase()];
  if (!path.startsWith(`${resolve(root)}${sep}`) || !contentType || !isFile(path)) return { kind: 'not-found' };
  return { kind: 'file', path, contentType, immutable: segments[0] === 'assets' };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Answered at /console/ when the API runs from a checkout whose console was never built. */
export const CONSOLE_NOT_BUILT_PAGE = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Bảng điều khiển chưa được dựng</title></head>
<body><main><h1>Bảng điều khiển chưa được dựng</h1>
<p>Chạy <code>npm run build:console</code> (hoặc <code>npm start</code>, lệnh này dựng cả API lẫn bảng điều khiển), rồi tải lại trang.</p>
<p lang="en">The console has not been built: run <code>npm run build:console</code> (or <code>npm start</code>), then reload.</p>
</main></body></html>
`;
