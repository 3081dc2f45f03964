/**
 * What the memory and the file TopicLog share: topics held as partitions behind a partitioner,
 * offsets admin, readers and the committing of their offsets. Each implementation adds its
 * storage: creating, deleting and appending to topics, keeping committed offsets, closing.
 */
import { LogClosedError, UnknownPartitionError } from './errors.js';
import { TopicPartitioner } from './partitioner.js';
import { appendTimestamp } from './topic-validation.js';
import { LocalTransactions, type CommittedTransaction } from './local-transactions.js';
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
  type TransactionalProducer,
} from './topic-log.js';

/** The records of a transaction for one partition. */
export interface PlannedAppend {
  readonly topic: string;
  readonly partition: number;
  readonly records: ProduceRecord[];
  readonly timestamps: number[];
}

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
  /** Consumer groups with a 'shared' member. */
  private readonly sharedGroups = new Set<string>();
  protected readonly transactions = new LocalTransactions({
    validateTopic: (topic) => void this.topic(topic),
    validateOffsets: (offsets) => this.validateOffsets(offsets),
    ensureOpen: () => this.ensureOpen(),
    apply: (t) => this.applyTransaction(t),
  });

  abstract createTopic(name: string, config: TopicConfig): Promise<void>;
  abstract deleteTopic(name: string): Promise<void>;
  abstract append(topicName: string, records: readonly ProduceRecord[]): Promise<AppendResult[]>;
  abstract committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]>;
  abstract close(): Promise<void>;
  /**
   * Makes a committed transaction's records and offsets durable and visible, as one unit from
   * the point of view of a crash: after a restart either all of it is there or none of it.
   */
  protected abstract applyTransaction(transaction: CommittedTransaction): Promise<void>;
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
    const sharedGroup = opts.membership === 'shared' ? opts.groupId : undefined;
    if (sharedGroup !== undefined) {
      // One process owns this log, so a second member could only read the same partitions
      // again; scaling out by consumer groups is what the Kafka log is for.
      if (this.sharedGroups.has(sharedGroup)) {
        throw new Error(
          `The consumer group '${sharedGroup}' already has a member on the ${this.description} log, which holds one member per group; use Kafka to share partitions between members.`,
        );
      }
      this.sharedGroups.add(sharedGroup);
    }
    let reader: LogReader;
    try {
      reader = await openLogReader(
        {
          description: this.description,
          partitionsOf: (topic) => this.topic(topic).partitions,
          committedOffsets: (groupId, topic) => this.committedOffsets(groupId, topic),
          commitOffsets: (groupId, offsets) => this.commitOffsets(groupId, offsets),
          readerClosed: (r) => {
            this.readers.delete(r);
            if (sharedGroup !== undefined) this.sharedGroups.delete(sharedGroup);
          },
        },
        opts,
      );
    } catch (err) {
      if (sharedGroup !== undefined) this.sharedGroups.delete(sharedGroup);
      throw err;
    }
    this.readers.add(reader);
    return reader;
  }

  async openTransactionalProducer(transactionalId: string): Promise<TransactionalProducer> {
    this.ensureOpen();
    return this.transactions.open(transactionalId);
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

  /**
   * Where each record of a transaction goes, grouped by partition in send order, with its
   * timestamp fixed: everything is checked before anything is written.
   */
  protected planTransaction(transaction: CommittedTransaction): PlannedAppend[] {
    const now = Date.now();
    const planned = new Map<string, PlannedAppend>();
    for (const send of transaction.sends) {
      const topic = this.topic(send.topic);
      const partitionOf = topic.partitioner.assign(send.records);
      send.records.forEach((record, i) => {
        const partition = partitionOf[i]!;
        const key = `${partition}:${send.topic}`;
        let append = planned.get(key);
        if (append === undefined) {
          append = { topic: send.topic, partition, records: [], timestamps: [] };
          planned.set(key, append);
        }
        append.records.push(record);
        append.timestamps.push(appendTimestamp(record, now));
      });
    }
    for (const { offsets } of transaction.offsets) this.validateOffsets(offsets);
    return [...planned.values()];
  }

  /** Checks offsets against the log's topics before they are stored. */
  protected validateOffsets(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) {
      if (this.topic(o.topic).partitions[o.partition] === undefined) {
        throw new UnknownPartitionError(o.topic, o.partition);
      }
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
        throw new RangeError(`Cannot commit offset ${o.offset} for ${o.topic}-${o.partition}.`);
      }
    }
  }

  private async commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    this.validateOffsets(offsets);
    await this.storeCommitted(groupId, offsets);
  }
}
