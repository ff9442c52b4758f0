// @ts-check
// Each part's readiness, from GET /health/ready every 2 s.
import { pause, request } from './api.js';

const POLL_MS = 2000;

/**
 * @param {{ list: HTMLElement, state: HTMLElement }} view
 * @param {AbortSignal} signal
 */
export async function runReadiness({ list, state }, signal) {
  while (!signal.aborted) {
    try {
      // Answered 200 when ready and 503 when not, with the same body.
      const response = await request('/health/ready', 'api', { signal });
      const body =
        /** @type {{ status: string, checks: Record<string, string>, causes?: string[] }} */ (
          await response.json()
        );
      const causes = body.causes === undefined ? '' : `: ${body.causes.join('; ')}`;
      state.textContent = `The service is ${body.status}${causes} (${new Date().toLocaleTimeString()})`;
      list.replaceChildren(
        ...Object.entries(body.checks).map(([part, status]) => {
          const item = document.createElement('li');
          item.className = `check check-${status}`;
          item.dataset.part = part;
          item.textContent = `${part}: ${status}`;
          return item;
        }),
      );
    } catch {
      if (!signal.aborted) state.textContent = 'GET /health/ready: the service does not answer';
    }
    await pause(POLL_MS, signal);
  }
}
