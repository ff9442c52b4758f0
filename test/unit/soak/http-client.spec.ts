import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../../scripts/soak/http-client';

const listening = (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

describe('soak: the HTTP client', () => {
  it('names why a request went unanswered: the connection reset by the server', async () => {
    const server = createServer((incoming) => incoming.socket.destroy());
    const client = new HttpClient(`http://127.0.0.1:${await listening(server)}`, 1);
    try {
      const answer = await client.send('POST', '/events/generate', '{}');
      expect(answer).to.include({ status: 0, failure: 'ECONNRESET' });
    } finally {
      client.close();
      server.close();
    }
  });

  it('has no failure when an answer came', async () => {
    const server = createServer((_incoming, outgoing) => outgoing.writeHead(503).end('busy'));
    const client = new HttpClient(`http://127.0.0.1:${await listening(server)}`, 1);
    try {
      const answer = await client.send('GET', '/health/ready');
      expect(answer).to.include({ status: 503, body: 'busy' });
      expect(answer).not.to.have.property('failure');
    } finally {
      client.close();
      server.close();
    }
  });
});
