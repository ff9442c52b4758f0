/** One Server-Sent Event as a client dispatches it. */
export interface ReceivedEvent {
  readonly event: string;
  readonly id: string;
  readonly data: string;
}

/**
 * A stream of GET `url` read as an EventSource reads it (fields `event`, `id`, `data`; comments
 * and `retry` skipped), for tests; the service's framing is better-sse's.
 */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  private ended = false;

  private constructor(
    /** The answer; its body is read here when it is a stream (2xx). */
    readonly response: Response,
    private readonly aborted: AbortController,
  ) {}

  /** Opens the stream; resolves once the answer's head has arrived. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const aborted = new AbortController();
    const response = await fetch(url, { headers, signal: aborted.signal });
    const client = new SseClient(response, aborted);
    if (response.ok && response.body !== null) void client.read(response.body);
    return client;
  }

  /** The `id` of the last event received: what a reconnecting EventSource sends. */
  get lastEventId(): string | undefined {
    return this.events.at(-1)?.id;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  close(): void {
    this.aborted.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    let current = { event: 'message', id: '', data: [] as string[] };
    try {
      for await (const chunk of body) {
        buffered += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).replace(/\r$/, '');
          buffered = buffered.slice(newline + 1);
          if (line === '') {
            if (current.data.length > 0)
              this.events.push({ ...current, data: current.data.join('\n') });
            current = { event: 'message', id: current.id, data: [] };
            continue;
          }
          const colon = line.indexOf(':');
          if (colon === 0) continue;
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') current.event = value;
          else if (field === 'id') current.id = value;
          else if (field === 'data') current.data.push(value);
        }
      }
    } catch {
      // Closed by the test.
    } finally {
      this.ended = true;
    }
  }
}

/** An event of GET /events/stream, as its `processed` events carry it. */
export interface StreamedEvent {
  readonly eventId: string;
  readonly userId: string;
  readonly eventType: string;
}

/** The processed events among what a stream received, in order. */
export const streamedEvents = (events: readonly ReceivedEvent[]): StreamedEvent[] =>
  events
    .filter((one) => one.event === 'processed')
    .map((one) => JSON.parse(one.data) as StreamedEvent);
