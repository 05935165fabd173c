import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresReadModelStore } from './postgres/postgres-read-model-store.js';
import { PROJECTION_NAME, type ReadModelStore } from './read-model-store.js';
import { schemaMigrations } from './sql-statements.js';
import { SqliteReadModelStore } from './sqlite/sqlite-read-model-store.js';
import { describeWithPostgres } from './testing/describe-with-postgres.js';
import { dropSchema, postgresAvailability, postgresUrl } from './testing/postgres-scratch.js';

/**
 * A ledger whose read models were projected under schema version 1 (no audit chain) and which
 * then starts the current version: the chain cannot begin half way through the log, so version 2
 * must leave the read models empty at checkpoint -1, for the projector to replay from zero.
 * Likewise version 3 (enrollment spells and suspensions, and new columns of older tables): only a
 * replay fills them for what happened before. Versions 6 and 8 add only what no earlier event fills,
 * so they keep what was projected; version 9 counts its totals from what was projected, and version 10
 * works out its active changes from it.
 */
const postgres = await postgresAvailability();

const projectedUnderVersion1 = [
  "INSERT INTO beneficiaries (beneficiary_id, unit_code) VALUES ('b-1', '899')",
  `INSERT INTO projection_checkpoints (projection, position) VALUES ('${PROJECTION_NAME}', 41)`,
];

async function expectReplayFromZero(store: ReadModelStore) {
  expect(await store.checkpoint()).toBe(-1n);
  expect(await store.query('SELECT beneficiary_id FROM beneficiaries')).toEqual([]);
  expect(await store.query('SELECT position FROM audit_chain')).toEqual([]);
  expect((await store.query<{ version: number }>('SELECT version FROM read_model_migrations ORDER BY version')).map((row) => Number(row.version))).toEqual(
    schemaMigrations(store.kind).map((migration) => migration.version),
  );
}

const projectedUnderVersion2 = [
  "INSERT INTO beneficiaries (beneficiary_id, unit_code) VALUES ('b-1', '899')",
  "INSERT INTO disbursements (disbursement_id, status, amount) VALUES ('d-1', 'PAID', 500000)",
  "INSERT INTO audit_chain (position, hash) VALUES (41, 'ab')",
  `INSERT INTO projection_checkpoints (projection, position) VALUES ('${PROJECTION_NAME}', 41)`,
];

/** Version 3's tables and columns are there, and every table empty for the replay. */
async function expectVersion3ReplayFromZero(store: ReadModelStore) {
  await expectReplayFromZero(store);
  expect(await store.query('SELECT disbursement_id FROM disbursements')).toEqual([]);
  for (const table of ['enrollment_spells', 'enrollment_suspensions']) expect(await store.query(`SELECT * FROM ${table}`)).toEqual([]);
  // The replay writes the new columns of the old tables.
  await store.apply(
    [
      { kind: 'upsert', table: 'disbursements', row: { disbursement_id: 'd-1', status: 'PAID', overpayment_reason: 'PAID_AFTER_CANCELLATION', channel_change_reason: 'ACCOUNT_CLOSED' } },
      { kind: 'upsert', table: 'payroll_runs', row: { run_id: 'r-1', status: 'REJECTED', rejected_by: 'checker', rejection_reason: 'wrong period', large_arrears: 2 } },
    ],
    0n,
  );
  expect(await store.query('SELECT overpayment_reason, channel_change_reason FROM disbursements')).toEqual([{ overpayment_reason: 'PAID_AFTER_CANCELLATION', channel_change_reason: 'ACCOUNT_CLOSED' }]);
}

/** Version 4's folded names: the register emptied for a replay, which fills the column the searches use. */
async function expectVersion4ReplayFromZero(store: ReadModelStore) {
  await expectReplayFromZero(store);
  await store.apply([{ kind: 'upsert', table: 'beneficiaries', row: { beneficiary_id: 'b-1', full_name: 'Bùi Trung Tài', folded_name: 'BUI TRUNG TAI', unit_code: '899' } }], 0n);
  expect(await store.query("SELECT beneficiary_id FROM beneficiaries WHERE folded_name >= 'BUI' AND folded_name < 'BUI!'")).toEqual([{ beneficiary_id: 'b-1' }]);
}

