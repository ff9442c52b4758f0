import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeadLetterReason } from '../../application/dead-letter-publisher.port';
import type { SettledOutcome } from '../../application/process-event';
import type {
  AnsweredRequest,
  PartitionLag,
  ServiceMetrics,
  StreamEnding,
} from '../../application/service-metrics.port';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// From a fast local hop to a consumer that waited minutes for its store.
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** The parts of the service whose metrics a process exposes: those it runs. */
export interface MeasuredParts {
  /** Events published (`events_published_total`), and the live streams of the API. */
  readonly publishing: boolean;
  /** Events settled and dead-lettered, their latency, the dead letters waiting. */
  readonly processing: boolean;
}

const EVERY_PART: MeasuredParts = { publishing: true, processing: true };

/**
 * The service's Prometheus metrics, in a registry of their own (one per service instance). A
 * part this process does not run has no metric in the exposition: an api's zero of processed
 * events would read as a stalled consumer on a dashboard that sums over every process.
 */
export class PrometheusMetrics implements ServiceMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly published: Counter;
  private readonly settled: Counter<'outcome'>;
  private readonly deadLettered: Counter<'reason'>;
  private readonly waitingLetters: Gauge;
  private readonly latency: Histogram;
  private readonly openStreams: Gauge;
  private readonly endedStreams: Counter<'reason'>;
  // Each series looked up once: prom-client hashes a label set on every observe otherwise. The
  // keys are as bounded as the labels (methods, route templates, status codes).
  private readonly requestSeries = new Map<
    string,
    Histogram.Internal<'method' | 'route' | 'status'>
  >();

  constructor(parts: MeasuredParts = EVERY_PART) {
    const registers = [this.registry];
    // A metric of a part not run here is still counted (by nobody), but never exposed.
    const publishing = parts.publishing ? registers : [];
    const processing = parts.processing ? registers : [];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.published = new Counter({
      name: 'events_published_total',
      help: 'Events the bus acknowledged',
      registers: publishing,
    });
    this.settled = new Counter({
      name: 'events_processed_total',
      help: 'Delivered events by outcome: processed (first copy), duplicate (a later copy) or conflict (a later copy with other content)',
      labelNames: ['outcome'],
      registers: processing,
    });
    this.deadLettered = new Counter({
      name: 'events_dead_lettered_total',
      help: 'Records written to the dead-letter topic, by reason',
      labelNames: ['reason'],
      registers: processing,
    });
    this.waitingLetters = new Gauge({
      name: 'dead_letters_waiting',
      help: 'Records whose write to the dead-letter topic failed and is being retried; each holds its partition',
      registers: processing,
    });
    this.latency = new Histogram({
      name: 'events_end_to_end_latency_seconds',
      help: 'From the event timestamp (set on POST) until it was processed',
      buckets: LATENCY_BUCKETS,
      registers: processing,
    });
    [this.openStreams, this.endedStreams] = streamMetrics(publishing);
  }

  requestAnswered({ method, route, status, seconds }: AnsweredRequest): void {
    const key = `${method} ${route} ${status}`;
    let series = this.requestSeries.get(key);
    if (series === undefined) {
      series = this.httpDuration.labels(method, route, String(status));
      this.requestSeries.set(key, series);
    }
    series.observe(seconds);
  }

  eventsPublished(count: number): void {
    this.published.inc(count);
  }

  eventSettled(outcome: SettledOutcome, latencySeconds: number): void {
    this.settled.inc({ outcome });
    if (outcome === 'processed') this.latency.observe(latencySeconds);
  }

  eventDeadLettered(reason: DeadLetterReason): void {
    this.deadLettered.inc({ reason });
  }

  deadLettersWaiting(count: number): void {
    this.waitingLetters.set(count);
  }

  streamsOpen(count: number): void {
    this.openStreams.set(count);
  }

  streamEnded(ending: StreamEnding): void {
    this.endedStreams.inc({ reason: ending });
  }

  /** The text exposition format, for GET /metrics. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  /** Exposes the consumer group's lag per partition, read from `lagSource` at every scrape. */
  measureLag(lagSource: () => Promise<readonly PartitionLag[]>): void {
    new Gauge({
      name: 'kafka_consumer_lag',
      help: "Records on each partition after the consumer group's committed offset",
      labelNames: ['topic', 'partition'],
      registers: [this.registry],
      // Read at scrape time from the committed offsets, so a stalled consumer shows a growing lag.
      async collect() {
        this.reset();
        for (const { topic, partition, lag } of await lagSource())
          this.set({ topic, partition: String(partition) }, lag);
      },
    });
  }
}

/** The live streams' series, of the processes that serve the API. */
function streamMetrics(registers: Registry[]): [Gauge, Counter<'reason'>] {
  return [
    new Gauge({
      name: 'event_streams_open',
      help: 'Live streams (GET /events/stream) holding a connection; SSE_MAX_CLIENTS bounds them',
      registers,
    }),
    new Counter({
      name: 'event_streams_ended_total',
      help: 'Live streams ended, by reason: client (it left), behind (it fell too far behind) or closing (the service stopped)',
      labelNames: ['reason'],
      registers,
    }),
  ];
}
