import { expect } from 'chai';
import * as O from 'fp-ts/Option';
import type { EventPublisher } from '../../src/application/event-publisher.port';
import type { ProcessedEventStore } from '../../src/application/processed-event-store.port';
import type { UserId } from '../../src/domain/event-fields';
import type { UserEvent } from '../../src/domain/user-event';
import { aUserEvent } from '../support/builders';
import { eventually } from '../support/eventually';
import { unique } from '../support/unique';
import { right } from '../support/right';

/** A bus wired to ProcessEvent and a store, as the service wires it. */
export interface BusUnderTest {
  readonly publisher: EventPublisher;
  readonly store: ProcessedEventStore;
  readonly stop: () => Promise<void>;
}

const processedOf = async (
  store: ProcessedEventStore,
  userId: UserId,
): Promise<readonly UserEvent[]> => right(await store.list({ limit: 1000, userId })()).events;

const allProcessed = (store: ProcessedEventStore, userId: UserId, count: number) =>
  eventually(
    `${count} processed events of ${userId}`,
    async () => {
      const events = await processedOf(store, userId);
      return events.length >= count ? events : undefined;
    },
    20_000,
  );

/**
 * What publishing plus delivery promise together, whatever carries the events: everything
 * acknowledged is processed, once, and one user's events in order. Each test uses its own user.
 */
export function eventBusContract(name: string, makeBus: () => Promise<BusUnderTest>): void {
  describe(`${name} honours the publish-and-deliver contract`, function () {
    this.timeout(60_000);
    let bus: BusUnderTest;
    before(async () => (bus = await makeBus()));
    after(async () => bus?.stop());

    it('delivers a published event to processing, unchanged', async () => {
      const event = aUserEvent({ userId: unique('user') });
      right(await bus.publisher.publish([event], { requestId: 'contract' })());
      expect(await allProcessed(bus.store, event.userId, 1)).to.deep.equal([event]);
    });

    it('answers where each event was written, and delivers it from there', async () => {
      const userId = unique('user') as UserId;
      const events = [aUserEvent({ userId }), aUserEvent({ userId })];
      const [first, second] = right(
        await bus.publisher.publish(events, { requestId: 'contract' })(),
      );
      expect(second?.partition, "one user's events share a partition").to.equal(first?.partition);
      expect(BigInt(second!.offset)).to.equal(BigInt(first!.offset) + 1n);
      await allProcessed(bus.store, userId, 2);
      const stored = await Promise.all(
        events.map(async (event) =>
          O.toUndefined(right(await bus.store.findById(event.eventId)())),
        ),
      );
      expect(stored.map((processed) => processed?.location)).to.deep.equal([first, second]);
    });

    it("keeps one user's events in publication order across several writes", async () => {
      const userId = unique('user') as UserId;
      const events = Array.from({ length: 30 }, () => aUserEvent({ userId }));
      for (let i = 0; i < events.length; i += 10) {
        right(await bus.publisher.publish(events.slice(i, i + 10), { requestId: 'contract' })());
      }
      expect(await allProcessed(bus.store, userId, 30)).to.deep.equal(events);
    });

    it('processes an event once however often it is republished', async () => {
      const event = aUserEvent({ userId: unique('user') });
      for (let copy = 0; copy < 5; copy += 1)
        right(await bus.publisher.publish([event], { requestId: 'contract' })());
      const marker = aUserEvent({ userId: event.userId });
      right(await bus.publisher.publish([marker], { requestId: 'contract' })());
      // The marker is published after every copy, so once it is processed all copies were delivered.
      expect(await allProcessed(bus.store, event.userId, 2)).to.deep.equal([event, marker]);
    });

    it('delivers everything from many concurrent publishers', async () => {
      const users = Array.from({ length: 20 }, () => unique('user') as UserId);
      await Promise.all(
        users.map(async (userId) => {
          const events = Array.from({ length: 10 }, () => aUserEvent({ userId }));
          right(await bus.publisher.publish(events, { requestId: 'contract' })());
        }),
      );
      for (const userId of users)
        expect(await allProcessed(bus.store, userId, 10)).to.have.length(10);
    });
  });
}
