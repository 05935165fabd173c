import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { beneficiaryDecider, beneficiaryStreamName, eventsToRecord, legacyBeneficiaryIdFor, type Coefficient, type LocalDate, type NationalId, type Period } from '@ledger/domain';
import { NO_STREAM, SqliteEventStore, toEventToAppend } from '@ledger/event-store';
import { resolveBeneficiaryIds, StoreIdentityMismatch } from '../../ledger/beneficiary-ids.js';
import { LedgerIdentifiers } from '../../ledger/ledger-identifiers.js';
import type { CliIo } from '../cli-command.js';
import { csvRows, importCommand } from './import.command.js';

const directory = mkdtempSync(join(tmpdir(), 'ledger-import-'));
const HEADER = 'nationalId,fullName,dateOfBirth,gender,unitCode,program,coefficient,effectiveFrom,decisionNumber,decisionDate,bankCode,accountNumber,holderName,openedOn';

/** Runs `npm run ledger -- import …` in-process, against a data directory of its own. */
async function runImport(file: string, csv: string, env: Record<string, string> = { LEDGER_DATA_DIR: directory }) {
  const path = join(env.LEDGER_DATA_DIR!, file);
  writeFileSync(path, csv);
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (line) => out.push(line), err: (line) => err.push(line) };
  const exitCode = await importCommand.run(['--file', path], io);
  return { exitCode, out: out.join('\n'), report: readFileSync(path.replace(/\.csv$/, '.errors.csv'), 'utf8') };
}

/** The error report as records: it is CSV for people, with a byte-order mark and a header row. */
const reportRows = (report: string) => parse(report, { bom: true, columns: true }) as Array<{ row: string; field: string; message: string }>;

async function inTheLedger<T>(look: (store: SqliteEventStore) => Promise<T>, dataDirectory = directory): Promise<T> {
  const store = SqliteEventStore.open(join(dataDirectory, 'ledger.sqlite'));
  try {
    return await look(store);
  } finally {
    await store.close();
  }
}
/** The person's beneficiary id as the store derives it (the record the import found or made, and the data directory's key). */
const beneficiaryIdIn = (store: SqliteEventStore, nationalId: string, dataDirectory = directory) =>
  resolveBeneficiaryIds(store, LedgerIdentifiers.fromConfig({ idKey: undefined, dataDirectory })).then((ids) => ids.beneficiaryIdFor(nationalId as NationalId));
const eventTypesOf = (nationalId: string, dataDirectory = directory) =>
  inTheLedger(async (store) => (await store.readStream(beneficiaryStreamName(await beneficiaryIdIn(store, nationalId, dataDirectory)))).map((event) => event.type), dataDirectory);
const head = () => inTheLedger((store) => store.headPosition());

const GOOD_WITH_ACCOUNT = '091052000001,Bùi Trung Tài,1952-03-14,MALE,899,MERITORIOUS,1000,2024-01,1/QĐ-UBND,2023-12-20,VBA,7700205123456,BUI TRUNG TAI,2024-01-02';
const GOOD_CASH = '091152000002,"Đặng Thị Ánh",1952-05-01,FEMALE,900,SOCIAL_ASSISTANCE,1500,2024-02,2/QĐ-UBND,2024-01-20,,,,';
const SECOND_PROGRAM = '091052000001,Bùi Trung Tài,1952-03-14,MALE,899,SOCIAL_ASSISTANCE,1000,2024-01,7/QĐ-UBND,2023-12-20,VBA,7700205123456,BUI TRUNG TAI,2024-01-02';
const BAD_ID = '091152000003,Lê Văn Ba,1952-05-01,MALE,900,SOCIAL_ASSISTANCE,1500,2024-02,3/QĐ,2024-01-20,,,,';
const BAD_FIELDS = '091052000004,Trần Văn Bốn,1952-02-30,MALE,999,NOPE,1.5,2024-13,,2024-01-20,VBA,12,TRAN VAN BON,2024-01-01';
const HALF_AN_ACCOUNT = '091052000005,Phạm Văn Năm,1952-07-07,MALE,899,MERITORIOUS,1000,2024-03,5/QĐ,2024-02-20,VBA,,,';

