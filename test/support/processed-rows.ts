import { Pool } from 'pg';
import { eventually } from './eventually';

export interface RowSummary {
  readonly rows: number;
  readonly distinct: number;
  readonly eventIds: string[];
}

/** The processed_events table of one schema, read behind the service's back. */
export class ProcessedRows {
  private readonly pool: Pool;

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: 1 });
  }

  /** Rows stored so far; 0 until the service migrated the schema and created the table. */
  async count(): Promise<number> {
    try {
      const result = await this.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM processed_events',
      );
      return result.rows[0]?.n ?? 0;
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === '42P01') return 0;
      throw error;
    }
  }

  /** Resolves once at least `threshold` rows are stored; polled often, to catch a moving count. */
  async reach(threshold: number): Promise<void> {
    await eventually(
      `${threshold} stored rows`,
      async () => (await this.count()) >= threshold || undefined,
      60_000,
      10,
    );
  }

  async summary(): Promise<RowSummary> {
    const counted = await this.pool.query<{ rows: number; distinct_ids: number }>(
      'SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct_ids FROM processed_events',
    );
    const ids = await this.pool.query<{ event_id: string }>(
      'SELECT event_id FROM processed_events',
    );
    return {
      rows: counted.rows[0]?.rows ?? 0,
      distinct: counted.rows[0]?.distinct_ids ?? 0,
      eventIds: ids.rows.map((row) => row.event_id),
    };
  }

  /** How many rows each of these events has; an event without one is not in the map. */
  async timesStored(eventIds: readonly string[]): Promise<Map<string, number>> {
    const result = await this.pool.query<{ event_id: string; n: number }>(
      'SELECT event_id::text, count(*)::int AS n FROM processed_events WHERE event_id = ANY($1::uuid[]) GROUP BY event_id',
      [eventIds],
    );
    return new Map(result.rows.map((row) => [row.event_id, row.n]));
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
