import type pg from 'pg';
import type { CrossProvinceFindingKind, IntegrationEvent } from '@ledger/integration-events';
import { batchEffectsOf, type BatchEffects } from '../ingest/batch-effects.js';
import { findingsOf, findingStatusOf, noticeFor, type CrossProvinceOverlap, type FindingRow } from '../ingest/cross-province-findings.js';
import type { ReadMessage } from '../ingest/integration-event-reading.js';
import { arrayLiteral, type HubDatabase } from './hub-database.js';

/** One JetStream message of a batch, read. */
export interface ConsumedMessage {
  readonly streamSequence: number;
  readonly subject: string;
  readonly read: ReadMessage;
}

export interface BatchOutcome {
  /** Events seen for the first time: their effects are in the tables. */
  readonly applied: number;
  /** Events the inbox already held (a redelivery, a republication) or that came twice in the batch. */
  readonly duplicates: number;
  readonly refused: number;
  /** Findings seen for the first time in this batch. */
  readonly newFindings: ReadonlyArray<{ readonly findingId: string; readonly kind: CrossProvinceFindingKind }>;
  /** Notices written to the outbox, one per new party. */
  readonly notices: number;
  /** Resolutions of a finding and province the hub does not know (or older than the one it holds). */
  readonly unmatchedResolutions: number;
  /** The greatest stream sequence of the batch: the checkpoint holds it, or a greater one. */
  readonly checkpoint: number;
}

/**
 * Applies a batch of messages in one PostgreSQL transaction: the inbox lets through the events it
 * has not seen, their effects are written in a few multi-row statements (whatever the batch's
 * size), findings are looked for among the person keys they touched, notices of new parties go to
 * the outbox, and the checkpoint moves. Either all of it commits or none of it does; the caller
 * acknowledges the messages only after the commit, so a crash in between is a redelivery the
 * inbox then ignores.
 */
export class BatchWriter {
  constructor(
    private readonly database: HubDatabase,
    private readonly consumer: string,
  ) {}

