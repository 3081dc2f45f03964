/**
 * A push query over a stream-table join (SELECT ... FROM s JOIN t ... EMIT CHANGES): the join
 * runs for as long as the query does, its table materialized in memory from the table's topic
 * (read from the beginning, as ksqlDB reads a join's table side), the stream read from where
 * auto.offset.reset says, both in timestamp order. Every joined row is a row of the query.
 */
import type { QueryRow, QueryStream } from '../api.js';
import type { StreamTableJoinPipeline } from '../planner/join-plan.js';
import { AsyncQueue } from './async-queue.js';
import { StreamTableJoinProcessor } from './join-processor.js';
import { openJoinInputs } from './join-query.js';
import { ProcessingLog } from './processing-log.js';
import type { TimestampOrderedReader } from './timestamp-ordered-reader.js';
import type { TransientDeps } from './transient-queries.js';

const POLL_WAIT_MS = 100;
const BATCH_SIZE = 1000;

type Completion = 'Limit Reached' | 'Query Completed' | null;

export interface JoinPushPlan {
  readonly pipeline: StreamTableJoinPipeline;
  readonly limit?: number;
  readonly properties: Readonly<Record<string, string>>;
}

export class JoinPushQuery implements QueryStream {
  readonly kind = 'push' as const;
  readonly rows = new AsyncQueue<QueryRow>();
  private completed: Completion = null;
  private closed = false;
  private readonly abort = new AbortController();
  private inputs: TimestampOrderedReader | undefined;
  private emitted = 0;

  constructor(
    readonly queryId: string,
    private readonly plan: JoinPushPlan,
    private readonly deps: TransientDeps,
  ) {}

  get columnNames(): readonly string[] {
    return this.plan.pipeline.columnNames;
  }

  get columnTypes() {
    return this.plan.pipeline.projection.map((p) => p.type);
  }

  get keyColumns(): readonly boolean[] {
    return this.plan.pipeline.projection.map(() => false);
  }

  completion = (): Completion => this.completed;

  async start(position: 'earliest' | 'latest', statementText: string): Promise<void> {
    const processingLog = new ProcessingLog(this.deps.logger, this.queryId);
    const processor = new StreamTableJoinProcessor({
      pipeline: this.plan.pipeline,
      functions: this.deps.functions,
      fnCtx: { now: this.deps.now, properties: this.plan.properties },
      onError: (err, record, stage) => processingLog.report(err, record, stage),
    });
    const topics = { stream: this.plan.pipeline.stream.source.topic, table: this.plan.pipeline.table.source.topic };
    this.inputs = await openJoinInputs(this.deps.log, processor, topics, { stream: position, table: 'earliest' });
    this.deps.registry.add({
      info: { id: this.queryId, queryString: statementText, sinks: [], sinkKafkaTopics: [], queryType: 'PUSH', state: 'RUNNING' },
      close: () => this.close(),
    });
    if (this.plan.limit === 0) {
      this.finish('Limit Reached');
      return;
    }
    void this.loop(processor);
  }

  private async loop(processor: StreamTableJoinProcessor): Promise<void> {
    const limit = this.plan.limit;
    try {
      while (!this.closed) {
        const records = await this.inputs!.poll({ maxRecords: BATCH_SIZE, maxWaitMs: POLL_WAIT_MS, signal: this.abort.signal });
        if (this.closed) return;
        for (const record of records) {
          const row = processor.process(record);
          if (!row) continue;
          this.rows.push({ values: row.values });
          if (limit !== undefined && ++this.emitted >= limit) {
            this.finish('Limit Reached');
            return;
          }
        }
      }
    } catch (err) {
      if (!this.closed) {
        this.rows.fail(err);
        this.close();
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.rows.end();
    this.deps.registry.remove(this.queryId);
    void this.inputs?.close().catch(() => undefined);
  }

  private finish(completion: Completion): void {
    if (this.completed === null) this.completed = completion;
    this.close();
  }
}
