import pg from 'pg';

/**
 * The advisory lock's two keys: a constant class ('LEDG'), so that no other advisory lock of the
 * ledger (the read models' migration lock takes the one-key form) can collide with it, and the
 * read models' database and schema, so that two provinces on one server each have their own lead.
 */
const LEAD_CLASS = 0x4c454447;
export const LEAD_KEY_SQL = `SELECT ${LEAD_CLASS} AS class, hashtext('ledger-projector:' || current_database() || ':' || current_schema()) AS key, current_database() || '.' || current_schema() AS scope`;

/** How often a leader makes sure its lock connection still lives, and how long an answer may take. */
const HEARTBEAT_MS = 1_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

/**
 * One projector process's claim on the lead over a province's read models: a session-level
 * PostgreSQL advisory lock on a connection of its own. The lock lives exactly as long as that
 * connection, so a leader that is killed, or cut off, frees it with no lease to expire; and a
 * leader that cannot be sure its connection still lives must assume it lost the lock (`lost`).
 */
export class ProjectorLead {
  private client: pg.Client | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private held = false;
  private onLost: (() => void) | undefined;

  private constructor(
    private readonly databaseUrl: string,
    /** The lock's second key: the read models' database and schema. */
    readonly key: number,
    /** `database.schema`, for messages. */
    readonly scope: string,
  ) {}

  /** Connects once to learn the key (the read models' database and schema, as the URL's search_path sets them). */
  static async open(databaseUrl: string): Promise<ProjectorLead> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ key: number; scope: string }>(LEAD_KEY_SQL);
      return new ProjectorLead(databaseUrl, rows[0]!.key, rows[0]!.scope);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /**
   * The name the leader's read-model connections carry, so that a new leader can wait for a
   * predecessor's last batch (see `predecessorsWriting`). Short: PostgreSQL keeps 63 characters.
   */
  get applicationName(): string {
    return `ledger-projector:${this.key}`;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /**
   * Tries once to take the lead; true when this process now holds it. `lost` is called once if the
   * lock connection dies or stops answering afterwards. Throws when PostgreSQL cannot be reached.
   */
  async tryAcquire(lost: () => void): Promise<boolean> {
    const client = await this.connection();
    const { rows } = await this.query<{ locked: boolean }>(client, 'SELECT pg_try_advisory_lock($1, $2) AS locked', [LEAD_CLASS, this.key]);
    if (!rows[0]!.locked) return false;
    this.held = true;
    this.onLost = lost;
    this.heartbeat = setInterval(() => {
      this.query(client, 'SELECT 1').catch(() => undefined);
    }, HEARTBEAT_MS);
    return true;
  }

  /**
   * Rows of the read models a predecessor's connection is still writing: a leader that was killed
   * or cut off frees the lock when its lock connection ends, while its last batch may still be
   * committing on another connection. A new leader reads the checkpoint only once none is left,
   * else it would project that batch a second time.
   */
  async predecessorsWriting(): Promise<number> {
    const { rows } = await this.query<{ writing: number }>(
      await this.connection(),
      'SELECT count(*)::int AS writing FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()',
      [this.applicationName],
    );
    return rows[0]!.writing;
  }

  /** Gives the lead back (a graceful stop): the standby takes it at its next try. */
  async release(): Promise<void> {
    const client = this.client;
    this.stopHeartbeat();
    this.onLost = undefined;
    this.held = false;
    this.client = undefined;
    if (!client) return;
    // Ending the session frees a session-level lock; the explicit unlock only makes it immediate.
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  /** Whether the lock connection answers (a standby that cannot reach PostgreSQL could not take over). */
  async ping(): Promise<void> {
    await this.query(await this.connection(), 'SELECT 1');
  }

  /** A query that fails or times out leaves the connection in doubt: it is dropped (and with it the lead, if held). */
  private async query<R extends pg.QueryResultRow>(client: pg.Client, sql: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await client.query<R>(sql, values);
    } catch (error) {
      this.drop(error, client);
      throw error;
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.databaseUrl, keepAlive: true, query_timeout: HEARTBEAT_TIMEOUT_MS, connectionTimeoutMillis: HEARTBEAT_TIMEOUT_MS });
    // A connection that dies is a lost lock, never an unheard 'error' that ends the process.
    client.on('error', (error) => this.drop(error, client));
    client.on('end', () => this.drop(new Error('the lock connection ended'), client));
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      if (this.client === client) this.client = undefined;
      throw error;
    }
    return client;
  }

  private drop(_error: unknown, client = this.client): void {
    if (!client || client !== this.client) return;
    this.client = undefined;
    this.stopHeartbeat();
    client.end().catch(() => undefined);
    const lost = this.held ? this.onLost : undefined;
    this.held = false;
    this.onLost = undefined;
    lost?.();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
