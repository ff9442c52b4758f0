import { connect, createServer, type Server, type Socket } from 'node:net';

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Requests still reach the server, its answers are dropped: an acknowledgement lost on the way. */
  deaf: boolean;
}

/**
 * A loopback TCP proxy in front of a broker or database that can lose the server's answers on the
 * open connections or refuse every connection, so a test can make the server vanish and return, or
 * fail a write after the server stored it. Kafka clients only stay behind it when the broker
 * advertises the proxy's port.
 */
export class TcpFaultProxy {
  private readonly links = new Set<Link>();
  private refusing = false;
  private readonly server: Server;

  constructor(
    readonly port: number,
    private readonly target: { readonly host: string; readonly port: number },
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.server.once('error', reject).listen(this.port, '127.0.0.1', resolve),
    );
  }

  /** From now on the server's answers on the connections open now are dropped; new ones pass. */
  loseAnswersOnOpenConnections(): void {
    for (const link of this.links) link.deaf = true;
  }

  /** Cuts every connection and refuses new ones, as a server that went away. */
  refuseConnections(): void {
    this.refusing = true;
    for (const link of this.links) this.cut(link);
  }

  passConnections(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    this.refuseConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const link: Link = {
      client,
      upstream: connect(this.target.port, this.target.host),
      deaf: false,
    };
    this.links.add(link);
    client.on('data', (chunk) => link.upstream.write(chunk));
    link.upstream.on('data', (chunk) => {
      if (!link.deaf) client.write(chunk);
    });
    for (const socket of [client, link.upstream]) {
      socket.on('error', () => this.cut(link));
      socket.on('close', () => this.cut(link));
    }
  }

  private cut(link: Link): void {
    this.links.delete(link);
    link.client.destroy();
    link.upstream.destroy();
  }
}
