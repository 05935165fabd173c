import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  beneficiaryDecider,
  beneficiaryIdFor,
  beneficiaryStreamName,
  eventsToRecord,
  type BeneficiaryCommand,
  type Coefficient,
  type LocalDate,
  type NationalId,
  type Period,
} from '../libs/domain/src/index.js';
import { NO_STREAM, toEventToAppend, type EventStore } from '../libs/event-store/src/index.js';
import type { CommandContext } from '../apps/ledger-api/src/platform/index.js';

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

/** Person `n` of a benchmark's province: a national id of province 091 that agrees with a man born in 1952. */
export const benchNationalId = (n: number) => `091052${String(n).padStart(6, '0')}` as NationalId;

/** Person `n`'s enrollment, as the command handler would decide on it. */
export function benchEnrollment(
  n: number,
  { unitCode, program, coefficient, effectiveFrom }: { unitCode: string; program: string; coefficient: number; effectiveFrom: Period },
): Extract<BeneficiaryCommand, { type: 'EnrollBeneficiary' }> {
  const nationalId = benchNationalId(n);
  return {
    type: 'EnrollBeneficiary',
    data: {
      beneficiaryId: beneficiaryIdFor(nationalId),
      nationalId,
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '1952-03-14' as LocalDate,
      gender: 'MALE',
      unitCode,
      program,
      coefficient: coefficient as Coefficient,
      effectiveFrom,
      decision: { number: `${n}/QĐ-UBND`, date: '2024-03-20' as LocalDate },
    },
  };
}

/** An operator's request in a benchmark: every unit in scope, its own idempotency key. */
export const benchContext = (userId: string): CommandContext => ({
  actor: { userId, role: 'operator', units: ['*'] },
  correlationId: randomUUID(),
  causationId: randomUUID(),
  idempotencyKey: randomUUID(),
  receivedAt: new Date(),
});

/**
 * A province paid by bank, appended straight to the store (a benchmark's set-up, not what it
 * measures): person `n` enrolled as `enrollmentOf(n)` says, with an open bank account, 5,000 at a time.
 */
export async function enrollWithBankAccounts(
  store: EventStore,
  people: number,
  enrollmentOf: (n: number) => Extract<BeneficiaryCommand, { type: 'EnrollBeneficiary' }>,
  { openedOn = '2024-03-01' as LocalDate, onProgress }: { openedOn?: LocalDate; onProgress?: (enrolled: number) => void } = {},
): Promise<void> {
  const metadata = { actorId: 'bench', actorRole: 'admin', command: 'EnrollBeneficiary', correlationId: randomUUID(), causationId: randomUUID() };
  for (let start = 0; start < people; start += 5_000) {
    await Promise.all(
      Array.from({ length: Math.min(5_000, people - start) }, async (_, offset) => {
        const n = start + offset;
        const enroll = enrollmentOf(n);
        const open: BeneficiaryCommand = {
          type: 'OpenPaymentAccount',
          data: { accountId: randomUUID(), bankCode: 'VBA', accountNumber: `77002${String(n).padStart(8, '0')}`, holderName: 'NGUYEN VAN AN', openedOn, openedBy: 'bench-operator', sharedWithAnotherBeneficiary: false },
        };
        let state = beneficiaryDecider.initialState();
        const recorded = [enroll, open].flatMap((command) => {
          const decided = eventsToRecord(beneficiaryDecider.decide(command, state));
          state = decided.reduce(beneficiaryDecider.evolve, state);
          return decided;
        });
        await store.appendToStream(beneficiaryStreamName(enroll.data.beneficiaryId), recorded.map((event) => toEventToAppend(event, randomUUID(), metadata)), NO_STREAM);
      }),
    );
    onProgress?.(Math.min(start + 5_000, people));
  }
}
