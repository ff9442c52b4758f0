import { connect } from 'node:tls';
import { isIP } from 'node:net';
import type { KafkaSecurity } from '../kafka/kafka-client';
import { kafkaTroubleOf, type KafkaTrouble } from '../kafka/connection-trouble';

const HANDSHAKE_TIMEOUT_MS = 3000;
// librdkafka names the broker it failed on: "sasl_ssl://127.0.0.1:19396/bootstrap: SSL handshake…"
const BROKER_IN_MESSAGE = /[a-z_]+:\/\/([^\s/]+):(\d+)\//;

/**
 * Why a broker's certificate fails, as Node's own handshake with it says (expired, of another
 * host, of an unknown CA), or undefined once the handshake succeeds.
 */
function handshakeFailure(
  host: string,
  port: number,
  tls: NonNullable<KafkaSecurity['tls']>,
): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      ...(isIP(host) === 0 && { servername: host }),
      ...(tls.ca !== undefined && { ca: [tls.ca] }),
      ...(tls.cert !== undefined && { cert: tls.cert, key: tls.key }),
      timeout: HANDSHAKE_TIMEOUT_MS,
    });
    const done = (error: Error | undefined) => {
      socket.destroy();
      resolve(error);
    };
    socket.once('secureConnect', () => done(undefined));
    socket.once('error', done);
    socket.once('timeout', () => done(undefined));
  });
}

/**
 * The reporter of librdkafka's failures to reach the cluster. librdkafka says only "certificate
 * verify failed" whatever OpenSSL found wrong, so for that one failure the service shakes hands
 * with the broker itself, with the same CA, and reports what Node found instead (one handshake
 * at a time; the reports meanwhile are left out, as repeats of the one under way).
 */
export function librdkafkaTroubleReport(
  trouble: KafkaTrouble,
  tls: KafkaSecurity['tls'],
): (failure: Error) => void {
  let diagnosing = false;
  return (failure) => {
    const broker = BROKER_IN_MESSAGE.exec(failure.message);
    if (kafkaTroubleOf(failure) !== 'kafka: certificate not trusted' || !tls || !broker) {
      trouble.report('reach the cluster', failure);
      return;
    }
    if (diagnosing) return;
    diagnosing = true;
    void handshakeFailure(broker[1] ?? '', Number(broker[2]), tls).then((found) => {
      diagnosing = false;
      trouble.report('reach the cluster', found ?? failure);
    });
  };
}
