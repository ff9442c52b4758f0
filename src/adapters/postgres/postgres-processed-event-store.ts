import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import * as O from 'fp-ts/Option';
import { pipe } from 'fp-ts/function';
import type { QueryResult } from 'pg';
import type { EventId } from '../../domain/event-fields';
import type { UserEvent } from '../../domain/user-event';
import type {
  ProcessedEventPage,
  ProcessedEventQuery,
  ProcessedEventStore,
  SaveOutcome,
  StoreUnavailable,
} from '../../application/processed-event-store.port';
import type { PostgresDatabase } from './postgres-database';
import { databaseFailure } from './postgres-pool';
import { decodeRow, EVENT_COLUMNS, type Row } from './processed-event-row';
import { pageQuery } from './page-query';
import { insertNewEvents, outcomesOf } from './insert-new-events';

const FIND = `SELECT ${EVENT_COLUMNS} FROM processed_events WHERE event_id = $1`;

/**
 * Processed events in PostgreSQL, kept across restarts and shared by every instance. Every
 * database failure is a Left `StoreUnavailable`; a stored row that does not decode throws
 * `UndecodableRow` (a bug: retrying cannot help, so the HTTP edge answers an opaque 500).
 */
export class PostgresProcessedEventStore implements ProcessedEventStore {
  constructor(private readonly database: PostgresDatabase) {}

  saveIfNew(events: readonly UserEvent[]): TE.TaskEither<StoreUnavailable, readonly SaveOutcome[]> {
    if (events.length === 0) return TE.right([]);
    const { text, values } = insertNewEvents(events);
    return pipe(
      this.query(text, values),
      TE.map(({ rows }) => outcomesOf(events, new Set(rows.map((row) => String(row.event_id))))),
    );
  }

  findById(eventId: EventId): TE.TaskEither<StoreUnavailable, O.Option<UserEvent>> {
    return pipe(
      this.query(FIND, [eventId]),
      TE.map((result) => O.map((row: Row) => decodeRow(row).event)(O.fromNullable(result.rows[0]))),
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

  ping(): TE.TaskEither<StoreUnavailable, void> {
    return TE.map(() => undefined)(this.query('SELECT 1', []));
  }

  private query(
    text: string,
    values: unknown[],
  ): TE.TaskEither<StoreUnavailable, QueryResult<Row>> {
    // Asked when the task runs, so that a retried save finds the schema the retries waited for.
    return async () =>
      this.database.isMigrated()
        ? TE.tryCatch(
            () => this.database.pool.query<Row>(text, values),
            (cause) => unavailable(databaseFailure(cause)),
          )()
        : E.left(unavailable('the database schema is not migrated yet'));
  }
}

const unavailable = (detail: string): StoreUnavailable => ({ _tag: 'StoreUnavailable', detail });
