import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'pg';
import { withClient } from '../bench/scratch-schema';
import type { EventLedger } from './event-ledger';
import type { SoakIds } from './soak-ids';

/** What PostgreSQL holds at the end, beside what the service acknowledged. */
export interface StoredCount {
  /** Rows of processed_events, all of them (calibration included), and distinct event_ids. */
  readonly rows: number;
  readonly distinctIds: number;
  /** Of this run's soak events: stored, acknowledged and not stored, stored without a 201. */
  readonly stored: number;
  readonly lost: number;
  readonly storedUnacknowledged: number;
  /** Seconds until every acknowledged event was stored, or the wait's deadline. */
  readonly waitedSeconds: number;
}

const PAGE = 50_000;

/**
 * Marks in `ledger` every soak event stored in processed_events, then polls the ones still
 * missing until none is or `deadline` (Date.now()) passed: those are lost.
 */
export async function countStored(
  url: string,
  ids: SoakIds,
  ledger: EventLedger,
  deadline: number,
): Promise<StoredCount> {
  const startedAt = Date.now();
  return withClient(url, async (client) => {
    await scanRange(client, ids, ledger);
    let missing = ledger.missing();
    while (missing.length > 0 && Date.now() < deadline) {
      await sleep(5000);
      await markFound(client, ids, ledger, missing);
      missing = ledger.missing();
    }
    const { rows } = await client.query<{ rows: number; distinct_ids: number }>(
      'SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct_ids FROM processed_events',
    );
    return {
      rows: rows[0]?.rows ?? 0,
      distinctIds: rows[0]?.distinct_ids ?? 0,
      stored: ledger.storedCount,
      lost: missing.length,
      storedUnacknowledged: ledger.storedUnacknowledged(),
      waitedSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
  });
}

/** Every row of the run's range of ids, a page at a time in key order. */
async function scanRange(client: Client, ids: SoakIds, ledger: EventLedger): Promise<void> {
  const { from, to } = ids.range();
  for (let after = from, first = true; ; first = false) {
    const { rows } = await client.query<{ id: string }>(
      `SELECT event_id::text AS id FROM processed_events
        WHERE event_id ${first ? '>=' : '>'} $1 AND event_id <= $2 ORDER BY event_id LIMIT ${PAGE}`,
      [after, to],
    );
    for (const { id } of rows) mark(ids, ledger, id);
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < PAGE) return;
    after = last.id;
  }
}

async function markFound(
  client: Client,
  ids: SoakIds,
  ledger: EventLedger,
  missing: readonly number[],
): Promise<void> {
  for (let start = 0; start < missing.length; start += PAGE) {
    const chunk = missing.slice(start, start + PAGE).map((index) => ids.idOf(index));
    const { rows } = await client.query<{ id: string }>(
      'SELECT event_id::text AS id FROM processed_events WHERE event_id = ANY($1::uuid[])',
      [chunk],
    );
    for (const { id } of rows) mark(ids, ledger, id);
  }
}

function mark(ids: SoakIds, ledger: EventLedger, id: string): void {
  const index = ids.indexOf(id);
  if (index !== undefined) ledger.markStored(index);
}
