/**
 * A Map that keeps its `maxEntries` newest entries, the oldest evicted first; setting a key again
 * makes it the newest.
 */
export class NewestEntries<K, V> {
  // A Map iterates in insertion order: its first key is the oldest.
  private readonly entries = new Map<K, V>();
  // Kept across evictions: a fresh iterator would step over every evicted entry's hole from the
  // start of the Map's table (until V8 compacts it), once per eviction once the bound is reached.
  // Evicted keys are deleted as they are passed, so every key present is still ahead of it.
  // Dropped on any other delete: an iterator that does not move keeps every table the Map has
  // outgrown since (V8 links each old table to the next for its iterators), and deletes make the
  // Map shrink and grow again without end; 660 bytes an entry, never freed, when forgotten
  // entries were deleted while the iterator stood still.
  private oldestFirst: IterableIterator<K> | undefined;

  constructor(private readonly maxEntries: number) {}

  set(key: K, value: V): void {
    this.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      this.oldestFirst ??= this.entries.keys();
      const oldest = this.oldestFirst.next();
      if (oldest.done === true) return;
      this.entries.delete(oldest.value);
    }
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  delete(key: K): void {
    if (this.entries.delete(key)) this.oldestFirst = undefined;
  }
}
