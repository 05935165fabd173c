/**
 * The hub's tables, as numbered migrations in plain SQL. Append-only: a change is a new version,
 * never an edit of one a hub may already have applied (hub_migrations records which).
 *
 * Every table is a function of the integration events the inbox let through, so the hub can be
 * rebuilt by dropping the schema and replaying the stream from its start.
 */
export interface HubMigration {
  readonly version: number;
  readonly statements: readonly string[];
}

export const HUB_MIGRATIONS: readonly HubMigration[] = [
  {
    version: 1,
    statements: [
      // Every integration event applied, by id: a redelivery, or the same event published again
      // after JetStream's duplicate window, finds its id here and changes nothing.
      `CREATE TABLE inbox (
        event_id uuid PRIMARY KEY,
        stream_sequence bigint NOT NULL
      )`,
      // The last stream sequence a consumer's batches reached, written in the batch's transaction.
      `CREATE TABLE consumer_checkpoints (
        consumer text PRIMARY KEY,
        stream_sequence bigint NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      // Messages that broke the contract: where they were and why, never what they carried.
      `CREATE TABLE refused_messages (
        stream_sequence bigint PRIMARY KEY,
        subject text NOT NULL,
        event_id uuid,
        reason text NOT NULL,
        refused_at timestamptz NOT NULL
      )`,
      `CREATE TABLE disbursements (
        province text NOT NULL,
        disbursement_ref uuid NOT NULL,
        person_key text NOT NULL,
        beneficiary_ref uuid NOT NULL,
        program text NOT NULL,
        period text NOT NULL,
        unit_code text NOT NULL,
        amount bigint NOT NULL,
        channel text NOT NULL,
        bank_code text,
        status text NOT NULL,
        attempt integer NOT NULL,
        arrears boolean NOT NULL,
        source_position bigint NOT NULL,
        PRIMARY KEY (province, disbursement_ref)
      )`,
      'CREATE INDEX disbursements_by_period ON disbursements (period, province, program)',
      // Only paid disbursements can make a PAID_IN_TWO_PROVINCES finding.
      "CREATE INDEX disbursements_paid_by_person ON disbursements (person_key, program, period) WHERE status = 'PAID'",
      `CREATE TABLE enrollments (
        province text NOT NULL,
        beneficiary_ref uuid NOT NULL,
        program text NOT NULL,
        person_key text NOT NULL,
        unit_code text NOT NULL,
        status text NOT NULL,
        source_position bigint NOT NULL,
        PRIMARY KEY (province, beneficiary_ref, program)
      )`,
      "CREATE INDEX enrollments_standing_by_person ON enrollments (person_key, program) WHERE status IN ('ACTIVE', 'SUSPENDED')",
      `CREATE TABLE bank_accounts_opened (
        province text NOT NULL,
        bank_code text NOT NULL,
        opened bigint NOT NULL,
        PRIMARY KEY (province, bank_code)
      )`,
      `CREATE TABLE findings (
        finding_id uuid PRIMARY KEY,
        kind text NOT NULL,
        person_key text NOT NULL,
        program text NOT NULL,
        period text,
        status text NOT NULL,
        found_at timestamptz NOT NULL,
        resolved_at timestamptz
      )`,
      'CREATE INDEX findings_by_status ON findings (status, found_at, finding_id)',
      'CREATE INDEX findings_by_found_at ON findings (found_at, finding_id)',
      `CREATE TABLE finding_parties (
        finding_id uuid NOT NULL REFERENCES findings,
        province text NOT NULL,
        beneficiary_ref uuid NOT NULL,
        joined_at timestamptz NOT NULL,
        decision text,
        resolved_at timestamptz,
        resolved_position bigint,
        PRIMARY KEY (finding_id, province)
      )`,
      // The outbox: a notice is written with the finding, in the batch's transaction, and
      // published to its province by the relay, which marks it once JetStream has it.
      `CREATE TABLE finding_notices (
        finding_id uuid NOT NULL,
        province text NOT NULL,
        notice text NOT NULL,
        created_at timestamptz NOT NULL,
        published_at timestamptz,
        PRIMARY KEY (finding_id, province)
      )`,
      'CREATE INDEX finding_notices_unpublished ON finding_notices (created_at, finding_id, province) WHERE published_at IS NULL',
    ],
  },
];
