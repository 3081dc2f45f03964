/**
 * The TopicLog on Apache Kafka, through kafkajs: topics and offsets through an admin client,
 * appends through one shared idempotent producer, a consumer per reader (read_committed), a
 * transactional producer per transactional id. See docs/KAFKA.md for how the interface maps.
 */
import type { Kafka } from 'kafkajs';
import kafkajs from 'kafkajs';
import type { Logger } from 'pino';
import { createLogger } from '../../logging.js';
import { LogClosedError } from '../errors.js';
import type {
  AppendResult,
  ProduceRecord,
  ReaderOptions,
  TopicConfig,
  TopicDescription,
  TopicLog,
  TopicPartitionOffset,
  TopicReader,
  TransactionalProducer,
} from '../topic-log.js';
import { KafkaTopicAdmin } from './admin.js';
import { KAFKAJS_LOG_LEVEL, pinoLogCreator } from './kafkajs-logging.js';
import { resolveKafkaOptions, type KafkaTopicLogOptions, type ResolvedKafkaOptions } from './options.js';
import { KafkaAppender, RecordRouter } from './producer.js';
import { openKafkaReader, type KafkaTopicReader } from './reader.js';
import { KafkaTransactionalProducer } from './transactions.js';

export class KafkaTopicLog implements TopicLog {
  readonly description: string;
  private readonly kafka: Kafka;
  private readonly options: ResolvedKafkaOptions;
  private readonly logger: Logger;
  private readonly admin: KafkaTopicAdmin;
  private readonly router: RecordRouter;
  private readonly appender: KafkaAppender;
  private readonly readers = new Set<KafkaTopicReader>();
  private readonly producers = new Set<KafkaTransactionalProducer>();
  private closed = false;

  private constructor(opts: KafkaTopicLogOptions) {
    this.options = resolveKafkaOptions(opts);
    this.description = `kafka:${this.options.brokers.join(',')}`;
    this.logger = opts.logger ?? createLogger('kafka');
    this.kafka = new kafkajs.Kafka({
      clientId: this.options.clientId,
      brokers: [...this.options.brokers],
      logLevel: KAFKAJS_LOG_LEVEL,
      logCreator: pinoLogCreator(this.logger),
      connectionTimeout: 3_000,
    });
    this.admin = new KafkaTopicAdmin(this.kafka, this.logger);
    this.router = new RecordRouter(this.admin);
    this.appender = new KafkaAppender(this.kafka, this.router, this.logger);
  }

  /** Connects (so that a wrong address fails here, not at the first call). */
  static async open(opts: KafkaTopicLogOptions): Promise<KafkaTopicLog> {
    const log = new KafkaTopicLog(opts);
    try {
      await log.admin.checkConnection();
    } catch (err) {
      await log.close();
      throw new Error(`Cannot reach Kafka at ${log.options.brokers.join(',')}: ${String(err)}`, { cause: err });
    }
    return log;
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    this.ensureOpen();
    await this.admin.createTopic(name, config);
  }

  async ensureTopic(name: string, config: TopicConfig): Promise<TopicDescription> {
    this.ensureOpen();
    return this.admin.ensureTopic(name, config);
  }

  async deleteTopic(name: string): Promise<void> {
    this.ensureOpen();
    await this.admin.deleteTopic(name);
    this.appender.topicDeleted(name);
  }

  async listTopics(): Promise<TopicDescription[]> {
    this.ensureOpen();
    return this.admin.listTopics();
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    this.ensureOpen();
    return this.admin.describeTopic(name);
  }

  async append(topic: string, records: readonly ProduceRecord[]): Promise<AppendResult[]> {
    this.ensureOpen();
    return this.appender.append(topic, records);
  }

  async beginningOffsets(topic: string): Promise<number[]> {
    this.ensureOpen();
    return (await this.admin.offsets(topic)).beginning;
  }

  /** The last stable offsets: what a read_committed reader can reach (the high watermark when no transaction is open). */
  async endOffsets(topic: string): Promise<number[]> {
    this.ensureOpen();
    return (await this.admin.offsets(topic)).end;
  }

  async openReader(opts: ReaderOptions): Promise<TopicReader> {
    this.ensureOpen();
    const reader = await openKafkaReader(
      {
        kafka: this.kafka,
        admin: this.admin,
        options: this.options,
        logger: this.logger,
        readerClosed: (r) => this.readers.delete(r),
      },
      opts,
    );
    if (this.closed) {
      await reader.close();
      throw new LogClosedError(`The topic log '${this.description}'`);
    }
    this.readers.add(reader);
    return reader;
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    this.ensureOpen();
    return this.admin.committedOffsets(groupId, topic);
  }

  async openTransactionalProducer(transactionalId: string): Promise<TransactionalProducer> {
    this.ensureOpen();
    const producer = await KafkaTransactionalProducer.open(transactionalId, {
      kafka: this.kafka,
      admin: this.admin,
      router: this.router,
      ensureOpen: () => this.ensureOpen(),
      producerClosed: (p) => this.producers.delete(p),
    });
    this.producers.add(producer);
    return producer;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.readers].map((r) => r.close()));
    await Promise.allSettled([...this.producers].map((p) => p.close()));
    await Promise.allSettled([this.appender.close(), this.admin.close()]);
  }

  private ensureOpen(): void {
    if (this.closed) throw new LogClosedError(`The topic log '${this.description}'`);
  }
}
