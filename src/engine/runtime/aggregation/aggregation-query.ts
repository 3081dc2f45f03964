/**
 * A running aggregation (CTAS with GROUP BY), exactly once as Kafka Streams runs ksqlDB's
 * queries with processing.guarantee=exactly_once_v2: for every batch of input records, the
 * output records, the state stores' changelog records and the consumer offsets are committed
 * in one transaction of the query's transactional producer. A restarted engine rebuilds the
 * stores from their changelogs (instead of reprocessing the input) and resumes at the committed
 * offsets, so a crash at any moment leaves the same table as an uninterrupted run. Opening the
 * producer fences a previous instance of the query that might still be running.
 */
import type { Logger } from 'pino';
import { partitionForKey } from '../../../log/partitioner.js';
import { inTransaction, type LogRecord, type ProduceRecord, type TopicLog, type TopicReader, type TransactionalProducer } from '../../../log/topic-log.js';
import type { FunctionContext, FunctionRegistry } from '../../functions/types.js';
import type { AggregationQueryPlan } from '../../planner/plans.js';
import { serdeFactory } from '../../serde/index.js';
import type { KeySerde } from '../../serde/types.js';
import { keyColumns, type Column } from '../../types.js';
import type { Value } from '../../values/value.js';
import { PersistentQueryRuntime } from '../persistent-query.js';
import { SinkWriter } from '../sink-writer.js';
import { restoreChangelog } from '../state/changelog.js';
import type { MaterializedRow, MaterializedTable } from '../state/materialized-table.js';
import { AggregateStore, GroupStateCodec, type GroupState } from './aggregate-store.js';
import { AggregationProcessor, type AggregateOutput, type AggregationProcessorOptions } from './aggregation-processor.js';
import { FinalResults, type FinalRow } from './final-results.js';
import { TableSourceStore } from './table-source-store.js';

export class AggregationQuery extends PersistentQueryRuntime implements MaterializedTable {
  private readonly store: AggregateStore;
  private readonly tableRows: TableSourceStore | undefined;
  private readonly processor: AggregationProcessor;
  private readonly sink: SinkWriter;
  private producer: TransactionalProducer | undefined;
  private sinkPartitions = 1;
  private changelogPartitions = 1;
  private sourceChangelogPartitions = 1;
  private readonly plainKey: KeySerde;
  /** EMIT FINAL: the windows to emit after each batch, instead of every change. */
  private readonly finalResults: FinalResults | undefined;
  readonly windowed: boolean;

  constructor(
    readonly aggregationPlan: AggregationQueryPlan,
    log: TopicLog,
    functions: FunctionRegistry,
    fnCtx: FunctionContext,
    logger: Logger,
    /** Partitions of the source topic: the tasks of a repartitioned aggregation. */
    sourcePartitions: number,
    /** An aggregation over a join: the join's rows instead of the source's records. */
    input?: AggregationProcessorOptions['input'],
  ) {
    super(aggregationPlan, log, logger);
    const pipeline = aggregationPlan.pipeline;
    const sink = aggregationPlan.sink;
    this.windowed = pipeline.window !== undefined;
    this.sink = new SinkWriter(aggregationPlan, functions, fnCtx, this.logProcessingError);
    const plainKey = serdeFactory.keySerde(sink.keyFormat, keyColumns(sink.schema));
    this.plainKey = plainKey;
    const requiredColumns: Column[] = pipeline.requiredColumns.map((i) => {
      const c = pipeline.scope.columns[i]!;
      return { name: c.name, type: c.type, namespace: 'VALUE' };
    });
    this.store = new AggregateStore(
      new GroupStateCodec(
        requiredColumns,
        pipeline.aggregates.map((a) => a.fn),
        this.sink.serdes.key,
      ),
      pipeline.window,
    );
    this.finalResults = pipeline.emitFinal && pipeline.window ? new FinalResults(this.store, pipeline.window) : undefined;
    this.tableRows = pipeline.sourceIsTable ? new TableSourceStore(aggregationPlan.source.topic) : undefined;
    this.processor = new AggregationProcessor({
      pipeline,
      source: aggregationPlan.source,
      store: this.store,
      ...(this.tableRows ? { tableRows: this.tableRows } : {}),
      keySerdes: { plain: plainKey, windowed: this.sink.serdes.key },
      taskPartitions: sourcePartitions,
      functions,
      fnCtx,
      onError: this.logProcessingError,
      throwOnInvalidTimestamp: this.throwOnInvalidTimestamp,
      ...(input ? { input } : {}),
    });
  }

