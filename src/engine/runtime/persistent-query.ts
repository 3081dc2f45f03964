/**
 * Running persistent queries. `PersistentQueryRuntime` is what every kind shares: a reader of
 * the source topic under the query's consumer group (resuming from its committed offsets), the
 * batch loop, stop, and the caught-up check of processUntilIdle(). `StreamQuery` runs a
 * stateless pipeline (CSAS, CTAS without aggregation, INSERT INTO ... SELECT): it appends each
 * batch's output to the sink and then commits its offsets. The stateful aggregation query
 * (./aggregation/aggregation-query.ts) commits output, state and offsets in one transaction.
 */
import type { Logger } from 'pino';
import type { LogRecord, ProduceRecord, StartPosition, TopicLog, TopicReader } from '../../log/topic-log.js';
import type { FunctionContext, FunctionRegistry } from '../functions/types.js';
import type { PersistentQueryPlan, StreamQueryPlan } from '../planner/plans.js';
import { booleanProperty } from '../statements/properties.js';
import type { Value } from '../values/value.js';
import { ProcessingLog } from './processing-log.js';
import { SinkWriter } from './sink-writer.js';
import type { ProcessingStage } from './source-decoder.js';
import { StreamProcessor } from './stream-processor.js';

export const BATCH_SIZE = 2000;
const IDLE_WAIT_MS = 200;

export function consumerGroupId(queryId: string, serviceId = 'default_'): string {
  return `_confluent-ksql-${serviceId}query_${queryId}`;
}

export function queryGroupId(plan: PersistentQueryPlan): string {
  return consumerGroupId(plan.queryId, plan.properties['ksql.service.id'] ?? 'default_');
}

export abstract class PersistentQueryRuntime {
  protected reader: TopicReader | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  /**
   * Batches polled but not yet written and committed. The reader's positions move when it
   * hands a batch out, so positions alone would call a query idle while its last batch is
   * still being written (processUntilIdle would then return early).
   */
  protected batchesInFlight = 0;
  state: 'RUNNING' | 'ERROR' = 'RUNNING';
  error: unknown;
  protected readonly processingLog: ProcessingLog;
  protected readonly throwOnInvalidTimestamp: boolean;

  constructor(
    readonly plan: PersistentQueryPlan,
    protected readonly log: TopicLog,
    protected readonly logger: Logger,
  ) {
    this.processingLog = new ProcessingLog(logger, plan.queryId);
    this.throwOnInvalidTimestamp = booleanProperty(plan.properties, 'ksql.timestamp.throw.on.invalid', false);
  }

  get id(): string {
    return this.plan.queryId;
  }

  protected get groupId(): string {
    return queryGroupId(this.plan);
  }

  /** Opens the reader; `resetTo` applies only when the group has no committed offsets. */
  async open(resetTo: 'earliest' | 'latest'): Promise<void> {
    this.reader = await this.openReader(resetTo);
  }

  /** The reader of the query's input: the source topic (a join reads two topics instead). */
  protected openReader(resetTo: 'earliest' | 'latest'): Promise<TopicReader> {
    const start: StartPosition = { committed: true, resetTo };
    return this.log.openReader({ topics: [this.plan.source.topic], groupId: this.groupId, start });
  }

  /** Processes what is available now (one batch); returns the number of records consumed. */
  async runOnce(maxWaitMs = 0): Promise<number> {
    if (this.stopped || !this.reader || this.state === 'ERROR') return 0;
    let records: LogRecord[];
    try {
      records = await this.reader.poll({ maxRecords: BATCH_SIZE, maxWaitMs, signal: this.abort.signal });
    } catch (err) {
      if (this.stopped) return 0;
      throw err;
    }
    if (records.length === 0 || this.stopped) return 0;
    this.batchesInFlight++;
    try {
      await this.processBatch(records, this.reader);
    } catch (err) {
      this.fail(err);
    } finally {
      this.batchesInFlight--;
    }
    return records.length;
  }

  /** Writes the batch's results and commits the reader's new positions. */
  protected abstract processBatch(records: readonly LogRecord[], reader: TopicReader): Promise<void>;

  /** Runs by itself until stopped (autoStart mode). */
  start(): void {
    if (this.loop) return;
    this.loop = (async () => {
      while (!this.stopped && this.state === 'RUNNING') {
        try {
          await this.runOnce(IDLE_WAIT_MS);
        } catch (err) {
          if (!this.stopped) this.fail(err);
        }
      }
    })();
  }

  /** True when the reader has consumed everything appended so far. */
  async isCaughtUp(): Promise<boolean> {
    if (!this.reader || this.stopped || this.state === 'ERROR') return true;
    if (this.batchesInFlight > 0) return false;
    const ends = await this.log.endOffsets(this.plan.source.topic);
    if (this.batchesInFlight > 0) return false;
    const positions = this.reader.positions();
    return positions.every((p) => p.offset >= (ends[p.partition] ?? 0));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    await this.loop?.catch(() => undefined);
    await this.reader?.close().catch(() => undefined);
    await this.closeResources();
  }

  /** Releases what a subclass holds besides the reader. */
  protected async closeResources(): Promise<void> {}

  protected fail(err: unknown): void {
    this.state = 'ERROR';
    this.error = err;
    this.logger.error({ err, queryId: this.id }, 'persistent query failed');
  }

  protected logProcessingError = (err: unknown, record: LogRecord, stage: ProcessingStage): void => {
    this.processingLog.report(err, record, stage);
  };
}

/** A stateless persistent query: records in, projected records out. */
export class StreamQuery extends PersistentQueryRuntime {
  private readonly processor: StreamProcessor;
  private readonly sink: SinkWriter;

  constructor(
    readonly streamPlan: StreamQueryPlan,
    log: TopicLog,
    functions: FunctionRegistry,
    fnCtx: FunctionContext,
    logger: Logger,
  ) {
    super(streamPlan, log, logger);
    this.processor = new StreamProcessor(
      streamPlan.source,
      streamPlan.pipeline,
      fnCtx,
      functions,
      this.logProcessingError,
      this.throwOnInvalidTimestamp,
    );
    this.sink = new SinkWriter(streamPlan, functions, fnCtx, this.logProcessingError);
  }

  protected async processBatch(records: readonly LogRecord[], reader: TopicReader): Promise<void> {
    const out: ProduceRecord[] = [];
    const valuePositions = this.streamPlan.pipeline.valuePositions;
    for (const record of records) {
      const row = this.processor.process(record, true);
      if (!row) continue;
      const values: Value[] | null = row.values === null ? null : valuePositions.map((p) => row.values![p]!);
      const produced = this.sink.record({ key: row.key, ...(row.window ? { window: row.window } : {}), values, timestamp: row.timestamp }, record);
      if (produced) out.push(produced);
    }
    if (out.length > 0) await this.log.append(this.plan.sink.topic, out);
    await reader.commit();
  }
}
