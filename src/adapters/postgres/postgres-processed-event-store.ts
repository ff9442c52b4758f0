import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import * as O from 'fp-ts/Option';
import { pipe } from 'fp-ts/function';
import type { PoolClient, QueryResult } from 'pg';
import type { EventId } from '../../domain/event-fields';
import type { UserEvent } from '../../domain/user-event';
import type {
  DeliveredEvent,
  FollowCursor,
  FollowedEvents,
  FollowQuery,
  ProcessedEvent,
  ProcessedEventPage,
  ProcessedEventQuery,
  ProcessedEventStore,
  SaveOutcome,
  Setback,
  StoreUnavailable,
} from '../../application/processed-event-store.port';
import { decodeSetback, FIND_SETBACK, upsertSetback } from './setback-rows';
import type { PostgresDatabase } from './postgres-database';
import { errorMessage } from '../shared/error-message';
import {
  decodeProcessedRow,
  decodePosition,
  decodeRow,
  EVENT_COLUMNS,
  PROCESSED_EVENT_COLUMNS,
  type Row,
} from './processed-event-row';
import { pageQuery } from './page-query';
import { FOLLOWING_END, followQuery } from './follow-query';
import { outcomesOf, repeatsAnId, saveDelivered, type SavedRow } from './save-delivered';
import { isRejectedRow } from './rejected-row';

const FIND = `SELECT ${PROCESSED_EVENT_COLUMNS} FROM processed_events WHERE event_id = $1`;
const FIND_MANY = `SELECT ${EVENT_COLUMNS} FROM processed_events WHERE event_id = ANY($1::uuid[])`;

/**
 * Processed events in PostgreSQL, kept across restarts and shared by every instance. An event
 * whose row the database refuses for good is answered `rejected`; every other database failure
 * is a Left `StoreUnavailable`, retried by the caller; a stored row that does not decode throws
 * `UndecodableRow` (a bug: retrying cannot help, so the HTTP edge answers an opaque 500).
 */
export class PostgresProcessedEventStore implements ProcessedEventStore {
  constructor(private readonly database: PostgresDatabase) {}

  saveIfNew(
    delivered: readonly DeliveredEvent[],
  ): TE.TaskEither<StoreUnavailable, readonly SaveOutcome[]> {
    if (delivered.length === 0) return TE.right([]);
    // An id twice in one batch (a client's quick retry) is rare: those go one statement each.
    if (repeatsAnId(delivered)) return () => this.whenMigrated(() => this.saveOneByOne(delivered));
    const { text, values } = saveDelivered(delivered);
    return () =>
      this.whenMigrated(async () => {
        try {
          const { rows } = await this.database.pool.query<SavedRow>(text, values);
          return E.right(outcomesOf(delivered, rows));
        } catch (cause) {
          // One refused row fails the whole statement: only then are the rows written one by one.
          if (isRejectedRow(cause)) return this.saveOneByOne(delivered);
          return E.left(unavailable(errorMessage(cause)));
        }
      });
  }

  findById(eventId: EventId): TE.TaskEither<StoreUnavailable, O.Option<ProcessedEvent>> {
    return pipe(
      this.query(FIND, [eventId]),
      TE.map((result) => O.map(decodeProcessedRow)(O.fromNullable(result.rows[0]))),
    );
  }

  findByIds(
    eventIds: readonly EventId[],
  ): TE.TaskEither<StoreUnavailable, ReadonlyMap<EventId, UserEvent>> {
    return pipe(
      this.query(FIND_MANY, [eventIds]),
      TE.map(
        ({ rows }) => new Map(rows.map((row) => decodeRow(row).event).map((e) => [e.eventId, e])),
      ),
    );
  }

  recordSetback(
    eventIds: readonly EventId[],
    setback: Setback,
  ): TE.TaskEither<StoreUnavailable, void> {
    const { text, values } = upsertSetback(eventIds, setback);
    return TE.map(() => undefined)(this.query(text, values));
  }

  findSetback(eventId: EventId): TE.TaskEither<StoreUnavailable, O.Option<Setback>> {
    return pipe(
      this.query(FIND_SETBACK, [eventId]),
      TE.map((result) => O.map(decodeSetback)(O.fromNullable(result.rows[0]))),
    );
  }