const projectedUnderVersion3 = [
  "INSERT INTO beneficiaries (beneficiary_id, full_name, unit_code) VALUES ('b-1', 'Bùi Trung Tài', '899')",
  `INSERT INTO projection_checkpoints (projection, position) VALUES ('${PROJECTION_NAME}', 41)`,
];

const projectedUnderVersion5 = [
  "INSERT INTO beneficiaries (beneficiary_id, full_name, unit_code, folded_name) VALUES ('b-1', 'Bùi Trung Tài', '899', 'BUI TRUNG TAI')",
  `INSERT INTO projection_checkpoints (projection, position) VALUES ('${PROJECTION_NAME}', 41)`,
];

/**
 * Version 6's death reports and identity-check columns come only from events it introduced: the
 * read models projected before stay as they are, at their checkpoint, and take the new rows.
 */
async function expectVersion6KeepsWhatWasProjected(store: ReadModelStore) {
  expect(await store.checkpoint()).toBe(41n);
  expect(await store.query('SELECT beneficiary_id, identity_check, identity_check_fields, identity_checked_at FROM beneficiaries')).toEqual([
    { beneficiary_id: 'b-1', identity_check: null, identity_check_fields: null, identity_checked_at: null },
  ]);
  await store.apply(
    [
      { kind: 'update', table: 'beneficiaries', where: { beneficiary_id: 'b-1' }, set: { identity_check: 'DECEASED', identity_checked_at: '2024-06-05T02:00:00.000Z' } },
      { kind: 'upsert', table: 'death_reports', row: { beneficiary_id: 'b-1', import_id: 'import-1', line: 3, unit_code: '899', date_of_death: '2024-05-20', reported_position: 42, status: 'OPEN' } },
    ],
    42n,
  );
  expect(await store.query("SELECT beneficiary_id, line, status FROM death_reports WHERE status = 'OPEN'")).toEqual([{ beneficiary_id: 'b-1', line: 3, status: 'OPEN' }]);
  expect((await store.query<{ version: number }>('SELECT version FROM read_model_migrations ORDER BY version')).map((row) => Number(row.version))).toEqual(
    schemaMigrations(store.kind).map((migration) => migration.version),
  );
}

const projectedUnderVersion7 = [
  "INSERT INTO beneficiaries (beneficiary_id, full_name, unit_code, folded_name) VALUES ('b-1', 'Bùi Trung Tài', '899', 'BUI TRUNG TAI')",
  "INSERT INTO death_reports (beneficiary_id, import_id, line, unit_code, status) VALUES ('b-1', 'import-1', 3, '899', 'OPEN')",
  "INSERT INTO file_imports (import_id, kind, started_position) VALUES ('import-1', 'IDENTITY_CHECK_ANSWERS', 40)",
  `INSERT INTO projection_checkpoints (projection, position) VALUES ('${PROJECTION_NAME}', 41)`,
];

/**
 * Version 8's cross-province findings come only from events it introduced: the read models
 * projected before stay as they are, at their checkpoint, and take the new rows.
 */
async function expectVersion8KeepsWhatWasProjected(store: ReadModelStore) {
  expect(await store.checkpoint()).toBe(41n);
  expect(await store.query('SELECT beneficiary_id FROM death_reports')).toEqual([{ beneficiary_id: 'b-1' }]);
  expect(await store.query('SELECT import_id FROM file_imports')).toEqual([{ import_id: 'import-1' }]);
  await store.apply(
    [
      {
        kind: 'upsert',
        table: 'cross_province_findings',
        row: { finding_id: 'f-1', beneficiary_id: 'b-1', unit_code: '899', kind: 'ENROLLED_IN_TWO_PROVINCES', program: 'MERITORIOUS', other_provinces: '79', recorded_position: 42, status: 'OPEN' },
      },
    ],
    42n,
  );
  expect(await store.query("SELECT finding_id, program FROM cross_province_findings WHERE status = 'OPEN'")).toEqual([{ finding_id: 'f-1', program: 'MERITORIOUS' }]);
  expect((await store.query<{ version: number }>('SELECT version FROM read_model_migrations ORDER BY version')).map((row) => Number(row.version))).toEqual(
    schemaMigrations(store.kind).map((migration) => migration.version),
  );
}

