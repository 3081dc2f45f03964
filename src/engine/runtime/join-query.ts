/**
 * A running stream-table join (CSAS or INSERT INTO ... SELECT over a join): one reader over the
 * stream's and the table's topics in timestamp order under the query's consumer group, the
 * table materialized from its topic, the joined rows appended to the sink, then the offsets of
 * both topics committed.
 *
 * The table's topic is read from the beginning when the query first starts (ksqlDB reads the
 * table side with auto.offset.reset=earliest); the stream starts where the query's reset policy
 * says. A restarted query first restores the table by reading its topic up to the committed
 * offsets, then both inputs continue from their committed offsets, so the records it processes
 * next see the table exactly as they would have without the restart.
 */
import type { Logger } from 'pino';
import type { LogRecord, ProduceRecord, TopicLog, TopicReader } from '../../log/topic-log.js';
import type { FunctionContext, FunctionRegistry } from '../functions/types.js';
import type { StreamTableJoinQueryPlan } from '../planner/plans.js';
import { StreamTableJoinProcessor } from './join-processor.js';
import { PersistentQueryRuntime } from './persistent-query.js';
import { SinkWriter } from './sink-writer.js';
import { restoreTable } from './table-materialization.js';
import { TimestampOrderedReader } from './timestamp-ordered-reader.js';

/** Opens the timestamp-ordered reader of a join's two inputs, the table winning timestamp ties. */
export async function openJoinInputs(
  log: TopicLog,
  processor: StreamTableJoinProcessor,
  topics: { readonly stream: string; readonly table: string },
  starts: { readonly stream: Parameters<TopicLog['openReader']>[0]['start']; readonly table: Parameters<TopicLog['openReader']>[0]['start'] },
  groupId?: string,
): Promise<TimestampOrderedReader> {
  const group = groupId === undefined ? {} : { groupId };
  const tableReader = await log.openReader({ topics: [topics.table], start: starts.table, ...group });
  let streamReader: TopicReader;
  try {
    streamReader = await log.openReader({ topics: [topics.stream], start: starts.stream, ...group });
  } catch (err) {
    await tableReader.close().catch(() => undefined);
    throw err;
  }
  return new TimestampOrderedReader(log, [
    { reader: tableReader, topic: topics.table, timestampOf: processor.timestampOf, priority: 0 },
    { reader: streamReader, topic: topics.stream, timestampOf: processor.timestampOf, priority: 1 },
  ]);
}

export class StreamTableJoinQuery extends PersistentQueryRuntime {
  private readonly processor: StreamTableJoinProcessor;
  private readonly sink: SinkWriter;
  private inputs: TimestampOrderedReader | undefined;

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
    const topics = { stream: this.joinPlan.pipeline.stream.source.topic, table: this.joinPlan.pipeline.table.source.topic };
    const committed = await this.log.committedOffsets(this.groupId, topics.table);
    await restoreTable(this.log, topics.table, committed, (record) => this.processor.restore(record));
    this.inputs = await openJoinInputs(
      this.log,
      this.processor,
      topics,
      { stream: { committed: true, resetTo }, table: { committed: true, resetTo: 'earliest' } },
      this.groupId,
    );
    this.reader = this.inputs;
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
    if (out.length > 0) await this.log.append(this.plan.sink.topic, out);
    await reader.commit();
  }

  override async isCaughtUp(): Promise<boolean> {
    if (!this.inputs || this.state === 'ERROR') return true;
    return this.inputs.caughtUp();
  }
}
