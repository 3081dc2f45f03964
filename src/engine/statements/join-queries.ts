/**
 * Joins in statements: planning the SELECT of a persistent query over a join (for
 * ./persistent-queries.ts) and starting a push query over one (for the engine's /query path).
 * Analysis, key checks and planning are ../analyzer/join-analyzer.ts and ../planner/join-plan.ts.
 */
import type { QueryStream } from '../api.js';
import { analyzeAggregateQuery, type AggregateAnalysis } from '../analyzer/aggregate-analyzer.js';
import { analyzeJoinAggregation } from '../analyzer/join-aggregation.js';
import { aggregatesJoin, analyzeJoin, validateJoinProjectionKeys, type AnalyzedJoin } from '../analyzer/join-analyzer.js';
import { unknownSourceError } from '../analyzer/query-analyzer.js';
import { UnsupportedError } from '../errors.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { MetaStore } from '../metastore/metastore.js';
import type { DataSource } from '../metastore/types.js';
import type { JoinRelation, Query } from '../parser/ast.js';
import { buildJoinPipeline, joinExpressionType, joinOutputSchema, type JoinTopicPartitions, type StreamTableJoinPipeline } from '../planner/join-plan.js';
import { JoinPushQuery } from '../runtime/join-push-query.js';
import { StreamTableJoinProcessor } from '../runtime/join-processor.js';
import { openJoinInputs } from '../runtime/join-query.js';
import { ProcessingLog } from '../runtime/processing-log.js';
import { AggregationPushQuery, transientQueryId, type TransientDeps } from '../runtime/transient-queries.js';
import { aggregationSinkSchema, buildAggregationPipeline, sinkWindowInfo, type AggregationPipeline } from '../planner/aggregate-planner.js';
import type { LogicalSchema, WindowInfo } from '../types.js';
import type { StatementContext } from './context.js';
import { booleanProperty, offsetReset } from './properties.js';

/** A planned persistent query over a join: a projection of the join, or an aggregation of it. */
export type PlannedJoinQuery = PlannedJoin | PlannedJoinAggregation;

export interface PlannedJoin {
  readonly kind: 'join';
  readonly pipeline: StreamTableJoinPipeline;
  readonly schema: LogicalSchema;
  /** A stream-table join produces a stream. */
  readonly resultType: 'STREAM';
  /** Both joined sources, the stream first (for DROP's reader checks). */
  readonly sourceNames: readonly string[];
}

/** A GROUP BY over a join: the aggregation over the join's output, and the join that feeds it. */
export interface PlannedJoinAggregation {
  readonly kind: 'aggregation';
  readonly analysis: AggregateAnalysis;
  readonly pipeline: AggregationPipeline;
  readonly schema: LogicalSchema;
  readonly resultType: 'TABLE';
  readonly window?: WindowInfo;
  readonly join: StreamTableJoinPipeline;
  readonly sourceNames: readonly string[];
}

function analyze(query: Query, metastore: MetaStore, functions: FunctionRegistry, sinkName?: string): AnalyzedJoin {
  return analyzeJoin(query, metastore, {
    ...(sinkName !== undefined ? { sinkName } : {}),
    functions,
    typeOf: (e, scope, clause) => joinExpressionType(e, scope, functions, clause),
  });
}

/**
 * The source a join's sink inherits formats, partitions and window from: the left (FROM)
 * source, as ksqlDB's Analyzer takes the sink's defaults from `analysis.getFrom()`.
 */
export function joinPrimarySource(from: JoinRelation, ctx: StatementContext): DataSource {
  const source = ctx.state.metastore.getSource(from.left.name);
  if (!source) throw unknownSourceError(from.left.name, from.left.loc);
  return source;
}

/** Analysis, the sink's column checks, the key checks, then the compiled join (ksqlDB's order). */
export function planJoinQuery(
  query: Query,
  sinkName: string,
  ctx: StatementContext,
  checkSinkColumns: (names: readonly string[]) => void,
): PlannedJoinQuery {
  const functions = ctx.services.functions;
  const topics: JoinTopicPartitions = { partitions: (topic) => ctx.state.topics.get(topic)?.partitions };
  if (aggregatesJoin(query, functions)) return planJoinAggregation(query, sinkName, ctx, checkSinkColumns, topics);
  const analysis = analyze(query, ctx.state.metastore, functions, sinkName);
  checkSinkColumns(analysis.columns.map((c) => c.name));
  if (booleanProperty(ctx.config, 'ksql.new.query.planner.enabled', false)) {
    throw new UnsupportedError('joins with ksql.new.query.planner.enabled');
  }
  validateJoinProjectionKeys(analysis, sinkName);
  const pipeline = buildJoinPipeline(analysis, functions, topics);
  return {
    kind: 'join',
    pipeline,
    schema: joinOutputSchema(pipeline),
    resultType: 'STREAM',
    sourceNames: [analysis.stream.source.name, analysis.table.source.name],
  };
}

