// npm run bench:verify — verifying the audit chain over a log of at least a million events
// (BENCH_EVENTS to scale): the stored events are re-hashed in commit order and compared, link by
// link, with the recorded chain and with a signed digest, exactly as POST /v1/audit/verify and
// `npm run ledger -- verify` do. Target: 200,000 events/s or more.
//
// The log is written straight into a scratch SQLite file (raw rows shaped like the ledger's events:
// beneficiaries enrolled, disbursements scheduled, sent and paid), and its recorded chain computed
// alongside, by a child process; verification then runs in this process, so the peak RSS printed is
// the verifier's own. BENCH_EVENTS_FILE=path keeps the generated file (or reuses it if it exists).
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { EVENTS_SCHEMA, SqliteEventStore } from '../libs/event-store/src/index.js';
import { ChainHasher, PROJECTION_NAME, signDigest, sqliteChainPages, SqliteReadModelStore, verifyLog, type ChainFields } from '../libs/read-models/src/index.js';
import { TamperEvidence } from '../apps/ledger-api/src/audit/tamper-evidence.js';
import { formatRate, machineLine, printTable, scratchDirectory, timed } from './bench-kit.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);

if (process.argv[2] === '--generate') {
  await generate(process.argv[3]!, Number(process.argv[4]));
  process.exit(0);
}

const file = process.env.BENCH_EVENTS_FILE ?? join(scratchDirectory('verify'), 'ledger.sqlite');
if (!existsSync(file)) {
  const { seconds } = await timed(() => runChild(file, EVENTS));
  console.log(`generated ${EVENTS.toLocaleString('en-US')} events and their chain in ${seconds.toFixed(1)} s`);
}

// Sampled while the verifier runs (it yields between pages), beside the process's own high-water mark.
let sampledPeak = process.memoryUsage().rss;
const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 20);

const store = SqliteEventStore.open(file);
const readModels = new SqliteReadModelStore(store.db);
const head = await store.headPosition();
const [{ hash }] = await readModels.query<{ hash: string }>('SELECT hash FROM audit_chain WHERE position = ?', [head.toString()]);
const key = generateKeyPairSync('ed25519');
const publicKeyPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const digest = signDigest({ position: head.toString(), hash: hash! }, key.privateKey);
const evidence = new TamperEvidence(store, readModels, { ...key, publicKeyPem, source: 'environment', created: false });

const cpuBefore = process.cpuUsage();
const full = await timed(() => evidence.verify([{ label: 'digest', digest }]));
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
if (!full.result.ok || full.result.eventsChecked !== Number(head)) throw new Error(`verification failed: ${JSON.stringify(full.result)}`);
const verifyPeak = sampledPeak;
const verifyMaxRss = process.resourceUsage().maxRSS / 1024;
const load = loadavg()[0]!;

// The same walk through the event-store port (rows parsed, then re-serialised), on a sample: why the SQLite path reads raw rows.
const throughThePort = { readAll: store.readAll.bind(store) } as unknown as SqliteEventStore;
const portSample = Math.min(Number(head), 200_000);
const portPosition = (await store.readAll({ after: BigInt(portSample - 1), maxCount: 1 }))[0]!.globalPosition.toString();
const [{ hash: portHash }] = await readModels.query<{ hash: string }>('SELECT hash FROM audit_chain WHERE position = ?', [portPosition]);
const port = await timed(() => verifyLog(throughThePort, readModels, [{ label: 'digest', position: portPosition, hash: portHash! }]));
if (!port.result.ok) throw new Error(`verification through the port failed: ${JSON.stringify(port.result)}`);

clearInterval(sampler);
await store.close();

const rate = full.result.eventsChecked / full.seconds;
printTable(`Audit chain verification — ${machineLine()}`, ['run', 'events', 'seconds', 'events/s'], [
  ['verify a digest: raw SQLite rows, recorded chain and digest compared (API and CLI path)', full.result.eventsChecked.toLocaleString('en-US'), full.seconds.toFixed(2), formatRate(rate)],
  ['the same walk through the event-store port (parse + re-serialise)', port.result.eventsChecked.toLocaleString('en-US'), port.seconds.toFixed(2), formatRate(port.result.eventsChecked / port.seconds)],
]);
console.log(`\nverification: ${formatRate(full.result.eventsChecked / cpuSeconds)} events per CPU-second over all its threads (${cpuSeconds.toFixed(1)} CPU-s); load average when it ended: ${load.toFixed(1)} on ${availableParallelism()} CPUs`);
console.log(`peak RSS of the verifying process, worker threads included: ${verifyMaxRss.toFixed(0)} MiB (sampled: ${(verifyPeak / 2 ** 20).toFixed(0)} MiB)`);
console.log(`target ≥ 200,000 events/s over ≥ 1,000,000 events: ${rate >= 200_000 && full.result.eventsChecked >= 1_000_000 ? 'met' : 'NOT met'}`);

