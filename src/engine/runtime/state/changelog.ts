/**
 * State store changelogs (Kafka Streams' changelog topics): names, creation settings, and the
 * restore that reads a changelog back into a store when a query starts.
 */
import type { LogRecord, TopicLog } from '../../../log/topic-log.js';

/** Kafka Streams names a store's changelog `<application id>-<store name>-changelog`. */
export function changelogTopicName(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}

/** ksqlDB's store names: the aggregate and the materialized source table of a table aggregation. */
export const AGGREGATE_STORE = 'Aggregate-Aggregate-Materialize';
export const SOURCE_TABLE_STORE = 'KsqlTopic-Reduce';

/** Every state topic a query of this application id may own (removed when it terminates). */
export function stateTopicNames(applicationId: string): string[] {
  return [changelogTopicName(applicationId, AGGREGATE_STORE), changelogTopicName(applicationId, SOURCE_TABLE_STORE)];
}

/** Changelogs keep the latest record per key. */
export const CHANGELOG_TOPIC_CONFIG: Readonly<Record<string, string>> = { 'cleanup.policy': 'compact' };

/**
 * Applies every committed record of the changelog, oldest first per partition, up to the end
 * offsets taken when the restore starts. Returns the number of records read.
 */
export async function restoreChangelog(log: TopicLog, topic: string, apply: (record: LogRecord) => void): Promise<number> {
  if (!(await log.describeTopic(topic))) return 0;
  const ends = await log.endOffsets(topic);
  const reader = await log.openReader({ topics: [topic], start: 'earliest' });
  let count = 0;
  try {
    while (!reader.positions().every((p) => p.offset >= (ends[p.partition] ?? 0))) {
      const records = await reader.poll({ maxRecords: 5000, maxWaitMs: 0 });
      if (records.length === 0) {
        // Positions can sit below the end offsets when the tail is transaction markers only.
        const again = await reader.poll({ maxRecords: 5000, maxWaitMs: 50 });
        if (again.length === 0) break;
        records.push(...again);
      }
      for (const record of records) {
        if (record.offset >= (ends[record.partition] ?? 0)) continue;
        apply(record);
        count++;
      }
    }
  } finally {
    await reader.close();
  }
  return count;
}
