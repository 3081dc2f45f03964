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

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** What changed in a shared reader's assignment (see ReaderOptions.membership). */
export interface AssignmentChange {
  readonly assigned: readonly TopicPartition[];
  readonly revoked: readonly TopicPartition[];
}

export interface ReaderOptions {
  readonly topics: readonly string[];
  /** Consumer group: needed for commit() and for a 'committed' start. */
  readonly groupId?: string;
  readonly start: StartPosition;
  /** Restrict to these partitions (default: all partitions of every topic). */
  readonly partitions?: readonly TopicPartition[];
  /**
   * 'exclusive' (the default) reads every requested partition, like Kafka's assign(), and
   * commits under `groupId` if given. 'shared' (needs a groupId) joins the consumer group so
   * that its members divide the topics' partitions between them, like Kafka's subscribe();
   * the assignment then changes when members come and go, and partitions newly assigned start
   * at `start` (normally the group's committed offsets). The embedded logs hold one member per
   * shared group, which is assigned every partition.
   */
  readonly membership?: 'exclusive' | 'shared';
  /**
   * Called when partitions are assigned or revoked, before poll() returns records of newly
   * assigned partitions. The first call lists the initial assignment. Revocation can be late
   * (Kafka tells a member after the group has moved on), which is why transactional work
   * relies on producer fencing, not on this callback, for correctness.
   */
  readonly onAssignmentChange?: (change: AssignmentChange) => void | Promise<void>;
}

export interface PollOptions {
  readonly maxRecords?: number;
  /** How long to wait for data when none is available; 0 returns at once. */
  readonly maxWaitMs?: number;
  readonly signal?: AbortSignal;
}

export interface TopicReader {
  /** The partitions currently assigned to this reader. */
  assignment(): TopicPartition[];
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

/**
 * One transaction of a TransactionalProducer: records to any topics and a consumer group's
 * offsets, all made visible (commit) or discarded (abort) together. Readers never see the
 * records of an open or aborted transaction (Kafka: isolation.level=read_committed, which
 * every reader of every TopicLog uses).
 */
export interface Transaction {
  send(topic: string, records: readonly ProduceRecord[]): Promise<void>;
  /** Commits these offsets (the next offset to read, per partition) for the group with the transaction. */
  sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Kafka's transactional producer: one transaction at a time under a transactional id. Opening
 * a producer with the id of one that is still open fences the older one (its open transaction
 * is aborted and its later calls fail with ProducerFencedError), which is how a restarted or
 * rebalanced consumer makes sure a zombie predecessor cannot commit behind its back.
 */
export interface TransactionalProducer {
  readonly transactionalId: string;
  begin(): Promise<Transaction>;
  close(): Promise<void>;
}

/**
 * Runs `work` in a new transaction of `producer`: commits when it resolves, aborts when it (or
 * the commit) throws, and rethrows. Every consume-transform-produce loop commits this way.
 */
export async function inTransaction<T>(producer: TransactionalProducer, work: (transaction: Transaction) => Promise<T>): Promise<T> {
  const transaction = await producer.begin();
  try {
    const result = await work(transaction);
    await transaction.commit();
    return result;
  } catch (err) {
    await transaction.abort().catch(() => undefined);
    throw err;
  }
}

/** Another producer with the same transactional id took over (Kafka: ProducerFencedException). */
export class ProducerFencedError extends Error {
  constructor(transactionalId: string) {
    super(`The transactional producer '${transactionalId}' was fenced by a newer producer with the same id.`);
    this.name = 'ProducerFencedError';
  }
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

  /** A transactional producer for exactly-once consume-transform-produce (see Transaction). */
  openTransactionalProducer(transactionalId: string): Promise<TransactionalProducer>;

  close(): Promise<void>;
}
