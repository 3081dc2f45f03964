/**
 * A running persistent query (CSAS, INSERT INTO ... SELECT): reads its source topic in
 * batches, runs the pipeline, serializes to the sink formats and appends to the sink topic,
 * then commits its read positions under the query's consumer group so a restarted engine
 * resumes where it stopped.
 */
import type { Logger } from 'pino';
import type { LogRecord, ProduceRecord, StartPosition, TopicLog, TopicReader } from '../../log/topic-log.js';
import type { FunctionContext, FunctionRegistry } from '../functions/types.js';
import type { PersistentQueryPlan } from '../planner/plans.js';
import { buildSerdes, type SourceSerdes } from '../statements/formats.js';
import { booleanProperty } from '../statements/properties.js';
import type { Value } from '../values/value.js';
import { timestampConverter, type TimestampConverter } from './event-time.js';
import { ProcessingLog } from './processing-log.js';
import { StreamProcessor } from './stream-processor.js';

const BATCH_SIZE = 2000;
const IDLE_WAIT_MS = 200;

export function consumerGroupId(queryId: string, serviceId = 'default_'): string {
  return `_confluent-ksql-${serviceId}query_${queryId}`;
}

export class PersistentQuery {
  private reader: TopicReader | undefined;
  private readonly processor: StreamProcessor;
  private readonly sinkSerdes: SourceSerdes;
  private readonly sinkTimestamp: { convert: TimestampConverter; namespace: 'KEY' | 'VALUE'; position: number } | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();
  state: 'RUNNING' | 'ERROR' = 'RUNNING';
  private readonly processingLog: ProcessingLog;
  error: unknown;

  constructor(
    readonly plan: PersistentQueryPlan,
    private readonly log: TopicLog,
    functions: FunctionRegistry,
    fnCtx: FunctionContext,
    private readonly logger: Logger,
  ) {
    this.processingLog = new ProcessingLog(logger, plan.queryId);
    const throwOnInvalid = booleanProperty(plan.properties, 'ksql.timestamp.throw.on.invalid', false);
    this.processor = new StreamProcessor(
      plan.source,
      plan.pipeline,
      fnCtx,
      functions,
      (err, record, stage) => this.logProcessingError(err, record, stage),
      throwOnInvalid,
    );
    this.sinkSerdes = buildSerdes(
      plan.sink.schema,
      { keyFormat: plan.sink.keyFormat, valueFormat: plan.sink.valueFormat },
      plan.sink.window,
    );
    const ts = plan.sinkTimestamp;
    this.sinkTimestamp = ts
      ? { convert: timestampConverter(ts.type, ts.format, functions, fnCtx), namespace: ts.namespace, position: ts.position }
      : undefined;
  }

  get id(): string {
    return this.plan.queryId;
  }

  /** Opens the reader; `start` applies only when the group has no committed offsets. */
  async open(resetTo: 'earliest' | 'latest'): Promise<void> {
    const start: StartPosition = { committed: true, resetTo };
    this.reader = await this.log.openReader({
      topics: [this.plan.source.topic],
      groupId: consumerGroupId(this.plan.queryId, this.plan.properties['ksql.service.id'] ?? 'default_'),
      start,
    });
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
    try {
      const out = this.processBatch(records);
      if (out.length > 0) await this.log.append(this.plan.sink.topic, out);
      await this.reader.commit();
    } catch (err) {
      this.fail(err);
    }
    return records.length;
  }

  private processBatch(records: readonly LogRecord[]): ProduceRecord[] {
    const out: ProduceRecord[] = [];
    const pipeline = this.plan.pipeline;
    const valuePositions = pipeline.valuePositions;
    for (const record of records) {
      const row = this.processor.process(record, true);
      if (!row) continue;
      const valueOut: Value[] | null = row.values === null ? null : valuePositions.map((p) => row.values![p]!);
      let timestamp = row.timestamp;
      if (this.sinkTimestamp && valueOut !== null) {
        const ts = this.sinkTimestamp;
        const raw = ts.namespace === 'KEY' ? row.key[ts.position] : valueOut[ts.position];
        let converted: number | undefined;
        try {
          converted = ts.convert(raw ?? null);
        } catch (err) {
          this.logProcessingError(err, record, 'timestamp');
          continue;
        }
        if (converted === undefined || converted < 0) {
          this.logProcessingError(new Error(`Invalid sink timestamp: ${String(raw)}`), record, 'timestamp');
          continue;
        }
        timestamp = converted;
      }
      let key: Buffer | null;
      let value: Buffer | null;
      try {
        key = this.sinkSerdes.key.serialize(row.key, row.window);
        value = this.sinkSerdes.value.serialize(valueOut);
      } catch (err) {
        this.logProcessingError(err, record, 'serialize');
        continue;
      }
      out.push({ key, value, timestamp });
    }
    return out;
  }

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
    const ends = await this.log.endOffsets(this.plan.source.topic);
    const positions = this.reader.positions();
    return positions.every((p) => p.offset >= (ends[p.partition] ?? 0));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    await this.loop?.catch(() => undefined);
    await this.reader?.close().catch(() => undefined);
  }

  private fail(err: unknown): void {
    this.state = 'ERROR';
    this.error = err;
    this.logger.error({ err, queryId: this.id }, 'persistent query failed');
  }

  private logProcessingError(err: unknown, record: LogRecord, stage: string): void {
    this.processingLog.report(err, record, stage);
  }
}