  /** Restores the stores, fences any older instance, then opens the reader at the committed offsets. */
  override async open(resetTo: 'earliest' | 'latest'): Promise<void> {
    const topics = this.aggregationPlan.stateTopics;
    this.sinkPartitions = (await this.log.describeTopic(this.plan.sink.topic))?.partitions ?? 1;
    this.changelogPartitions = (await this.log.describeTopic(topics.aggregateChangelog))?.partitions ?? 1;
    this.producer = await this.log.openTransactionalProducer(this.groupId);
    const restored = await restoreChangelog(this.log, topics.aggregateChangelog, (r) => this.store.restore(r));
    this.store.expire();
    if (this.tableRows && topics.sourceTableChangelog) {
      this.sourceChangelogPartitions = (await this.log.describeTopic(topics.sourceTableChangelog))?.partitions ?? 1;
      await restoreChangelog(this.log, topics.sourceTableChangelog, (r) => this.tableRows!.restore(r));
    }
    if (restored > 0) this.logger.info({ queryId: this.id, records: restored, groups: this.store.size }, 'aggregate state restored');
    await super.open(resetTo);
  }

  protected async processBatch(records: readonly LogRecord[], reader: TopicReader): Promise<void> {
    const out: ProduceRecord[] = [];
    const emit = (output: AggregateOutput, cause: LogRecord) => {
      const partition = partitionForKey(output.partitionKey, this.sinkPartitions);
      const produced = this.sink.record(output, cause, partition);
      if (produced) out.push(produced);
    };
    const lateBefore = this.processor.lateRecords;
    const finalResults = this.finalResults;
    finalResults?.beginBatch();
    for (const record of records) this.processor.process(record, finalResults ? () => {} : (output) => emit(output, record));
    if (finalResults && records.length > 0) {
      // The batch's last record is the one whose stream time closed the windows.
      const cause = records[records.length - 1]!;
      for (const row of finalResults.closedRows((state) => this.processor.output(state))) {
        const output = this.finalOutput(row);
        if (output) emit(output, cause);
      }
    }
    this.store.expire();
    const late = this.processor.lateRecords - lateBefore;
    // Kafka Streams drops these silently but for its dropped-records metric; say so at debug.
    if (late > 0) this.logger.debug({ queryId: this.id, records: late, total: this.processor.lateRecords }, 'records past the grace period of their windows dropped');

    const topics = this.aggregationPlan.stateTopics;
    await inTransaction(this.producer!, async (transaction) => {
      if (out.length > 0) await transaction.send(this.plan.sink.topic, out);
      const changelog = this.store.drainChangelog(this.changelogPartitions);
      if (changelog.length > 0) await transaction.send(topics.aggregateChangelog, changelog);
      if (this.tableRows && topics.sourceTableChangelog) {
        const sourceChanges = this.tableRows.drainChangelog(this.sourceChangelogPartitions);
        if (sourceChanges.length > 0) await transaction.send(topics.sourceTableChangelog, sourceChanges);
      }
      await transaction.sendOffsets(this.groupId, reader.positions());
    });
  }

  /** The sink output of a closed window's final row (null if its key cannot be serialized). */
  private finalOutput({ storeKey, state, values }: FinalRow): AggregateOutput | null {
    const partitionKey = this.plainKey.serialize(state.key);
    if (partitionKey === null) return null;
    return { keyBytes: storeKey, partitionKey, key: state.key, ...(state.window ? { window: state.window } : {}), values, timestamp: state.timestamp };
  }

  protected override async closeResources(): Promise<void> {
    await this.producer?.close().catch(() => undefined);
  }

  // ------------------------------------------------------------------ MaterializedTable

  rows(): MaterializedRow[] {
    const out: MaterializedRow[] = [];
    for (const entry of this.store.entries()) {
      const row = this.materializedRow(entry.value);
      if (row) out.push(row);
    }
    return out;
  }

  lookup(key: readonly Value[]): MaterializedRow[] {
    const bytes = this.plainKey.serialize(key);
    if (bytes === null) return [];
    if (!this.windowed) {
      const state = this.store.get(bytes);
      const row = state ? this.materializedRow(state) : null;
      return row ? [row] : [];
    }
    const out: MaterializedRow[] = [];
    for (const entry of this.store.windowsOf(bytes)) {
      const row = this.materializedRow(entry.value);
      if (row) out.push(row);
    }
    return out;
  }

  private materializedRow(state: GroupState): MaterializedRow | null {
    const values = this.processor.output(state);
    if (values === null) return null;
    return { key: state.key, ...(state.window ? { window: state.window } : {}), values, timestamp: state.timestamp };
  }
}
