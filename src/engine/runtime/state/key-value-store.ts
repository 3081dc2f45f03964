/**
 * An in-memory key-value store keyed by bytes, as Kafka Streams' state stores are (keys are the
 * serialized record keys). Besides get/put/delete it remembers which keys changed since the
 * last `drainChanges()`, so the owner can write those changes to the store's changelog topic in
 * the same transaction as the records that caused them. Iteration is in key-byte order, like a
 * RocksDB store's.
 */

function storeKey(key: Buffer): string {
  // latin1 maps every byte to one UTF-16 unit: a lossless, comparable string form of the bytes.
  return key.toString('latin1');
}

export interface StoreEntry<V> {
  readonly key: Buffer;
  readonly value: V;
}

/** A change since the last drain: the latest value of the key, or undefined for a deletion. */
export interface StoreChange<V> {
  readonly key: Buffer;
  readonly value: V | undefined;
}

export class KeyValueStore<V> {
  private readonly entries = new Map<string, StoreEntry<V>>();
  private readonly changed = new Map<string, StoreChange<V>>();
  private sorted: StoreEntry<V>[] | undefined;

  get size(): number {
    return this.entries.size;
  }

  get(key: Buffer): V | undefined {
    return this.entries.get(storeKey(key))?.value;
  }

  put(key: Buffer, value: V): void {
    const k = storeKey(key);
    const entry = { key, value };
    this.sorted = undefined;
    this.entries.set(k, entry);
    this.changed.set(k, entry);
  }

  delete(key: Buffer): void {
    const k = storeKey(key);
    if (!this.entries.delete(k)) return;
    this.sorted = undefined;
    this.changed.set(k, { key, value: undefined });
  }

  /** Applies a restored entry without recording it as a change. */
  restore(key: Buffer, value: V | undefined): void {
    const k = storeKey(key);
    this.sorted = undefined;
    if (value === undefined) this.entries.delete(k);
    else this.entries.set(k, { key, value });
  }

  /** Every entry in no particular order, without sorting (for maintenance passes). */
  unordered(): IterableIterator<StoreEntry<V>> {
    return this.entries.values();
  }

  /** Every entry in key-byte order (a snapshot: later writes do not change it). */
  all(): readonly StoreEntry<V>[] {
    if (!this.sorted) this.sorted = [...this.entries.values()].sort((a, b) => Buffer.compare(a.key, b.key));
    return this.sorted;
  }

  /** The changes since the previous call, one per key, and forgets them. */
  drainChanges(): StoreChange<V>[] {
    const out = [...this.changed.values()];
    this.changed.clear();
    return out;
  }
}
