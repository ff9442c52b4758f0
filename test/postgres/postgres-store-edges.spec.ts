import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import * as O from 'fp-ts/Option';
import pino from 'pino';
import { PostgresProcessedEventStore } from '../../src/adapters/postgres/postgres-processed-event-store';
import { PostgresDatabase } from '../../src/adapters/postgres/postgres-database';
import { createPostgresPool } from '../../src/adapters/postgres/postgres-pool';
import { UndecodableRow } from '../../src/adapters/postgres/processed-event-row';
import { MIGRATIONS } from '../../src/adapters/postgres/migration-list';
import type {
  ProcessedEvent,
  StoreUnavailable,
} from '../../src/application/processed-event-store.port';
import type { EventId, UserId } from '../../src/domain/event-fields';
import { aUserEvent, delivered } from '../support/builders';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { hostAndPort, throughPort } from '../support/postgres-urls';
import { migratedDatabase } from '../support/migrated-database';
import { freePort } from '../support/free-port';
import { TcpFaultProxy } from '../support/tcp-fault-proxy';

const everyMethod = (store: PostgresProcessedEventStore) => [
  store.saveIfNew(delivered(aUserEvent()))(),
  store.findById(aUserEvent().eventId)(),
  store.list({ limit: 10 })(),
  store.ping()(),
];

const expectUnavailable = (
  results: ReadonlyArray<Either<StoreUnavailable, unknown>>,
  detail: RegExp,
) => {
  for (const result of results) {
    if (!isLeft(result)) throw new Error(`expected Left, got ${JSON.stringify(result)}`);
    expect(result.left._tag).to.equal('StoreUnavailable');
    expect(result.left.detail)
      .to.match(detail)
      .and.not.match(/\n\s+at /);
  }
};

describe('PostgresProcessedEventStore beyond the contract', () => {
  let schema: TestSchema;
  let database: PostgresDatabase;
  let store: PostgresProcessedEventStore;

  before(async () => {
    schema = await freshSchema('edges');
    database = await migratedDatabase(schema.url);
    store = new PostgresProcessedEventStore(database);
  });
  after(async () => {
    await database?.close();
    await schema?.drop();
  });

  it("answers rejected, with the database's reason, for a row it refuses for good, and stores the rest of the batch", async () => {
    const refused = 'refused-by-check' as UserId;
    await database.pool.query(
      `ALTER TABLE processed_events ADD CONSTRAINT test_refuses_user CHECK (user_id <> '${refused}')`,
    );
    try {
      const [before, bad, after] = [aUserEvent(), aUserEvent({ userId: refused }), aUserEvent()];
      const saved = await store.saveIfNew(delivered(before, bad, after, before))();
      if (!isRight(saved)) throw new Error(`expected Right, got ${JSON.stringify(saved)}`);
      expect(saved.right).to.deep.equal([
        'stored',
        {
          rejected:
            'new row for relation "processed_events" violates check constraint "test_refuses_user"',
        },
        'stored',
        'duplicate',
      ]);
      for (const event of [before, after]) {
        const found = await store.findById(event.eventId)();
        expect(E.map(O.map((processed: ProcessedEvent) => processed.event))(found)).to.deep.equal(
          E.right(O.some(event)),
        );
      }
      expect(await store.findById(bad.eventId)()).to.deep.equal(E.right(O.none));
    } finally {
      await database.pool.query('ALTER TABLE processed_events DROP CONSTRAINT test_refuses_user');
    }
  });

  it('reads back payloads and timestamps exactly, including what jsonb would reject', async () => {
    const payloads = [
      { nul: 'a\u0000b', lone: '\ud800', emoji: '😀', 'k\u00e9y': 'v' },
      JSON.parse('{"__proto__":{"x":1},"b":1,"a":2}') as Record<string, unknown>,
      { big: 1e21, small: 5e-324, neg: -0.1, list: [[], {}, null, true, '0'] },
    ];
    const timestamps = [
      '2023-10-27T12:00:00+02:00',
      '2023-10-27T10:00:00.123456789Z',
      '2023-10-27T10:00:00Z',
    ];
    const events = [
      ...payloads.map((payload) => aUserEvent({ payload })),
      ...timestamps.map((timestamp) => aUserEvent({ timestamp })),
    ];
    for (const event of events) {
      expect((await store.saveIfNew(delivered(event))()) as unknown).to.deep.equal({
        _tag: 'Right',
        right: ['stored'],
      });
      const found = await store.findById(event.eventId)();
      expect(
        isRight(found) && O.isSome(found.right)
          ? JSON.stringify(found.right.value.event)
          : undefined,
      ).to.equal(JSON.stringify(event));
    }
  });

  it('throws UndecodableRow for a stored row that breaks the UserEvent schema', async () => {
    const event = aUserEvent({ userId: `bad-${Date.now()}` as UserId });
    await database.pool.query(
      `INSERT INTO processed_events (event_id, user_id, event_type, event_timestamp, payload)
       VALUES ($1, $2, 'not a type!', $3, '{}')`,
      [event.eventId, event.userId, event.timestamp],
    );
    const failure = await store
      .findById(event.eventId as EventId)()
      .catch((e: unknown) => e);
    expect(failure)
      .to.be.instanceOf(UndecodableRow)
      .and.have.property('message')
      .that.includes('eventType');
    const listed = await store
      .list({ limit: 10, userId: event.userId })()
      .catch((e: unknown) => e);
    expect(listed).to.be.instanceOf(UndecodableRow);
  });

  it('answers Left until its schema is migrated, and a save retried after that succeeds', async () => {
    const silent = pino({ level: 'silent' });
    const unmigrated = new PostgresDatabase(
      createPostgresPool({ url: schema.url }, silent),
      silent,
    );
    try {
      const early = new PostgresProcessedEventStore(unmigrated);
      expectUnavailable(await Promise.all(everyMethod(early)), /not migrated/);
      // The consumer retries the task it was given: it must see the schema once migrated.
      const save = early.saveIfNew(delivered(aUserEvent()));
      expectUnavailable([await save()], /not migrated/);
      await unmigrated.migrate(MIGRATIONS);
      expect(await save()).to.deep.equal({ _tag: 'Right', right: ['stored'] });
    } finally {
      await unmigrated.close();
    }
  });

  it('answers Left StoreUnavailable, never throws, when the database goes away', async () => {
    const forwarder = new TcpFaultProxy(await freePort(), hostAndPort(schema.url));
    await forwarder.listen();
    const away = await migratedDatabase(throughPort(schema.url, forwarder.port));
    try {
      const reachable = new PostgresProcessedEventStore(away);
      expect(isRight(await reachable.ping()())).to.equal(true);
      await forwarder.close();
      expectUnavailable(await Promise.all(everyMethod(reachable)), /\S/);
    } finally {
      await forwarder.close();
      await away.close();
    }
  });
});
