import { createServer } from 'node:http';

/**
 * What the traced service legs export to: a stand-in for an OpenTelemetry Collector, in a
 * process of its own (its CPU is the collector's, not the service's), that takes every OTLP/HTTP
 * request, reads its body and answers 200 with an empty export response. GET /health/ready is
 * there only for the bench's start wait. The port comes from PORT.
 */
const server = createServer((request, response) => {
  request.resume();
  request.once('end', () => {
    if (request.url === '/health/ready') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
  });
});
server.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
