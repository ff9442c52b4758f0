import { expect } from 'chai';
import { kafkaBrokers } from '../support/kafka-broker';
import { postJson, runService, type RunningService } from '../support/running-service';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { aUserEvent, seedLoginBody } from '../support/builders';
import { produceRaw } from '../support/raw-kafka';
import { processedEventsOf } from '../support/processed-events';

const kafkaVariables = async (
  topic: string,
  clientId: string,
): Promise<Record<string, string>> => ({
  EVENT_BUS: 'kafka',
  KAFKA_BROKERS: (await kafkaBrokers()).join(','),
  KAFKA_TOPIC: topic,
  KAFKA_CLIENT_ID: clientId,
});

describe('the service on a real Kafka broker', function () {
  this.timeout(120_000);
  let topic: string;
  let clientId: string;
  let app: RunningService;
  before(async () => {
    topic = unique('events');
    clientId = unique('svc');
    app = await runService(await kafkaVariables(topic, clientId));
  });
  after(async () => app?.stop());

  it('is ready once started: producer connected, consumer assigned, store reachable', async () => {
    const response = await fetch(`${app.url}/health/ready`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({
      status: 'ready',
      checks: { producer: 'up', consumer: 'up', topics: 'up', deadLetterQueue: 'up', store: 'up' },
    });
  });

  it("processes the seed's example and serves it within the seed's 2000 ms", async () => {
    const userId = unique('user456');
    const posted = Date.now();
    const response = await postJson(`${app.url}/events/generate`, {
      ...seedLoginBody(userId),
      payload: { ip: '192.168.1.1' },
    });
    const answered = Date.now();
    expect(response.status).to.equal(201);
    const { eventId } = (await response.json()) as { eventId: string };
    // The seed's own test reads the list once, 2000 ms after posting: the promise is that deadline.
    const [processed] = await eventually(
      'the event in GET /events/processed',
      async () => {
        const list = await processedEventsOf(app.url, userId);
        return list.length > 0 ? list : undefined;
      },
      2000,
    );
    expect(processed).to.deep.include({
      eventId,
      userId,
      eventType: 'LOGIN',
      payload: { ip: '192.168.1.1' },
    });
    // The server stamps the event while it handles the request, on this machine's clock.
    expect(Date.parse(processed!.timestamp)).to.be.within(posted, answered);
  });

  it('processes a record produced 5 times, on one partition and across partitions, once', async () => {
    const event = aUserEvent({ userId: unique('dup') });
    const copy = { key: event.userId, value: JSON.stringify(event) };
    await produceRaw(await kafkaBrokers(), topic, [
      copy,
      copy,
      copy,
      { ...copy, partition: 0 },
      { ...copy, partition: 1 },
    ]);
    const marker = aUserEvent({ userId: event.userId, eventType: 'MARKER' });
    for (const partition of [0, 1, 2]) {
      await produceRaw(await kafkaBrokers(), topic, [
        {
          key: event.userId,
          value: JSON.stringify({ ...marker, eventId: aUserEvent().eventId }),
          partition,
        },
      ]);
    }
    const list = await eventually(
      'the copies and the markers',
      async () => {
        const found = await processedEventsOf(app.url, event.userId);
        return found.filter((e) => e.eventType === 'MARKER').length === 3 ? found : undefined;
      },
      20_000,
    );
    expect(list.filter((e) => e.eventId === event.eventId)).to.have.length(1);
  });

  it('does not reprocess committed records after a restart with the same group', async () => {
    const userId = unique('restart');
    const response = await postJson(`${app.url}/events/batch`, {
      events: [
        { userId, eventType: 'LOGIN' },
        { userId, eventType: 'LOGOUT' },
      ],
    });
    expect(response.status).to.equal(201);
    await eventually('both events processed', async () =>
      (await processedEventsOf(app.url, userId)).length === 2 ? true : undefined,
    );
    await app.stop();

    // The in-memory store starts empty: anything redelivered after the restart would show up in it.
    app = await runService(await kafkaVariables(topic, clientId));
    const marker = await postJson(`${app.url}/events/generate`, { userId, eventType: 'MARKER' });
    expect(marker.status).to.equal(201);
    const list = await eventually(
      'the marker after the restart',
      async () => {
        const found = await processedEventsOf(app.url, userId);
        return found.some((e) => e.eventType === 'MARKER') ? found : undefined;
      },
      20_000,
    );
    expect(list.map((e) => e.eventType)).to.deep.equal(['MARKER']);
  });
});
