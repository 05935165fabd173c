/** One read of a person's data (or of a payment file), as the API answered it. */
export interface AccessRecord {
  readonly recordedAt: Date;
  /** The caller's `sub`. */
  readonly actor: string;
  readonly actorRole: string;
  /** Method and route template: `GET /v1/beneficiaries/:beneficiaryId`. */
  readonly route: string;
  /** The person read; null for a payment file. */
  readonly beneficiaryId: string | null;
  /** The payment file read: its payroll run and paying agent (a bank code or POST_OFFICE). */
  readonly payrollRunId: string | null;
  readonly payingAgent: string | null;
  /** Shared by the records of one request. */
  readonly correlationId: string | null;
}

/** A record as auditors read it back: its number in the log, as a string (the page cursor), and its time as ISO text. */
export type AccessLogEntry = Omit<AccessRecord, 'recordedAt'> & { readonly id: string; readonly recordedAt: string };

export interface AccessLogFilter {
  readonly beneficiaryId?: string;
  readonly actor?: string;
  /** Records at or after this instant. */
  readonly from?: Date;
  /** Records before this instant. */
  readonly to?: Date;
  /** Records after this one (a page's `next`). */
  readonly after?: bigint;
  readonly limit: number;
}

export interface AccessLogPage {
  readonly items: AccessLogEntry[];
  /** The cursor of the next page, null on the last. */
  readonly next: string | null;
}

/** Where the access log is kept: a table beside the read models (SQLite or PostgreSQL). */
export interface AccessLogStore {
  /** Appends the records in one transaction, durable once the promise resolves. */
  append(records: readonly AccessRecord[]): Promise<void>;
  page(filter: AccessLogFilter): Promise<AccessLogPage>;
  close(): Promise<void>;
}

/** Column order of the table's rows as the stores write them (the key is the database's). */
export const ACCESS_LOG_COLUMNS = ['recorded_at', 'actor', 'actor_role', 'route', 'beneficiary_id', 'payroll_run_id', 'paying_agent', 'correlation_id'] as const;

export const accessRecordRow = (record: AccessRecord): Array<string | null> => [
  record.recordedAt.toISOString(),
  record.actor,
  record.actorRole,
  record.route,
  record.beneficiaryId,
  record.payrollRunId,
  record.payingAgent,
  record.correlationId,
];

export interface AccessLogRow {
  readonly id: bigint | number | string;
  readonly recorded_at: string;
  readonly actor: string;
  readonly actor_role: string;
  readonly route: string;
  readonly beneficiary_id: string | null;
  readonly payroll_run_id: string | null;
  readonly paying_agent: string | null;
  readonly correlation_id: string | null;
}

/**
 * The WHERE clause of a page, with `?` placeholders, and its parameters. Instants are compared as
 * the ISO text they are stored as (UTC, milliseconds: text order is time order).
 */
export function accessLogWhere({ beneficiaryId, actor, from, to, after }: AccessLogFilter): { where: string; parameters: Array<string> } {
  const conditions: string[] = [];
  const parameters: string[] = [];
  const add = (condition: string, value: string) => (conditions.push(condition), parameters.push(value));
  if (after !== undefined) add('id > ?', after.toString());
  if (beneficiaryId !== undefined) add('beneficiary_id = ?', beneficiaryId);
  if (actor !== undefined) add('actor = ?', actor);
  if (from !== undefined) add('recorded_at >= ?', from.toISOString());
  if (to !== undefined) add('recorded_at < ?', to.toISOString());
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}

export function accessLogPage(rows: readonly AccessLogRow[], limit: number): AccessLogPage {
  const items = rows.slice(0, limit).map(
    (row): AccessLogEntry => ({
      id: String(row.id),
      recordedAt: row.recorded_at,
      actor: row.actor,
      actorRole: row.actor_role,
      route: row.route,
      beneficiaryId: row.beneficiary_id,
      payrollRunId: row.payroll_run_id,
      payingAgent: row.paying_agent,
      correlationId: row.correlation_id,
    }),
  );
  return { items, next: rows.length > limit ? items.at(-1)!.id : null };
}

interface Waiting {
  readonly records: readonly AccessRecord[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The access log as the API writes it: records group-committed. Every read waits until its records
 * are durable before it is answered (a read the log cannot record is not answered at all), so the
 * cost is a commit per read; group commit shares one commit, and its fsync, among all the reads
 * that arrive meanwhile: those of one event-loop turn, and on PostgreSQL all of those that arrive
 * while the previous commit is under way.
 */
export class AccessLog {
  private waiting: Waiting[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: AccessLogStore,
    /** Most records per transaction. */
    private readonly maxBatch = 2_000,
  ) {}

  /** Resolves once the records are durable; rejects if they could not be written. */
  record(records: readonly AccessRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
    });
  }

  page(filter: AccessLogFilter): Promise<AccessLogPage> {
    return this.store.page(filter);
  }

  /** Writes what is waiting, then closes the store. */
  async close(): Promise<void> {
    await this.flushing;
    await this.store.close();
  }

  private async flush(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        let count = 0;
        let taken = 0;
        while (taken < this.waiting.length && (taken === 0 || count + this.waiting[taken]!.records.length <= this.maxBatch)) count += this.waiting[taken++]!.records.length;
        const batch = this.waiting.splice(0, taken);
        await this.commit(batch);
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** One transaction for the batch; if it fails, each read's records on their own, so that one bad record fails only its own read. */
  private async commit(batch: readonly Waiting[]): Promise<void> {
    try {
      await this.store.append(batch.flatMap((waiting) => waiting.records));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const waiting of batch) await this.commit([waiting]);
    }
  }
}
