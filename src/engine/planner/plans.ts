/**
 * Plans, after ksqlDB's layering. The logical plan is a chain of nodes
 * (DataSource → Filter → Repartition → Project; the sink is the query plan's `sink`); the
 * physical plan holds the compiled steps the runtime executes. Stateless stream steps are
 * fused into one `StreamPipeline` evaluated per record over the source row, as Kafka Streams
 * fuses ksqlDB's StreamSource/StreamFilter/StreamSelectKey/StreamSelect steps.
 *
 * Aggregations (GROUP BY, windows, HAVING) have their own analysis and physical plan
 * (../analyzer/aggregate-analyzer.ts, ./aggregate-planner.ts): a stateful step between the
 * pre-aggregation expressions and the projection. Joins will add a `Join` logical node over two
 * DataSource nodes and a lookup step with table state; the analyzer rejects them with
 * UnsupportedError until then.
 */
import type { OutputColumn } from '../analyzer/query-analyzer.js';
import type { SourceScope } from '../analyzer/source-scope.js';
import type { DataSource } from '../metastore/types.js';
import type { Expression } from '../parser/ast.js';
import type { LogicalSchema, SqlType } from '../types.js';

// ------------------------------------------------------------------ logical plan

export interface DataSourceNode {
  readonly kind: 'DataSource';
  readonly source: DataSource;
  readonly scope: SourceScope;
}

export interface FilterNode {
  readonly kind: 'Filter';
  readonly input: LogicalNode;
  readonly predicate: Expression;
}

/** PARTITION BY: the expressions become the new key; `[]` makes the output keyless. */
export interface RepartitionNode {
  readonly kind: 'Repartition';
  readonly input: LogicalNode;
  readonly partitionBy: readonly Expression[];
}

export interface ProjectNode {
  readonly kind: 'Project';
  readonly input: LogicalNode;
  readonly columns: readonly OutputColumn[];
}

export type LogicalNode = DataSourceNode | FilterNode | RepartitionNode | ProjectNode;

// ------------------------------------------------------------------ physical plan

export type { CompiledExpression } from '../expressions/compiler.js';
import type { CompiledExpression } from '../expressions/compiler.js';
import type { AggregationPipeline } from './aggregate-planner.js';
import type { StreamTableJoinPipeline } from './join-plan.js';

/** The compiled per-record work of a stream query, all expressions over the source row. */
export interface StreamPipeline {
  readonly scope: SourceScope;
  readonly filter?: CompiledExpression;
  /** Output columns in projection order, with their types. */
  readonly projection: readonly CompiledExpression[];
  readonly columnNames: readonly string[];
  /** Positions (in `projection`) of the output key columns, in key order. */
  readonly keyPositions: readonly number[];
  /** Positions of the output value columns, in value order. */
  readonly valuePositions: readonly number[];
  /** True when PARTITION BY changes the key (null values then give null keys). */
  readonly rekeyed: boolean;
}

export interface SinkTimestamp {
  /** Position of the TIMESTAMP column among the sink's value columns or key columns. */
  readonly namespace: 'KEY' | 'VALUE';
  readonly position: number;
  readonly type: SqlType;
  readonly format?: string;
}

interface PersistentQueryPlanBase {
  readonly queryId: string;
  readonly source: DataSource;
  readonly sink: DataSource;
  readonly sinkTimestamp?: SinkTimestamp;
  /** Properties in force when the query was created (function context, timestamp policy). */
  readonly properties: Readonly<Record<string, string>>;
}

/** A stateless query (CSAS, CTAS without aggregation, INSERT INTO ... SELECT). */
export interface StreamQueryPlan extends PersistentQueryPlanBase {
  readonly kind: 'stream';
  readonly pipeline: StreamPipeline;
}

/** The topics a stateful query keeps its state stores in. */
export interface StateStoreTopics {
  /** The aggregate store's changelog (`...-Aggregate-Aggregate-Materialize-changelog`). */
  readonly aggregateChangelog: string;
  /** Table sources: the materialized source table's changelog (`...-KsqlTopic-Reduce-changelog`). */
  readonly sourceTableChangelog?: string;
}

/** A GROUP BY query (CTAS with aggregation). */
export interface AggregationQueryPlan extends PersistentQueryPlanBase {
  readonly kind: 'aggregation';
  readonly pipeline: AggregationPipeline;
  readonly stateTopics: StateStoreTopics;
  /** An aggregation over a stream-table join: the join that feeds it (`source` is its stream). */
  readonly join?: StreamTableJoinPipeline;
}

/** A stream-table join (CSAS, INSERT INTO ... SELECT); `source` is the stream. */
export interface StreamTableJoinQueryPlan extends PersistentQueryPlanBase {
  readonly kind: 'join';
  readonly pipeline: StreamTableJoinPipeline;
}

export type PersistentQueryPlan = StreamQueryPlan | AggregationQueryPlan | StreamTableJoinQueryPlan;

export interface TransientQueryPlan {
  readonly source: DataSource;
  readonly pipeline: StreamPipeline;
  readonly limit?: number;
  readonly properties: Readonly<Record<string, string>>;
}

export function outputSchema(pipeline: StreamPipeline): LogicalSchema {
  return {
    columns: [
      ...pipeline.keyPositions.map((p) => ({ name: pipeline.columnNames[p]!, type: pipeline.projection[p]!.type, namespace: 'KEY' as const })),
      ...pipeline.valuePositions.map((p) => ({
        name: pipeline.columnNames[p]!,
        type: pipeline.projection[p]!.type,
        namespace: 'VALUE' as const,
      })),
    ],
  };
}
