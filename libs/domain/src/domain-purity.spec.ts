import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

/**
 * libs/domain decides; it does not do I/O, read the clock or draw random numbers. Time and ids
 * arrive in commands, so the same command against the same history always gives the same events.
 * This test reads the source through the TypeScript parser, so a comment or a string that merely
 * mentions Date.now() is not a violation, and a multi-line import is still seen.
 */

const DOMAIN_SOURCE = fileURLToPath(new URL('.', import.meta.url));

const FORBIDDEN_PACKAGES: readonly RegExp[] = [
  /^@nestjs\//,
  /^@eventstore\//,
  /^better-sqlite3$/,
  /^pg($|\/)/,
  /^kysely($|\/)/,
  /^fastify($|\/)/,
  /^@fastify\//,
];

/**
 * The one node: import the domain may make. UUIDv5 needs SHA-1, and node:crypto's createHash is
 * pure computation (no clock, no entropy, no I/O); a hand-written SHA-1 would be more code to trust.
 */
const ALLOWED_NODE_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  'shared/national-id.ts': ['node:crypto'],
};

const NODE_BUILTINS = new Set(builtinModules);

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]!);
}

/** Calls that read the clock or draw randomness, by the name they are called with. */
const IMPURE_CALLS: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /(^|\.)Date\.now$/, why: 'reads the clock' },
  { pattern: /(^|\.)performance\.now$/, why: 'reads the clock' },
  { pattern: /(^|\.)Math\.random$/, why: 'draws a random number' },
  { pattern: /(^|\.)(randomUUID|randomBytes|randomInt|getRandomValues)$/, why: 'draws a random number' },
];

/** Every rule the domain breaks in one file, as `path:line: what`. */
function purityViolations(path: string, source: string): string[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const violations: string[] = [];
  const report = (node: ts.Node, what: string) => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    violations.push(`${path}:${line}: ${what}`);
  };
  const checkImport = (node: ts.Node, specifier: string) => {
    if (FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier))) {
      report(node, `imports '${specifier}', which is infrastructure`);
    } else if (isNodeBuiltin(specifier) && !(ALLOWED_NODE_IMPORTS[path] ?? []).includes(specifier)) {
      report(node, `imports the Node module '${specifier}'`);
    }
  };

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      checkImport(node, node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const reference = node.moduleReference.expression;
      if (ts.isStringLiteral(reference)) checkImport(node, reference.text);
    } else if (ts.isCallExpression(node)) {
      const [firstArgument] = node.arguments;
      const isModuleLoad = node.expression.kind === ts.SyntaxKind.ImportKeyword || node.expression.getText(file) === 'require';
      if (isModuleLoad && firstArgument && ts.isStringLiteralLike(firstArgument)) checkImport(node, firstArgument.text);
      const callee = node.expression.getText(file).replace(/\?\./g, '.');
      const impure = IMPURE_CALLS.find(({ pattern }) => pattern.test(callee));
      if (impure) report(node, `calls ${callee}(), which ${impure.why}`);
    } else if (ts.isNewExpression(node) && node.expression.getText(file).replace(/^globalThis\./, '') === 'Date') {
      if (!node.arguments || node.arguments.length === 0) report(node, 'calls new Date() without an argument, which reads the clock');
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return violations;
}

function domainSourceFiles(): string[] {
  return readdirSync(DOMAIN_SOURCE, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(file))
    .map((file) => file.split(sep).join('/'))
    .sort();
}

describe('when reading the domain source', () => {
  const files = domainSourceFiles();

  it('scans the domain files, not an empty folder', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(files).toContain('shared/national-id.ts');
    expect(files).toContain('shared/local-date.ts');
    expect(files.some((file) => file.endsWith('.spec.ts'))).toBe(false);
  });

  it('finds no infrastructure import, no Node module, no clock and no randomness', () => {
    const violations = files.flatMap((file) => purityViolations(file, readFileSync(join(DOMAIN_SOURCE, file), 'utf8')));
    expect(violations).toEqual([]);
  });

  it('scans the files under the domain folder and nothing else', () => {
    expect(relative(fileURLToPath(new URL('../../..', import.meta.url)), DOMAIN_SOURCE).split(sep).join('/')).toBe('libs/domain/src');
  });
});

