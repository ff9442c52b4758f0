/**
 * A Kafka offset as kept by the in-memory structures, which hold one per event: a number where
 * it is exact (a small integer costs no allocation, where its text costs 20 bytes or more), else
 * the offset's decimal text as given.
 */
export type CompactOffset = number | string;

export function compactOffset(offset: string): CompactOffset {
  const value = Number(offset);
  return Number.isSafeInteger(value) ? value : offset;
}

/** The decimal text of an offset, as it was given to compactOffset. */
export const offsetText = (offset: CompactOffset): string => String(offset);
