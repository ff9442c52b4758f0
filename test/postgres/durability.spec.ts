import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { kafkaBrokers } from '../support/kafka-broker';
import { backlogCommitted, writeBacklog } from '../support/kafka-backlog';
import { freshSchema, type TestSchema } from '../support/postgres-schema';
import { ProcessedRows } from '../support/processed-rows';
import { ServiceRuns } from '../support/service-run';
import { unique } from '../support/unique';
import { processedTwice, timesProcessed } from '../support/event-outcomes';

// kafkajs' own session timeout, which KAFKA_SESSION_TIMEOUT_MS replaces.
const DEFAULT_SESSION_TIMEOUT_MS = 30_000;

const EVENTS = 5000;
const KILLS = 3;
/** Where the k-th kill comes: spread over the backlog. */
const killAt = (kill: number) => (kill * EVENTS) / (KILLS + 1);
/**
 * What the topic holds beyond the next kill's row count while that run is to be killed. The rest
 * of the backlog is written only after the kill, so each kill leaves records to the next run
 * however fast a run drains: a run stores a fetch's records in one INSERT, and one that was
 * given the whole backlog could store all of it between reaching a count and its kill.
 */
const HEADROOM = EVENTS / (2 * (KILLS + 1));

describe('durability with STORE=postgres', function () {
  this.timeout(150_000);
  let schema: TestSchema;
  let table: ProcessedRows;
  let service: ServiceRuns | undefined;

  before(async () => {
    schema = await freshSchema('durability');
    table = new ProcessedRows(schema.url);
  });
  after(async () => {
    await service?.killAll();
    await table.close();
    await schema.drop();
  });

  it('stores each of a backlog of events exactly once across repeated kill -9 while consuming', async () => {
    const brokers = await kafkaBrokers();
    const topic = unique('durability');
    const clientId = unique('svc');
    const events = await writeBacklog(brokers, topic, killAt(1) + HEADROOM);
    const runs = (service = new ServiceRuns({
      PORT: '0',
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC: topic,
      KAFKA_CLIENT_ID: clientId,
      // The broker's minimum: a restart waits this long for the killed member's partitions.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      STORE: 'postgres',
      DATABASE_URL: schema.url,
    }));

    const killedAt: number[] = [];
    const resumedAfterMs: number[] = [];
    for (let kill = 1; kill <= KILLS; kill += 1) {
      // Always after this run stored rows of its own: HEADROOM keeps the previous kill's count
      // below this one's.
      await table.reach(killAt(kill));
      await runs.kill();
      killedAt.push(await table.count());
      const next = kill < KILLS ? killAt(kill + 1) + HEADROOM : EVENTS;
      events.push(...(await writeBacklog(brokers, topic, next - events.length)));
      resumedAfterMs.push(await runs.restart());
    }
    await eventually(
      'every event stored and every offset committed',
      async () =>
        ((await table.count()) === EVENTS &&
          (await backlogCommitted(brokers, `${clientId}-processor`, topic))) ||
        undefined,
      60_000,
      250,
    );
    expect(await runs.stop(), 'exit code of the last run').to.equal(0);

    // The table is the truth: every event once, no other.
    const stored = await table.summary();
    expect(stored.rows).to.equal(EVENTS);
    expect(stored.distinct).to.equal(EVENTS);
    expect(stored.eventIds.sort()).to.deep.equal(events.map((event) => event.eventId).sort());
    // A line is written after the store answered and may die with its process, so lines can be
    // missing (the redelivered copy logs "duplicate"), but none says "processed" twice.
    const processed = timesProcessed(runs.outcomes());
    expect(processedTwice(processed), 'events logged as processed twice').to.deep.equal([]);
    expect(processed.size).to.be.at.most(EVENTS);
    // The configured session (6 s), not kafkajs' default of 30 s, decides when the killed run's
    // partitions move: a restart waiting out the default would take 30 s or more.
    expect(
      Math.max(...resumedAfterMs),
      'ms from kill -9 to the restart handling a record',
    ).to.be.below(DEFAULT_SESSION_TIMEOUT_MS);
    console.log(
      `      kill -9 x${KILLS} during consumption: produced ${EVENTS}, rows ${stored.rows}, distinct ${stored.distinct}, processed lines ${processed.size}, duplicate lines ${runs.outcomes().filter((line) => line.outcome === 'duplicate').length}, kills at rows [${killedAt.join(',')}], resumed after [${resumedAfterMs.join(',')}] ms`,
    );
  });
});
