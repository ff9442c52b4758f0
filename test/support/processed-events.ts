/** A processed event as GET /events/processed serves it. */
export interface ServedEvent {
  readonly eventId: string;
  readonly userId: string;
  readonly eventType: string;
  readonly timestamp: string;
  readonly payload: Record<string, unknown>;
}

/** One page of GET /events/processed for `userId`, narrowed by `query` (eventType, limit). */
export async function processedEventsOf(
  url: string,
  userId: string,
  query: Readonly<Record<string, string>> = {},
): Promise<ServedEvent[]> {
  const params = new URLSearchParams({ userId, ...query });
  const response = await fetch(`${url}/events/processed?${params.toString()}`);
  if (response.status !== 200) throw new Error(`GET /events/processed answered ${response.status}`);
  return (await response.json()) as ServedEvent[];
}

/**
 * Every eventId that `GET /events/processed` serves, following its `Link` pages to the end. An id
 * served twice is a defect of the store, never merged away: it fails the caller.
 */
export async function processedIds(url: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let next: string | undefined = '/events/processed?limit=1000';
  while (next !== undefined) {
    const response: Response = await fetch(`${url}${next}`);
    if (response.status !== 200) throw new Error(`GET ${next} answered ${response.status}`);
    for (const { eventId } of (await response.json()) as ServedEvent[]) {
      if (ids.has(eventId)) throw new Error(`GET /events/processed served ${eventId} twice`);
      ids.add(eventId);
    }
    next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
  }
  return ids;
}