  list(query: ProcessedEventQuery): TE.TaskEither<StoreUnavailable, ProcessedEventPage> {
    const { text, values } = pageQuery(query);
    return pipe(
      this.query(text, values),
      TE.map(({ rows }) => {
        const page = rows.slice(0, query.limit).map(decodeRow);
        const more = rows.length > query.limit;
        return {
          events: page.map((stored) => stored.event),
          next: more ? page.at(-1)?.position : undefined,
        };
      }),
    );
  }

  follow(query: FollowQuery): TE.TaskEither<StoreUnavailable, FollowedEvents> {
    const { text, values } = followQuery(query);
    return pipe(
      this.query(text, values),
      TE.map(({ rows }) => {
        // Every row moves the follower on; only the matching ones are decoded as events.
        const cursorOf = (row: Row): FollowCursor => ({
          group: String(row.written_in),
          position: decodePosition(row),
        });
        const last = rows.at(-1);
        return {
          events: rows
            .filter((row) => row.matching === true)
            .map((row) => ({ event: decodeRow(row).event, cursor: cursorOf(row) })),
          scannedTo: last === undefined ? undefined : cursorOf(last),
        };
      }),
    );
  }

  followingEnd(): TE.TaskEither<StoreUnavailable, FollowCursor> {
    return pipe(
      this.query(FOLLOWING_END, []),
      TE.map(({ rows: [row] }) =>
        row === undefined
          ? { group: '0', position: 0 }
          : { group: String(row.written_in), position: decodePosition(row) },
      ),
    );
  }

  ping(): TE.TaskEither<StoreUnavailable, void> {
    return TE.map(() => undefined)(this.query('SELECT 1', []));
  }

  /**
   * Each event in a statement of its own, in order, in one transaction with a savepoint per
   * event: the rows refused for good are rolled back alone and answered `rejected` with the
   * database's reason, the others are stored (or counted as later copies) together, a second
   * copy in the batch after its first. Any other failure rolls back everything, so Left still
   * means nothing was stored.
   */
  private async saveOneByOne(
    delivered: readonly DeliveredEvent[],
  ): Promise<E.Either<StoreUnavailable, SaveOutcome[]>> {
    let client: PoolClient | undefined;
    let broken = false;
    try {
      client = await this.database.pool.connect();
      await client.query('BEGIN');
      const outcomes: SaveOutcome[] = [];
      for (const one of delivered) outcomes.push(await saveInSavepoint(client, one));
      await client.query('COMMIT');
      return E.right(outcomes);
    } catch (cause) {
      // A connection that cannot even roll back is discarded rather than pooled.
      broken =
        (await client?.query('ROLLBACK').then(
          () => false,
          () => true,
        )) ?? false;
      return E.left(unavailable(errorMessage(cause)));
    } finally {
      client?.release(broken);
    }
  }

  private query(
    text: string,
    values: unknown[],
  ): TE.TaskEither<StoreUnavailable, QueryResult<Row>> {
    return () =>
      this.whenMigrated(
        TE.tryCatch(
          () => this.database.pool.query<Row>(text, values),
          (cause) => unavailable(errorMessage(cause)),
        ),
      );
  }

  // Asked when the task runs, so that a retried save finds the schema the retries waited for.
  private whenMigrated<A>(
    work: () => Promise<E.Either<StoreUnavailable, A>>,
  ): Promise<E.Either<StoreUnavailable, A>> {
    return this.database.isMigrated()
      ? work()
      : Promise.resolve(E.left(unavailable(this.database.notMigratedReason())));
  }
}

const unavailable = (detail: string): StoreUnavailable => ({ _tag: 'StoreUnavailable', detail });

async function saveInSavepoint(client: PoolClient, one: DeliveredEvent): Promise<SaveOutcome> {
  const { text, values } = saveDelivered([one]);
  await client.query('SAVEPOINT one_event');
  try {
    const { rows } = await client.query<SavedRow>(text, values);
    await client.query('RELEASE SAVEPOINT one_event');
    return outcomesOf([one], rows)[0]!;
  } catch (cause) {
    if (!isRejectedRow(cause)) throw cause;
    await client.query('ROLLBACK TO SAVEPOINT one_event');
    return { rejected: errorMessage(cause) };
  }
}
