import pino from 'pino';
import type { Kafka } from 'kafkajs';
import type { Config } from '../config/config';
import { runCommand } from './run-command';
import {
  ChosenPartitions,
  createEventProducer,
  createKafka,
} from '../adapters/kafkajs/kafkajs-setup';
import { errorMessage } from '../adapters/shared/error-message';
import { headerText } from '../adapters/kafka/user-event-record';
import {
  readDeadLetters,
  replayDeadLetters,
  type StoredDeadLetter,
} from '../adapters/kafkajs/dead-letter-queue';

const USAGE = `usage: npm run dlq -- list
       npm run dlq -- replay <partition>:<offset> [<partition>:<offset> ...]
       npm run dlq -- replay --all
Reads KAFKA_BROKER, KAFKA_TOPIC, KAFKA_DLQ_TOPIC like the service (.env included).`;

const VALUE_PREVIEW_BYTES = 200;

const letterId = (letter: StoredDeadLetter): string => `${letter.partition}:${letter.offset}`;

/** One line of `list`: where the letter is, why it is there, and the start of its value. */
const describe = (letter: StoredDeadLetter) => ({
  id: letterId(letter),
  key: letter.key?.toString('utf8') ?? null,
  reason: headerText(letter.headers, 'dlq-reason'),
  error: headerText(letter.headers, 'dlq-error'),
  originalTopic: headerText(letter.headers, 'dlq-original-topic'),
  originalPartition: headerText(letter.headers, 'dlq-original-partition'),
  originalOffset: headerText(letter.headers, 'dlq-original-offset'),
  failedAt: headerText(letter.headers, 'dlq-failed-at'),
  eventId: headerText(letter.headers, 'ce_id'),
  value: letter.value?.subarray(0, VALUE_PREVIEW_BYTES).toString('utf8') ?? null,
});

/** The letters named by `partition:offset` ids (or all with `--all`), or the ids not found. */
function chooseLetters(
  letters: readonly StoredDeadLetter[],
  ids: readonly string[],
): { chosen: readonly StoredDeadLetter[]; missing: readonly string[] } {
  if (ids.includes('--all')) return { chosen: letters, missing: [] };
  const found = new Set(letters.map(letterId));
  return {
    chosen: letters.filter((letter) => ids.includes(letterId(letter))),
    missing: ids.filter((id) => !found.has(id)),
  };
}

async function replay(
  kafka: Kafka,
  config: Config,
  letters: readonly StoredDeadLetter[],
): Promise<void> {
  const producer = createEventProducer(kafka, new ChosenPartitions());
  await producer.connect();
  try {
    await replayDeadLetters(producer, config.kafka.topic, letters);
  } finally {
    await producer.disconnect();
  }
}

async function run(config: Config, [command, ...ids]: readonly string[]): Promise<number> {
  if (command !== 'list' && command !== 'replay') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { dlqTopic, topic } = config.kafka;
  const kafka = createKafka(config.kafka, pino({ level: 'warn' }, pino.destination(2)));
  const letters = await readDeadLetters(kafka, dlqTopic);
  if (command === 'list') {
    for (const letter of letters) process.stdout.write(`${JSON.stringify(describe(letter))}\n`);
    process.stderr.write(`${letters.length} dead letters on ${dlqTopic}\n`);
    return 0;
  }
  const { chosen, missing } = chooseLetters(letters, ids);
  if (missing.length > 0 || chosen.length === 0) {
    process.stderr.write(
      `not on ${dlqTopic}: ${missing.join(', ') || '(nothing chosen)'}\n${USAGE}\n`,
    );
    return 2;
  }
  await replay(kafka, config, chosen);
  process.stderr.write(`replayed ${chosen.length} dead letters to ${topic}\n`);
  return 0;
}

runCommand('dlq', run, errorMessage);
