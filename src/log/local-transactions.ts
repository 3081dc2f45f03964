/**
 * Transactions of the single-process logs (memory and file): Kafka's transactional producer
 * semantics without a coordinator. A transaction's records and offsets are held by the
 * producer until commit, so readers cannot see an open or aborted transaction; the log then
 * applies the committed transaction as one unit (see PartitionedTopicLog.applyTransaction).
 * Producers are fenced by transactional id, as Kafka's InitProducerId does.
 */
import { LogClosedError } from './errors.js';
import {
  ProducerFencedError,
  type ProduceRecord,
  type RecordHeader,
  type TopicPartitionOffset,
  type Transaction,
  type TransactionalProducer,
} from './topic-log.js';

/** A transaction that committed, as the log applies it. */
export interface CommittedTransaction {
  readonly transactionalId: string;
  readonly sends: readonly { readonly topic: string; readonly records: readonly ProduceRecord[] }[];
  readonly offsets: readonly { readonly groupId: string; readonly offsets: readonly TopicPartitionOffset[] }[];
}

export interface TransactionHost {
  ensureOpen(): void;
  /** Throws UnknownTopicError. */
  validateTopic(topic: string): void;
  /** Throws for offsets the log's topics cannot take. */
  validateOffsets(offsets: readonly TopicPartitionOffset[]): void;
  apply(transaction: CommittedTransaction): Promise<void>;
}

export class LocalTransactions {
  /** The live producer of each transactional id. */
  private readonly live = new Map<string, LocalProducer>();

  constructor(private readonly host: TransactionHost) {}

  open(transactionalId: string): TransactionalProducer {
    if (transactionalId.length === 0) throw new Error('A transactional id must not be empty.');
    this.live.get(transactionalId)?.fence();
    const producer = new LocalProducer(transactionalId, this.host, () => {
      if (this.live.get(transactionalId) === producer) this.live.delete(transactionalId);
    });
    this.live.set(transactionalId, producer);
    return producer;
  }
}

type ProducerState = 'ready' | 'fenced' | 'closed';

class LocalProducer implements TransactionalProducer {
  private state: ProducerState = 'ready';
  private current: LocalTransaction | undefined;

  constructor(
    readonly transactionalId: string,
    private readonly host: TransactionHost,
    private readonly released: () => void,
  ) {}

  async begin(): Promise<Transaction> {
    this.checkUsable();
    if (this.current !== undefined) {
      throw new Error(`The producer '${this.transactionalId}' already has a transaction in progress.`);
    }
    const transaction = new LocalTransaction(this, this.host, () => {
      if (this.current === transaction) this.current = undefined;
    });
    this.current = transaction;
    return transaction;
  }

  /** A newer producer took the id: the open transaction is aborted, nothing more commits. */
  fence(): void {
    if (this.state !== 'ready') return;
    this.state = 'fenced';
    this.current?.discard();
  }

  checkUsable(): void {
    this.host.ensureOpen();
    if (this.state === 'fenced') throw new ProducerFencedError(this.transactionalId);
    if (this.state === 'closed') throw new LogClosedError(`The transactional producer '${this.transactionalId}'`);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.current?.discard();
    this.state = 'closed';
    this.released();
  }
}

class LocalTransaction implements Transaction {
  private readonly sends: { topic: string; records: ProduceRecord[] }[] = [];
  private readonly offsets: { groupId: string; offsets: TopicPartitionOffset[] }[] = [];
  private state: 'open' | 'committing' | 'done' = 'open';

  constructor(
    private readonly producer: LocalProducer,
    private readonly host: TransactionHost,
    private readonly finished: () => void,
  ) {}

  async send(topic: string, records: readonly ProduceRecord[]): Promise<void> {
    this.checkOpen();
    this.host.validateTopic(topic);
    // Copied now: the caller may reuse its buffers before the transaction commits.
    this.sends.push({ topic, records: records.map(copyRecord) });
  }

  async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.checkOpen();
    this.host.validateOffsets(offsets);
    this.offsets.push({ groupId, offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })) });
  }

  async commit(): Promise<void> {
    this.checkOpen();
    this.state = 'committing';
    try {
      await this.host.apply({ transactionalId: this.producer.transactionalId, sends: this.sends, offsets: this.offsets });
    } finally {
      this.state = 'done';
      this.finished();
    }
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.discard();
  }

  /** Drops what the transaction held (abort, fencing, close). */
  discard(): void {
    if (this.state !== 'open') return;
    this.sends.length = 0;
    this.offsets.length = 0;
    this.state = 'done';
    this.finished();
  }

  private checkOpen(): void {
    if (this.state === 'done') {
      // A transaction discarded by fencing reports the fencing, as Kafka does.
      this.producer.checkUsable();
      throw new Error('The transaction has already completed.');
    }
    if (this.state === 'committing') throw new Error('The transaction is committing.');
    this.producer.checkUsable();
  }
}

function copyRecord(record: ProduceRecord): ProduceRecord {
  return {
    key: record.key === null ? null : Buffer.from(record.key),
    value: record.value === null ? null : Buffer.from(record.value),
    ...(record.timestamp !== undefined ? { timestamp: record.timestamp } : {}),
    ...(record.partition !== undefined ? { partition: record.partition } : {}),
    ...(record.headers !== undefined ? { headers: record.headers.map(copyHeader) } : {}),
  };
}

function copyHeader(header: RecordHeader): RecordHeader {
  return { key: header.key, value: header.value === null ? null : Buffer.from(header.value) };
}
