/**
 * Transient queries: push queries (SELECT ... EMIT CHANGES), pull queries on streams (scan to
 * the end offsets taken at start) and PRINT. Each one is a QueryStream backed by its own
 * reader and async loop; running push queries are registered for SHOW QUERIES, TERMINATE and
 * /close-query.
 */
import type { Logger } from 'pino';
import type { LogRecord, StartPosition, TopicLog, TopicReader } from '../../log/topic-log.js';
import type { QueryRow, QueryStream } from '../api.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { SqlType } from '../types.js';
import type { TransientQueryPlan } from '../planner/plans.js';
import { sinkWindowInfo, type AggregationPipeline } from '../planner/aggregate-planner.js';
import type { DataSource } from '../metastore/types.js';
import { serdeFactory } from '../serde/index.js';
import { AggregateStore, GroupStateCodec } from './aggregation/aggregate-store.js';
import { AggregationProcessor, type AggregateOutput, type AggregationProcessorOptions } from './aggregation/aggregation-processor.js';
import { FinalResults } from './aggregation/final-results.js';
import { TableSourceStore } from './aggregation/table-source-store.js';
import type { RunningQueryInfo } from '../statements/entities.js';
import { AsyncQueue } from './async-queue.js';
import { ProcessingLog } from './processing-log.js';
import { RecordFormatter } from './record-formatter.js';
import { StreamProcessor } from './stream-processor.js';

/** How long a transient query's poll waits, and how many records it takes at a time. */
export const POLL_WAIT_MS = 100;
export const BATCH_SIZE = 1000;

export function transientQueryId(sourceName: string): string {
  let digits = String(1 + Math.floor(Math.random() * 9));
  while (digits.length < 19) digits += String(Math.floor(Math.random() * 10));
  return `transient_${sourceName}_${digits}`;
}

interface RegisteredQuery {
  readonly info: RunningQueryInfo;
  /** PRINT can be closed by id but is not a query SHOW QUERIES lists. */
  readonly hidden?: boolean;
  close(): void;
}

export class TransientQueryRegistry {
  private readonly queries = new Map<string, RegisteredQuery>();

  add(q: RegisteredQuery): void {
    this.queries.set(q.info.id, q);
  }

  remove(id: string): void {
    this.queries.delete(id);
  }

  list(): RunningQueryInfo[] {
    return [...this.queries.values()].filter((q) => !q.hidden).map((q) => q.info);
  }

  close(id: string): boolean {
    const q = this.queries.get(id);
    if (!q) return false;
    q.close();
    return true;
  }

  closeAll(): void {
    for (const q of [...this.queries.values()]) q.close();
  }
}

/** Lists a running push query (or a hidden PRINT) for SHOW QUERIES, TERMINATE and /close-query. */
function registerPush(registry: TransientQueryRegistry, queryId: string, statementText: string, close: () => void, hidden = false): void {
  registry.add({
    info: { id: queryId, queryString: statementText, sinks: [], sinkKafkaTopics: [], queryType: 'PUSH', state: 'RUNNING' },
    ...(hidden ? { hidden } : {}),
    close,
  });
}

export interface TransientDeps {
  readonly log: TopicLog;
  readonly functions: FunctionRegistry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly registry: TransientQueryRegistry;
}

type Completion = 'Limit Reached' | 'Query Completed' | null;

/** The columns a row-producing query answers with. */
interface RowOutput {
  readonly columnNames: readonly string[];
  readonly projection: readonly { readonly type: SqlType }[];
}

/**
 * What every row-producing transient query shares, whatever it reads (one topic, or a join's
 * two in timestamp order): the row queue, LIMIT's completion, registration, close and failure.
 */
export abstract class TransientRowQuery<Reader extends { close(): Promise<void> }> implements QueryStream {
  readonly rows: AsyncQueue<QueryRow> = new AsyncQueue<QueryRow>();
  protected completed: Completion = null;
  protected closed = false;
  protected readonly abort = new AbortController();
  protected reader: Reader | undefined;
  protected emitted = 0;
  abstract readonly kind: 'push' | 'pull-stream';

