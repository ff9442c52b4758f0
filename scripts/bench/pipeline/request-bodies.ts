/** One event as a client submits it, seed-like, for user `user-<n>`. */
const submission = (user: number) => ({
  userId: `user-${user}`,
  eventType: 'LOGIN',
  payload: { ip: '127.0.0.1' },
});

/** Bodies of `POST /events/generate`, one per user: the load walks them in turn. */
export function singleBodies(users: number): string[] {
  return Array.from({ length: users }, (_, user) => JSON.stringify(submission(user)));
}

/** `count` bodies of `POST /events/batch` with `size` events each, users taken in turn. */
export function batchBodies(size: number, count: number, users: number): string[] {
  let user = 0;
  return Array.from({ length: count }, () =>
    JSON.stringify({
      events: Array.from({ length: size }, () => submission(user++ % users)),
    }),
  );
}