const projectedUnderVersion8 = [
  "INSERT INTO disbursements (disbursement_id, program, period, unit_code, channel, status, amount) VALUES ('d-1', 'MERITORIOUS', '2024-05', '899', 'BANK', 'PAID', 2789000)",
  "INSERT INTO disbursements (disbursement_id, program, period, unit_code, channel, status, amount) VALUES ('d-2', 'MERITORIOUS', '2024-05', '899', 'BANK', 'PAID', 500000)",
  "INSERT INTO disbursements (disbursement_id, program, period, unit_code, channel, status, amount) VALUES ('d-3', 'MERITORIOUS', '2024-05', '899', 'CASH', 'SENT', 500000)",
  `INSERT INTO projection_checkpoints (projection, position) VALUES ('${PROJECTION_NAME}', 41)`,
];

/**
 * Version 9's disbursement totals are counted from the disbursements already projected, with no
 * replay, and follow every write from then on.
 */
async function expectVersion9CountsWhatWasProjected(store: ReadModelStore) {
  const totals = () => store.query('SELECT channel, status, count, total_amount FROM disbursement_totals ORDER BY channel, status');
  expect(await store.checkpoint()).toBe(41n);
  expect(await totals()).toEqual([
    { channel: 'BANK', status: 'PAID', count: 2, total_amount: 3_289_000 },
    { channel: 'CASH', status: 'SENT', count: 1, total_amount: 500_000 },
  ]);
  await store.apply([{ kind: 'update', table: 'disbursements', where: { disbursement_id: 'd-3' }, set: { status: 'PAID' } }], 42n);
  expect(await totals()).toEqual([
    { channel: 'BANK', status: 'PAID', count: 2, total_amount: 3_289_000 },
    { channel: 'CASH', status: 'PAID', count: 1, total_amount: 500_000 },
  ]);
}

const projectedUnderVersion9 = [
  "INSERT INTO enrollments (beneficiary_id, program, unit_code, status) VALUES ('b-1', 'MERITORIOUS', '899', 'TERMINATED')",
  "INSERT INTO enrollment_spells (beneficiary_id, program, effective_from, started_position, terminated_on) VALUES ('b-1', 'MERITORIOUS', '2024-01', 3, '2024-04-10')",
  "INSERT INTO enrollment_suspensions (beneficiary_id, program, position, suspended_from, resumed_from) VALUES ('b-1', 'MERITORIOUS', 5, '2024-02', '2024-03')",
  "INSERT INTO payment_accounts (account_id, beneficiary_id, status) VALUES ('a-1', 'b-1', 'VERIFIED')",
  "INSERT INTO enrollments (beneficiary_id, program, unit_code, status) VALUES ('b-2', 'MERITORIOUS', '899', 'ACTIVE')",
  "INSERT INTO enrollment_spells (beneficiary_id, program, effective_from, started_position) VALUES ('b-2', 'MERITORIOUS', '2024-03', 7)",
  `INSERT INTO projection_checkpoints (projection, position) VALUES ('${PROJECTION_NAME}', 41)`,
];

/**
 * Version 10's active changes are worked out from the enrollments, spells, suspensions and accounts
 * already projected, with no replay, and follow every write from then on.
 */
