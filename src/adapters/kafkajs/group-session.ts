import type { ConsumerConfig } from 'kafkajs';

// kafkajs' own fetch long-poll; kept whenever the session leaves room for it.
const KAFKAJS_MAX_WAIT_MS = 5000;

/**
 * The consumer's group timings for one session timeout: how long the group waits for a silent
 * member (one killed with kill -9) before its partitions go to the others.
 *
 * Heartbeats every tenth of the session, kafkajs' own ratio (30000/3000), so the default stays
 * what kafkajs does. Not Kafka's upper bound of a third: kafkajs heartbeats from its fetch loop
 * rather than a thread of its own, so a slow record delays the beat, and a third would leave
 * room for only two late ones; heartbeat answers are also how a member learns that a restarted
 * instance wants to join, so a longer interval slows every rebalance.
 *
 * An idle member beats only after each long poll, so the poll ends within a third of the session.
 */
export const groupSession = (
  sessionTimeoutMs: number,
): Pick<ConsumerConfig, 'sessionTimeout' | 'heartbeatInterval' | 'maxWaitTimeInMs'> => ({
  sessionTimeout: sessionTimeoutMs,
  heartbeatInterval: Math.floor(sessionTimeoutMs / 10),
  maxWaitTimeInMs: Math.min(KAFKAJS_MAX_WAIT_MS, Math.floor(sessionTimeoutMs / 3)),
});