describe('when a domain file breaks the rules', () => {
  it('names the file and line of each forbidden import', () => {
    const source = [
      "import { Injectable } from '@nestjs/common';",
      "import Database from 'better-sqlite3';",
      'import {',
      '  EventStoreDBClient,',
      "} from '@eventstore/db-client';",
      "import { Pool } from 'pg';",
      "import { Kysely } from 'kysely';",
      "import fastify from 'fastify';",
      "export * from 'pg/lib/client';",
    ].join('\n');
    expect(purityViolations('beneficiary/beneficiary.decider.ts', source)).toEqual([
      "beneficiary/beneficiary.decider.ts:1: imports '@nestjs/common', which is infrastructure",
      "beneficiary/beneficiary.decider.ts:2: imports 'better-sqlite3', which is infrastructure",
      "beneficiary/beneficiary.decider.ts:3: imports '@eventstore/db-client', which is infrastructure",
      "beneficiary/beneficiary.decider.ts:6: imports 'pg', which is infrastructure",
      "beneficiary/beneficiary.decider.ts:7: imports 'kysely', which is infrastructure",
      "beneficiary/beneficiary.decider.ts:8: imports 'fastify', which is infrastructure",
      "beneficiary/beneficiary.decider.ts:9: imports 'pg/lib/client', which is infrastructure",
    ]);
  });

  it('refuses Node modules, with or without the node: prefix, and dynamic loads', () => {
    const source = [
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'path';",
      "const crypto = await import('node:crypto');",
      "import os = require('os');",
    ].join('\n');
    expect(purityViolations('disbursement/disbursement.decider.ts', source)).toEqual([
      "disbursement/disbursement.decider.ts:1: imports the Node module 'node:fs'",
      "disbursement/disbursement.decider.ts:2: imports the Node module 'path'",
      "disbursement/disbursement.decider.ts:3: imports the Node module 'node:crypto'",
      "disbursement/disbursement.decider.ts:4: imports the Node module 'os'",
    ]);
  });

  it('allows node:crypto in shared/national-id.ts only, and no other Node module there', () => {
    const source = "import { createHash } from 'node:crypto';\nimport { readFileSync } from 'node:fs';";
    expect(purityViolations('shared/national-id.ts', source)).toEqual(["shared/national-id.ts:2: imports the Node module 'node:fs'"]);
    expect(purityViolations('shared/period.ts', source)).toHaveLength(2);
  });

  it('refuses reading the clock and drawing random numbers', () => {
    const source = [
      'const now = Date.now();',
      'const today = new Date();',
      'const alsoToday = new Date;',
      'const id = crypto.randomUUID();',
      'const coin = Math.random();',
      'const bare = randomUUID();',
    ].join('\n');
    expect(purityViolations('payroll-run/payroll-plan.ts', source)).toEqual([
      'payroll-run/payroll-plan.ts:1: calls Date.now(), which reads the clock',
      'payroll-run/payroll-plan.ts:2: calls new Date() without an argument, which reads the clock',
      'payroll-run/payroll-plan.ts:3: calls new Date() without an argument, which reads the clock',
      'payroll-run/payroll-plan.ts:4: calls crypto.randomUUID(), which draws a random number',
      'payroll-run/payroll-plan.ts:5: calls Math.random(), which draws a random number',
      'payroll-run/payroll-plan.ts:6: calls randomUUID(), which draws a random number',
    ]);
  });

  it('allows a Date built from a given instant, relative imports, and mere mentions in comments or strings', () => {
    const source = [
      "import { InvalidValue } from './shared/domain-errors.js';",
      "import type { Period } from '../shared/period.js';",
      'const paidAt = new Date(command.paidAt);',
      '// never call Date.now() here: time arrives in the command',
      "const hint = 'use the recordedAt of the command, not new Date()';",
    ].join('\n');
    expect(purityViolations('disbursement/disbursement.decider.ts', source)).toEqual([]);
  });
});
