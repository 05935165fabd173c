import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

/**
 * This library turns values into file contents and file contents into values; the application
 * decides what to do with them. So it imports no framework, no store and no network, and the only
 * file it reads is a font it ships.
 */
const SOURCE = fileURLToPath(new URL('.', import.meta.url));
const FORBIDDEN = [/^@nestjs\//, /^@ledger\/(event-store|read-models)/, /^fastify/, /^@fastify\//, /^better-sqlite3$/, /^pg$/, /^node:(http|https|net|child_process|worker_threads)$/];
const MAY_READ_FILES = new Set(['cash-list/post-office-cash-list.pdf.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function importsOf(path: string): string[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022);
  return file.statements.filter(ts.isImportDeclaration).map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text);
}

describe('libs/payment-files', () => {
  it.each(sources(SOURCE).map((path) => [relative(SOURCE, path)]))('%s imports no framework, store or network', (path) => {
    const imports = importsOf(join(SOURCE, path));
    expect(imports.filter((specifier) => FORBIDDEN.some((pattern) => pattern.test(specifier)))).toEqual([]);
    if (!MAY_READ_FILES.has(path)) expect(imports.filter((specifier) => /^(node:)?fs/.test(specifier))).toEqual([]);
  });
});
