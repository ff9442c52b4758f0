// @ts-check
// The operator console: each panel runs on its own against the API, with the keys of this tab.
import { keys } from './api.js';
import { runCharts } from './charts.js';
import { runDeadLetters } from './dead-letters.js';
import { runLiveTail, TailRows } from './live-tail.js';
import { runReadiness } from './readiness.js';
import { runStatusBox } from './status-box.js';

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function element(id, type) {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return found;
}

const form = (/** @type {string} */ id) => element(id, HTMLFormElement);
const input = (/** @type {string} */ id) => element(id, HTMLInputElement);
const button = (/** @type {string} */ id) => element(id, HTMLButtonElement);
const part = (/** @type {string} */ id) => element(id, HTMLElement);

const statusBox = runStatusBox({
  form: form('status-form'),
  input: input('status-event-id'),
  result: part('status-result'),
});
const rows = new TailRows(part('tail'), part('tail-paused'), (eventId) => statusBox.find(eventId));

/**
 * The panels that read with a key, until `signal` aborts. Each request takes the keys kept at
 * that moment: new keys apply from the next poll on, and a refused stream is tried again.
 * @param {AbortSignal} signal
 */
function startKeyedPanels(signal) {
  void runCharts(
    {
      throughput: part('throughput-chart'),
      lag: part('lag-chart'),
      latency: part('latency-chart'),
      state: part('charts-state'),
    },
    signal,
  );
  runDeadLettersOnce();
  /** @type {AbortController | undefined} */
  let tail;
  const follow = () => {
    tail?.abort();
    tail = new AbortController();
    const filters = {
      userId: input('tail-user-id').value.trim(),
      eventType: input('tail-event-type').value.trim(),
    };
    void runLiveTail({ rows, state: part('tail-state') }, filters, tail.signal);
  };
  const onFilter = (/** @type {SubmitEvent} */ event) => {
    event.preventDefault();
    follow();
  };
  form('tail-filters').addEventListener('submit', onFilter);
  signal.addEventListener('abort', () => {
    tail?.abort();
    form('tail-filters').removeEventListener('submit', onFilter);
  });
  follow();
}

/** The dead letters are read on demand (each read joins the topic as a group): set up once. */
let lettersStarted = false;
function runDeadLettersOnce() {
  if (lettersStarted) return;
  lettersStarted = true;
  runDeadLetters({
    table: part('letters'),
    state: part('letters-state'),
    refresh: button('letters-refresh'),
    replay: button('letters-replay'),
    onPick: (eventId) => statusBox.find(eventId),
  });
}

/** @type {AbortController | undefined} the keyed panels, while they run */
let keyed;
const sayKeys = (/** @type {string} */ text) => (part('key-state').textContent = text);
const connect = () => {
  if (keyed !== undefined) return;
  keyed = new AbortController();
  startKeyedPanels(keyed.signal);
};

form('keys').addEventListener('submit', (event) => {
  event.preventDefault();
  keys.keep(input('api-key').value, input('metrics-token').value);
  for (const id of ['api-key', 'metrics-token']) input(id).value = '';
  sayKeys('Keys kept for this tab');
  connect();
});
button('no-keys').addEventListener('click', () => {
  keys.keep('', '');
  sayKeys('Asking without keys');
  connect();
});
button('forget-keys').addEventListener('click', () => {
  keys.forget();
  keyed?.abort();
  keyed = undefined;
  sayKeys('Keys forgotten: type them again, or say the service has none');
});

const page = new AbortController();
window.addEventListener('pagehide', () => (page.abort(), keyed?.abort()), { once: true });
// Readiness is open to anyone, as probes are: it needs no key.
void runReadiness({ list: part('readiness'), state: part('readiness-state') }, page.signal);
if (keys.chosen()) {
  sayKeys('Keys kept for this tab');
  connect();
} else sayKeys('Type the keys, or say the service has none');
