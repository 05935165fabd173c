import { arrayLiteral, type HubDatabase } from './hub-database.js';

export interface PendingNotice {
  readonly findingId: string;
  readonly province: string;
  /** The CrossProvinceFindingNotice as JSON, exactly as it is published. */
  readonly notice: string;
}

/** The notices written with their findings and not yet published: the relay's work list. */
export class NoticeOutbox {
  constructor(private readonly database: HubDatabase) {}

  async pending(limit: number): Promise<PendingNotice[]> {
    const { rows } = await this.database.pool.query<{ finding_id: string; province: string; notice: string }>({
      name: 'hub-pending-notices',
      text: 'SELECT finding_id, province, notice FROM finding_notices WHERE published_at IS NULL ORDER BY created_at, finding_id, province LIMIT $1',
      values: [limit],
    });
    return rows.map((row) => ({ findingId: row.finding_id, province: row.province, notice: row.notice }));
  }

  async markPublished(notices: readonly PendingNotice[], at: Date): Promise<void> {
    if (notices.length === 0) return;
    await this.database.pool.query({
      name: 'hub-notices-published',
      text: `UPDATE finding_notices AS n SET published_at = $3 FROM UNNEST($1::uuid[], $2::text[]) AS k(finding_id, province)
             WHERE n.finding_id = k.finding_id AND n.province = k.province AND n.published_at IS NULL`,
      values: [arrayLiteral(notices.map((n) => n.findingId)), arrayLiteral(notices.map((n) => n.province)), at.toISOString()],
    });
  }

  async unpublishedCount(): Promise<number> {
    const { rows } = await this.database.pool.query<{ count: string }>('SELECT count(*) AS count FROM finding_notices WHERE published_at IS NULL');
    return Number(rows[0]!.count);
  }
}
