import { RecordedDeadLetters } from '../support/recorded-dead-letters';
import { deadLetterPublisherContract } from './dead-letter-publisher.contract';

// The fake the consumer's unit tests write dead letters to: held to what the Kafka adapter is.
deadLetterPublisherContract('RecordedDeadLetters', async () => {
  const publisher = new RecordedDeadLetters();
  return {
    publisher,
    written: async () => publisher.written(),
    unreachable: async () => ({ publisher: new RecordedDeadLetters(true), answersWithinMs: 0 }),
    stop: async () => undefined,
  };
});
