/**
 * A table's current state per key, for lookups (the table side of a stream-table join): built
 * from the table's topic, which is the table's changelog (Kafka Streams' source-topic changelog):
 * a record replaces its key's row, a tombstone (null value) deletes it. Rows are the table's
 * decoded scope rows (key, value and pseudo columns, so ROWTIME is the update's event time).
 *
 * Keys are bytes in the join's key format, as Kafka Streams' stores compare them; the owner
 * decides how a record's key becomes those bytes.
 *
 * Nothing is kept durably: a restarted query restores the state by reading the topic again from
 * the beginning up to the offsets it had processed (`restoreTable`).
 */
import type { LogRecord, TopicLog, TopicPartitionOffset } from '../../log/topic-log.js';
import type { Row } from '../values/value.js';

function storeKey(key: Buffer): string {
  // latin1 maps every byte to one UTF-16 unit: a lossless string form of the bytes.
  return key.toString('latin1');
}

export class TableMaterialization {
  private readonly rows = new Map<string, Row>();

  get size(): number {
    return this.rows.size;
  }

  /** The table's new state for a key: `row`, or no row for a tombstone (null). */
  apply(key: Buffer, row: Row | null): void {
    if (row === null) this.rows.delete(storeKey(key));
    else this.rows.set(storeKey(key), row);
  }

  lookup(key: Buffer): Row | undefined {
    return this.rows.get(storeKey(key));
  }
}

/**
 * Reads `topic` from the beginning up to `until` (the next offset not to restore, per
 * partition) and hands every record below it to `apply`, in offset order per partition.
 * Partitions not listed restore nothing. Returns the number of records restored.
 */
export async function restoreTable(
  log: TopicLog,
  topic: string,
  until: readonly TopicPartitionOffset[],
  apply: (record: LogRecord) => void,
): Promise<number> {
  const limits = new Map(until.filter((o) => o.topic === topic && o.offset > 0).map((o) => [o.partition, o.offset]));
  if (limits.size === 0) return 0;
  const reader = await log.openReader({
    topics: [topic],
    start: 'earliest',
    partitions: [...limits.keys()].map((partition) => ({ topic, partition })),
  });
  let count = 0;
  try {
    const done = () => reader.positions().every((p) => p.offset >= (limits.get(p.partition) ?? 0));
    while (!done()) {
      let records = await reader.poll({ maxRecords: 5000, maxWaitMs: 0 });
      // Positions can sit below a limit while the records below it are still being fetched.
      if (records.length === 0) records = await reader.poll({ maxRecords: 5000, maxWaitMs: 100 });
      if (records.length === 0) break;
      for (const record of records) {
        if (record.offset >= (limits.get(record.partition) ?? 0)) continue;
        apply(record);
        count++;
      }
    }
  } finally {
    await reader.close();
  }
  return count;
}
