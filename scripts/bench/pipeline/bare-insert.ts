import { Client } from 'pg';
import type { UserEvent } from '../../../src/domain/user-event';

export interface BareInsertRun {
  readonly rows: number;
  readonly inserted: number;
  readonly rowsPerStatement: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

// One statement per chunk: the columns as arrays, unnested into rows; five parameters whatever
// the chunk's size (multi-row VALUES would need five per row, against a limit of 65,535).
const INSERT = `INSERT INTO processed_events (event_id, user_id, event_type, event_timestamp, payload)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::json[])
  ON CONFLICT (event_id) DO NOTHING`;

/**
 * The ceiling of the PostgreSQL drain: the events written into the service's own (migrated,
 * emptied) table with one multi-row INSERT ... ON CONFLICT DO NOTHING per `rowsPerStatement`
 * rows, in turn, on one connection.
 */
export async function bareInsert(
  url: string,
  events: readonly UserEvent[],
  rowsPerStatement = 500,
): Promise<BareInsertRun> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('TRUNCATE processed_events');
    let inserted = 0;
    const started = performance.now();
    for (let from = 0; from < events.length; from += rowsPerStatement) {
      const chunk = events.slice(from, from + rowsPerStatement);
      const result = await client.query(INSERT, [
        chunk.map((event) => event.eventId),
        chunk.map((event) => event.userId),
        chunk.map((event) => event.eventType),
        chunk.map((event) => event.timestamp),
        chunk.map((event) => JSON.stringify(event.payload)),
      ]);
      inserted += result.rowCount ?? 0;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      rows: events.length,
      inserted,
      rowsPerStatement,
      seconds,
      rowsPerSecond: events.length / seconds,
    };
  } finally {
    await client.end();
  }
}

/** Empties the service's table, so that each drain stores every event anew. */
export async function emptyTable(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('TRUNCATE processed_events');
  } finally {
    await client.end();
  }
}

/** Rows in the service's table: after a drain, each eventId once, so the records produced. */
export async function storedRows(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ rows: string }>(
      'SELECT count(*) AS rows FROM processed_events',
    );
    return Number(result.rows[0]?.rows ?? NaN);
  } finally {
    await client.end();
  }
}