async function expectVersion10WorksOutWhatWasProjected(store: ReadModelStore) {
  const changes = async () =>
    (await store.query<{ beneficiary_id: string; period: string; verified: number | boolean; change: number }>('SELECT beneficiary_id, period, verified, change FROM active_enrollment_changes ORDER BY beneficiary_id, period')).map(
      (row) => ({ ...row, verified: row.verified === true || row.verified === 1 }),
    );
  const groups = async () =>
    (await store.query<{ period: string; verified: number | boolean; change: number }>('SELECT period, verified, change FROM active_beneficiary_changes ORDER BY verified, period')).map((row) => ({
      ...row,
      verified: row.verified === true || row.verified === 1,
    }));
  expect(await store.checkpoint()).toBe(41n);
  // b-1: active in January, suspended in February, active again from March, terminated from April.
  expect(await changes()).toEqual([
    { beneficiary_id: 'b-1', period: '2024-01', verified: true, change: 1 },
    { beneficiary_id: 'b-1', period: '2024-02', verified: true, change: -1 },
    { beneficiary_id: 'b-1', period: '2024-03', verified: true, change: 1 },
    { beneficiary_id: 'b-1', period: '2024-04', verified: true, change: -1 },
    { beneficiary_id: 'b-2', period: '2024-03', verified: false, change: 1 },
  ]);
  expect(await groups()).toEqual([
    { period: '2024-03', verified: false, change: 1 },
    { period: '2024-01', verified: true, change: 1 },
    { period: '2024-02', verified: true, change: -1 },
    { period: '2024-03', verified: true, change: 1 },
    { period: '2024-04', verified: true, change: -1 },
  ]);
  // b-2's account is verified: the person's changes move to the verified group.
  await store.apply([{ kind: 'upsert', table: 'payment_accounts', row: { account_id: 'a-2', beneficiary_id: 'b-2', status: 'VERIFIED' } }], 42n);
  expect(await groups()).toEqual([
    { period: '2024-01', verified: true, change: 1 },
    { period: '2024-02', verified: true, change: -1 },
    { period: '2024-03', verified: true, change: 2 },
    { period: '2024-04', verified: true, change: -1 },
  ]);
}

async function expectKeptOnReopen(open: () => Promise<ReadModelStore>) {
  const store = await open();
  await store.apply([{ kind: 'upsert', table: 'beneficiaries', row: { beneficiary_id: 'b-2', unit_code: '900' } }], 7n);
  const reopened = await open();
  expect(await reopened.checkpoint()).toBe(7n);
  expect(await reopened.query('SELECT beneficiary_id FROM beneficiaries')).toEqual([{ beneficiary_id: 'b-2' }]);
}

