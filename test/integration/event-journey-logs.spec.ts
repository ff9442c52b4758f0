import { expect } from 'chai';
import { onKafka, postJson, runService, type RunningService } from '../support/running-service';
import { capturedLogger } from '../support/captured-logs';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';

describe("the logs of one event's journey on a real Kafka broker", function () {
  this.timeout(120_000);
  const logs = capturedLogger();
  let app: RunningService;
  before(async () => {
    app = await runService(await onKafka(unique('journey')), undefined, logs.logger);
  });
  after(async () => app?.stop());

  it('ties the request line and the processed line by requestId, without the payload', async () => {
    const requestId = unique('journey');
    const secret = unique('payload-secret');
    const posted = Date.now();
    const response = await postJson(
      `${app.url}/events/generate`,
      { userId: unique('user'), eventType: 'LOGIN', payload: { secret } },
      { 'X-Request-Id': requestId },
    );
    const { eventId } = (await response.json()) as { eventId: string };
    const processed = await eventually('the processed line', () =>
      logs.lines().find((line) => line.eventId === eventId && line.outcome === 'processed'),
    );
    const seen = Date.now();
    const request = logs
      .lines()
      .find((line) => line.msg === 'request' && line.requestId === requestId);

    expect(request).to.include({
      method: 'POST',
      route: '/events/generate',
      status: 201,
      eventId,
    });
    expect(request?.durationMs).to.be.a('number');
    expect(processed).to.include({ requestId, eventId, msg: 'event processed' });
    expect(processed.partition).to.be.oneOf([0, 1, 2]);
    expect(processed.offset).to.match(/^\d+$/);
    // Stamped after the POST was sent, processed before the line was seen.
    expect(processed.latencyMs)
      .to.be.a('number')
      .and.within(0, seen - posted);
    expect(JSON.stringify(logs.lines())).to.not.include(secret);
  });

  it("counts a batch's events on its request line and names each event on its processed line", async () => {
    const requestId = unique('journey-batch');
    const response = await postJson(
      `${app.url}/events/batch`,
      { events: [1, 2, 3].map(() => ({ userId: unique('user'), eventType: 'LOGIN' })) },
      { 'X-Request-Id': requestId },
    );
    const { eventIds } = (await response.json()) as { eventIds: string[] };
    await eventually('the processed lines', () => {
      const processed = logs.lines().filter((line) => line.requestId === requestId && line.outcome);
      return processed.length === eventIds.length ? processed : undefined;
    });
    const request = logs
      .lines()
      .find((line) => line.msg === 'request' && line.requestId === requestId);
    expect(request).to.include({ route: '/events/batch', status: 201, publishedEvents: 3 });
    expect(request).to.not.have.property('eventId');
    const processedIds = logs
      .lines()
      .filter((line) => line.requestId === requestId && line.outcome === 'processed')
      .map((line) => line.eventId);
    expect(processedIds).to.have.members(eventIds);
  });
});
