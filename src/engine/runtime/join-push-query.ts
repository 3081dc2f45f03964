/**
 * A push query over a stream-table join (SELECT ... FROM s JOIN t ... EMIT CHANGES): the join
 * runs for as long as the query does, its table materialized in memory from the table's topic
 * (read from the beginning, as ksqlDB reads a join's table side), the stream read from where
 * auto.offset.reset says, both in timestamp order. Every joined row is a row of the query.
 */
import type { StreamTableJoinPipeline } from '../planner/join-plan.js';
import { StreamTableJoinProcessor } from './join-processor.js';
import { openJoinInputs } from './join-query.js';
import { ProcessingLog } from './processing-log.js';
import type { TimestampOrderedReader } from './timestamp-ordered-reader.js';
import { BATCH_SIZE, POLL_WAIT_MS, TransientRowQuery, type TransientDeps } from './transient-queries.js';

export interface JoinPushPlan {
  readonly pipeline: StreamTableJoinPipeline;
  readonly limit?: number;
  readonly properties: Readonly<Record<string, string>>;
}

export class JoinPushQuery extends TransientRowQuery<TimestampOrderedReader> {
  readonly kind = 'push' as const;

  constructor(
    queryId: string,
    private readonly plan: JoinPushPlan,
    deps: TransientDeps,
  ) {
    super(queryId, plan.pipeline, deps);
  }

  async start(position: 'earliest' | 'latest', statementText: string): Promise<void> {
    const processingLog = new ProcessingLog(this.deps.logger, this.queryId);
    const processor = new StreamTableJoinProcessor({
      pipeline: this.plan.pipeline,
      functions: this.deps.functions,
      fnCtx: { now: this.deps.now, properties: this.plan.properties },
      onError: (err, record, stage) => processingLog.report(err, record, stage),
    });
    const topics = { stream: this.plan.pipeline.stream.source.topic, table: this.plan.pipeline.table.source.topic };
    this.reader = await openJoinInputs(this.deps.log, processor, topics, { stream: position, table: 'earliest' });
    if (this.registerPush(statementText, this.plan.limit)) void this.loop(processor);
  }

  private async loop(processor: StreamTableJoinProcessor): Promise<void> {
    const limit = this.plan.limit;
    try {
      while (!this.closed) {
        const records = await this.reader!.poll({ maxRecords: BATCH_SIZE, maxWaitMs: POLL_WAIT_MS, signal: this.abort.signal });
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
      this.fail(err);
    }
  }
}