/** The join's checks, then the aggregation's analysis over its output, then the compiled join (ksqlDB's order). */
function planJoinAggregation(
  query: Query,
  sinkName: string,
  ctx: StatementContext,
  checkSinkColumns: (names: readonly string[]) => void,
  topics: JoinTopicPartitions,
): PlannedJoinAggregation {
  const functions = ctx.services.functions;
  const aggregation = analyzeJoinAggregation(query, ctx.state.metastore, {
    sinkName,
    functions,
    typeOf: (e, scope, clause) => joinExpressionType(e, scope, functions, clause),
  });
  const analysis = analyzeAggregateQuery(aggregation.query, aggregation.metastore, { sinkName, functions, properties: ctx.config });
  checkSinkColumns(analysis.columns.map((c) => c.name));
  const pipeline = buildAggregationPipeline(analysis, functions, true);
  const join = buildJoinPipeline(aggregation.join, functions, topics);
  const window = sinkWindowInfo(pipeline.window);
  return {
    kind: 'aggregation',
    analysis,
    pipeline,
    schema: aggregationSinkSchema(pipeline),
    resultType: 'TABLE',
    ...(window ? { window } : {}),
    join,
    sourceNames: [aggregation.join.stream.source.name, aggregation.join.table.source.name],
  };
}

async function topicPartitions(deps: TransientDeps, join: AnalyzedJoin): Promise<JoinTopicPartitions & { readonly stream: number }> {
  const partitions = new Map<string, number>();
  for (const side of [join.stream, join.table]) {
    const description = await deps.log.describeTopic(side.source.topic);
    if (description) partitions.set(side.source.topic, description.partitions);
  }
  return { partitions: (topic) => partitions.get(topic), stream: partitions.get(join.stream.source.topic) ?? 1 };
}

/** SELECT ... FROM stream JOIN table ... GROUP BY ... EMIT CHANGES: the aggregation push query over the join's rows. */
async function startJoinAggregationPushQuery(
  query: Query,
  statementText: string,
  metastore: MetaStore,
  deps: TransientDeps,
  config: Readonly<Record<string, string>>,
): Promise<QueryStream> {
  const functions = deps.functions;
  const aggregation = analyzeJoinAggregation(query, metastore, { functions, typeOf: (e, scope, clause) => joinExpressionType(e, scope, functions, clause) });
  const analysis = analyzeAggregateQuery(aggregation.query, aggregation.metastore, { functions, properties: config });
  const pipeline = buildAggregationPipeline(analysis, functions, false);
  const partitions = await topicPartitions(deps, aggregation.join);
  const joinPipeline = buildJoinPipeline(aggregation.join, functions, partitions);
  const queryId = transientQueryId(aggregation.join.stream.source.name);
  const processingLog = new ProcessingLog(deps.logger, queryId);
  const join = new StreamTableJoinProcessor({
    pipeline: joinPipeline,
    functions,
    fnCtx: { now: deps.now, properties: config },
    onError: (err, record, stage) => processingLog.report(err, record, stage),
  });
  const topics = { stream: joinPipeline.stream.source.topic, table: joinPipeline.table.source.topic };
  const push = new AggregationPushQuery(
    queryId,
    {
      source: aggregation.joinedSource,
      pipeline,
      ...(analysis.limit !== undefined ? { limit: analysis.limit } : {}),
      properties: config,
      input: {
        open: (position) => openJoinInputs(deps.log, join, topics, { stream: position, table: 'earliest' }),
        rows: (record) => join.joinedRow(record, partitions.stream),
      },
    },
    deps,
  );
  await push.start(offsetReset(config), statementText);
  return push;
}

/** SELECT ... FROM stream JOIN table ... EMIT CHANGES. */
export async function startJoinPushQuery(
  query: Query,
  statementText: string,
  metastore: MetaStore,
  deps: TransientDeps,
  config: Readonly<Record<string, string>>,
): Promise<QueryStream> {
  if (aggregatesJoin(query, deps.functions)) return startJoinAggregationPushQuery(query, statementText, metastore, deps, config);
  const analysis = analyze(query, metastore, deps.functions);
  const partitions = await topicPartitions(deps, analysis);
  const pipeline = buildJoinPipeline(analysis, deps.functions, partitions);
  const push = new JoinPushQuery(
    transientQueryId(analysis.stream.source.name),
    { pipeline, ...(analysis.limit !== undefined ? { limit: analysis.limit } : {}), properties: config },
    deps,
  );
  await push.start(offsetReset(config), statementText);
  return push;
}
