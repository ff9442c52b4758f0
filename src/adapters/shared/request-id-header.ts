/**
 * Correlates one request with the processing of the events it published: the HTTP request and
 * response header, and the Kafka record header that carries it on to the consumer. Lower case,
 * as Kafka header names are compared exactly and HTTP ones in any case.
 */
export const REQUEST_ID_HEADER = 'x-request-id';
