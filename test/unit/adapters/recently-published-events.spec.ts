import { expect } from 'chai';
import { RecentlyPublishedEvents } from '../../../src/adapters/memory/recently-published-events';
import type { EventId } from '../../../src/domain/event-fields';
import { aUserEvent } from '../../support/builders';

const publishedAt = new Date('2026-11-29T12:00:00.000Z');
const publishedEvent = (offset: number) => ({
  eventId: aUserEvent().eventId,
  location: { partition: 0, offset: String(offset) },
  publishedAt,
});

describe('RecentlyPublishedEvents', () => {
  it('finds what it was told, and nothing else', () => {
    const events = new RecentlyPublishedEvents(10);
    const one = publishedEvent(1);
    events.remember([one]);
    expect(events.find(one.eventId)).to.deep.equal(one);
    expect(events.find(aUserEvent().eventId as EventId)).to.equal(undefined);
  });

  it('forgets the oldest beyond its bound, counting a republished event as new', () => {
    const events = new RecentlyPublishedEvents(3);
    const [a, b, c, d] = [1, 2, 3, 4].map(publishedEvent);
    events.remember([a!, b!, c!]);
    events.remember([{ ...a!, location: { partition: 0, offset: '9' } }]);
    events.remember([d!]);
    expect([a, b, c, d].map((event) => events.find(event!.eventId)?.location.offset)).to.deep.equal(
      ['9', undefined, '3', '4'],
    );
  });

  it('remembers nothing with a bound of 0', () => {
    const events = new RecentlyPublishedEvents(0);
    const one = publishedEvent(1);
    events.remember([one]);
    expect(events.find(one.eventId)).to.equal(undefined);
  });

  it('forgets what it is told to, and still the oldest first beyond its bound', () => {
    const events = new RecentlyPublishedEvents(3);
    const [a, b, c, d, e, f] = [1, 2, 3, 4, 5, 6].map(publishedEvent);
    events.remember([a!, b!, c!]);
    events.forget([b!.eventId, aUserEvent().eventId as EventId]);
    events.remember([d!, e!]);
    events.forget([e!.eventId]);
    events.remember([f!]);
    expect(
      [a, b, c, d, e, f].map((event) => events.find(event!.eventId)?.location.offset),
    ).to.deep.equal([undefined, undefined, '3', '4', undefined, '6']);
  });
});
