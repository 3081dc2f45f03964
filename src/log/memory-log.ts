/**
 * The in-memory TopicLog: Kafka's model held in arrays, for tests and the conformance runner.
 * Cheap to create (no timers, no files), so a process can hold many.
 */
import { AppendSignal } from './append-signal.js';
import { LogClosedError, UnknownPartitionError } from './errors.js';
import { TopicPartitioner } from './partitioner.js';
import { openLogReader, type LogReader, type ReadablePartition, type ReadResult } from './reader.js';
import {
  TopicExistsError,
  UnknownTopicError,
  type AppendResult,
  type LogRecord,
  type ProduceRecord,
  type RecordHeader,
  type TopicConfig,
  type TopicDescription,
  type TopicLog,
  type TopicPartitionOffset,
  type TopicReader,
  type ReaderOptions,
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

interface MemoryTopic {
  readonly description: TopicDescription;
  readonly partitions: readonly MemoryPartition[];
  readonly partitioner: TopicPartitioner;
}

export class MemoryTopicLog implements TopicLog {
  readonly description = 'memory';
  private readonly topics = new Map<string, MemoryTopic>();
  /** group → "partition:topic" → committed offset */
  private readonly groups = new Map<string, Map<string, TopicPartitionOffset>>();
  private readonly readers = new Set<LogReader>();
  private closed = false;

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    this.ensureOpen();
    const description = topicDescription(name, config);
    if (this.topics.has(name)) throw new TopicExistsError(name);
    const partitions = Array.from(
      { length: description.partitions },
      (_, p) => new MemoryPartition(name, p),
    );
    this.topics.set(name, {
      description,
      partitions,
      partitioner: new TopicPartitioner(name, description.partitions),
    });
  }

  async ensureTopic(name: string, config: TopicConfig): Promise<TopicDescription> {
    this.ensureOpen();
    const existing = this.topics.get(name);
    if (existing !== undefined) return existing.description;
    await this.createTopic(name, config);
    return this.topic(name).description;
  }

  async deleteTopic(name: string): Promise<void> {
    this.ensureOpen();
    const topic = this.topic(name);
    this.topics.delete(name);
    // Kafka drops committed offsets of deleted partitions too.
    for (const offsets of this.groups.values()) {
      for (const [key, committed] of offsets) if (committed.topic === name) offsets.delete(key);
    }
    for (const partition of topic.partitions) partition.appended.notify();
  }

  async listTopics(): Promise<TopicDescription[]> {
    this.ensureOpen();
    return [...this.topics.values()].map((t) => t.description);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    this.ensureOpen();
    return this.topics.get(name)?.description;
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

  async beginningOffsets(topic: string): Promise<number[]> {
    this.ensureOpen();
    return this.topic(topic).partitions.map((p) => p.beginningOffset());
  }

  async endOffsets(topic: string): Promise<number[]> {
    this.ensureOpen();
    return this.topic(topic).partitions.map((p) => p.endOffset());
  }

  async openReader(opts: ReaderOptions): Promise<TopicReader> {
    this.ensureOpen();
    const reader = await openLogReader(
      {
        description: this.description,
        partitionsOf: (topic) => this.topic(topic).partitions,
        committedOffsets: (groupId, topic) => this.committedOffsets(groupId, topic),
        commitOffsets: async (groupId, offsets) => this.commitOffsets(groupId, offsets),
        readerClosed: (r) => this.readers.delete(r),
      },
      opts,
    );
    this.readers.add(reader);
    return reader;
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    this.ensureOpen();
    const offsets = [...(this.groups.get(groupId)?.values() ?? [])];
    return offsets.filter((o) => o.topic === topic).sort((a, b) => a.partition - b.partition);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.readers].map((r) => r.close()));
    this.closed = true;
  }

  private commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): void {
    this.ensureOpen();
    for (const o of offsets) {
      if (this.topic(o.topic).partitions[o.partition] === undefined) {
        throw new UnknownPartitionError(o.topic, o.partition);
      }
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
        throw new RangeError(`Cannot commit offset ${o.offset} for ${o.topic}-${o.partition}.`);
      }
    }
    let group = this.groups.get(groupId);
    if (group === undefined) this.groups.set(groupId, (group = new Map()));
    for (const o of offsets) {
      group.set(`${o.partition}:${o.topic}`, {
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
      });
    }
  }

  private topic(name: string): MemoryTopic {
    const topic = this.topics.get(name);
    if (topic === undefined) throw new UnknownTopicError(name);
    return topic;
  }

  private ensureOpen(): void {
    if (this.closed) throw new LogClosedError(`The topic log '${this.description}'`);
  }
}

function copyBytes(bytes: Buffer | null): Buffer | null {
  return bytes === null ? null : Buffer.from(bytes);
}

function copyHeader(header: RecordHeader): RecordHeader {
  return { key: header.key, value: copyBytes(header.value) };
}
