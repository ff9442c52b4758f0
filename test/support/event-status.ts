import { eventually } from './eventually';

/** GET /events/{id}/status, until it answers `status` (or fails the test after a while). */
export async function statusOnceIt(
  url: string,
  eventId: string,
  status: string,
): Promise<Record<string, unknown>> {
  return eventually(`event ${eventId} ${status}`, async () => {
    const response = await fetch(`${url}/events/${eventId}/status`);
    if (response.status !== 200) return undefined;
    const body = (await response.json()) as Record<string, unknown>;
    return body.status === status ? body : undefined;
  });
}
