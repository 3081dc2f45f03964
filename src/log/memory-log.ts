/**
 * The in-memory TopicLog: Kafka's model held in arrays, for tests and the conformance runner.
 * Cheap to create (no timers, no files), so a process can hold many.
 */
import { AppendSignal } from './append-signal.js';
import { CommittedOffsets } from './committed-offsets.js';
import type { CommittedTransaction } from './local-transactions.js';
import { PartitionedTopicLog } from './partitioned-log.js';
import type { ReadablePartition, ReadResult } from './reader.js';
import {
  TopicExistsError,
  type AppendResult,
  type LogRecord,
  type ProduceRecord,
  type RecordHeader,
  type TopicConfig,
  type TopicPartitionOffset,
} from './topic-log.js';
import { appendTimestamp, topicDescription } from './topic-validation.js';

class MemoryPartition implements ReadablePartition {
  readonly appended = new AppendSignal();
  private readonly records: LogRecord[] = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  beginningOffset(): number {
    return 0;
  }

  endOffset(): number {
    return this.records.length;
  }

  append(record: ProduceRecord, timestamp: number): LogRecord {
    const stored: LogRecord = {
      topic: this.topic,
      partition: this.partition,
      offset: this.records.length,
      // Copies, so a producer reusing its buffers cannot rewrite history (as with Kafka or files).
      key: copyBytes(record.key),
      value: copyBytes(record.value),
      timestamp,
      headers: (record.headers ?? []).map(copyHeader),
    };
    this.records.push(stored);
    return stored;
  }

  async read(offset: number, maxRecords: number): Promise<ReadResult> {
    const records = this.records.slice(offset, offset + maxRecords);
    return { records, nextOffset: offset + records.length };
  }
}

export class MemoryTopicLog extends PartitionedTopicLog<MemoryPartition> {
  readonly description = 'memory';
  private readonly offsets = new CommittedOffsets();

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    this.ensureOpen();
    const description = topicDescription(name, config);
    if (this.topics.has(name)) throw new TopicExistsError(name);
    const partitions = Array.from(
      { length: description.partitions },
      (_, p) => new MemoryPartition(name, p),
    );
    this.addTopic(description, partitions);
  }

  async deleteTopic(name: string): Promise<void> {
    this.ensureOpen();
    const topic = this.topic(name);
    this.topics.delete(name);
    // Kafka drops committed offsets of deleted partitions too.
    this.offsets.dropTopic(name);
    for (const partition of topic.partitions) partition.appended.notify();
  }

  async append(topicName: string, records: readonly ProduceRecord[]): Promise<AppendResult[]> {
    this.ensureOpen();
    const topic = this.topic(topicName);
    const partitionOf = topic.partitioner.assign(records);
    const now = Date.now();
    const timestamps = records.map((r) => appendTimestamp(r, now));
    const touched = new Set<MemoryPartition>();
    const results = records.map((record, i) => {
      const partition = topic.partitions[partitionOf[i]!]!;
      const stored = partition.append(record, timestamps[i]!);
      touched.add(partition);
      return {
        topic: topicName,
        partition: stored.partition,
        offset: stored.offset,
        timestamp: stored.timestamp,
      };
    });
    for (const partition of touched) partition.appended.notify();
    return results;
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    this.ensureOpen();
    return this.offsets.committed(groupId, topic);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.closeReaders();
    this.closed = true;
  }

  protected async applyTransaction(transaction: CommittedTransaction): Promise<void> {
    this.ensureOpen();
    const planned = this.planTransaction(transaction);
    const touched = new Set<MemoryPartition>();
    for (const append of planned) {
      const partition = this.topic(append.topic).partitions[append.partition]!;
      append.records.forEach((record, i) => partition.append(record, append.timestamps[i]!));
      touched.add(partition);
    }
    for (const { groupId, offsets } of transaction.offsets) this.offsets.commit(groupId, offsets);
    for (const partition of touched) partition.appended.notify();
  }

  protected storeCommitted(groupId: string, offsets: readonly TopicPartitionOffset[]): void {
    this.offsets.commit(groupId, offsets);
  }
}

function copyBytes(bytes: Buffer | null): Buffer | null {
  return bytes === null ? null : Buffer.from(bytes);
}

function copyHeader(header: RecordHeader): RecordHeader {
  return { key: header.key, value: copyBytes(header.value) };
}
