/**
 * A running aggregation over a stream-table join (CTAS ... FROM s JOIN t ... GROUP BY): the
 * aggregation query (./aggregation/aggregation-query.ts: state stores, their changelogs and the
 * offsets in one transaction per batch) fed by the join instead of a source topic. Its input is
 * both topics in timestamp order; the table side is materialized (restored from its topic on a
 * restart, like a join's) and every stream record that joins becomes one row of the join's
 * output for the aggregation. The transaction commits both topics' offsets.
 */
import type { Logger } from 'pino';
import type { TopicLog, TopicReader } from '../../log/topic-log.js';
import type { FunctionContext, FunctionRegistry } from '../functions/types.js';
import type { StreamTableJoinPipeline } from '../planner/join-plan.js';
import type { AggregationQueryPlan } from '../planner/plans.js';
import { booleanProperty } from '../statements/properties.js';
import { AggregationQuery } from './aggregation/aggregation-query.js';
import { StreamTableJoinProcessor } from './join-processor.js';
import { resumeJoinInputs } from './join-query.js';
import type { ProcessingErrorSink } from './source-decoder.js';
import type { TimestampOrderedReader } from './timestamp-ordered-reader.js';

export class JoinAggregationQuery extends AggregationQuery {
  private readonly join: StreamTableJoinProcessor;
  private readonly joinPipeline: StreamTableJoinPipeline;
  private inputs: TimestampOrderedReader | undefined;

  constructor(
    plan: AggregationQueryPlan & { readonly join: StreamTableJoinPipeline },
    log: TopicLog,
    functions: FunctionRegistry,
    fnCtx: FunctionContext,
    logger: Logger,
    /** Partitions of the joined topics: the join's tasks. */
    partitions: number,
  ) {
    // The join reports to the query's processing log, which exists once the query does.
    const errors: { sink?: ProcessingErrorSink } = {};
    const join = new StreamTableJoinProcessor({
      pipeline: plan.join,
      functions,
      fnCtx,
      onError: (err, record, stage) => errors.sink?.(err, record, stage),
      throwOnInvalidTimestamp: booleanProperty(plan.properties, 'ksql.timestamp.throw.on.invalid', false),
    });
    super(plan, log, functions, fnCtx, logger, partitions, (record) => join.joinedRow(record, partitions));
    errors.sink = this.logProcessingError;
    this.join = join;
    this.joinPipeline = plan.join;
  }

  protected override async openReader(resetTo: 'earliest' | 'latest'): Promise<TopicReader> {
    this.inputs = await resumeJoinInputs(this.log, this.join, this.joinPipeline, this.groupId, resetTo, (topic) =>
      this.logger.warn({ queryId: this.id, topic }, 'join input still behind: processing the other input without it (timestamp order not guaranteed)'),
    );
    return this.inputs;
  }

  override async isCaughtUp(): Promise<boolean> {
    if (!this.inputs || this.state === 'ERROR') return true;
    return this.inputs.caughtUp();
  }
}
