import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beneficiaryDecider, beneficiaryStreamName, eventsToRecord, legacyBeneficiaryIdFor, type Coefficient, type LocalDate, type NationalId, type Period } from '@ledger/domain';
import { LEDGER_DATABASE_FILE, NO_STREAM, openEventStore, SqliteEventStore, toEventToAppend } from '@ledger/event-store';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../apps/ledger-api/src/app.module.js';
import { loadLedgerConfig } from '../../apps/ledger-api/src/config/ledger-config.js';
import { StoreIdentityMismatch } from '../../apps/ledger-api/src/ledger/beneficiary-ids.js';
import { LedgerIdentifiers } from '../../apps/ledger-api/src/ledger/ledger-identifiers.js';
import { startTestLedger, type TestLedger } from './support/ledger-app.js';
import { actor, enrollment, expectStatus, nationalIdFor, type LedgerActor } from './support/ledger-flow.js';

const ID_KEY = 'e2e-beneficiary-ids-key-0123456789abcdef';
const KEYED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A data directory as the version before keyed ids left it: person 1 enrolled under the public-namespace id, no record of the scheme. */
async function dataDirectoryWrittenTheOldWay(): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-e2e-legacy-'));
  const store = SqliteEventStore.open(join(directory, LEDGER_DATABASE_FILE));
  try {
    const body = enrollment(1);
    const nationalId = body.nationalId as NationalId;
    const beneficiaryId = legacyBeneficiaryIdFor(nationalId);
    const decided = beneficiaryDecider.decide(
      {
        type: 'EnrollBeneficiary',
        data: {
          beneficiaryId,
          nationalId,
          fullName: body.fullName,
          dateOfBirth: body.dateOfBirth as LocalDate,
          gender: 'MALE',
          unitCode: body.unitCode,
          program: body.program,
          coefficient: body.coefficient as Coefficient,
          effectiveFrom: body.effectiveFrom as Period,
          decision: { number: body.decision.number, date: body.decision.date as LocalDate },
        },
      },
      beneficiaryDecider.initialState(),
    );
    const metadata = { actorId: 'earlier.operator', actorRole: 'operator', command: 'EnrollBeneficiary', correlationId: randomUUID(), causationId: randomUUID() };
    await store.appendToStream(beneficiaryStreamName(beneficiaryId), eventsToRecord(decided).map((event) => toEventToAppend(event, randomUUID(), metadata)), NO_STREAM);
  } finally {
    await store.close();
  }
  return directory;
}

describe('beneficiary ids over HTTP', () => {
  describe('when the data directory was written before beneficiary ids were keyed', () => {
    let directory: string;
    let ledger: TestLedger;
    let operator: LedgerActor;
    const legacyId = legacyBeneficiaryIdFor(nationalIdFor(1) as NationalId);

    beforeAll(async () => {
      directory = await dataDirectoryWrittenTheOldWay();
      ledger = await startTestLedger({ LEDGER_DATA_DIR: directory, LEDGER_ID_KEY: ID_KEY });
      operator = await actor(ledger, 'operator', ['*']);
    });
    afterAll(async () => {
      await ledger?.close();
      rmSync(directory, { recursive: true, force: true });
    });

    it('refuses to enroll the same person in the same program again: they are found under the id the store gave them', async () => {
      const again = await operator.post('/v1/beneficiaries', enrollment(1));
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'ALREADY_ENROLLED' });
    });

    it('enrolls them in a second program on the beneficiary they already are', async () => {
      const second = await operator.post('/v1/beneficiaries', enrollment(1, { program: 'SOCIAL_ASSISTANCE', coefficient: 1500 }));
      expectStatus(second, 201);
      expect(second.body.beneficiaryId).toBe(legacyId);
      const suspended = await operator.post(`/v1/beneficiaries/${legacyId}/enrollments/SOCIAL_ASSISTANCE/suspend`, { reason: 'Annual review pending', effectiveFrom: '2024-05' });
      expectStatus(suspended, 200);
    });

    it('gives a person enrolled for the first time an id of the same scheme', async () => {
      const newcomer = await operator.post('/v1/beneficiaries', enrollment(2));
      expectStatus(newcomer, 201);
      expect(newcomer.body.beneficiaryId).toBe(legacyBeneficiaryIdFor(nationalIdFor(2) as NationalId));
    });
  });

  describe('when the data directory is new', () => {
    let ledger: TestLedger;
    let operator: LedgerActor;

    beforeAll(async () => {
      ledger = await startTestLedger({ LEDGER_ID_KEY: ID_KEY });
      operator = await actor(ledger, 'operator', ['*']);
    });
    afterAll(() => ledger?.close());

    it('derives ids with the deployment key: neither the public-namespace id nor another key’s, and usable in every by-id route', async () => {
      const nationalId = nationalIdFor(3) as NationalId;
      const enrolled = await operator.post('/v1/beneficiaries', enrollment(3));
      expectStatus(enrolled, 201);
      const { beneficiaryId } = enrolled.body;
      expect(beneficiaryId).toMatch(KEYED_UUID);
      expect(beneficiaryId).toBe(new LedgerIdentifiers(ID_KEY).beneficiaryIdFor(nationalId));
      expect(beneficiaryId).not.toBe(legacyBeneficiaryIdFor(nationalId));
      expect(beneficiaryId).not.toBe(new LedgerIdentifiers('some-other-deployment-key-0123456789').beneficiaryIdFor(nationalId));

      expect((await operator.post('/v1/beneficiaries', enrollment(3))).body).toMatchObject({ code: 'ALREADY_ENROLLED' });
      expectStatus(await operator.post(`/v1/beneficiaries/${beneficiaryId}/enrollments/MERITORIOUS/suspend`, { reason: 'Annual review pending', effectiveFrom: '2024-05' }), 200);
      expectStatus(await operator.getFresh(`/v1/beneficiaries/${beneficiaryId}`), 200);
    });

    it('refuses to start on it with another LEDGER_ID_KEY rather than derive other ids for the same people', async () => {
      const config = loadLedgerConfig({ LEDGER_DATA_DIR: ledger.config.dataDirectory, LEDGER_SEED_DEMO: 'false', LEDGER_ID_KEY: 'z'.repeat(64) });
      const eventStore = openEventStore(config);
      try {
        await expect(Test.createTestingModule({ imports: [AppModule.register(config, { eventStore })] }).compile()).rejects.toThrow(StoreIdentityMismatch);
      } finally {
        await eventStore.close();
      }
    });
  });
});
