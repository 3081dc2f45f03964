/**
 * One transactional producer per input partition, with the transactional id
 * `<prefix>-<input topic>-<partition>` (Kafka's original exactly-once design, KIP-98). Whoever
 * owns a partition, in whichever process, uses the same id, so taking a partition over fences
 * the previous owner: a zombie that lost the partition in a rebalance, or a killed process
 * whose transaction was left open, cannot commit afterwards, and its open transaction is
 * aborted. (kafkajs has no KIP-447 consumer-group fencing, which would allow one producer per
 * process.) A producer is opened when its partition is first processed and closed when the
 * partition is revoked or a transaction fails.
 */
import type { Logger } from 'pino';
import type { TopicLog, TransactionalProducer } from '../log/topic-log.js';

export class PartitionProducers {
  private readonly producers = new Map<number, Promise<TransactionalProducer>>();

  constructor(
    private readonly log: TopicLog,
    private readonly inputTopic: string,
    private readonly transactionalIdPrefix: string,
    private readonly logger: Logger,
  ) {}

  transactionalId(partition: number): string {
    return `${this.transactionalIdPrefix}-${this.inputTopic}-${partition}`;
  }

  has(partition: number): boolean {
    return this.producers.has(partition);
  }

  /** The partition's producer; `fresh` when it was just opened (and so just fenced any predecessor). */
  async get(partition: number): Promise<{ producer: TransactionalProducer; fresh: boolean }> {
    const existing = this.producers.get(partition);
    if (existing !== undefined) return { producer: await existing, fresh: false };
    const opening = this.log.openTransactionalProducer(this.transactionalId(partition));
    this.producers.set(partition, opening);
    try {
      return { producer: await opening, fresh: true };
    } catch (err) {
      this.producers.delete(partition);
      throw err;
    }
  }

  /** Closes the partition's producer (revoked, or its transaction failed: start over fenced). */
  async drop(partition: number): Promise<void> {
    const producer = this.producers.get(partition);
    if (producer === undefined) return;
    this.producers.delete(partition);
    try {
      await (await producer).close();
    } catch (err) {
      this.logger.warn({ err, partition }, 'closing a transactional producer failed');
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.producers.keys()].map((p) => this.drop(p)));
  }
}
