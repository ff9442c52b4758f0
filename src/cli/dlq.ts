import pino, { type Logger } from 'pino';
import type { Tracer } from '@opentelemetry/api';
import * as E from 'fp-ts/Either';
import type { Config } from '../config/config';
import type { DeadLetterFailure } from '../application/dead-letters.port';
import { runCommand } from './run-command';
import { errorMessage } from '../adapters/shared/error-message';
import { kafkaClientOf } from '../wiring/kafka-client-of';
import { kafkaDeadLettersOf } from '../wiring/kafka-dead-letters-of';
import { startTracing } from '../wiring/open-telemetry';

const USAGE = `usage: npm run dlq -- list
       npm run dlq -- replay <partition>:<offset> [<partition>:<offset> ...]
       npm run dlq -- replay --all
Reads KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_DLQ_TOPIC, KAFKA_CLIENT, KAFKA_SSL* and KAFKA_SASL* like
the service (.env included),
and OTEL_*: with tracing on, each replayed record is a span linked to the trace it had.`;

/** Thrown for a queue that could not be read or written: one line, exit 1. */
const unavailable = (failure: DeadLetterFailure): never => {
  throw new Error(failure._tag === 'DeadLettersUnavailable' ? failure.detail : failure._tag);
};

async function run(config: Config, [command, ...ids]: readonly string[]): Promise<number> {
  if (command !== 'list' && command !== 'replay') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const tracing = startTracing(config.tracing, logger);
  try {
    return await runOn(config, command, ids, tracing.tracer, logger);
  } finally {
    await tracing.stop();
  }
}

async function runOn(
  config: Config,
  command: 'list' | 'replay',
  ids: readonly string[],
  tracer: Tracer | undefined,
  logger: Logger,
): Promise<number> {
  const { dlqTopic, topic, client: library } = config.kafka;
  const client = kafkaClientOf(library, config.kafka, config.publishTimeoutMs, logger);
  const queue = kafkaDeadLettersOf(client, config, tracer);
  if (command === 'list') {
    const listed = await queue.list(Infinity)();
    if (E.isLeft(listed)) return unavailable(listed.left);
    for (const letter of listed.right.letters) process.stdout.write(`${JSON.stringify(letter)}\n`);
    process.stderr.write(`${listed.right.letters.length} dead letters on ${dlqTopic}\n`);
    return 0;
  }
  const chosen = await chosenIds(queue, ids);
  if (chosen.length === 0) {
    process.stderr.write(`not on ${dlqTopic}: (nothing chosen)\n${USAGE}\n`);
    return 2;
  }
  await client.producer.connect();
  try {
    const replayed = await queue.replay(chosen)();
    if (E.isLeft(replayed) && replayed.left._tag === 'LettersNotFound') {
      process.stderr.write(`not on ${dlqTopic}: ${replayed.left.ids.join(', ')}\n${USAGE}\n`);
      return 2;
    }
    if (E.isLeft(replayed)) return unavailable(replayed.left);
    process.stderr.write(`replayed ${replayed.right.replayed.length} dead letters to ${topic}\n`);
    return 0;
  } finally {
    await client.producer.disconnect();
  }
}

/** The ids named, or with `--all` every letter's. */
async function chosenIds(
  queue: ReturnType<typeof kafkaDeadLettersOf>,
  ids: readonly string[],
): Promise<readonly string[]> {
  if (!ids.includes('--all')) return ids;
  const listed = await queue.list(Infinity)();
  if (E.isLeft(listed)) return unavailable(listed.left);
  return listed.right.letters.map((letter) => letter.id);
}

runCommand('dlq', run, errorMessage);
