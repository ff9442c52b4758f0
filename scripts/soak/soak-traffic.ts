import type { EventLedger } from './event-ledger';
import type { HttpAnswer, HttpClient } from './http-client';
import type { MinuteStats } from './minute-stats';
import type { PoisonWriter } from './poison-writer';
import { readKind, readPath, requestKind, submission, type RequestKind } from './request-mix';
import type { SoakSettings } from './settings';
import type { SoakIds } from './soak-ids';

/** What a soak request needs: where to send, and where each answer is counted. */
export interface TrafficParts {
  readonly client: HttpClient;
  readonly ids: SoakIds;
  readonly ledger: EventLedger;
  readonly minutes: MinuteStats;
  readonly poisons: PoisonWriter;
}

/** The soak's requests, one kind or another by their number (request-mix.ts). */
export class SoakTraffic {
  private reads = 0;
  private lastAcknowledged: string | undefined;

  constructor(
    private readonly parts: TrafficParts,
    private readonly settings: SoakSettings,
  ) {}

  /** Sends request number `sequence`, `atMs` into the soak, and counts its answer. */
  async send(sequence: number, atMs: number): Promise<void> {
    const kind = requestKind(sequence, this.settings);
    if (kind === 'read') return this.read(atMs);
    const { ids, ledger, client, poisons } = this.parts;
    const indexes = ledger.reserve(kind === 'batch' ? this.settings.batchSize : 1);
    const events = indexes.map((index) => submission(ids.idOf(index), index, this.settings.users));
    poisons.eventsSent(indexes.length);
    const answer =
      kind === 'batch'
        ? await client.send('POST', '/events/batch', JSON.stringify({ events }))
        : await client.send('POST', '/events/generate', JSON.stringify(events[0]));
    const acknowledged = answer.status === 201 ? acknowledgedIds(answer) : [];
    for (const id of acknowledged) ledger.acknowledge(ids.indexOf(id));
    this.lastAcknowledged = acknowledged[acknowledged.length - 1] ?? this.lastAcknowledged;
    this.count(kind, atMs, answer, indexes.length, acknowledged.length);
  }

  private async read(atMs: number): Promise<void> {
    const sequence = this.reads++;
    const user = `user-${sequence % this.settings.users}`;
    const path = readPath(readKind(sequence), user, this.lastAcknowledged);
    this.count('read', atMs, await this.parts.client.send('GET', path), 0, 0);
  }

  private count(
    kind: RequestKind,
    sentAtMs: number,
    answer: HttpAnswer,
    events: number,
    acknowledged: number,
  ): void {
    const { status, latencyMs, failure } = answer;
    this.parts.minutes.answered({
      sentAtMs,
      kind,
      status,
      latencyMs,
      events,
      acknowledged,
      ...(failure === undefined ? {} : { failure }),
    });
  }
}

/** The eventIds of a 201: `eventId` of a single POST, `eventIds` of a batch. */
function acknowledgedIds(answer: HttpAnswer): string[] {
  try {
    const body = JSON.parse(answer.body) as { eventId?: unknown; eventIds?: unknown };
    if (typeof body.eventId === 'string') return [body.eventId];
    if (Array.isArray(body.eventIds))
      return body.eventIds.filter((id): id is string => typeof id === 'string');
  } catch {
    // Not JSON: a 201 acknowledging nothing we can read, so nothing counted as acknowledged.
  }
  return [];
}
