import { RecentlyPublishedEvents } from '../../src/adapters/memory/recently-published-events';
import { publishedEventsContract } from './published-events.contract';

publishedEventsContract('RecentlyPublishedEvents', (bound) => new RecentlyPublishedEvents(bound));