describe('read-model schema migrations on SQLite', () => {
  it('version 2 empties read models projected without the audit chain, for a replay from zero', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE read_model_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const statement of schemaMigrations('sqlite')[0]!.statements) db.exec(statement);
    for (const statement of projectedUnderVersion1) db.exec(statement);
    db.exec("INSERT INTO read_model_migrations VALUES (1, '2024-01-01T00:00:00Z')");

    await expectReplayFromZero(new SqliteReadModelStore(db));
    db.close();
  });

  it('version 3 adds its tables and columns and empties read models projected under version 2, for a replay from zero', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE read_model_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of schemaMigrations('sqlite').slice(0, 2)) {
      for (const statement of migration.statements) db.exec(statement);
      db.prepare("INSERT INTO read_model_migrations VALUES (?, '2024-01-01T00:00:00Z')").run(migration.version);
    }
    for (const statement of projectedUnderVersion2) db.exec(statement);

    await expectVersion3ReplayFromZero(new SqliteReadModelStore(db));
    db.close();
  });

  it('version 4 adds the folded name and its index, and empties read models projected under version 3, for a replay from zero', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE read_model_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of schemaMigrations('sqlite').slice(0, 3)) {
      for (const statement of migration.statements) db.exec(statement);
      db.prepare("INSERT INTO read_model_migrations VALUES (?, '2024-01-01T00:00:00Z')").run(migration.version);
    }
    for (const statement of projectedUnderVersion3) db.exec(statement);

    await expectVersion4ReplayFromZero(new SqliteReadModelStore(db));
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'beneficiaries'").all().map((row) => row.name);
    expect(indexes).toEqual(expect.arrayContaining(['beneficiaries_by_folded_name_beneficiary_id', 'beneficiaries_by_national_id']));
    db.close();
  });

  it('version 6 adds the death reports and identity-check columns, keeping what was projected under version 5', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE read_model_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of schemaMigrations('sqlite').slice(0, 5)) {
      for (const statement of migration.statements) db.exec(statement);
      db.prepare("INSERT INTO read_model_migrations VALUES (?, '2024-01-01T00:00:00Z')").run(migration.version);
    }
    for (const statement of projectedUnderVersion5) db.exec(statement);

    await expectVersion6KeepsWhatWasProjected(new SqliteReadModelStore(db));
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'death_reports'").all().map((row) => row.name);
    expect(indexes).toEqual(expect.arrayContaining(['death_reports_by_status_reported_position']));
    db.close();
  });

  it('version 8 adds the cross-province findings, keeping what was projected under version 7', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE read_model_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of schemaMigrations('sqlite').slice(0, 7)) {
      for (const statement of migration.statements) db.exec(statement);
      db.prepare("INSERT INTO read_model_migrations VALUES (?, '2024-01-01T00:00:00Z')").run(migration.version);
    }
    for (const statement of projectedUnderVersion7) db.exec(statement);

    await expectVersion8KeepsWhatWasProjected(new SqliteReadModelStore(db));
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cross_province_findings'").all().map((row) => row.name);
    expect(indexes).toEqual(expect.arrayContaining(['cross_province_findings_by_status_recorded_position']));
    db.close();
  });

  it('version 9 counts the disbursement totals from what was projected under version 8, without a replay', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE read_model_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of schemaMigrations('sqlite').slice(0, 8)) {
      for (const statement of migration.statements) db.exec(statement);
      db.prepare("INSERT INTO read_model_migrations VALUES (?, '2024-01-01T00:00:00Z')").run(migration.version);
    }
    for (const statement of projectedUnderVersion8) db.exec(statement);

    await expectVersion9CountsWhatWasProjected(new SqliteReadModelStore(db));
    db.close();
  });

  it('version 10 works out the active changes from what was projected under version 9, without a replay', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE read_model_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of schemaMigrations('sqlite').slice(0, 9)) {
      for (const statement of migration.statements) db.exec(statement);
      db.prepare("INSERT INTO read_model_migrations VALUES (?, '2024-01-01T00:00:00Z')").run(migration.version);
    }
    for (const statement of projectedUnderVersion9) db.exec(statement);

    await expectVersion10WorksOutWhatWasProjected(new SqliteReadModelStore(db));
    db.close();
  });

  it('applies each version once: reopening keeps what was projected', async () => {
    const db = new Database(':memory:');
    await expectKeptOnReopen(async () => new SqliteReadModelStore(db));
    db.close();
  });
});

