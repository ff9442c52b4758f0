import type { KafkaSecurity } from '../kafka/kafka-client';

/**
 * The service's TLS and SASL settings as librdkafka's properties, for its producer and for the
 * KafkaJS-style clients alike. PEM text rather than file paths: the files were read once at
 * start-up, as kafkajs reads them.
 */
export function librdkafkaSecurity(security: KafkaSecurity | undefined): Record<string, string> {
  const { tls, sasl } = security ?? {};
  const protocol = `${sasl === undefined ? '' : 'sasl_'}${tls === undefined ? 'plaintext' : 'ssl'}`;
  return {
    'security.protocol': protocol,
    ...(tls?.ca !== undefined && { 'ssl.ca.pem': tls.ca }),
    ...(tls?.cert !== undefined && { 'ssl.certificate.pem': tls.cert }),
    ...(tls?.key !== undefined && { 'ssl.key.pem': tls.key }),
    ...(sasl !== undefined && {
      'sasl.mechanism': sasl.mechanism.toUpperCase(),
      'sasl.username': sasl.username,
      'sasl.password': sasl.password,
    }),
  };
}
