/**
 * A TopicLog seen through a name prefix, so that tests sharing one Kafka broker cannot meet:
 * topic names, consumer group ids and transactional ids get the prefix on the way in and lose
 * it on the way out, and only the prefix's topics are listed. Tests keep their plain names.
 */
import { validateTopicName } from '../../src/log/topic-validation.js';
import type {
  AppendResult,
  AssignmentChange,
  LogRecord,
  ProduceRecord,
  ReaderOptions,
  StartPosition,
  TopicConfig,
  TopicDescription,
  TopicLog,
  TopicPartition,
  TopicPartitionOffset,
  TopicReader,
  Transaction,
  TransactionalProducer,
} from '../../src/log/topic-log.js';

export class NamespacedTopicLog implements TopicLog {
  readonly description: string;

  constructor(
    readonly inner: TopicLog,
    readonly prefix: string,
  ) {
    this.description = inner.description;
  }

  /** The real name of a topic, group or transactional id. */
  real(name: string): string {
    return this.prefix + name;
  }

  /**
   * The real name of a topic the test names. The test's own name is checked first (a prefix
   * could make an illegal name legal, e.g. '..'); callers are async so this rejects, not throws.
   */
  private topic(name: string): string {
    validateTopicName(name);
    return this.real(name);
  }

  private local(name: string): string {
    return name.startsWith(this.prefix) ? name.slice(this.prefix.length) : name;
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    return this.inner.createTopic(this.topic(name), config);
  }

  async ensureTopic(name: string, config: TopicConfig): Promise<TopicDescription> {
    return this.localDescription(await this.inner.ensureTopic(this.topic(name), config));
  }

  async deleteTopic(name: string): Promise<void> {
    return this.inner.deleteTopic(this.topic(name));
  }

  async listTopics(): Promise<TopicDescription[]> {
    return (await this.inner.listTopics()).filter((t) => t.name.startsWith(this.prefix)).map((t) => this.localDescription(t));
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const description = await this.inner.describeTopic(this.topic(name));
    return description === undefined ? undefined : this.localDescription(description);
  }

  async append(topic: string, records: readonly ProduceRecord[]): Promise<AppendResult[]> {
    const results = await this.inner.append(this.topic(topic), records);
    return results.map((r) => ({ ...r, topic }));
  }

  async beginningOffsets(topic: string): Promise<number[]> {
    return this.inner.beginningOffsets(this.topic(topic));
  }

  async endOffsets(topic: string): Promise<number[]> {
    return this.inner.endOffsets(this.topic(topic));
  }

  async openReader(opts: ReaderOptions): Promise<TopicReader> {
    const onAssignmentChange = opts.onAssignmentChange;
    const reader = await this.inner.openReader({
      ...opts,
      topics: opts.topics.map((t) => this.topic(t)),
      ...(opts.groupId !== undefined ? { groupId: this.real(opts.groupId) } : {}),
      start: this.realStart(opts.start),
      ...(opts.partitions !== undefined ? { partitions: opts.partitions.map((p) => this.realPartition(p)) } : {}),
      ...(onAssignmentChange !== undefined
        ? {
            onAssignmentChange: (change: AssignmentChange) =>
              onAssignmentChange({
                assigned: change.assigned.map((p) => this.localPartition(p)),
                revoked: change.revoked.map((p) => this.localPartition(p)),
              }),
          }
        : {}),
    });
    return new NamespacedReader(reader, this);
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    return (await this.inner.committedOffsets(this.real(groupId), this.topic(topic))).map((o) => this.localPartition(o));
  }

  async openTransactionalProducer(transactionalId: string): Promise<TransactionalProducer> {
    return new NamespacedProducer(await this.inner.openTransactionalProducer(this.real(transactionalId)), transactionalId, this);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  realPartition<P extends TopicPartition>(p: P): P {
    return { ...p, topic: this.topic(p.topic) };
  }

  localPartition<P extends TopicPartition>(p: P): P {
    return { ...p, topic: this.local(p.topic) };
  }

  localRecord(record: LogRecord): LogRecord {
    return { ...record, topic: this.local(record.topic) };
  }

  private localDescription(d: TopicDescription): TopicDescription {
    return { ...d, name: this.local(d.name) };
  }

  private realStart(start: StartPosition): StartPosition {
    if (typeof start === 'string' || 'committed' in start) return start;
    return { offsets: start.offsets.map((o) => this.realPartition(o)) };
  }
}

class NamespacedReader implements TopicReader {
  constructor(
    private readonly inner: TopicReader,
    private readonly log: NamespacedTopicLog,
  ) {}

  assignment(): TopicPartition[] {
    return this.inner.assignment().map((p) => this.log.localPartition(p));
  }

  async poll(opts?: Parameters<TopicReader['poll']>[0]): Promise<LogRecord[]> {
    return (await this.inner.poll(opts)).map((r) => this.log.localRecord(r));
  }

  positions(): TopicPartitionOffset[] {
    return this.inner.positions().map((p) => this.log.localPartition(p));
  }

  seek(topic: string, partition: number, offset: number): void {
    this.inner.seek(this.log.real(topic), partition, offset);
  }

  commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    return this.inner.commit(offsets?.map((o) => this.log.realPartition(o)));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

class NamespacedProducer implements TransactionalProducer {
  constructor(
    private readonly inner: TransactionalProducer,
    readonly transactionalId: string,
    private readonly log: NamespacedTopicLog,
  ) {}

  async begin(): Promise<Transaction> {
    const transaction = await this.inner.begin();
    const log = this.log;
    return {
      send: (topic, records) => transaction.send(log.real(topic), records),
      sendOffsets: (groupId, offsets) => transaction.sendOffsets(log.real(groupId), offsets.map((o) => log.realPartition(o))),
      commit: () => transaction.commit(),
      abort: () => transaction.abort(),
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