describe('import --file beneficiaries.csv', () => {
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  describe('when the file mixes good rows and bad ones', () => {
    let first: Awaited<ReturnType<typeof runImport>>;

    it('enrolls every good row through the command handlers, and reports the bad ones without writing them', async () => {
      first = await runImport('beneficiaries.csv', [HEADER, GOOD_WITH_ACCOUNT, BAD_ID, GOOD_CASH, BAD_FIELDS, SECOND_PROGRAM, HALF_AN_ACCOUNT, ''].join('\r\n'));
      expect(first.exitCode).toBe(1);
      expect(first.out).toContain('Imported 3 of 6 rows (1 accounts opened); 0 already imported; 3 refused');
      // Two rows of one person (two programs, the same account) run side by side: one account, opened once.
      expect((await eventTypesOf('091052000001')).sort()).toEqual(['BeneficiaryRegistered', 'EnrollmentStarted', 'EnrollmentStarted', 'PaymentAccountOpened']);
      expect(await eventTypesOf('091152000002')).toEqual(['BeneficiaryRegistered', 'EnrollmentStarted']);
      for (const refused of ['091152000003', '091052000004', '091052000005']) expect(await eventTypesOf(refused)).toEqual([]);
    });

    it('lists each refusal by line and field, every field of a row at once, in a CSV a spreadsheet opens as UTF-8', () => {
      expect(first.report.startsWith('\uFEFFrow,field,message\r\n')).toBe(true);
      expect(reportRows(first.report).map((error) => `${error.row},${error.field}`)).toEqual([
        '3,nationalId',
        '5,dateOfBirth',
        '5,unitCode',
        '5,program',
        '5,coefficient',
        '5,effectiveFrom',
        '5,decisionNumber',
        '5,accountNumber',
        '7,accountNumber',
        '7,holderName',
        '7,openedOn',
      ]);
      expect(first.report).toContain('nationalId digit 4 says FEMALE, which disagrees with gender');
    });

    it('never writes a national id or an account number into the report', () => {
      for (const identifier of ['091152000003', '091052000004', '091052000005', '091052000001', '7700205123456']) expect(first.report).not.toContain(identifier);
    });
  });

  describe('when the same file is imported again', () => {
    it('writes nothing new: every row it imported is recognised as already imported', async () => {
      const before = await head();
      const again = await runImport('beneficiaries.csv', [HEADER, GOOD_WITH_ACCOUNT, BAD_ID, GOOD_CASH, BAD_FIELDS, SECOND_PROGRAM, HALF_AN_ACCOUNT].join('\n'));
      expect(await head()).toBe(before);
      expect(again.out).toContain('Imported 0 of 6 rows (0 accounts opened); 3 already imported; 3 refused');
    });

    it('writes nothing either from another file with the same rows in another order', async () => {
      const before = await head();
      const reordered = await runImport('copy.csv', [HEADER, GOOD_CASH, SECOND_PROGRAM, GOOD_WITH_ACCOUNT].join('\n'));
      expect(reordered.exitCode).toBe(0);
      expect(await head()).toBe(before);
    });
  });

  describe('when a semicolon-separated file has lines that cannot be read, and a holder name a spreadsheet would run', () => {
    const person = (n: number, account = ';;;') => `09105200${String(n).padStart(4, '0')};Lê Văn Hai;1952-05-01;MALE;900;SOCIAL_ASSISTANCE;1500;2024-02;${n}/QĐ;2024-01-20;${account}`;
    const file = [
      `\uFEFF${HEADER.replace(/,/g, ';')}`,
      person(21),
      `09105200002 2;"Lê Văn Hai;1952-05-01;MALE;900;SOCIAL_ASSISTANCE;1500;2024-02;22/QĐ;2024-01-20;;;;`,
      person(23),
      `${person(24)};extra`,
      person(25, 'VBA;7700205000025;=1+1;2024-01-02'),
      `"${person(26).replace(';', '";')}`,
      '',
    ].join('\r\n');

    it('imports every line it can, and lists each of the others by its number: nobody is lost', async () => {
      const run = await runImport('semicolons.csv', file);
      expect(run.exitCode).toBe(1);
      expect(run.out).toContain('Imported 3 of 6 rows (0 accounts opened); 0 already imported; 3 refused');
      for (const imported of [21, 23, 26]) expect(await eventTypesOf(`09105200${String(imported).padStart(4, '0')}`)).toEqual(['BeneficiaryRegistered', 'EnrollmentStarted']);
      expect(await eventTypesOf('091052000025')).toEqual([]);
      expect(reportRows(run.report)).toEqual([
        { row: '3', field: 'line', message: expect.stringContaining('quote') },
        { row: '5', field: 'line', message: 'not read: 15 cells where the header has 14' },
        { row: '6', field: 'holderName', message: expect.stringContaining('formula') },
      ]);
    });

    it('writes the error report with its header even when nothing was refused', async () => {
      const clean = await runImport('clean.csv', [HEADER, GOOD_CASH].join('\n'));
      expect(clean.exitCode).toBe(0);
      expect(clean.report).toBe('\uFEFFrow,field,message\r\n');
    });
  });

  describe("when a row's enrollment succeeds but its account cannot be opened", () => {
    const meritorious = '091052000006,Hồ Văn Sáu,1952-06-06,MALE,902,MERITORIOUS,1000,2024-03,6/QĐ,2024-02-20,VBA,8800100200300,HO VAN SAU,2024-03-01';
    // The same person's second program names the same account with another opening date: the ledger refuses a second open account.
    const socialAssistance = (openedOn: string) => `091052000006,Hồ Văn Sáu,1952-06-06,MALE,902,SOCIAL_ASSISTANCE,1500,2024-03,9/QĐ,2024-02-21,VBA,8800100200300,HO VAN SAU,${openedOn}`;

    it('keeps the enrollment, reports the account, and finishes the row when it is run again fixed, writing nothing twice', async () => {
      expect((await runImport('meritorious.csv', [HEADER, meritorious].join('\n'))).exitCode).toBe(0);

      const clash = await runImport('social-assistance.csv', [HEADER, socialAssistance('2024-03-09')].join('\n'));
      expect(clash.exitCode).toBe(1);
      expect(clash.report).toContain('2,account,"enrolled, but the account was not opened: ACCOUNT_ALREADY_OPEN');
      expect(await eventTypesOf('091052000006')).toEqual(['BeneficiaryRegistered', 'EnrollmentStarted', 'PaymentAccountOpened', 'EnrollmentStarted']);

      const before = await head();
      const fixed = await runImport('social-assistance.csv', [HEADER, socialAssistance('2024-03-01')].join('\n'));
      expect(fixed.exitCode).toBe(0);
      expect(fixed.out).toContain('Imported 0 of 1 rows (0 accounts opened); 1 already imported; 0 refused');
      expect(await head()).toBe(before);
    });
  });

  describe('when the data directory is new', () => {
    it('enrolls under keyed beneficiary ids, not the public-namespace ones anybody could recompute', async () => {
      const fresh = mkdtempSync(join(directory, 'fresh-'));
      expect((await runImport('people.csv', [HEADER, GOOD_CASH].join('\n'), { LEDGER_DATA_DIR: fresh })).exitCode).toBe(0);
      await inTheLedger(async (store) => {
        const beneficiaryId = await beneficiaryIdIn(store, '091152000002', fresh);
        expect(beneficiaryId).not.toBe(legacyBeneficiaryIdFor('091152000002' as NationalId));
        expect((await store.readStream(beneficiaryStreamName(beneficiaryId))).map((event) => event.type)).toEqual(['BeneficiaryRegistered', 'EnrollmentStarted']);
      }, fresh);
    });

    it('refuses to import with another LEDGER_ID_KEY than the one the store was recorded with, writing nothing', async () => {
      const fresh = mkdtempSync(join(directory, 'other-key-'));
      expect((await runImport('people.csv', [HEADER, GOOD_CASH].join('\n'), { LEDGER_DATA_DIR: fresh })).exitCode).toBe(0);
      const before = await inTheLedger((store) => store.headPosition(), fresh);
      await expect(runImport('more.csv', [HEADER, GOOD_WITH_ACCOUNT].join('\n'), { LEDGER_DATA_DIR: fresh, LEDGER_ID_KEY: 'x'.repeat(64) })).rejects.toThrow(StoreIdentityMismatch);
      expect(await inTheLedger((store) => store.headPosition(), fresh)).toBe(before);
    });
  });

  describe('when the data directory was written before beneficiary ids were keyed', () => {
    it('keeps its public-namespace ids: the same person imported again lands on the stream they already have', async () => {
      const legacy = mkdtempSync(join(directory, 'legacy-'));
      const nationalId = '091052000001' as NationalId;
      const beneficiaryId = legacyBeneficiaryIdFor(nationalId);
      // Written as the earlier version did: an enrollment under the public-namespace id, and no record of the scheme.
      await inTheLedger(async (store) => {
        const enrolled = beneficiaryDecider.decide(
          {
            type: 'EnrollBeneficiary',
            data: { beneficiaryId, nationalId, fullName: 'Bùi Trung Tài', dateOfBirth: '1952-03-14' as LocalDate, gender: 'MALE', unitCode: '899', program: 'MERITORIOUS', coefficient: 1000 as Coefficient, effectiveFrom: '2024-01' as Period, decision: { number: '1/QĐ-UBND', date: '2023-12-20' as LocalDate } },
          },
          beneficiaryDecider.initialState(),
        );
        const metadata = { actorId: 'earlier-version', actorRole: 'operator', command: 'EnrollBeneficiary', correlationId: randomUUID(), causationId: randomUUID() };
        await store.appendToStream(beneficiaryStreamName(beneficiaryId), eventsToRecord(enrolled).map((event) => toEventToAppend(event, randomUUID(), metadata)), NO_STREAM);
      }, legacy);

      const imported = await runImport('second-program.csv', [HEADER, SECOND_PROGRAM].join('\n'), { LEDGER_DATA_DIR: legacy });
      expect(imported.exitCode).toBe(0);
      await inTheLedger(async (store) => {
        expect((await store.readStream(beneficiaryStreamName(beneficiaryId))).map((event) => event.type)).toEqual(['BeneficiaryRegistered', 'EnrollmentStarted', 'EnrollmentStarted', 'PaymentAccountOpened']);
      }, legacy);
    });
  });

  describe('reading the CSV', () => {
    it('takes quoted cells with separators and doubled quotes, a BOM and CRLF, and numbers rows by their line', () => {
      const { rows, malformed } = csvRows(`\uFEFF${HEADER}\r\n"091052000001","Tài ""Út""",1952-03-14,MALE,899,MERITORIOUS,1000,2024-01,"1/QĐ, bis",2023-12-20,,,,\r\n\r\n${GOOD_CASH}\r\n`);
      expect(rows.map((row) => row.line)).toEqual([2, 4]);
      expect(rows[0]!.cells).toMatchObject({ fullName: 'Tài "Út"', decisionNumber: '1/QĐ, bis', bankCode: '' });
      expect(malformed).toEqual([]);
    });

    it('reports a quoted cell that runs over a line break at the line it starts on, and reads the next line on its own', () => {
      // No column of the file holds a line break: a quote that runs on is one left open, which would take the next person with it.
      const { rows, malformed } = csvRows(`${HEADER}\r\n091052000001,Bùi Trung Tài,1952-03-14,MALE,899,MERITORIOUS,1000,2024-01,"1/QĐ\r\nbis",2023-12-20,,,,\r\n${SECOND_PROGRAM}\r\n`);
      expect(malformed).toEqual([
        { row: 2, field: 'line', message: 'not read: a quote opened on this line runs on past its end (a closing quote missing?)' },
        { row: 3, field: 'line', message: 'not read: a quote inside a cell that does not start with one' },
      ]);
      expect(rows.map((row) => row.line)).toEqual([4]);
    });

    it('takes a semicolon-separated file, as Excel saves CSV in Vietnam, the separator read from the header', () => {
      const semicolons = (line: string) => line.replace(/,/g, ';');
      const { rows, malformed } = csvRows(`\uFEFF${semicolons(HEADER)}\r\n${semicolons(GOOD_WITH_ACCOUNT)}\r\n"091152000002";"Đặng Thị Ánh, bà";1952-05-01;FEMALE;900;SOCIAL_ASSISTANCE;1500;2024-02;2/QĐ-UBND;2024-01-20;;;;\r\n`);
      expect(malformed).toEqual([]);
      expect(rows.map((row) => [row.line, row.cells.fullName, row.cells.holderName])).toEqual([
        [2, 'Bùi Trung Tài', 'BUI TRUNG TAI'],
        [3, 'Đặng Thị Ánh, bà', ''],
      ]);
    });

    it('reports a row with too many or too few cells by its line, and reads the rows after it', () => {
      const { rows, malformed } = csvRows([HEADER, `${GOOD_CASH},extra`, GOOD_WITH_ACCOUNT, GOOD_CASH.split(',').slice(0, 9).join(','), SECOND_PROGRAM, ''].join('\n'));
      expect(rows.map((row) => row.line)).toEqual([3, 5]);
      expect(malformed).toEqual([
        { row: 2, field: 'line', message: 'not read: 15 cells where the header has 14' },
        { row: 4, field: 'line', message: 'not read: 9 cells where the header has 14' },
      ]);
    });

    it('reports a line with an unclosed quote, and still reads every line after it', () => {
      const unclosed = '091052000007,"Lê Văn Bảy,1952-05-01,MALE,900,SOCIAL_ASSISTANCE,1500,2024-02,3/QĐ,2024-01-20,,,,';
      // A quote further down closes it: read straight on, the lines between would vanish into one record.
      const quotedLater = '"091052000008",Lê Văn Tám,1952-05-01,MALE,900,SOCIAL_ASSISTANCE,1500,2024-02,"8/QĐ",2024-01-20,,,,';
      const { rows, malformed } = csvRows([HEADER, GOOD_CASH, unclosed, GOOD_WITH_ACCOUNT, SECOND_PROGRAM, quotedLater, BAD_ID].join('\r\n'));
      expect(malformed).toEqual([{ row: 3, field: 'line', message: expect.stringMatching(/^not read: .*quote/) }]);
      expect(rows.map((row) => row.line)).toEqual([2, 4, 5, 6, 7]);
      expect(rows.find((row) => row.line === 6)!.cells.nationalId).toBe('091052000008');
    });

    it('reports an unclosed quote on the last line too', () => {
      const { rows, malformed } = csvRows([HEADER, GOOD_CASH, '"091052000009,Lê,1952-05-01'].join('\n'));
      expect(rows.map((row) => row.line)).toEqual([2]);
      expect(malformed).toEqual([{ row: 3, field: 'line', message: 'not read: a quote opened on this line is never closed' }]);
    });

    it('never puts a cell of a malformed line into its reason', () => {
      const { malformed } = csvRows([HEADER, '091052000010,Lê "Văn" Mười,1952-05-01'].join('\n'));
      expect(malformed).toHaveLength(1);
      expect(malformed[0]!.message).not.toMatch(/091052000010|Mười/);
    });

    it('refuses a file that is not UTF-8, or has no header, before writing anything', () => {
      expect(() => csvRows(Buffer.concat([Buffer.from(`${HEADER}\n091052000001,B`), Buffer.from([0xf9]), Buffer.from('i,1952-03-14\n')]))).toThrow(/not UTF-8/);
      expect(() => csvRows('\uFEFF\r\n\r\n')).toThrow(/empty/);
    });

    it('refuses a file whose header lacks a column or names an unknown one, before writing anything', () => {
      expect(() => csvRows('nationalId,fullName\n1,2')).toThrow(/missing columns: dateOfBirth/);
      expect(() => csvRows(`${HEADER},iban\n`)).toThrow(/unknown columns: iban/);
    });
  });
});