  constructor(
    readonly queryId: string,
    private readonly output: RowOutput,
    protected readonly deps: TransientDeps,
  ) {}

  get columnNames(): readonly string[] {
    return this.output.columnNames;
  }

  get columnTypes() {
    return this.output.projection.map((p) => p.type);
  }

  get keyColumns(): readonly boolean[] {
    return this.output.projection.map(() => false);
  }

  completion = (): Completion => this.completed;

  /** Lists the query, then finishes at once for LIMIT 0; false when there is nothing to run. */
  protected registerPush(statementText: string, limit: number | undefined): boolean {
    registerPush(this.deps.registry, this.queryId, statementText, () => this.close());
    if (limit === 0) {
      this.finish('Limit Reached');
      return false;
    }
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.rows.end();
    this.deps.registry.remove(this.queryId);
    void this.reader?.close().catch(() => undefined);
  }

  protected finish(completion: Completion): void {
    if (this.completed === null) this.completed = completion;
    this.close();
  }

  protected fail(err: unknown): void {
    if (this.closed) return;
    this.rows.fail(err);
    this.close();
  }
}

/** Transient queries over one stream's stateless pipeline. */
abstract class RowQuery extends TransientRowQuery<TopicReader> {
  protected readonly processor: StreamProcessor;

  constructor(
    queryId: string,
    protected readonly plan: TransientQueryPlan,
    deps: TransientDeps,
  ) {
    super(queryId, plan.pipeline, deps);
    const processingLog = new ProcessingLog(deps.logger, queryId);
    this.processor = new StreamProcessor(
      plan.source,
      plan.pipeline,
      { now: deps.now, properties: plan.properties },
      deps.functions,
      (err, record, stage) => processingLog.report(err, record, stage),
    );
  }

  /** Emits the rows of a batch; returns false once the LIMIT is reached. */
  protected emit(records: readonly LogRecord[]): boolean {
    const limit = this.plan.limit;
    for (const record of records) {
      if (limit !== undefined && this.emitted >= limit) break;
      const row = this.processor.process(record, false);
      if (!row) continue;
      if (row.tombstone) this.rows.push({ values: row.keyValues ?? [], tombstone: true });
      else if (row.values !== null) this.rows.push({ values: row.values });
      else continue;
      this.emitted++;
    }
    if (limit !== undefined && this.emitted >= limit) {
      this.completed = 'Limit Reached';
      return false;
    }
    return true;
  }

}

export class PushQuery extends RowQuery {
  readonly kind = 'push' as const;

  async start(position: 'earliest' | 'latest', statementText: string): Promise<void> {
    this.reader = await this.deps.log.openReader({ topics: [this.plan.source.topic], start: position as StartPosition });
    if (this.registerPush(statementText, this.plan.limit)) void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (!this.closed) {
        const records = await this.reader!.poll({ maxRecords: BATCH_SIZE, maxWaitMs: POLL_WAIT_MS, signal: this.abort.signal });
        if (this.closed) return;
        if (!this.emit(records)) {
          this.finish('Limit Reached');
          return;
        }
      }
    } catch (err) {
      this.fail(err);
    }
  }
}

export class StreamPullQuery extends RowQuery {
  readonly kind = 'pull-stream' as const;

  async start(): Promise<void> {
    const topic = this.plan.source.topic;
    const ends = await this.deps.log.endOffsets(topic);
    this.reader = await this.deps.log.openReader({ topics: [topic], start: 'earliest' });
    void this.loop(ends);
  }

  private done(ends: readonly number[]): boolean {
    return this.reader!.positions().every((p) => p.offset >= (ends[p.partition] ?? 0));
  }

