import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { builtConsoleDirectory, resolveConsolePath } from './console-files.js';

let root: string;
let outside: string;

beforeAll(() => {
  const scratch = mkdtempSync(join(tmpdir(), 'console-files-'));
  root = join(scratch, 'console');
  outside = scratch;
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'export {}');
  writeFileSync(join(scratch, 'secret.txt'), 'not the console’s');
});

afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('when the console is built', () => {
  it('answers a screen with index.html, never cached', () => {
    for (const path of ['', 'payroll-runs', 'people/5f1d6a3e-8b2c-5d4e-9f0a-1b2c3d4e5f60', 'sign-in/']) {
      expect(resolveConsolePath(root, path)).toEqual({ kind: 'file', path: join(root, 'index.html'), contentType: 'text/html; charset=utf-8', immutable: false });
    }
  });

  it('answers a file of the build with its type, cached for good under assets/', () => {
    expect(resolveConsolePath(root, 'assets/index-abc123.js')).toEqual({ kind: 'file', path: join(root, 'assets', 'index-abc123.js'), contentType: 'text/javascript; charset=utf-8', immutable: true });
  });

  it('answers nothing for a missing file, a file of an unserved type, or a path that climbs out', () => {
    for (const path of ['assets/missing.js', 'demo-users.json', '../secret.txt', 'assets/../../secret.txt', '..', 'a\0b.js', 'assets\\..\\..\\secret.txt', 'index.php']) {
      expect(resolveConsolePath(root, path)).toEqual({ kind: 'not-found' });
    }
  });
});

describe('when the console was never built', () => {
  it('says so on a screen, and still answers nothing for a file', () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-none-'));
    expect(resolveConsolePath(empty, 'payroll-runs')).toEqual({ kind: 'not-built' });
    expect(resolveConsolePath(empty, 'assets/index.js')).toEqual({ kind: 'not-found' });
    rmSync(empty, { recursive: true, force: true });
  });
});

describe('where the build is', () => {
  it('is dist/console beside the repository’s package.json, from the sources and from the compiled API alike', () => {
    const repository = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/[\\/]$/, '');
    expect(builtConsoleDirectory(join(repository, 'apps', 'ledger-api', 'src', 'console'))).toBe(join(repository, 'dist', 'console'));
    expect(builtConsoleDirectory(join(repository, 'dist', 'apps', 'ledger-api', 'src', 'console'))).toBe(join(repository, 'dist', 'console'));
  });
});
