import type { Config } from '../config/config';
import type { TopicWrites } from '../adapters/kafka/record-writes';
import { PRODUCE_RESENDS } from './retry-policies';

/** Events, dead letters and replays alike: the publish deadline, the same bound, the same resends. */
export const topicWritesOf = (
  { publishTimeoutMs, maxPendingEvents }: Pick<Config, 'publishTimeoutMs' | 'maxPendingEvents'>,
  topic: string,
): TopicWrites => ({
  topic,
  timeoutMs: publishTimeoutMs,
  maxPendingRecords: maxPendingEvents,
  resends: PRODUCE_RESENDS,
});