describeWithPostgres('read-model schema migrations on PostgreSQL', postgres, () => {
  const schema = `scratch_migrations_${randomBytes(4).toString('hex')}`;
  const opened: PostgresReadModelStore[] = [];
  const open = async () => {
    const store = await PostgresReadModelStore.open(postgresUrl(), { schema, maxConnections: 2 });
    opened.push(store);
    return store;
  };
  afterAll(async () => {
    for (const store of opened) await store.close();
    await dropSchema(schema);
  });

  it('version 2 empties read models projected without the audit chain, for a replay from zero', async () => {
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`SET search_path = ${schema}`);
      await client.query('CREATE TABLE read_model_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
      for (const statement of schemaMigrations('postgres')[0]!.statements) await client.query(statement);
      for (const statement of projectedUnderVersion1) await client.query(statement);
      await client.query('INSERT INTO read_model_migrations VALUES (1, now())');
    } finally {
      await client.end();
    }
    await expectReplayFromZero(await open());
  });

  it('version 3 adds its tables and columns and empties read models projected under version 2, for a replay from zero', async () => {
    const version2 = `${schema}_v2`;
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${version2}`);
      await client.query(`SET search_path = ${version2}`);
      await client.query('CREATE TABLE read_model_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
      for (const migration of schemaMigrations('postgres').slice(0, 2)) {
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO read_model_migrations VALUES ($1, now())', [migration.version]);
      }
      for (const statement of projectedUnderVersion2) await client.query(statement);
    } finally {
      await client.end();
    }
    const store = await PostgresReadModelStore.open(postgresUrl(), { schema: version2, maxConnections: 2 });
    try {
      await expectVersion3ReplayFromZero(store);
    } finally {
      await store.close();
      await dropSchema(version2);
    }
  });

  it('version 4 adds the folded name and its index, and empties read models projected under version 3, for a replay from zero', async () => {
    const version3 = `${schema}_v3`;
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${version3}`);
      await client.query(`SET search_path = ${version3}`);
      await client.query('CREATE TABLE read_model_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
      for (const migration of schemaMigrations('postgres').slice(0, 3)) {
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO read_model_migrations VALUES ($1, now())', [migration.version]);
      }
      for (const statement of projectedUnderVersion3) await client.query(statement);
    } finally {
      await client.end();
    }
    const store = await PostgresReadModelStore.open(postgresUrl(), { schema: version3, maxConnections: 2 });
    try {
      await expectVersion4ReplayFromZero(store);
      const indexes = (await store.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'beneficiaries' AND schemaname = ?", [version3])).map((row) => row.indexname);
      expect(indexes).toEqual(expect.arrayContaining(['beneficiaries_by_folded_name_beneficiary_id', 'beneficiaries_by_national_id']));
    } finally {
      await store.close();
      await dropSchema(version3);
    }
  });

  it('version 6 adds the death reports and identity-check columns, keeping what was projected under version 5', async () => {
    const version5 = `${schema}_v5`;
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${version5}`);
      await client.query(`SET search_path = ${version5}`);
      await client.query('CREATE TABLE read_model_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
      for (const migration of schemaMigrations('postgres').slice(0, 5)) {
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO read_model_migrations VALUES ($1, now())', [migration.version]);
      }
      for (const statement of projectedUnderVersion5) await client.query(statement);
    } finally {
      await client.end();
    }
    const store = await PostgresReadModelStore.open(postgresUrl(), { schema: version5, maxConnections: 2 });
    try {
      await expectVersion6KeepsWhatWasProjected(store);
    } finally {
      await store.close();
      await dropSchema(version5);
    }
  });

  it('version 8 adds the cross-province findings, keeping what was projected under version 7', async () => {
    const version7 = `${schema}_v7`;
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${version7}`);
      await client.query(`SET search_path = ${version7}`);
      await client.query('CREATE TABLE read_model_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
      for (const migration of schemaMigrations('postgres').slice(0, 7)) {
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO read_model_migrations VALUES ($1, now())', [migration.version]);
      }
      for (const statement of projectedUnderVersion7) await client.query(statement);
    } finally {
      await client.end();
    }
    const store = await PostgresReadModelStore.open(postgresUrl(), { schema: version7, maxConnections: 2 });
    try {
      await expectVersion8KeepsWhatWasProjected(store);
    } finally {
      await store.close();
      await dropSchema(version7);
    }
  });

  it('version 9 counts the disbursement totals from what was projected under version 8, without a replay', async () => {
    const version8 = `${schema}_v8`;
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${version8}`);
      await client.query(`SET search_path = ${version8}`);
      await client.query('CREATE TABLE read_model_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
      for (const migration of schemaMigrations('postgres').slice(0, 8)) {
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO read_model_migrations VALUES ($1, now())', [migration.version]);
      }
      for (const statement of projectedUnderVersion8) await client.query(statement);
    } finally {
      await client.end();
    }
    const store = await PostgresReadModelStore.open(postgresUrl(), { schema: version8, maxConnections: 2 });
    try {
      await expectVersion9CountsWhatWasProjected(store);
    } finally {
      await store.close();
      await dropSchema(version8);
    }
  });

  it('version 10 works out the active changes from what was projected under version 9, without a replay', async () => {
    const version9 = `${schema}_v9`;
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${version9}`);
      await client.query(`SET search_path = ${version9}`);
      await client.query('CREATE TABLE read_model_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
      for (const migration of schemaMigrations('postgres').slice(0, 9)) {
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO read_model_migrations VALUES ($1, now())', [migration.version]);
      }
      for (const statement of projectedUnderVersion9) await client.query(statement);
    } finally {
      await client.end();
    }
    const store = await PostgresReadModelStore.open(postgresUrl(), { schema: version9, maxConnections: 2 });
    try {
      await expectVersion10WorksOutWhatWasProjected(store);
    } finally {
      await store.close();
      await dropSchema(version9);
    }
  });

  it('applies each version once: reopening keeps what was projected', async () => {
    await expectKeptOnReopen(open);
  });
});
