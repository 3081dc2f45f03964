/**
 * A running stream-table join (CSAS or INSERT INTO ... SELECT over a join): one reader over the
 * stream's and the table's topics in timestamp order, the table materialized from its topic,
 * and per batch one transaction of the query's transactional
 * producer with the joined rows and the offsets of both topics, so that output and positions
 * never part (a crash leaves both as they were before the batch). Opening the producer fences a
 * previous instance of the query that might still be running.
 *
 * The table's topic is read from the beginning when the query first starts (ksqlDB reads the
 * table side with auto.offset.reset=earliest); the stream starts where the query's reset policy
 * says. A restarted query first restores the table by reading its topic up to the committed
 * offsets, then both inputs continue from their committed offsets (those of the query's consumer
 * group), so the records it processes next see the table exactly as they would have without the
 * restart.
 */
import type { Logger } from 'pino';
import { inTransaction, type LogRecord, type ProduceRecord, type StartPosition, type TopicLog, type TopicPartitionOffset, type TopicReader, type TransactionalProducer } from '../../log/topic-log.js';
import type { FunctionContext, FunctionRegistry } from '../functions/types.js';
import type { StreamTableJoinPipeline } from '../planner/join-plan.js';
import type { StreamTableJoinQueryPlan } from '../planner/plans.js';
import { StreamTableJoinProcessor } from './join-processor.js';
import { PersistentQueryRuntime } from './persistent-query.js';
import { SinkWriter } from './sink-writer.js';
import { restoreTable } from './table-materialization.js';
import { TimestampOrderedReader } from './timestamp-ordered-reader.js';

const SETTLE_READ_MS = 25;
const SETTLE_READS = 10;

/**
 * Where a restarted query resumes in a topic: the group's committed offsets once they have
 * settled (Kafka makes a transaction's offsets visible a little after its commit returns, and
 * kafkajs cannot ask for stable offsets, so they are read until two reads agree), `resetTo` for
 * partitions without one.
 */
async function settledStart(log: TopicLog, groupId: string, topic: string, resetTo: 'earliest' | 'latest'): Promise<TopicPartitionOffset[]> {
  const read = async () => (await log.committedOffsets(groupId, topic)).map((o) => `${o.partition}:${o.offset}`).sort().join(',');
  let previous = await read();
  for (let i = 0; i < SETTLE_READS; i++) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_READ_MS));
    const current = await read();
    if (current === previous) break;
    previous = current;
  }
  const committed = new Map((await log.committedOffsets(groupId, topic)).map((o) => [o.partition, o.offset]));
  const fallback = resetTo === 'earliest' ? await log.beginningOffsets(topic) : await log.endOffsets(topic);
  return fallback.map((offset, partition) => ({ topic, partition, offset: committed.get(partition) ?? offset }));
}

/** Opens the timestamp-ordered reader of a join's two inputs, the table winning timestamp ties. */
export async function openJoinInputs(
  log: TopicLog,
  processor: StreamTableJoinProcessor,
  topics: { readonly stream: string; readonly table: string },
  starts: { readonly stream: StartPosition; readonly table: StartPosition },
  onLagTimeout?: (topic: string) => void,
): Promise<TimestampOrderedReader> {
  const tableReader = await log.openReader({ topics: [topics.table], start: starts.table });
  let streamReader: TopicReader;
  try {
    streamReader = await log.openReader({ topics: [topics.stream], start: starts.stream });
  } catch (err) {
    await tableReader.close().catch(() => undefined);
    throw err;
  }
  return new TimestampOrderedReader(
    log,
    [
      { reader: tableReader, topic: topics.table, timestampOf: processor.timestampOf, priority: 0 },
      { reader: streamReader, topic: topics.stream, timestampOf: processor.timestampOf, priority: 1 },
    ],
    undefined,
    onLagTimeout,
  );
}

/**
 * The inputs of a persistent join resuming where it stopped: the table restored from its topic
 * up to the committed offsets, then both topics read from the committed offsets on (the stream
 * from `resetTo` the first time, the table from the beginning).
 */
export async function resumeJoinInputs(
  log: TopicLog,
  processor: StreamTableJoinProcessor,
  pipeline: StreamTableJoinPipeline,
  groupId: string,
  resetTo: 'earliest' | 'latest',
  onLagTimeout?: (topic: string) => void,
): Promise<TimestampOrderedReader> {
  const topics = { stream: pipeline.stream.source.topic, table: pipeline.table.source.topic };
  const tableStart = await settledStart(log, groupId, topics.table, 'earliest');
  const streamStart = await settledStart(log, groupId, topics.stream, resetTo);
  await restoreTable(log, topics.table, tableStart, (record) => processor.restore(record));
  // The readers need no group: they start where the query committed, and the offsets are
  // committed by its transactions. (Two members of one group would rebalance each other.)
  return openJoinInputs(log, processor, topics, { stream: { offsets: streamStart }, table: { offsets: tableStart } }, onLagTimeout);
}

export class StreamTableJoinQuery extends PersistentQueryRuntime {
  private readonly processor: StreamTableJoinProcessor;
  private readonly sink: SinkWriter;
  private inputs: TimestampOrderedReader | undefined;
  private producer: TransactionalProducer | undefined;

  constructor(
    readonly joinPlan: StreamTableJoinQueryPlan,
    log: TopicLog,
    functions: FunctionRegistry,
    fnCtx: FunctionContext,
    logger: Logger,
  ) {
    super(joinPlan, log, logger);
    this.processor = new StreamTableJoinProcessor({
      pipeline: joinPlan.pipeline,
      functions,
      fnCtx,
      onError: this.logProcessingError,
      throwOnInvalidTimestamp: this.throwOnInvalidTimestamp,
    });
    this.sink = new SinkWriter(joinPlan, functions, fnCtx, this.logProcessingError);
  }

  override async open(resetTo: 'earliest' | 'latest'): Promise<void> {
    // Fence an older instance first, so the offsets read next are final.
    this.producer = await this.log.openTransactionalProducer(this.groupId);
    try {
      await super.open(resetTo);
    } catch (err) {
      await this.producer.close().catch(() => undefined);
      throw err;
    }
  }

  protected override async openReader(resetTo: 'earliest' | 'latest'): Promise<TopicReader> {
    this.inputs = await resumeJoinInputs(this.log, this.processor, this.joinPlan.pipeline, this.groupId, resetTo, this.warnLag);
    return this.inputs;
  }

  protected async processBatch(records: readonly LogRecord[], reader: TopicReader): Promise<void> {
    const out: ProduceRecord[] = [];
    const valuePositions = this.joinPlan.pipeline.valuePositions;
    for (const record of records) {
      const row = this.processor.process(record);
      if (!row) continue;
      const produced = this.sink.record({ key: row.key, values: valuePositions.map((p) => row.values[p]!), timestamp: row.timestamp }, record);
      if (produced) out.push(produced);
    }
    await inTransaction(this.producer!, async (transaction) => {
      if (out.length > 0) await transaction.send(this.plan.sink.topic, out);
      await transaction.sendOffsets(this.groupId, reader.positions());
    });
  }

  protected override async closeResources(): Promise<void> {
    await this.producer?.close().catch(() => undefined);
  }

  private readonly warnLag = (topic: string): void => {
    this.logger.warn({ queryId: this.id, topic }, 'join input still behind: processing the other input without it (timestamp order not guaranteed)');
  };

  override async isCaughtUp(): Promise<boolean> {
    if (!this.inputs || this.state === 'ERROR') return true;
    if (this.batchesInFlight > 0) return false;
    return (await this.inputs.caughtUp()) && this.batchesInFlight === 0;
  }
}
