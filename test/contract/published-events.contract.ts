import { expect } from 'chai';
import type { PublishedEvent, PublishedEvents } from '../../src/application/published-events.port';
import { aUserEvent } from '../support/builders';

const publishedAt = new Date('2026-11-29T12:00:00.000Z');
const aPublishedEvent = (offset: string): PublishedEvent => ({
  eventId: aUserEvent().eventId,
  location: { partition: 3, offset },
  publishedAt,
});

/**
 * What every PublishedEvents promises. `make(bound)` returns an empty one that keeps at most
 * `bound` events.
 */
export function publishedEventsContract(
  name: string,
  make: (bound: number) => PublishedEvents,
): void {
  describe(`${name} honours the PublishedEvents contract`, () => {
    const offsetsOf = (events: PublishedEvents, published: readonly PublishedEvent[]) =>
      published.map(({ eventId }) => events.find(eventId)?.location.offset);

    it('finds each remembered event as it was given, and nothing it was not given', () => {
      const events = make(10);
      // Beyond 2^53: an offset comes back as the same text.
      const [one, two] = [aPublishedEvent('0'), aPublishedEvent('9007199254740993')];
      events.remember([one!, two!]);
      expect([one, two].map((event) => events.find(event!.eventId))).to.deep.equal([one, two]);
      expect(events.find(aUserEvent().eventId)).to.equal(undefined);
    });

    it('answers what was last remembered of an event remembered again', () => {
      const events = make(10);
      const first = aPublishedEvent('1');
      const again = { ...first, location: { partition: 5, offset: '7' }, publishedAt: new Date() };
      events.remember([first]);
      events.remember([again]);
      expect(events.find(first.eventId)).to.deep.equal(again);
    });

    it('forgets the oldest first past its bound, an event remembered again counting as new', () => {
      const events = make(3);
      const [a, b, c, d] = ['1', '2', '3', '4'].map(aPublishedEvent);
      events.remember([a!, b!, c!]);
      events.remember([{ ...a!, location: { partition: 3, offset: '9' } }]);
      events.remember([d!]);
      expect(offsetsOf(events, [a!, b!, c!, d!])).to.deep.equal(['9', undefined, '3', '4']);
    });

    it('keeps nothing with a bound of 0', () => {
      const events = make(0);
      const one = aPublishedEvent('1');
      events.remember([one]);
      expect(events.find(one.eventId)).to.equal(undefined);
    });

    it('answers undefined for a forgotten event, and still knows every other', () => {
      const events = make(10);
      const [a, b, c] = ['1', '2', '3'].map(aPublishedEvent);
      events.remember([a!, b!, c!]);
      events.forget([a!.eventId, c!.eventId]);
      expect(offsetsOf(events, [a!, b!, c!])).to.deep.equal([undefined, '2', undefined]);
    });

    it('changes nothing when told to forget an event it does not know', () => {
      const events = make(2);
      const [a, b, c] = ['1', '2', '3'].map(aPublishedEvent);
      events.remember([a!, b!]);
      events.forget([aUserEvent().eventId]);
      events.forget([]);
      expect(offsetsOf(events, [a!, b!])).to.deep.equal(['1', '2']);
      events.remember([c!]);
      expect(offsetsOf(events, [a!, b!, c!]), 'still bounded, oldest first').to.deep.equal([
        undefined,
        '2',
        '3',
      ]);
    });

    it('still forgets the oldest first past its bound after forgetting', () => {
      const events = make(3);
      const [a, b, c, d, e, f] = ['1', '2', '3', '4', '5', '6'].map(aPublishedEvent);
      events.remember([a!, b!, c!]);
      events.forget([b!.eventId]);
      events.remember([d!, e!]);
      events.forget([e!.eventId]);
      events.remember([f!]);
      expect(offsetsOf(events, [a!, b!, c!, d!, e!, f!])).to.deep.equal([
        undefined,
        undefined,
        '3',
        '4',
        undefined,
        '6',
      ]);
    });

    it('remembers an event forgotten before when it is remembered again', () => {
      const events = make(10);
      const one = aPublishedEvent('1');
      events.remember([one]);
      events.forget([one.eventId]);
      events.remember([one]);
      expect(events.find(one.eventId)).to.deep.equal(one);
    });
  });
}
