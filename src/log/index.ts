/**
 * The topic log: one interface (topic-log.ts), an in-memory, an embedded file and a Kafka
 * implementation.
 */
import { FileTopicLog, type FsyncPolicy } from './file-log.js';
import { KafkaTopicLog, type KafkaTopicLogOptions } from './kafka/index.js';
import { MemoryTopicLog } from './memory-log.js';
import type { TopicLog } from './topic-log.js';

export * from './topic-log.js';
export * from './errors.js';
export { MemoryTopicLog } from './memory-log.js';
export {
  FileTopicLog,
  DEFAULT_SEGMENT_BYTES,
  type FileTopicLogOptions,
  type FsyncPolicy,
  type RecoveryReport,
} from './file-log.js';
export { KafkaTopicLog, parseBrokerList, type KafkaTopicLogOptions } from './kafka/index.js';
export { murmur2, toPositive, partitionForKey, TopicPartitioner } from './partitioner.js';
export { validateTopicName } from './topic-validation.js';
export { DEFAULT_MAX_POLL_RECORDS } from './poll-options.js';

export type TopicLogSpec =
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'file';
      readonly dir: string;
      /** Default { intervalMs: 1000 }. */
      readonly fsync?: FsyncPolicy;
      readonly segmentBytes?: number;
      /** Log-wide defaults; topics override them with retention.bytes / retention.ms. */
      readonly retention?: { readonly bytes?: number; readonly ms?: number };
    }
  | ({ readonly kind: 'kafka' } & KafkaTopicLogOptions);

export async function openTopicLog(spec: TopicLogSpec): Promise<TopicLog> {
  switch (spec.kind) {
    case 'memory':
      return new MemoryTopicLog();
    case 'file':
      return FileTopicLog.open(spec);
    case 'kafka':
      return KafkaTopicLog.open(spec);
  }
}
