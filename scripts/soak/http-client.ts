import { Agent, request } from 'node:http';

/** One answer; status 0 when none came (a connection error, or no answer within the timeout). */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly latencyMs: number;
  /** Why no answer came (status 0): the socket error's code, such as ECONNRESET, or `timeout`. */
  readonly failure?: string;
}

const TIMEOUT_MS = 30_000;

/**
 * Requests to one server over keep-alive connections (node:http: less CPU per request than
 * fetch, which the service's two cores need more than the load generator does).
 */
export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(method: 'GET' | 'POST', path: string, body?: string): Promise<HttpAnswer> {
    const startedAt = performance.now();
    const headers =
      body === undefined
        ? {}
        : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    return new Promise((resolve) => {
      const done = (status: number, text: string, failure?: string): void =>
        resolve({
          status,
          body: text,
          latencyMs: performance.now() - startedAt,
          ...(failure === undefined ? {} : { failure }),
        });
      const failed = (error: NodeJS.ErrnoException): void =>
        done(0, '', error.code ?? error.message);
      const outgoing = request(
        { host: this.host, port: this.port, method, path, headers, agent: this.agent },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => done(answer.statusCode ?? 0, Buffer.concat(chunks).toString()));
          answer.on('error', failed);
        },
      );
      outgoing.setTimeout(TIMEOUT_MS, () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', failed);
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
