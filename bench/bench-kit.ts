import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { CommandContext } from '../apps/ledger-api/src/platform/index.js';

/** The province a benchmark enrolls: numbered people, appended straight to the store (its set-up, not what it measures). */
export { enrollWithBankAccounts, personEnrollment, personNationalId } from '../libs/event-store/src/testing/province.js';

/** A scratch directory removed when the benchmark ends, however it ends. */
export function scratchDirectory(label: string): string {
  const directory = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), `ledger-bench-${label}-`));
  process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((width, column) => (column === 0 ? ':' : '-') + '-'.repeat(width) + (column === 0 ? '-' : ':')).join('|')}|`);
  for (const row of cells.slice(1)) console.log(line(row));
}

export const formatRate = (perSecond: number) => Math.round(perSecond).toLocaleString('en-US');

export function machineLine(): string {
  return `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
}

/** An operator's request in a benchmark: every unit in scope, its own idempotency key. */
export const benchContext = (userId: string): CommandContext => ({
  actor: { userId, role: 'operator', units: ['*'] },
  correlationId: randomUUID(),
  causationId: randomUUID(),
  idempotencyKey: randomUUID(),
  receivedAt: new Date(),
});
