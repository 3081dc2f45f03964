/**
 * A TopicLog decorator that remembers the global order of appends. ksqlDB's harness reads a
 * topic's records back in write order across partitions; a log only orders records within a
 * partition, so the runner restores write order from this journal.
 */
import type {
  AppendResult,
  LogRecord,
  ProduceRecord,
  ReaderOptions,
  TopicConfig,
  TopicDescription,
  TopicLog,
  TopicPartitionOffset,
  TopicReader,
  TransactionalProducer,
} from '../../log/topic-log.js';

function coordinates(topic: string, partition: number, offset: number): string {
  return `${topic}\u0000${partition}\u0000${offset}`;
}

export class RecordingTopicLog implements TopicLog {
  private readonly appendSequence = new Map<string, number>();
  private sequence = 0;

  constructor(private readonly inner: TopicLog) {}

  get description(): string {
    return this.inner.description;
  }

  createTopic(name: string, config: TopicConfig): Promise<void> {
    return this.inner.createTopic(name, config);
  }

  ensureTopic(name: string, config: TopicConfig): Promise<TopicDescription> {
    return this.inner.ensureTopic(name, config);
  }

  deleteTopic(name: string): Promise<void> {
    return this.inner.deleteTopic(name);
  }

  listTopics(): Promise<TopicDescription[]> {
    return this.inner.listTopics();
  }

  describeTopic(name: string): Promise<TopicDescription | undefined> {
    return this.inner.describeTopic(name);
  }

  async append(topic: string, records: readonly ProduceRecord[]): Promise<AppendResult[]> {
    const results = await this.inner.append(topic, records);
    for (const r of results) this.appendSequence.set(coordinates(r.topic, r.partition, r.offset), this.sequence++);
    return results;
  }

  beginningOffsets(topic: string): Promise<number[]> {
    return this.inner.beginningOffsets(topic);
  }

  endOffsets(topic: string): Promise<number[]> {
    return this.inner.endOffsets(topic);
  }

  openReader(opts: ReaderOptions): Promise<TopicReader> {
    return this.inner.openReader(opts);
  }

  committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    return this.inner.committedOffsets(groupId, topic);
  }

  /**
   * Committed transactions are journaled in send order too (the stateful queries write their
   * output transactionally). Records must name their partition, as the engine's queries do;
   * the single-threaded runner commits one transaction at a time, so a transaction's records
   * are the ones between a partition's end offsets before and after its commit.
   */
  async openTransactionalProducer(transactionalId: string): Promise<TransactionalProducer> {
    const producer = await this.inner.openTransactionalProducer(transactionalId);
    return {
      transactionalId: producer.transactionalId,
      close: () => producer.close(),
      begin: async () => {
        const transaction = await producer.begin();
        const sent: { topic: string; records: readonly ProduceRecord[] }[] = [];
        return {
          send: async (topic, records) => {
            await transaction.send(topic, records);
            sent.push({ topic, records });
          },
          sendOffsets: (groupId, offsets) => transaction.sendOffsets(groupId, offsets),
          abort: () => transaction.abort(),
          commit: async () => {
            const topics = [...new Set(sent.map((s) => s.topic))];
            const before = new Map(await Promise.all(topics.map(async (t) => [t, await this.inner.endOffsets(t)] as const)));
            await transaction.commit();
            const next = new Map(topics.map((t) => [t, [...before.get(t)!]]));
            for (const { topic, records } of sent) {
              for (const record of records) {
                if (record.partition === undefined) continue;
                const offsets = next.get(topic)!;
                const offset = offsets[record.partition] ?? 0;
                offsets[record.partition] = offset + 1;
                this.appendSequence.set(coordinates(topic, record.partition, offset), this.sequence++);
              }
            }
          },
        };
      },
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Every record of a topic, in the order they were appended across partitions. */
  async readAllInWriteOrder(topic: string): Promise<LogRecord[]> {
    const description = await this.inner.describeTopic(topic);
    if (!description) return [];
    const ends = await this.inner.endOffsets(topic);
    const begins = await this.inner.beginningOffsets(topic);
    const expected = ends.reduce((sum, end, p) => sum + Math.max(0, end - (begins[p] ?? 0)), 0);
    const reader = await this.inner.openReader({ topics: [topic], start: 'earliest' });
    const records: LogRecord[] = [];
    try {
      while (records.length < expected) {
        const batch = await reader.poll({ maxWaitMs: 0 });
        if (batch.length === 0) break;
        records.push(...batch);
      }
    } finally {
      await reader.close();
    }
    const order = (r: LogRecord): number =>
      this.appendSequence.get(coordinates(r.topic, r.partition, r.offset)) ?? Number.MAX_SAFE_INTEGER;
    return records.sort((a, b) => order(a) - order(b) || a.partition - b.partition || a.offset - b.offset);
  }
}
