/**
 * What the memory and the file TopicLog share: topics held as partitions behind a partitioner,
 * offsets admin, readers and the committing of their offsets. Each implementation adds its
 * storage: creating, deleting and appending to topics, keeping committed offsets, closing.
 */
import { LogClosedError, UnknownPartitionError } from './errors.js';
import { TopicPartitioner } from './partitioner.js';
import { openLogReader, type LogReader, type ReadablePartition } from './reader.js';
import {
  TopicExistsError,
  UnknownTopicError,
  type AppendResult,
  type ProduceRecord,
  type ReaderOptions,
  type TopicConfig,
  type TopicDescription,
  type TopicLog,
  type TopicPartitionOffset,
  type TopicReader,
} from './topic-log.js';

export interface PartitionedTopic<P extends ReadablePartition> {
  readonly description: TopicDescription;
  readonly partitions: readonly P[];
  readonly partitioner: TopicPartitioner;
}

export abstract class PartitionedTopicLog<P extends ReadablePartition> implements TopicLog {
  abstract readonly description: string;
  protected readonly topics = new Map<string, PartitionedTopic<P>>();
  protected readonly readers = new Set<LogReader>();
  protected closed = false;

  abstract createTopic(name: string, config: TopicConfig): Promise<void>;
  abstract deleteTopic(name: string): Promise<void>;
  abstract append(topicName: string, records: readonly ProduceRecord[]): Promise<AppendResult[]>;
  abstract committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]>;
  abstract close(): Promise<void>;
  /** Keeps offsets already checked against the log's topics. */
  protected abstract storeCommitted(
    groupId: string,
    offsets: readonly TopicPartitionOffset[],
  ): void | Promise<void>;

  async ensureTopic(name: string, config: TopicConfig): Promise<TopicDescription> {
    this.ensureOpen();
    const existing = this.topics.get(name);
    if (existing !== undefined) return existing.description;
    try {
      await this.createTopic(name, config);
    } catch (err) {
      // Lost a race with a concurrent creation of the same topic.
      if (!(err instanceof TopicExistsError)) throw err;
    }
    return this.topic(name).description;
  }

  async listTopics(): Promise<TopicDescription[]> {
    this.ensureOpen();
    return [...this.topics.values()].map((t) => t.description);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    this.ensureOpen();
    return this.topics.get(name)?.description;
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
        commitOffsets: (groupId, offsets) => this.commitOffsets(groupId, offsets),
        readerClosed: (r) => this.readers.delete(r),
      },
      opts,
    );
    this.readers.add(reader);
    return reader;
  }

  /** Registers a topic under its description's name. */
  protected addTopic(description: TopicDescription, partitions: readonly P[]): void {
    this.topics.set(description.name, {
      description,
      partitions,
      partitioner: new TopicPartitioner(description.name, description.partitions),
    });
  }

  protected async closeReaders(): Promise<void> {
    await Promise.all([...this.readers].map((r) => r.close()));
  }

  protected topic(name: string): PartitionedTopic<P> {
    const topic = this.topics.get(name);
    if (topic === undefined) throw new UnknownTopicError(name);
    return topic;
  }

  protected ensureOpen(): void {
    if (this.closed) throw new LogClosedError(`The topic log '${this.description}'`);
  }

  private async commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    for (const o of offsets) {
      if (this.topic(o.topic).partitions[o.partition] === undefined) {
        throw new UnknownPartitionError(o.topic, o.partition);
      }
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
        throw new RangeError(`Cannot commit offset ${o.offset} for ${o.topic}-${o.partition}.`);
      }
    }
    await this.storeCommitted(groupId, offsets);
  }
}
