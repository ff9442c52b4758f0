// @ts-check
// Where one event stands, from GET /events/:eventId/status, as the steps of its journey.
import { problemText, request } from './api.js';

/** @typedef {Record<string, unknown> & { eventId: string, status: string }} EventStatus */

/**
 * The steps an event in this status went through, the last one where it stands.
 * @param {EventStatus} found
 * @returns {Array<[string, string]>}
 */
function journey(found) {
  const at = (/** @type {unknown} */ when) => (typeof when === 'string' ? when : '');
  /** @type {[string, string]} */
  const accepted = ['published', 'acknowledged by Kafka'];
  switch (found.status) {
    case 'published':
      return [
        [
          'published',
          `${at(found.publishedAt)}, partition ${found.partition}, offset ${found.offset}`,
        ],
      ];
    case 'processed':
    case 'conflicting':
      return [
        accepted,
        [
          'processed',
          `${at(found.processedAt)}, ${found.latencyMs} ms after it was accepted, ${found.deliveries} deliveries`,
        ],
      ];
    case 'retrying':
      return [
        accepted,
        ['retrying', `attempt ${found.attempts}, last ${at(found.lastAttemptAt)}: ${found.error}`],
      ];
    case 'dead-lettered':
      return [
        accepted,
        ['dead-lettered', `${at(found.deadLetteredAt)}, ${found.reason}: ${found.error}`],
      ];
    default:
      return [[found.status, '']];
  }
}

/**
 * @param {{ form: HTMLFormElement, input: HTMLInputElement, result: HTMLElement }} view
 */
export function runStatusBox({ form, input, result }) {
  const show = async () => {
    const eventId = input.value.trim();
    result.textContent = `Looking for ${eventId}…`;
    const response = await request(`/events/${encodeURIComponent(eventId)}/status`, 'api').catch(
      () => undefined,
    );
    if (response === undefined) {
      result.textContent = 'The service does not answer';
      return;
    }
    if (!response.ok) {
      result.textContent = await problemText(response);
      return;
    }
    const found = /** @type {EventStatus} */ (await response.json());
    const heading = document.createElement('p');
    heading.className = `status status-${found.status}`;
    heading.dataset.status = found.status;
    heading.textContent = `${found.eventId}: ${found.status}`;
    const steps = document.createElement('ol');
    steps.className = 'journey';
    steps.replaceChildren(
      ...journey(found).map(([step, detail]) => {
        const item = document.createElement('li');
        const name = document.createElement('strong');
        name.textContent = step;
        item.append(name, detail === '' ? '' : ` ${detail}`);
        return item;
      }),
    );
    result.replaceChildren(heading, steps);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void show();
  });
  return {
    /** Looks `eventId` up, as if it was typed in the box. @param {string} eventId */
    find(eventId) {
      input.value = eventId;
      void show();
    },
  };
}
