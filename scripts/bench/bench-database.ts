import type { Client } from 'pg';
import type { ProcessedEventQuery } from '../../src/application/processed-event-store.port';
import type { EventId } from '../../src/domain/event-fields';
import { whereClause } from './naive-store';

export async function serverVersion(client: Client): Promise<string> {
  const { rows } = await client.query<{ version: string }>('SELECT version()');
  return rows[0]?.version ?? 'unknown version';
}

/** The position of the row `offset` rows into the table (1-based), for a deep cursor. */
export async function positionAt(client: Client, offset: number): Promise<number> {
  const { rows } = await client.query<{ position: string }>(
    'SELECT position FROM processed_events ORDER BY position OFFSET $1 LIMIT 1',
    [Math.max(0, offset - 1)],
  );
  return Number(rows[0]?.position ?? 0);
}

/** `count` event ids spread evenly over a table of `tableRows` rows. */
export async function sampleIds(
  client: Client,
  count: number,
  tableRows: number,
): Promise<EventId[]> {
  const { rows } = await client.query<{ event_id: EventId }>(
    'SELECT event_id FROM processed_events WHERE position % $1 = 0 LIMIT $2',
    [Math.max(1, Math.floor(tableRows / count)), count],
  );
  return rows.map((row) => row.event_id);
}

/** How many rows match the filters of `query`, regardless of its limit. */
export async function countMatching(client: Client, query: ProcessedEventQuery): Promise<number> {
  const { text, values } = whereClause(query);
  const { rows } = await client.query<{ count: string }>(
    `SELECT count(*) FROM processed_events${text}`,
    values,
  );
  return Number(rows[0]?.count ?? 0);
}
