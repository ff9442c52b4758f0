/**
 * `items` rotated by `repetition`: each goes first in turn (over three repetitions, each of three
 * once), which spreads any drift of the machine over all of them.
 */
export const inTurn = <T>(items: readonly T[], repetition: number): T[] => {
  const shift = repetition % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
};