  private async loop(ends: readonly number[]): Promise<void> {
    try {
      while (!this.closed && !this.done(ends)) {
        const records = await this.reader!.poll({ maxRecords: BATCH_SIZE, maxWaitMs: 0, signal: this.abort.signal });
        if (this.closed) return;
        // Records appended after the query started are not part of its answer.
        const inRange = records.filter((r) => r.offset < (ends[r.partition] ?? 0));
        if (!this.emit(inRange)) {
          this.finish('Limit Reached');
          return;
        }
        if (records.length === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      this.finish('Query Completed');
    } catch (err) {
      this.fail(err);
    }
  }
}

/**
 * A push query over an aggregation (SELECT ... GROUP BY ... EMIT CHANGES): the aggregation runs
 * in memory for as long as the query does, and every change of the aggregated table is a row;
 * a group that HAVING no longer admits is a tombstone row with only its key columns filled.
 */
export class AggregationPushQuery extends TransientRowQuery<TopicReader> {
  readonly kind = 'push' as const;
  private processor: AggregationProcessor | undefined;
  /** EMIT FINAL: the windows to push after each batch, instead of every change. */
  private finalResults: FinalResults | undefined;

  constructor(
    queryId: string,
    private readonly plan: AggregationPushPlan,
    deps: TransientDeps,
  ) {
    super(queryId, plan.pipeline, deps);
  }

  async start(position: 'earliest' | 'latest', statementText: string): Promise<void> {
    const { pipeline, source } = this.plan;
    const processingLog = new ProcessingLog(this.deps.logger, this.queryId);
    const keyColumns = [...pipeline.keyColumns];
    // The groups live only in memory; JSON keys can carry every key type.
    const plain = serdeFactory.keySerde({ format: 'JSON' }, keyColumns);
    const windowed = pipeline.window ? serdeFactory.keySerde({ format: 'JSON' }, keyColumns, sinkWindowInfo(pipeline.window)) : plain;
    const store = new AggregateStore(new GroupStateCodec([], pipeline.aggregates.map((a) => a.fn), windowed), pipeline.window);
    const partitions = (await this.deps.log.describeTopic(source.topic))?.partitions ?? 1;
    if (pipeline.emitFinal && pipeline.window) this.finalResults = new FinalResults(store, pipeline.window);
    this.processor = new AggregationProcessor({
      pipeline,
      source,
      store,
      ...(pipeline.sourceIsTable ? { tableRows: new TableSourceStore(source.topic) } : {}),
      keySerdes: { plain, windowed },
      taskPartitions: partitions,
      functions: this.deps.functions,
      fnCtx: { now: this.deps.now, properties: this.plan.properties },
      onError: (err, record, stage) => processingLog.report(err, record, stage),
      ...(this.plan.input ? { input: this.plan.input.rows } : {}),
    });
    this.reader = this.plan.input
      ? await this.plan.input.open(position)
      : await this.deps.log.openReader({ topics: [source.topic], start: position as StartPosition });
    if (this.registerPush(statementText, this.plan.limit)) void this.loop();
  }

  private async loop(): Promise<void> {
    const limit = this.plan.limit;
    const keySlots = this.plan.pipeline.keySlotOfColumn;
    try {
      while (!this.closed) {
        const records = await this.reader!.poll({ maxRecords: BATCH_SIZE, maxWaitMs: POLL_WAIT_MS, signal: this.abort.signal });
        if (this.closed) return;
        const push = (output: Pick<AggregateOutput, 'key' | 'values'>) => {
          if (limit !== undefined && this.emitted >= limit) return;
          if (output.values !== null) this.rows.push({ values: output.values });
          else this.rows.push({ values: keySlots.map((slot) => (slot === undefined ? null : (output.key[slot] ?? null))), tombstone: true });
          this.emitted++;
        };
        const finalResults = this.finalResults;
        finalResults?.beginBatch();
        for (const record of records) {
          this.processor!.process(record, finalResults ? () => {} : push);
          if (limit !== undefined && this.emitted >= limit) {
            this.finish('Limit Reached');
            return;
          }
        }
        if (finalResults) {
          for (const { state, values } of finalResults.closedRows((group) => this.processor!.output(group))) push({ key: state.key, values });
          if (limit !== undefined && this.emitted >= limit) {
            this.finish('Limit Reached');
            return;
          }
        }
      }
    } catch (err) {
      this.fail(err);
    }
  }
}

export interface AggregationPushPlan {
  readonly source: DataSource;
  readonly pipeline: AggregationPipeline;
  readonly limit?: number;
  readonly properties: Readonly<Record<string, string>>;
  /** An aggregation over a join: its reader (both topics) and the joined rows of its records. */
  readonly input?: {
    readonly open: (position: 'earliest' | 'latest') => Promise<TopicReader>;
    readonly rows: NonNullable<AggregationProcessorOptions['input']>;
  };
}

export interface PrintOptions {
  readonly topic: string;
  readonly fromBeginning: boolean;
  readonly interval?: number;
  readonly limit?: number;
}

export class PrintQuery implements QueryStream {
  readonly kind = 'print' as const;
  readonly columnNames: readonly string[] = [];
  readonly columnTypes = [];
  readonly keyColumns: readonly boolean[] = [];
  readonly lines = new AsyncQueue<string>();
  readonly rows = new AsyncQueue<QueryRow>();
  private completed: Completion = null;
  private closed = false;
  private readonly abort = new AbortController();
  private reader: TopicReader | undefined;
  private readonly formatter = new RecordFormatter();
  private lastKeyLine: string | undefined;
  private lastValueLine: string | undefined;
  private seen = 0;
  private printed = 0;

  constructor(
    readonly queryId: string,
    private readonly opts: PrintOptions,
    private readonly deps: TransientDeps,
  ) {}

  completion = (): Completion => this.completed;

  async start(statementText: string): Promise<void> {
    this.reader = await this.deps.log.openReader({
      topics: [this.opts.topic],
      start: this.opts.fromBeginning ? 'earliest' : 'latest',
    });
    registerPush(this.deps.registry, this.queryId, statementText, () => this.close(), true);
    void this.loop();
  }

  /**
   * TopicStreamWriter's loop: every INTERVAL-th record is formatted (format detection only sees
   * those), the "Key format"/"Value format" lines are written whenever the guesses change, and
   * LIMIT counts written records.
   */
  private async loop(): Promise<void> {
    const interval = Math.max(1, this.opts.interval ?? 1);
    const limitReached = () => this.opts.limit !== undefined && this.printed >= this.opts.limit;
    try {
      while (!this.closed && !limitReached()) {
        const records = await this.reader!.poll({ maxRecords: BATCH_SIZE, maxWaitMs: POLL_WAIT_MS, signal: this.abort.signal });
        if (this.closed) return;
        if (records.length === 0) continue;
        const output: string[] = [];
        for (const record of records) {
          if (this.seen++ % interval === 0) {
            this.printed++;
            output.push(this.formatter.format(record));
          }
          if (limitReached()) break;
        }
        this.writeFormatsIfChanged();
        for (const line of output) this.lines.push(line);
      }
      if (limitReached()) {
        this.completed = 'Limit Reached';
        this.close();
      }
    } catch (err) {
      if (!this.closed) {
        this.lines.fail(err);
        this.close();
      }
    }
  }

  private writeFormatsIfChanged(): void {
    const keyLine = this.formatter.keyFormatLine();
    const valueLine = this.formatter.valueFormatLine();
    if (keyLine !== this.lastKeyLine) this.lines.push(keyLine);
    if (valueLine !== this.lastValueLine) this.lines.push(valueLine);
    this.lastKeyLine = keyLine;
    this.lastValueLine = valueLine;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.lines.end();
    this.rows.end();
    this.deps.registry.remove(this.queryId);
    void this.reader?.close().catch(() => undefined);
  }
}
