// @ts-check
// The console's only way out: the service's own routes, with the operator's key as a header.

const API_KEY = 'user-events-service.apiKey';
const METRICS_TOKEN = 'user-events-service.metricsToken';
// Set once the operator gave keys, or said the service needs none: before that, nothing asks
// with a key (a 401 per poll would be all the page shows).
const CHOSEN = 'user-events-service.keysChosen';

/** @typedef {'api' | 'metrics'} KeyKind */

/** The keys this tab was given (sessionStorage: gone with the tab, never in a URL). */
export const keys = {
  /** @param {string} apiKey @param {string} metricsToken */
  keep(apiKey, metricsToken) {
    sessionStorage.setItem(API_KEY, apiKey);
    sessionStorage.setItem(METRICS_TOKEN, metricsToken);
    sessionStorage.setItem(CHOSEN, 'yes');
  },
  forget() {
    for (const name of [API_KEY, METRICS_TOKEN, CHOSEN]) sessionStorage.removeItem(name);
  },
  /** Whether the operator gave keys, or said the service needs none. */
  chosen() {
    return sessionStorage.getItem(CHOSEN) === 'yes';
  },
  /** @param {KeyKind} kind */
  of(kind) {
    return sessionStorage.getItem(kind === 'api' ? API_KEY : METRICS_TOKEN) ?? '';
  },
};

/**
 * A request to the service. A route that needs no key ignores the header; one that needs a key
 * answers 401 or 403 with a problem, which `problemText` turns into words.
 * @param {string} path
 * @param {KeyKind} kind
 * @param {RequestInit} [init]
 */
export function request(path, kind, init = {}) {
  const headers = new Headers(init.headers);
  const key = keys.of(kind);
  if (key !== '') headers.set('Authorization', `Bearer ${key}`);
  return fetch(path, { ...init, headers, cache: 'no-store' });
}

/**
 * What a refused or failed answer says, from its problem document when it has one.
 * @param {Response} response
 */
export async function problemText(response) {
  const fallback = `${response.status} ${response.statusText}`;
  try {
    const problem = /** @type {{ title?: string, detail?: string }} */ (await response.json());
    return [problem.title, problem.detail].filter(Boolean).join(': ') || fallback;
  } catch {
    return fallback;
  }
}

/**
 * Resolves after `ms`, or at once when `signal` aborts.
 * @param {number} ms
 * @param {AbortSignal} [signal]
 */
export const pause = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), {
      once: true,
    });
  });
