// @ts-check
// The live tail: GET /events/stream read with fetch (an EventSource cannot send the key as a
// header), framed by eventsource-parser, resumed after its last id when the stream ends.
import { EventSourceParserStream } from './vendor.js';
import { pause, problemText, request } from './api.js';

const ROWS = 100;
const RECONNECT_MS = 1000;

/** @typedef {{ eventId: string, userId: string, eventType: string, timestamp: string }} StreamedEvent */
/** @typedef {{ userId: string, eventType: string }} Filters */

/**
 * The rows, newest first, at most ROWS of them. While the operator points at or focuses the list,
 * it holds still and counts what waits.
 */
export class TailRows {
  /**
   * @param {HTMLElement} list
   * @param {HTMLElement} pausedState says how many events wait while the list holds still
   * @param {(eventId: string) => void} onPick
   */
  constructor(list, pausedState, onPick) {
    this.list = list;
    this.pausedState = pausedState;
    this.onPick = onPick;
    /** @type {StreamedEvent[]} */
    this.waiting = [];
    this.held = { pointer: false, focus: false };
    const hold = (/** @type {'pointer' | 'focus'} */ by, /** @type {boolean} */ on) => () => {
      this.held[by] = on;
      if (!this.paused) this.flush();
      this.sayPaused();
    };
    list.addEventListener('mouseenter', hold('pointer', true));
    list.addEventListener('mouseleave', hold('pointer', false));
    list.addEventListener('focusin', hold('focus', true));
    list.addEventListener('focusout', hold('focus', false));
  }

  get paused() {
    return this.held.pointer || this.held.focus;
  }

  /** @param {StreamedEvent} event */
  add(event) {
    this.waiting.push(event);
    if (this.waiting.length > ROWS) this.waiting.shift();
    if (this.paused) this.sayPaused();
    else this.flush();
  }

  clear() {
    this.waiting = [];
    this.list.replaceChildren();
    this.sayPaused();
  }

  sayPaused() {
    this.pausedState.textContent = this.paused
      ? `Paused while pointed at or focused: ${this.waiting.length} new events wait`
      : '';
  }

  flush() {
    const rows = this.waiting.splice(0).map((event) => this.row(event));
    this.list.prepend(...rows.reverse());
    while (this.list.childElementCount > ROWS) this.list.lastElementChild?.remove();
  }

  /** @param {StreamedEvent} event */
  row(event) {
    const item = document.createElement('li');
    item.dataset.eventId = event.eventId;
    const time = document.createElement('time');
    time.dateTime = event.timestamp;
    time.textContent = new Date(event.timestamp).toLocaleTimeString();
    const what = document.createElement('span');
    what.textContent = `${event.eventType} by ${event.userId}`;
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.className = 'link';
    pick.textContent = event.eventId;
    pick.setAttribute('aria-label', `Show the status of ${event.eventId}`);
    pick.addEventListener('click', () => this.onPick(event.eventId));
    item.append(time, ' ', what, ' ', pick);
    return item;
  }
}

/**
 * Reads one response of the stream to its end; answers the last id it carried.
 * @param {Response} response
 * @param {TailRows} rows
 * @param {string | undefined} lastId
 */
async function readStream(response, rows, lastId) {
  if (response.body === null) return lastId;
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  let cursor = lastId;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return cursor;
    if (value.id !== undefined) cursor = value.id;
    if (value.event === 'processed') rows.add(JSON.parse(value.data));
  }
}

/**
 * Follows the stream with `filters` into `rows` until `signal` aborts, through every reconnection.
 * @param {{ rows: TailRows, state: HTMLElement }} view
 * @param {Filters} filters
 * @param {AbortSignal} signal
 */
export async function runLiveTail({ rows, state }, filters, signal) {
  rows.clear();
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  const path = `/events/stream${query.size > 0 ? `?${query}` : ''}`;
  /** @type {string | undefined} */
  let lastId;
  while (!signal.aborted) {
    try {
      const headers = new Headers();
      if (lastId !== undefined) headers.set('Last-Event-ID', lastId);
      const response = await request(path, 'api', { signal, headers });
      if (response.ok) {
        state.textContent = 'Following: events appear as they are processed';
        lastId = await readStream(response, rows, lastId);
        state.textContent = 'The stream ended; resuming…';
      } else state.textContent = `GET /events/stream: ${await problemText(response)}`;
    } catch {
      if (!signal.aborted) state.textContent = 'The stream broke off; resuming…';
    }
    await pause(RECONNECT_MS, signal);
  }
}
