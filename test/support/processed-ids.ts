/** Every eventId that `GET /events/processed` serves, following its `Link` pages to the end. */
export async function processedIds(url: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let next: string | undefined = '/events/processed?limit=1000';
  while (next !== undefined) {
    const response: Response = await fetch(`${url}${next}`);
    for (const event of (await response.json()) as Array<{ eventId: string }>)
      ids.add(event.eventId);
    next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
  }
  return ids;
}