function runChild(path: string, events: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--generate', path, String(events)], { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the generator exited with ${code}`))));
  });
}

/**
 * A province's log, written as the SQLite event store writes it (JSON.stringify of data and
 * metadata, a group commit's time on its events), four events per beneficiary: registration,
 * enrollment, and a disbursement scheduled and paid. The recorded chain is computed from the same
 * rows with the projector's hasher, as a rebuild would (bench:rebuild measures the projection).
 */
async function generate(path: string, events: number): Promise<void> {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec(EVENTS_SCHEMA);
  new SqliteReadModelStore(db);
  const createStream = db.prepare<[string, number], { stream_id: number }>('INSERT INTO streams (stream_name, revision) VALUES (?, ?) RETURNING stream_id');
  const insert = db.prepare('INSERT INTO events (stream_id, stream_revision, event_id, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const start = Date.UTC(2024, 0, 1);
  const people = Math.ceil(events / 4);
  let written = 0;
  const write = db.transaction((from: number, to: number) => {
    for (let n = from; n < to && written < events; n++) {
      const beneficiaryId = randomUUID();
      const disbursementId = randomUUID();
      const unitCode = String(899 + (n % 16));
      const at = start + Math.floor(n / 250) * 1_000; // a group commit records one instant for its appends
      const metadata = (command: string) => JSON.stringify({ actorId: 'lan.operator', actorRole: 'operator', command, correlationId: randomUUID(), causationId: randomUUID(), idempotencyKey: randomUUID() });
      const beneficiary = createStream.get(`beneficiary-${beneficiaryId}`, 1)!.stream_id;
      const nationalId = `0910520${String(n % 100_000).padStart(5, '0')}`;
      const stored: Array<[number, number, string, string]> = [
        [beneficiary, 0, 'BeneficiaryRegistered', JSON.stringify({ beneficiaryId, nationalId, fullName: 'Nguyễn Văn An', dateOfBirth: '1952-03-14', gender: 'MALE', unitCode })],
        [beneficiary, 1, 'EnrollmentStarted', JSON.stringify({ beneficiaryId, program: 'MERITORIOUS', unitCode, coefficient: 1000, effectiveFrom: '2024-01', decision: { number: `${n}/QĐ-UBND`, date: '2023-12-20' } })],
      ];
      const disbursement = createStream.get(`disbursement-${disbursementId}`, 1)!.stream_id;
      stored.push(
        [disbursement, 0, 'DisbursementScheduled', JSON.stringify({ disbursementId, beneficiaryId, program: 'MERITORIOUS', period: '2024-01', unitCode, amount: 2_055_000, channel: 'CASH', account: null, dueDate: '2024-01-10', arrears: false, payrollRunId: randomUUID(), attempt: 1 })],
        [disbursement, 1, 'DisbursementPaid', JSON.stringify({ attempt: 1, providerReference: `PO24010${String(n).padStart(7, '0')}`, paidAt: '2024-01-05T02:30:00.000Z', amount: 2_055_000, daysLate: 0 })],
      );
      for (const [stream, revision, type, data] of stored) {
        if (written >= events) break;
        insert.run(stream, revision, randomUUID(), type, 1, data, metadata(type), at);
        written++;
      }
    }
  });
  for (let from = 0; from < people; from += 10_000) write(from, from + 10_000);

  // The recorded chain, with the projector's hasher over the same rows; and the checkpoint with it.
  const hasher = new ChainHasher();
  const link = db.prepare('INSERT INTO audit_chain (position, hash) VALUES (?, ?)');
  let last = '-1';
  for await (const { events } of sqliteChainPages(db, { upTo: BigInt(written) })) {
    db.transaction((rows: readonly ChainFields[]) => {
      for (const fields of rows) link.run(fields[0], hasher.nextHex(fields));
    })(events);
    if (events.length) last = events.at(-1)![0];
  }
  db.prepare('INSERT INTO projection_checkpoints (projection, position) VALUES (?, ?)').run(PROJECTION_NAME, last);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
