// @ts-check
// The dead letters (GET /dead-letters) with a replay of one or a selection (POST
// /dead-letters/replay: the code of `npm run dlq -- replay`), and where each replayed event
// stands afterwards.
import { pause, problemText, request } from './api.js';

const LIMIT = 100;
const FOLLOW_UP_TRIES = 40;
const FOLLOW_UP_MS = 500;

/**
 * @typedef {{ id: string, eventId?: string, reason?: string, error?: string, failedAt?: string }} Letter
 * @typedef {{ table: HTMLElement, state: HTMLElement, refresh: HTMLButtonElement,
 *   replay: HTMLButtonElement, onPick: (eventId: string) => void }} View
 */

/** @param {string} tag @param {string} [text] */
const cell = (tag, text = '') => {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
};

/**
 * One row: a checkbox that selects it, what the letter says, and where its event stands now.
 * @param {Letter} letter
 * @param {View} view
 */
function row(letter, view) {
  const line = document.createElement('tr');
  line.dataset.letterId = letter.id;
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.value = letter.id;
  box.setAttribute('aria-label', `Select ${letter.id}`);
  box.addEventListener('change', () => sayChosen(view));
  const select = cell('td');
  select.append(box);
  const event = cell('td');
  if (letter.eventId !== undefined) {
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.textContent = letter.eventId;
    pick.className = 'link';
    pick.setAttribute('aria-label', `Show the status of ${letter.eventId}`);
    pick.addEventListener('click', () => view.onPick(letter.eventId ?? ''));
    event.append(pick);
  }
  const now = cell('td');
  now.className = 'now';
  line.append(
    select,
    cell('td', letter.id),
    cell('td', letter.reason ?? ''),
    cell('td', letter.error ?? ''),
    cell('td', letter.failedAt === undefined ? '' : new Date(letter.failedAt).toLocaleString()),
    event,
    now,
  );
  if (letter.eventId !== undefined) line.dataset.eventId = letter.eventId;
  return line;
}

/** @param {View} view */
const chosen = (view) =>
  [...view.table.querySelectorAll('input[type="checkbox"]:checked')].map(
    (box) => /** @type {HTMLInputElement} */ (box).value,
  );

/** @param {View} view */
function sayChosen(view) {
  const count = chosen(view).length;
  view.replay.disabled = count === 0;
  view.replay.textContent = count === 0 ? 'Replay selected' : `Replay ${count} selected`;
}

/** @param {View} view */
async function load(view) {
  view.state.textContent = 'Reading the dead-letter topic…';
  const response = await request(`/dead-letters?limit=${LIMIT}`, 'api').catch(() => undefined);
  if (response === undefined) {
    view.state.textContent = 'GET /dead-letters: the service does not answer';
    return;
  }
  if (!response.ok) {
    view.state.textContent = `GET /dead-letters: ${await problemText(response)}`;
    return;
  }
  const list = /** @type {{ letters: Letter[], complete: boolean }} */ (await response.json());
  const body = view.table.querySelector('tbody');
  body?.replaceChildren(...list.letters.map((letter) => row(letter, view)));
  const more = list.complete ? '' : ` (the first ${LIMIT}; npm run dlq -- list shows all)`;
  view.state.textContent =
    list.letters.length === 0
      ? 'No dead letters'
      : `${list.letters.length} dead letter${list.letters.length === 1 ? '' : 's'}${more}`;
  sayChosen(view);
}

/**
 * Asks where a replayed letter's event stands until it is processed again, or the tries run out.
 * @param {HTMLElement} line
 */
async function followUp(line) {
  const now = line.querySelector('.now');
  const { eventId } = line.dataset;
  if (!(now instanceof HTMLElement) || eventId === undefined) return;
  now.textContent = 'replayed';
  for (let tries = 0; tries < FOLLOW_UP_TRIES; tries += 1) {
    const response = await request(`/events/${encodeURIComponent(eventId)}/status`, 'api').catch(
      () => undefined,
    );
    if (response?.ok) {
      const { status } = /** @type {{ status: string }} */ (await response.json());
      now.dataset.status = status;
      now.textContent = `now ${status}`;
      if (status === 'processed' || status === 'conflicting') return;
    }
    await pause(FOLLOW_UP_MS);
  }
}

/** @param {View} view */
async function replay(view) {
  const ids = chosen(view);
  view.replay.disabled = true;
  view.state.textContent = `Replaying ${ids.join(', ')}…`;
  const response = await request('/dead-letters/replay', 'api', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ids }),
  }).catch(() => undefined);
  if (response === undefined || !response.ok) {
    const why =
      response === undefined ? 'the service does not answer' : await problemText(response);
    view.state.textContent = `Not replayed: ${why}`;
    sayChosen(view);
    return;
  }
  const { replayed } = /** @type {{ replayed: string[] }} */ (await response.json());
  view.state.textContent = `Replayed ${replayed.join(', ')}: written back to the event topic`;
  for (const box of view.table.querySelectorAll('input[type="checkbox"]:checked'))
    /** @type {HTMLInputElement} */ (box).checked = false;
  sayChosen(view);
  const lines = replayed.map((id) => view.table.querySelector(`tr[data-letter-id="${id}"]`));
  await Promise.all(
    lines.map((line) => (line instanceof HTMLElement ? followUp(line) : undefined)),
  );
}

/** Lists the letters now, and again on Refresh; replays the selection on Replay. @param {View} view */
export function runDeadLetters(view) {
  view.refresh.addEventListener('click', () => void load(view));
  view.replay.addEventListener('click', () => void replay(view));
  void load(view);
}
