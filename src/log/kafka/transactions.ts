/**
 * Kafka's transactional producer through kafkajs: one kafkajs producer per transactional id,
 * one transaction at a time. kafkajs sends a transaction's records to the partitions as they
 * come (invisible to read_committed readers until the commit markers are written) and commits
 * group offsets with TxnOffsetCommit.
 */
import type { Kafka, Producer, Transaction as KafkaJsTransaction } from 'kafkajs';
import kafkajs from 'kafkajs';
import { LogClosedError, UnknownPartitionError } from '../errors.js';
import {
  ProducerFencedError,
  type ProduceRecord,
  type TopicPartitionOffset,
  type Transaction,
  type TransactionalProducer,
} from '../topic-log.js';
import type { KafkaTopicAdmin } from './admin.js';
import { FENCED_TYPES, hasKafkaErrorType, topicOperationError, transactionError } from './errors.js';
import { TRANSACTIONAL_PRODUCER_RETRY, type RecordRouter } from './producer.js';

export interface TransactionHost {
  readonly kafka: Kafka;
  readonly admin: KafkaTopicAdmin;
  readonly router: RecordRouter;
  ensureOpen(): void;
  producerClosed(producer: KafkaTransactionalProducer): void;
}

type ProducerState = 'ready' | 'fenced' | 'broken' | 'closed';

export class KafkaTransactionalProducer implements TransactionalProducer {
  private state: ProducerState = 'ready';
  private brokenBy: unknown;
  private current: KafkaTransaction | undefined;

  private constructor(
    readonly transactionalId: string,
    private readonly producer: Producer,
    private readonly host: TransactionHost,
  ) {}

  /**
   * Connects and registers the transactional id with the coordinator (InitProducerId), which
   * aborts an open transaction of an older producer with this id and fences it. kafkajs would
   * do that only at the first transaction, so an empty one is begun and aborted here.
   */
  static async open(transactionalId: string, host: TransactionHost): Promise<KafkaTransactionalProducer> {
    if (transactionalId.length === 0) throw new Error('A transactional id must not be empty.');
    const producer = host.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: TRANSACTIONAL_PRODUCER_RETRY,
      createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
      const registration = await producer.transaction();
      await registration.abort();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw transactionError(err, transactionalId);
    }
    return new KafkaTransactionalProducer(transactionalId, producer, host);
  }

  async begin(): Promise<Transaction> {
    this.checkUsable();
    if (this.current !== undefined) {
      throw new Error(`The producer '${this.transactionalId}' already has a transaction in progress.`);
    }
    let transaction: KafkaJsTransaction;
    try {
      transaction = await this.producer.transaction();
    } catch (err) {
      throw this.failed(err);
    }
    const current = new KafkaTransaction(transaction, this, this.host);
    this.current = current;
    return current;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const open = this.current;
    this.state = 'closed';
    this.current = undefined;
    // An open transaction would otherwise stay open on the broker until it times out.
    await open?.abandon();
    await this.producer.disconnect().catch(() => undefined);
    this.host.producerClosed(this);
  }

  checkUsable(): void {
    this.host.ensureOpen();
    if (this.state === 'fenced') throw new ProducerFencedError(this.transactionalId);
    if (this.state === 'closed') throw new LogClosedError(`The transactional producer '${this.transactionalId}'`);
    if (this.state === 'broken') {
      throw new Error(
        `The transactional producer '${this.transactionalId}' failed to end a transaction and cannot go on; close it and open a new one.`,
        { cause: this.brokenBy },
      );
    }
  }

  transactionEnded(transaction: KafkaTransaction): void {
    if (this.current === transaction) this.current = undefined;
  }

  /**
   * The error to report for a failed call. Fencing is for good. kafkajs cannot end a
   * transaction after a failed commit or abort (its state machine stays in COMMITTING or
   * ABORTING), so the producer is unusable after one.
   */
  failed(err: unknown, endingTransaction = false): unknown {
    if (hasKafkaErrorType(err, ...FENCED_TYPES)) {
      if (this.state === 'ready' || this.state === 'broken') this.state = 'fenced';
      return new ProducerFencedError(this.transactionalId);
    }
    if (endingTransaction && this.state === 'ready') {
      this.state = 'broken';
      this.brokenBy = err;
    }
    return err;
  }
}

class KafkaTransaction implements Transaction {
  private state: 'open' | 'ending' | 'done' = 'open';

  constructor(
    private readonly transaction: KafkaJsTransaction,
    private readonly producer: KafkaTransactionalProducer,
    private readonly host: TransactionHost,
  ) {}

  async send(topic: string, records: readonly ProduceRecord[]): Promise<void> {
    this.checkOpen();
    const routed = await this.host.router.route(topic, records);
    if (records.length === 0) return;
    try {
      for (const [start, end] of routed.chunks) {
        await this.transaction.send({ topic, messages: routed.messages.slice(start, end), acks: -1 });
      }
    } catch (err) {
      throw topicOperationError(this.producer.failed(err), topic);
    }
  }

  async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.checkOpen();
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const o of offsets) {
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
        throw new RangeError(`Cannot commit offset ${o.offset} for ${o.topic}-${o.partition}.`);
      }
      const count = await this.host.admin.partitionCount(o.topic);
      if (!Number.isInteger(o.partition) || o.partition < 0 || o.partition >= count) {
        throw new UnknownPartitionError(o.topic, o.partition);
      }
      const partitions = byTopic.get(o.topic) ?? [];
      partitions.push({ partition: o.partition, offset: String(o.offset) });
      byTopic.set(o.topic, partitions);
    }
    if (byTopic.size === 0) return;
    try {
      await this.transaction.sendOffsets({
        consumerGroupId: groupId,
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      });
    } catch (err) {
      throw this.producer.failed(err);
    }
  }

  async commit(): Promise<void> {
    this.checkOpen();
    this.state = 'ending';
    try {
      await this.transaction.commit();
    } catch (err) {
      throw this.producer.failed(err, true);
    } finally {
      this.ended();
    }
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'ending';
    try {
      await this.transaction.abort();
    } catch (err) {
      // Fenced: the coordinator has aborted the transaction already, which is what was asked.
      const reported = this.producer.failed(err, true);
      if (!(reported instanceof ProducerFencedError)) throw reported;
    } finally {
      this.ended();
    }
  }

  /** The producer closes with this transaction open: abort it, quietly. */
  async abandon(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'ending';
    await this.transaction.abort().catch(() => undefined);
    this.ended();
  }

  private ended(): void {
    this.state = 'done';
    this.producer.transactionEnded(this);
  }

  private checkOpen(): void {
    if (this.state === 'done') {
      // A transaction ended by fencing reports the fencing, as Kafka does.
      this.producer.checkUsable();
      throw new Error('The transaction has already completed.');
    }
    if (this.state === 'ending') throw new Error('The transaction is being committed or aborted.');
    this.producer.checkUsable();
  }
}
