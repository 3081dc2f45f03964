/**
 * The materialized source table of a table aggregation (ksqlDB's `KsqlTopic-Reduce` store): the
 * latest record of every source key, so that an update or a deletion can first undo the old row
 * from its old group. Records are kept as they came (value bytes, timestamp, coordinates) and
 * decoded again when needed, so the old row reads exactly as it read when it was aggregated.
 *
 * Changelog: key = the source key bytes, value = the record's value bytes (null = deleted), the
 * record's timestamp, and its partition and offset in headers (for ROWPARTITION/ROWOFFSET).
 */
import { partitionForKey } from '../../../log/partitioner.js';
import type { LogRecord, ProduceRecord } from '../../../log/topic-log.js';
import { KeyValueStore } from '../state/key-value-store.js';

export interface StoredRecord {
  readonly value: Buffer;
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
}

const PARTITION_HEADER = 'ksml.partition';
const OFFSET_HEADER = 'ksml.offset';

export class TableSourceStore {
  private readonly rows = new KeyValueStore<StoredRecord>();

  constructor(private readonly topic: string) {}

  /** The previous record of a key, as a log record of the source topic. */
  get(key: Buffer): LogRecord | undefined {
    const stored = this.rows.get(key);
    if (!stored) return undefined;
    return { topic: this.topic, partition: stored.partition, offset: stored.offset, key, value: stored.value, timestamp: stored.timestamp, headers: [] };
  }

  /** The table's new state for the record's key: its value, or gone for a tombstone. */
  apply(record: LogRecord): void {
    if (record.key === null) return;
    if (record.value === null) this.rows.delete(record.key);
    else this.rows.put(record.key, { value: record.value, timestamp: record.timestamp, partition: record.partition, offset: record.offset });
  }

  drainChangelog(changelogPartitions: number): ProduceRecord[] {
    return this.rows.drainChanges().map((change) => ({
      key: change.key,
      value: change.value === undefined ? null : change.value.value,
      ...(change.value === undefined
        ? {}
        : {
            timestamp: change.value.timestamp,
            headers: [
              { key: PARTITION_HEADER, value: Buffer.from(String(change.value.partition), 'utf8') },
              { key: OFFSET_HEADER, value: Buffer.from(String(change.value.offset), 'utf8') },
            ],
          }),
      partition: partitionForKey(change.key, changelogPartitions),
    }));
  }

  restore(record: LogRecord): void {
    if (record.key === null) return;
    if (record.value === null) {
      this.rows.restore(record.key, undefined);
      return;
    }
    const header = (name: string) => Number(record.headers.find((h) => h.key === name)?.value?.toString('utf8') ?? 0);
    this.rows.restore(record.key, {
      value: record.value,
      timestamp: record.timestamp,
      partition: header(PARTITION_HEADER),
      offset: header(OFFSET_HEADER),
    });
  }
}
