/**
 * The topic log: Kafka's model (topics, partitions, offsets, keys, values, timestamps, headers,
 * consumer groups) behind one interface, so the local engine and the scorer run unchanged on
 * the in-memory log (tests), the embedded file log (the default) and Kafka (production).
 *
 * Reading is consumer-shaped rather than random-access because that is what Kafka clients
 * offer: a reader is assigned partitions, starts at a position, and polls.
 */

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** A record to append. Partition is chosen by the key (Kafka's murmur2 partitioner) unless given. */
export interface ProduceRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Epoch millis; defaults to the wall clock at append time. */
  readonly timestamp?: number;
  readonly headers?: readonly RecordHeader[];
  readonly partition?: number;
}

/** A record as stored, with its coordinates. */
export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: readonly RecordHeader[];
}

export interface AppendResult {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
}

export interface TopicConfig {
  readonly partitions: number;
  readonly replicas?: number;
  /** Kafka-style topic configs, e.g. retention.ms, retention.bytes, cleanup.policy. */
  readonly config?: Readonly<Record<string, string>>;
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Where a reader starts on each assigned partition:
 * - 'earliest' / 'latest': like auto.offset.reset;
 * - 'committed': the group's committed offset, falling back to `resetTo` (default 'latest');
 * - explicit offsets (partitions not listed start at earliest).
 */
export type StartPosition =
  | 'earliest'
  | 'latest'
  | { readonly committed: true; readonly resetTo?: 'earliest' | 'latest' }
  | { readonly offsets: readonly TopicPartitionOffset[] };

export interface ReaderOptions {
  readonly topics: readonly string[];
  /** Consumer group: needed for commit(); with Kafka, members share partitions. */
  readonly groupId?: string;
  readonly start: StartPosition;
  /** Restrict to these partitions (default: all partitions of every topic). */
  readonly partitions?: readonly { readonly topic: string; readonly partition: number }[];
}

export interface PollOptions {
  readonly maxRecords?: number;
  /** How long to wait for data when none is available; 0 returns at once. */
  readonly maxWaitMs?: number;
  readonly signal?: AbortSignal;
}

export interface TopicReader {
  /**
   * Next records across the assigned partitions, in offset order within each partition.
   * Waits (without busy polling) up to maxWaitMs (default 0) when nothing is available and
   * returns [] then; maxRecords defaults to 500. An abort rejects with `signal.reason`;
   * closing the reader ends a waiting poll with []. One poll at a time per reader.
   */
  poll(opts?: PollOptions): Promise<LogRecord[]>;
  /** The next offset to be returned, per assigned partition. */
  positions(): TopicPartitionOffset[];
  seek(topic: string, partition: number, offset: number): void;
  /** Commit the given offsets (next offset to read), or the current positions, for the group. */
  commit(offsets?: readonly TopicPartitionOffset[]): Promise<void>;
  close(): Promise<void>;
}

export class TopicExistsError extends Error {
  constructor(topic: string) {
    super(`Topic '${topic}' already exists.`);
    this.name = 'TopicExistsError';
  }
}

export class UnknownTopicError extends Error {
  constructor(topic: string) {
    super(`Topic '${topic}' does not exist.`);
    this.name = 'UnknownTopicError';
  }
}

export interface TopicLog {
  /** A short name for logs: 'memory', 'file:<dir>', 'kafka:<brokers>'. */
  readonly description: string;

  createTopic(name: string, config: TopicConfig): Promise<void>;
  /** Create unless it exists; returns the existing or new description. */
  ensureTopic(name: string, config: TopicConfig): Promise<TopicDescription>;
  deleteTopic(name: string): Promise<void>;
  listTopics(): Promise<TopicDescription[]>;
  describeTopic(name: string): Promise<TopicDescription | undefined>;

  /** Append records; resolves once they are durable per the log's policy, with their offsets. */
  append(topic: string, records: readonly ProduceRecord[]): Promise<AppendResult[]>;

  /** First available offset per partition (index = partition). */
  beginningOffsets(topic: string): Promise<number[]>;
  /** Next offset to be written per partition (the high watermark). */
  endOffsets(topic: string): Promise<number[]>;

  openReader(opts: ReaderOptions): Promise<TopicReader>;

  committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]>;

  close(): Promise<void>;
}