  async write(messages: readonly ConsumedMessage[], now: Date): Promise<BatchOutcome> {
    const firstOfEachId = new Map<string, { event: IntegrationEvent; streamSequence: number }>();
    const refused: Array<{ streamSequence: number; subject: string; eventId: string | null; reason: string }> = [];
    let checkpoint = 0;
    for (const message of messages) {
      checkpoint = Math.max(checkpoint, message.streamSequence);
      if (message.read.kind === 'refused') refused.push({ streamSequence: message.streamSequence, subject: message.subject, eventId: message.read.eventId, reason: message.read.reason });
      else if (!firstOfEachId.has(message.read.event.id)) firstOfEachId.set(message.read.event.id, { event: message.read.event, streamSequence: message.streamSequence });
    }
    const stamp = now.toISOString();

    // Batches commit one after another even with two hubs on the consumer, so that the findings
    // query of one batch sees every row of the batches before it.
    const lock = `SELECT pg_advisory_xact_lock(hashtext('national-hub-batches:${this.database.schema}'))`;
    return this.database.inTransaction(
      async (client) => {
        const candidates = [...firstOfEachId.entries()];
        const { rows: admitted } = await client.query<{ event_id: string }>({
          name: 'hub-inbox-and-checkpoint',
          text: `WITH checkpoint AS (
                   INSERT INTO consumer_checkpoints AS c (consumer, stream_sequence, updated_at) VALUES ($3, $4, $5)
                   ON CONFLICT (consumer) DO UPDATE SET stream_sequence = GREATEST(c.stream_sequence, excluded.stream_sequence), updated_at = excluded.updated_at
                 )
                 INSERT INTO inbox (event_id, stream_sequence) SELECT * FROM UNNEST($1::uuid[], $2::bigint[]) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
          values: [arrayLiteral(candidates.map(([id]) => id)), arrayLiteral(candidates.map(([, { streamSequence }]) => streamSequence)), this.consumer, checkpoint, stamp],
        });
        const admittedIds = new Set(admitted.map((row) => row.event_id));
        const effects = batchEffectsOf(candidates.filter(([id]) => admittedIds.has(id)).map(([, { event }]) => event));

        await writeSnapshots(client, effects);
        const resolved = await writeResolutions(client, effects, stamp);
        const { newFindings, newParties } = await writeFindings(client, await findOverlaps(client, effects), now, stamp);
        await refreshStatuses(client, [...resolved.findingIds, ...newParties.map((party) => party.findingId)], stamp);
        if (refused.length > 0) {
          await client.query({
            name: 'hub-refused',
            text: `INSERT INTO refused_messages (stream_sequence, subject, event_id, reason, refused_at)
                   SELECT r.*, $5::timestamptz FROM UNNEST($1::bigint[], $2::text[], $3::uuid[], $4::text[]) AS r ON CONFLICT (stream_sequence) DO NOTHING`,
            values: [arrayLiteral(refused.map((r) => r.streamSequence)), arrayLiteral(refused.map((r) => r.subject)), arrayLiteral(refused.map((r) => r.eventId)), arrayLiteral(refused.map((r) => r.reason)), stamp],
          });
        }
        return {
          applied: admittedIds.size,
          duplicates: messages.length - refused.length - admittedIds.size,
          refused: refused.length,
          newFindings,
          notices: newParties.length,
          unmatchedResolutions: effects.resolutions.length - resolved.matched,
          checkpoint,
        };
      },
      { prelude: lock },
    );
  }
}

/**
 * Only where a row of this batch entered a standing that can make a finding: an enrollment that
 * became ACTIVE or SUSPENDED, a disbursement that became PAID. Anything else cannot start one.
 */
async function findOverlaps(client: pg.PoolClient, effects: BatchEffects): Promise<CrossProvinceOverlap[]> {
  const queries: SqlPiece[] = [];
  if (effects.personKeysNowEnrolled.length > 0) {
    queries.push({
      key: 'enrolled',
      sql: `SELECT 'ENROLLED_IN_TWO_PROVINCES' AS kind, person_key, program, NULL::text AS period,
                   array_agg(province ORDER BY province, beneficiary_ref) AS provinces, array_agg(beneficiary_ref::text ORDER BY province, beneficiary_ref) AS refs
            FROM enrollments WHERE person_key = ANY($1::text[]) AND status IN ('ACTIVE', 'SUSPENDED')
            GROUP BY person_key, program HAVING count(DISTINCT province) > 1`,
      values: [arrayLiteral(effects.personKeysNowEnrolled)],
    });
  }
  if (effects.personKeysNowPaid.length > 0) {
    queries.push({
      key: 'paid',
      sql: `SELECT 'PAID_IN_TWO_PROVINCES' AS kind, person_key, program, period,
                   array_agg(province ORDER BY province, beneficiary_ref) AS provinces, array_agg(beneficiary_ref::text ORDER BY province, beneficiary_ref) AS refs
            FROM disbursements WHERE person_key = ANY($1::text[]) AND status = 'PAID'
            GROUP BY person_key, program, period HAVING count(DISTINCT province) > 1`,
      values: [arrayLiteral(effects.personKeysNowPaid)],
    });
  }
  if (queries.length === 0) return [];
  const { rows } = await client.query<{ kind: CrossProvinceFindingKind; person_key: string; program: string; period: string | null; provinces: string[]; refs: string[] }>(
    combined('hub-overlaps', queries, (parts) => parts.map((part) => `(${part})`).join(' UNION ALL ')),
  );
  return rows.map((row) => ({ kind: row.kind, personKey: row.person_key, program: row.program, period: row.period, standings: row.provinces.map((province, index) => ({ province, beneficiaryRef: row.refs[index]! })) }));
}

/** Snapshots overwrite what the hub holds only when they come from later in the province's log. */
async function writeSnapshots(client: pg.PoolClient, { disbursements, enrollments, accountsOpened }: BatchEffects): Promise<void> {
  const writes: SqlPiece[] = [];
  if (disbursements.length > 0) {
    const column = <K extends keyof (typeof disbursements)[number]>(key: K) => arrayLiteral(disbursements.map((row) => row[key] as string | number | bigint | boolean | null));
    writes.push({
      key: 'disbursements',
      sql: `INSERT INTO disbursements AS d (province, disbursement_ref, person_key, beneficiary_ref, program, period, unit_code, amount, channel, bank_code, status, attempt, arrears, source_position)
            SELECT * FROM UNNEST($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::boolean[], $14::bigint[])
            ON CONFLICT (province, disbursement_ref) DO UPDATE SET
              person_key = excluded.person_key, beneficiary_ref = excluded.beneficiary_ref, program = excluded.program, period = excluded.period,
              unit_code = excluded.unit_code, amount = excluded.amount, channel = excluded.channel, bank_code = excluded.bank_code, status = excluded.status,
              attempt = excluded.attempt, arrears = excluded.arrears, source_position = excluded.source_position
            WHERE d.source_position < excluded.source_position`,
      values: (['province', 'disbursementRef', 'personKey', 'beneficiaryRef', 'program', 'period', 'unitCode', 'amount', 'channel', 'bankCode', 'status', 'attempt', 'arrears', 'sourcePosition'] as const).map(column),
    });
  }
  if (enrollments.length > 0) {
    const column = <K extends keyof (typeof enrollments)[number]>(key: K) => arrayLiteral(enrollments.map((row) => row[key] as string | bigint));
    writes.push({
      key: 'enrollments',
      sql: `INSERT INTO enrollments AS e (province, beneficiary_ref, program, person_key, unit_code, status, source_position)
            SELECT * FROM UNNEST($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
            ON CONFLICT (province, beneficiary_ref, program) DO UPDATE SET
              person_key = excluded.person_key, unit_code = excluded.unit_code, status = excluded.status, source_position = excluded.source_position
            WHERE e.source_position < excluded.source_position`,
      values: (['province', 'beneficiaryRef', 'program', 'personKey', 'unitCode', 'status', 'sourcePosition'] as const).map(column),
    });
  }
  if (accountsOpened.length > 0) {
    writes.push({
      key: 'accounts',
      sql: `INSERT INTO bank_accounts_opened AS a (province, bank_code, opened) SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])
            ON CONFLICT (province, bank_code) DO UPDATE SET opened = a.opened + excluded.opened`,
      values: [arrayLiteral(accountsOpened.map((row) => row.province)), arrayLiteral(accountsOpened.map((row) => row.bankCode)), arrayLiteral(accountsOpened.map((row) => row.opened))],
    });
  }
  if (writes.length === 0) return;
  // One statement, one round trip: the tables are distinct, so the writes cannot see or disturb each other.
  await client.query(combined('hub-snapshots', writes, (parts) => (parts.length === 1 ? parts[0]! : `WITH ${parts.slice(0, -1).map((part, index) => `w${index} AS (${part})`).join(', ')} ${parts.at(-1)}`)));
}

/** One SQL statement of a batch, with its own $1…$n. */
interface SqlPiece {
  readonly key: string;
  readonly sql: string;
  readonly values: readonly unknown[];
}

/**
 * Pieces joined into one statement by `join`, their parameters numbered on: a batch's statements
 * are a few shapes, each prepared once per connection under its own name.
 */
function combined(name: string, pieces: readonly SqlPiece[], join: (parts: string[]) => string): pg.QueryConfig {
  let offset = 0;
  const parts = pieces.map((piece) => {
    const first = offset;
    offset += piece.values.length;
    return piece.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + first}`);
  });
  return { name: `${name}-${pieces.map((piece) => piece.key).join('-')}`, text: join(parts), values: pieces.flatMap((piece) => piece.values) };
}

/** A province's decision on its side of a finding; a later decision of the same province replaces an earlier one. */
async function writeResolutions(client: pg.PoolClient, { resolutions }: BatchEffects, stamp: string): Promise<{ findingIds: string[]; matched: number }> {
  if (resolutions.length === 0) return { findingIds: [], matched: 0 };
  const { rows } = await client.query<{ finding_id: string }>({
    name: 'hub-resolutions',
    text: `UPDATE finding_parties AS p SET decision = r.decision, resolved_at = $5, resolved_position = r.position
           FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::bigint[]) AS r(finding_id, province, decision, position)
           WHERE p.finding_id = r.finding_id AND p.province = r.province AND (p.resolved_position IS NULL OR p.resolved_position < r.position)
           RETURNING p.finding_id`,
    values: [
      arrayLiteral(resolutions.map((r) => r.findingId)),
      arrayLiteral(resolutions.map((r) => r.province)),
      arrayLiteral(resolutions.map((r) => r.decision)),
      arrayLiteral(resolutions.map((r) => r.sourcePosition)),
      stamp,
    ],
  });
  return { findingIds: rows.map((row) => row.finding_id), matched: rows.length };
}

async function writeFindings(
  client: pg.PoolClient,
  overlaps: readonly CrossProvinceOverlap[],
  now: Date,
  stamp: string,
): Promise<{ newFindings: Array<{ findingId: string; kind: CrossProvinceFindingKind }>; newParties: Array<{ findingId: string; province: string }> }> {
  if (overlaps.length === 0) return { newFindings: [], newParties: [] };
  const detected = findingsOf(overlaps);
  const findingColumn = <K extends keyof FindingRow>(key: K) => arrayLiteral(detected.findings.map((row) => row[key]));
  const { rows: newFindings } = await client.query<{ finding_id: string; kind: CrossProvinceFindingKind }>({
    name: 'hub-findings',
    text: `INSERT INTO findings (finding_id, kind, person_key, program, period, status, found_at)
           SELECT f.*, 'OPEN', $6::timestamptz FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS f
           ON CONFLICT (finding_id) DO NOTHING RETURNING finding_id, kind`,
    values: [findingColumn('findingId'), findingColumn('kind'), findingColumn('personKey'), findingColumn('program'), findingColumn('period'), stamp],
  });
  const { rows: newParties } = await client.query<{ finding_id: string; province: string; beneficiary_ref: string }>({
    name: 'hub-finding-parties',
    text: `INSERT INTO finding_parties (finding_id, province, beneficiary_ref, joined_at)
           SELECT p.*, $4::timestamptz FROM UNNEST($1::uuid[], $2::text[], $3::uuid[]) AS p
           ON CONFLICT (finding_id, province) DO NOTHING RETURNING finding_id, province, beneficiary_ref`,
    values: [arrayLiteral(detected.parties.map((p) => p.findingId)), arrayLiteral(detected.parties.map((p) => p.province)), arrayLiteral(detected.parties.map((p) => p.beneficiaryRef)), stamp],
  });
  if (newParties.length > 0) {
    const notices = newParties.map((party) => noticeFor({ findingId: party.finding_id, province: party.province, beneficiaryRef: party.beneficiary_ref }, detected.overlaps.get(party.finding_id)!, now));
    await client.query({
      name: 'hub-finding-notices',
      text: `INSERT INTO finding_notices (finding_id, province, notice, created_at)
             SELECT n.*, $4::timestamptz FROM UNNEST($1::uuid[], $2::text[], $3::text[]) AS n ON CONFLICT (finding_id, province) DO NOTHING`,
      values: [arrayLiteral(notices.map((n) => n.findingId)), arrayLiteral(notices.map((n) => n.province)), arrayLiteral(notices.map((n) => JSON.stringify(n))), stamp],
    });
  }
  return {
    newFindings: newFindings.map((row) => ({ findingId: row.finding_id, kind: row.kind })),
    newParties: newParties.map((row) => ({ findingId: row.finding_id, province: row.province })),
  };
}

/** OPEN or RESOLVED by the rule of findingStatusOf, for the findings this batch touched. */
async function refreshStatuses(client: pg.PoolClient, findingIds: readonly string[], stamp: string): Promise<void> {
  if (findingIds.length === 0) return;
  const { rows } = await client.query<{ finding_id: string; decision: string | null }>({
    name: 'hub-finding-party-decisions',
    text: 'SELECT finding_id, decision FROM finding_parties WHERE finding_id = ANY($1::uuid[])',
    values: [arrayLiteral([...new Set(findingIds)])],
  });
  const parties = new Map<string, Array<{ decision: string | null }>>();
  for (const row of rows) {
    let ofFinding = parties.get(row.finding_id);
    if (!ofFinding) parties.set(row.finding_id, (ofFinding = []));
    ofFinding.push(row);
  }
  const statuses = [...parties.entries()].map(([findingId, ofFinding]) => [findingId, findingStatusOf(ofFinding)] as const);
  await client.query({
    name: 'hub-finding-statuses',
    text: `UPDATE findings AS f SET status = s.status, resolved_at = CASE WHEN s.status = 'RESOLVED' THEN COALESCE(f.resolved_at, $3::timestamptz) END
           FROM UNNEST($1::uuid[], $2::text[]) AS s(finding_id, status) WHERE f.finding_id = s.finding_id`,
    values: [arrayLiteral(statuses.map(([id]) => id)), arrayLiteral(statuses.map(([, status]) => status)), stamp],
  });
}
