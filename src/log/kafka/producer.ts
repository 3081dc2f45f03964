/**
 * Appending to Kafka: where records go (RecordRouter, shared with transactions) and the
 * idempotent producers that append for the log (KafkaAppender).
 */
import type { Kafka, Message, Producer } from 'kafkajs';
import kafkajs from 'kafkajs';
import type { Logger } from 'pino';
import { TopicPartitioner } from '../partitioner.js';
import { UnknownTopicError, type AppendResult, type ProduceRecord } from '../topic-log.js';
import { appendTimestamp } from '../topic-validation.js';
import type { KafkaTopicAdmin } from './admin.js';
import { topicOperationError } from './errors.js';
import { requestChunks, toKafkaMessage } from './records.js';
import { RenewableClient } from './renewable-client.js';

/**
 * Retries of a produce request: kafkajs' default for idempotent producers is unbounded, which
 * turns an append to a deleted topic into a call that never returns. Bounded, a failure
 * surfaces after ~10 s; the caller may append again (at-least-once, like any failed append).
 */
export const PRODUCER_RETRY = { retries: 8, initialRetryTime: 100, maxRetryTime: 3_000 };

/**
 * A transaction begun right after a commit finds the coordinator still writing the previous
 * commit's markers (CONCURRENT_TRANSACTIONS) and is retried: a short first wait, as the Java
 * client's for AddPartitionsToTxn, keeps back-to-back transactions at ~20 ms, not ~120 ms.
 */
export const TRANSACTIONAL_PRODUCER_RETRY = { retries: 12, initialRetryTime: 20, maxRetryTime: 3_000 };

export interface RoutedRecords {
  readonly messages: Message[];
  readonly partitions: number[];
  readonly timestamps: number[];
  /** How the messages are split into produce requests the broker accepts (see requestChunks). */
  readonly chunks: [number, number][];
}

/**
 * Chooses each record's partition with the log's own partitioner (bit-exact with Kafka's Java
 * client, like the embedded logs) and its timestamp, before anything is sent: a record for a
 * partition the topic lacks fails the whole call up front, and the results can say where
 * every record went.
 */
export class RecordRouter {
  private readonly partitioners = new Map<string, { readonly count: number; readonly partitioner: TopicPartitioner }>();

  constructor(private readonly admin: KafkaTopicAdmin) {}

  async route(topic: string, records: readonly ProduceRecord[]): Promise<RoutedRecords> {
    const count = await this.admin.partitionCount(topic);
    let entry = this.partitioners.get(topic);
    if (entry === undefined || entry.count !== count) {
      entry = { count, partitioner: new TopicPartitioner(topic, count) };
      this.partitioners.set(topic, entry);
    }
    const partitions = entry.partitioner.assign(records);
    const now = Date.now();
    const timestamps = records.map((r) => appendTimestamp(r, now));
    const messages = records.map((r, i) => toKafkaMessage(r, partitions[i]!, timestamps[i]!));
    return { messages, partitions, timestamps, chunks: requestChunks(records) };
  }

  forgetTopic(topic: string): void {
    this.partitioners.delete(topic);
    this.admin.forgetTopic(topic);
  }
}

/**
 * Appends with one idempotent producer per topic. kafkajs' producer refreshes the metadata of
 * every topic it has written to and, while one of them does not exist, fails each send after
 * its whole retry budget; with a producer per topic, a topic deleted by anyone can only
 * affect appends to itself.
 */
export class KafkaAppender {
  private readonly producers = new Map<string, RenewableClient<Producer>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly router: RecordRouter,
    private readonly logger: Logger,
  ) {}

  async append(topic: string, records: readonly ProduceRecord[]): Promise<AppendResult[]> {
    const routed = await this.router.route(topic, records);
    if (records.length === 0) return [];
    const results: AppendResult[] = [];
    for (const [start, end] of routed.chunks) {
      let written: Awaited<ReturnType<Producer['send']>>;
      try {
        const messages = routed.messages.slice(start, end);
        written = await this.producerFor(topic).use((producer) => producer.send({ topic, messages, acks: -1 }));
      } catch (err) {
        const reported = topicOperationError(err, topic);
        if (reported instanceof UnknownTopicError) this.topicDeleted(topic);
        else this.router.forgetTopic(topic);
        throw reported;
      }
      // One request holds one batch per partition, in send order: the n-th record of a
      // partition has the batch's base offset + n.
      const baseOffsets = new Map(written.map((m) => [m.partition, Number(m.baseOffset)]));
      const seen = new Map<number, number>();
      for (let i = start; i < end; i++) {
        const partition = routed.partitions[i]!;
        const n = seen.get(partition) ?? 0;
        seen.set(partition, n + 1);
        const base = baseOffsets.get(partition);
        if (base === undefined) throw new Error(`Kafka did not acknowledge the records for ${topic}-${partition}.`);
        results.push({ topic, partition, offset: base + n, timestamp: routed.timestamps[i]! });
      }
    }
    return results;
  }

  /** The topic is gone: its producer (whose metadata requests would now fail) goes too. */
  topicDeleted(topic: string): void {
    this.router.forgetTopic(topic);
    const producer = this.producers.get(topic);
    this.producers.delete(topic);
    producer?.close().catch((err: unknown) => this.logger.debug({ err, topic }, 'closing the producer of a deleted topic failed'));
  }

  async close(): Promise<void> {
    const producers = [...this.producers.values()];
    this.producers.clear();
    await Promise.allSettled(producers.map((p) => p.close()));
  }

  private producerFor(topic: string): RenewableClient<Producer> {
    let producer = this.producers.get(topic);
    if (producer === undefined) {
      producer = new RenewableClient<Producer>(
        {
          name: `Kafka producer for '${topic}'`,
          connect: async () => {
            const p = this.kafka.producer({
              idempotent: true,
              maxInFlightRequests: 1,
              allowAutoTopicCreation: false,
              retry: PRODUCER_RETRY,
              // Partitions are chosen by RecordRouter; naming the partitioner silences
              // kafkajs' warning about its v2 default.
              createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
            });
            await p.connect();
            return p;
          },
          disconnect: (p) => p.disconnect(),
        },
        this.logger,
      );
      this.producers.set(topic, producer);
    }
    return producer;
  }
}
