import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '@ledger/event-store';
import { FileImports } from '../imports/file-imports.js';
import { needsAttention } from '../imports/import-report.js';
import { BeneficiaryIds } from '../ledger/beneficiary-ids.js';
import { loadCatalogues } from '../ledger/ledger-catalogues.js';
import { LedgerIdentifiers } from '../ledger/ledger-identifiers.js';
import type { CommandContext } from '../platform/index.js';
import { writeDemoResultFiles, type DemoResultFile } from './demo-result-files.js';
import { handWiredCommands } from './hand-wired-commands.js';
import { seedDemo } from './seed-demo.js';

const identifiers = new LedgerIdentifiers('demo-result-files-spec-key-0123456789abcdef');
const directory = mkdtempSync(join(tmpdir(), 'ledger-demo-files-'));
const store = SqliteEventStore.open(join(directory, 'ledger.sqlite'));
const catalogues = loadCatalogues();
const commands = handWiredCommands(store, catalogues, identifiers);
const imports = new FileImports({ store, commands, catalogues, beneficiaryIds: BeneficiaryIds.keyed(identifiers) });
const operator = (userId: string): CommandContext => ({ actor: { userId, role: 'operator', units: ['91'] }, correlationId: crypto.randomUUID(), causationId: crypto.randomUUID(), receivedAt: new Date() });
let files: DemoResultFile[];

beforeAll(async () => {
  await seedDemo({ commands, store, beneficiaryIds: BeneficiaryIds.keyed(identifiers), scale: 0.03 });
  files = await writeDemoResultFiles(store, join(directory, 'examples'));
}, 120_000);

afterAll(async () => {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

const fileNamed = (name: string) => readFileSync(files.find((file) => file.file.endsWith(name))!.file);

describe("the demo's result files, imported into the demo they were written for", () => {
  it('the Post Office’s late report pays and returns what was outstanding, and points at the misread amount and the stranger', async () => {
    const { report } = await imports.importPaymentResults('POST_OFFICE_RETURNS', fileNamed('2024-03-post-office-returns.csv'), operator('lan.operator'));
    expect(report.status).toBe('COMPLETED');
    expect(report.counts.APPLIED).toBeGreaterThan(0);
    expect(report.counts).toMatchObject({ AMOUNT_MISMATCH: 1, UNMATCHED: 1, REFUSED: 0, UNREADABLE: 0 });
    expect(report.lines.filter((line) => line.outcome === 'APPLIED').map((line) => line.reported)).toContain('PAID');
  });

  it('the bank’s notification confirms what the ledger records, and reports the entry listed twice and the unknown one', async () => {
    const { report } = await imports.importPaymentResults('BANK_RESULTS', fileNamed('2024-03-VBA-camt054.xml'), operator('lan.operator'));
    expect(report.format).toBe('CAMT_054');
    expect(report.counts.ALREADY_RECORDED).toBeGreaterThan(0);
    expect(report.counts).toMatchObject({ APPLIED: 0, DUPLICATE: 1, UNMATCHED: 1, AMOUNT_MISMATCH: 0, REFUSED: 0 });
  });

  it('the status report and the bank CSV say what the ledger already records', async () => {
    for (const name of ['2024-03-VBA-pain002.xml', '2024-03-bank-results.csv']) {
      const { report } = await imports.importPaymentResults('BANK_RESULTS', fileNamed(name), operator('lan.operator'));
      expect({ name, outcome: report.counts }).toMatchObject({ name, outcome: { APPLIED: 0, UNMATCHED: 0, REFUSED: 0, DUPLICATE: 0 } });
      expect(report.counts.ALREADY_RECORDED).toBe(report.lineCount);
    }
  });

  it('the population database’s answers are recorded, and the one death holds the person’s payments', async () => {
    const { report } = await imports.importIdentityCheckAnswers(fileNamed('identity-check-answers.csv'), operator('lan.operator'));
    expect(report.counts).toMatchObject({ APPLIED: 12, UNMATCHED: 0, REFUSED: 0 });
    expect(report.lines.filter((line) => line.code === 'DEATH_REPORTED')).toHaveLength(1);
    // The death is the line that needs a person: someone other than the importer confirms or rejects it.
    expect(report.lines.filter(needsAttention).map((line) => line.code)).toEqual(['DEATH_REPORTED']);
  });
});
