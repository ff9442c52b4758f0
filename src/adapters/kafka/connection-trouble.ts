import type { Logger } from 'pino';
import { errorMessage } from '../shared/error-message';

interface Rule {
  readonly trouble: string;
  /** Node's error codes (kafkajs passes the socket's on), and librdkafka's. */
  readonly codes?: readonly (string | number)[];
  readonly names?: readonly string[];
  /** What librdkafka (and OpenSSL through it) says, which has no code of its own. */
  readonly text?: RegExp;
}

// In order: a refused handshake also closes the connection, so the specific reasons come first.
const RULES: readonly Rule[] = [
  {
    trouble: 'authentication failed',
    names: ['KafkaJSSASLAuthenticationError'],
    codes: [-169],
    text: /SASL authentication (error|failed)|authentication failed/i,
  },
  {
    trouble: 'certificate expired',
    codes: ['CERT_HAS_EXPIRED'],
    text: /certificate has expired/i,
  },
  {
    trouble: "certificate does not name the broker's host",
    codes: ['ERR_TLS_CERT_ALTNAME_INVALID'],
    text: /hostname mismatch|IP address mismatch|does not match certificate's altnames/i,
  },
  {
    trouble: 'certificate not trusted',
    codes: [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'UNABLE_TO_GET_ISSUER_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'CERT_SIGNATURE_FAILURE',
    ],
    text: /certificate verify failed|unable to (get local issuer|verify the first) certificate|self[- ]signed certificate/i,
  },
  {
    trouble: 'client certificate refused',
    codes: ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'],
    text: /certificate required|bad certificate/i,
  },
  {
    trouble: 'TLS handshake failed (is the listener plaintext?)',
    codes: ['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG'],
    text: /before secure TLS connection was established|wrong version number|packet length too long|connecting to a PLAINTEXT broker listener|closed by peer.*in state SSL_HANDSHAKE/i,
  },
  {
    trouble: 'connection closed by the broker (does the listener expect TLS or SASL?)',
    names: ['KafkaJSConnectionClosedError'],
    // librdkafka's own words when a broker closes a connection it has just opened.
    text: /connecting to a SSL listener|closed by the server|Closed connection|closed by peer.*in state APIVERSION_QUERY/i,
  },
  {
    trouble: 'broker unreachable',
    codes: ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'],
    text: /ECONNREFUSED|Connection refused|Connection timeout|timed out|Broker transport failure|brokers are down/i,
  },
];

/** An error and what it wraps (kafkajs' retries keep the last failure as `cause`). */
function* chainOf(error: unknown): Generator<Record<string, unknown>> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const link = current as Record<string, unknown>;
    yield link;
    current = link.cause ?? link.originalError;
  }
}

// kafkajs' log lines carry the failure in `error` beside their own message.
const textOf = (link: Record<string, unknown>): string =>
  [link.message, link.error].filter((part) => typeof part === 'string').join(': ');

const matches = (rule: Rule, link: Record<string, unknown>): boolean =>
  (rule.names?.includes(String(link.name)) ?? false) ||
  (rule.codes?.some((code) => code === link.code || code === link.errno) ?? false) ||
  (rule.text?.test(textOf(link)) ?? false);

/**
 * Why a Kafka client cannot reach the cluster, in an operator's words, from what either client
 * library threw or reported: `kafka: authentication failed`, `kafka: certificate not trusted`, …
 */
export function kafkaTroubleOf(error: unknown): string {
  const chain = [...chainOf(error)];
  const rule = RULES.find((candidate) => chain.some((link) => matches(candidate, link)));
  return `kafka: ${rule?.trouble ?? 'unavailable'}`;
}

// What follows from any of the others as well: a refused handshake leaves no broker reachable.
const GENERIC = new Set(['kafka: unavailable', 'kafka: broker unreachable']);
// How long a specific reason outweighs the generic failures that follow from it.
const SPECIFIC_FOR_MS = 30_000;

/** Whether a library's log line or error event is a failure to reach the cluster. */
export const isConnectionTrouble = (error: unknown): boolean =>
  kafkaTroubleOf(error) !== 'kafka: unavailable';

/** Whether it names a reason more precise than an unreachable cluster. */
export const isSpecificTrouble = (error: unknown): boolean => !GENERIC.has(kafkaTroubleOf(error));

/** A library's log line as an error, for the trouble: its message and the fields beside it. */
export const loggedTrouble = (message: string, details: Record<string, unknown>): Error =>
  Object.assign(new Error(textOf({ ...details, message })), details);

/**
 * The latest reason the service's Kafka clients could not connect, for readiness, logged at
 * error once each time it changes (a wrong password retried every 10 s is one line, not a
 * flood) and at info once it is over.
 */
export class KafkaTrouble {
  private current: string | undefined;
  private specificAt = -Infinity;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A failed attempt: `what` is the attempt (for the log), `error` what it threw. A generic
   * failure does not replace a specific reason reported within the last 30 s: a wrong password
   * also makes librdkafka's admin requests fail as "broker transport failure".
   */
  report(what: string, error: unknown): void {
    const trouble = kafkaTroubleOf(error);
    const specific = !GENERIC.has(trouble);
    if (specific) this.specificAt = this.now();
    const outweighed =
      !specific &&
      this.current !== undefined &&
      !GENERIC.has(this.current) &&
      this.now() - this.specificAt < SPECIFIC_FOR_MS;
    if (trouble === this.current || outweighed) {
      this.logger.debug({ trouble, error: errorMessage(error) }, `could not ${what}; retrying`);
      return;
    }
    this.current = trouble;
    this.logger.error({ trouble, error: errorMessage(error) }, `could not ${what}: ${trouble}`);
  }

  /** The clients connected: whatever was wrong is over. */
  clear(): void {
    this.specificAt = -Infinity;
    if (this.current === undefined) return;
    this.logger.info({ was: this.current }, 'kafka: connected again');
    this.current = undefined;
  }

  /** The reason, while there is one. */
  reason(): string | undefined {
    return this.current;
  }
}
