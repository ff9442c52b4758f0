import { expect } from 'chai';
import { capturedLogger } from '../../support/captured-logs';
import { KafkaTrouble, kafkaTroubleOf } from '../../../src/adapters/kafka/connection-trouble';

// What each client library throws or reports, in the shapes seen on a real broker.
const tlsError = (code: string, message: string) =>
  Object.assign(new Error(`Connection error: ${message}`), {
    name: 'KafkaJSConnectionError',
    code,
  });
const retriesExceeded = (cause: Error) =>
  Object.assign(new Error(cause.message), { name: 'KafkaJSNumberOfRetriesExceeded', cause });

describe('kafkaTroubleOf', () => {
  const cases: readonly [string, unknown, string][] = [
    [
      "kafkajs' SASL refusal",
      Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), {
        name: 'KafkaJSSASLAuthenticationError',
      }),
      'kafka: authentication failed',
    ],
    [
      "librdkafka's SASL refusal",
      {
        code: -169,
        message:
          'SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
      },
      'kafka: authentication failed',
    ],
    [
      'an unknown CA behind retries',
      retriesExceeded(
        tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
      ),
      'kafka: certificate not trusted',
    ],
    [
      "librdkafka's unknown CA",
      {
        code: -195,
        message:
          'ssl://127.0.0.1:19192/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate could not be verified, verify that ssl.ca.location is correctly configured or root CA certificates are installed (install ca-certificates package) (after 4ms in state SSL_HANDSHAKE)',
      },
      'kafka: certificate not trusted',
    ],
    [
      'an expired certificate',
      tlsError('CERT_HAS_EXPIRED', 'certificate has expired'),
      'kafka: certificate expired',
    ],
    [
      'a certificate of another host',
      tlsError(
        'ERR_TLS_CERT_ALTNAME_INVALID',
        "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ",
      ),
      "kafka: certificate does not name the broker's host",
    ],
    [
      'a refused connection',
      tlsError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9092'),
      'kafka: broker unreachable',
    ],
    [
      "librdkafka's TLS on a plaintext listener",
      {
        message:
          'ssl://127.0.0.1:19992/bootstrap: SSL handshake failed: Disconnected: SSL connection closed by peer: connecting to a PLAINTEXT broker listener? (after 1ms in state SSL_HANDSHAKE)',
      },
      'kafka: TLS handshake failed (is the listener plaintext?)',
    ],
    [
      "librdkafka's plaintext on a TLS listener",
      {
        message:
          '127.0.0.1:19392/bootstrap: Disconnected: connection closed by peer: receive 0 after POLLIN (after 4ms in state APIVERSION_QUERY)',
      },
      'kafka: connection closed by the broker (does the listener expect TLS or SASL?)',
    ],
    [
      'an idle connection closed, which is routine',
      {
        message:
          '127.0.0.1:19392/1: Disconnected: connection closed by peer (after 600000ms in state UP)',
      },
      'kafka: unavailable',
    ],
    ['anything else', new Error('The group is rebalancing'), 'kafka: unavailable'],
  ];
  for (const [what, error, trouble] of cases)
    it(`names ${what}: ${trouble}`, () => expect(kafkaTroubleOf(error)).to.equal(trouble));
});

describe('KafkaTrouble', () => {
  it('logs at error once per change of reason, and at info once it is over', () => {
    const { logger, lines } = capturedLogger();
    const trouble = new KafkaTrouble(logger);
    const refused = Object.assign(new Error('authentication failed'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    for (let attempt = 0; attempt < 5; attempt++) trouble.report('create the topics', refused);
    expect(trouble.reason()).to.equal('kafka: authentication failed');
    trouble.report('create the topics', tlsError('CERT_HAS_EXPIRED', 'certificate has expired'));
    trouble.clear();
    trouble.clear();
    expect(trouble.reason()).to.equal(undefined);
    expect(lines().map(({ level, msg }) => [level, msg])).to.deep.equal([
      [50, 'could not create the topics: kafka: authentication failed'],
      [50, 'could not create the topics: kafka: certificate expired'],
      [30, 'kafka: connected again'],
    ]);
  });

  it('keeps a specific reason over the generic failures that follow it, for 30 s', () => {
    const { logger, lines } = capturedLogger();
    let now = 0;
    const trouble = new KafkaTrouble(logger, () => now);
    const refused = tlsError('CERT_HAS_EXPIRED', 'certificate has expired');
    const transportFailure = Object.assign(new Error('broker transport failure'), { code: -195 });
    trouble.report('reach the cluster', refused);
    now = 29_000;
    trouble.report('create the topics', transportFailure);
    expect(trouble.reason()).to.equal('kafka: certificate expired');
    now = 60_000;
    trouble.report('create the topics', transportFailure);
    expect(trouble.reason()).to.equal('kafka: broker unreachable');
    expect(lines().filter(({ level }) => level === 50)).to.have.length(2);
  });
});
