import { isLeft } from 'fp-ts/Either';
import * as O from 'fp-ts/Option';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { Pool } from 'pg';
import type {
  ProcessedEventPage,
  ProcessedEventQuery,
  ProcessedEventStore,
  StoreUnavailable,
} from '../../src/application/processed-event-store.port';
import type { EventId, EventType, UserId } from '../../src/domain/event-fields';
import type { UserEvent } from '../../src/domain/user-event';
import { BUSIEST_USER, COMMON_TYPE, ORDINARY_USER, RARE_TYPE } from './fill-events';
import { naiveFindById, naiveList } from './naive-store';

/** One query, run by the store (`current`) and the naive way; each says what it found. */
export interface BenchCase {
  readonly name: string;
  /** The page query, for counting matches and for EXPLAIN; absent for findById. */
  readonly query?: ProcessedEventQuery;
  readonly current: () => Promise<string>;
  readonly naive: () => Promise<string>;
}

export interface CaseInputs {
  readonly store: ProcessedEventStore;
  readonly pool: Pool;
  /** The position of the row ~90% of the way into the table. */
  readonly deepCursor: number;
  /** Ids spread over the table, looked up in turn. */
  readonly sampleIds: readonly EventId[];
}

const LIMIT = 100;

export function benchCases(inputs: CaseInputs): BenchCase[] {
  const page = pageCase(inputs);
  const user = (id: string) => id as UserId;
  const type = (name: string) => name as EventType;
  return [
    page('first page, no filter', {}),
    page('deep page (cursor at 90%)', { after: inputs.deepCursor }),
    page('userId, ordinary user', { userId: user(ORDINARY_USER) }),
    page('userId, busiest user', { userId: user(BUSIEST_USER) }),
    page('userId, no events', { userId: user('user-nobody') }),
    page(`eventType ${COMMON_TYPE}`, { eventType: type(COMMON_TYPE) }),
    page(`eventType ${RARE_TYPE} (rare)`, { eventType: type(RARE_TYPE) }),
    page(`busiest user + ${COMMON_TYPE}`, {
      userId: user(BUSIEST_USER),
      eventType: type(COMMON_TYPE),
    }),
    findByIdCase(inputs),
  ];
}

const pageCase =
  ({ store, pool }: CaseInputs) =>
  (name: string, filters: Omit<ProcessedEventQuery, 'limit'>): BenchCase => {
    const query: ProcessedEventQuery = { ...filters, limit: LIMIT };
    return {
      name,
      query,
      current: async () => describePage(await unwrap(store.list(query))),
      naive: async () => describePage(await naiveList(pool, query)),
    };
  };

function findByIdCase({ store, pool, sampleIds }: CaseInputs): BenchCase {
  // Each side walks the same ids in the same order, so the two stay in step.
  const walk = () => {
    let turn = 0;
    return (): EventId => sampleIds[turn++ % sampleIds.length] as EventId;
  };
  const [currentId, naiveId] = [walk(), walk()];
  return {
    name: 'findById',
    current: async () =>
      describeEvent(O.toUndefined(await unwrap(store.findById(currentId())))?.event),
    naive: async () => describeEvent(await naiveFindById(pool, naiveId())),
  };
}

const describePage = (page: ProcessedEventPage): string =>
  `${page.events.map((event) => event.eventId).join(',')} next=${String(page.next)}`;

const describeEvent = (event: UserEvent | undefined): string => event?.eventId ?? 'none';

async function unwrap<T>(task: TaskEither<StoreUnavailable, T>): Promise<T> {
  const result = await task();
  if (isLeft(result)) throw new Error(`store unavailable: ${result.left.detail}`);
  return result.right;
}
