/**
 * The physical plan of a stream-table join (ksqlDB's StreamTableJoin step and the steps around
 * it, fused): per stream record, the join key (the stream's key column, or its join expression
 * when the stream is re-keyed), the table lookup by that key, then WHERE, the output key (the
 * join key or the PARTITION BY expressions) and the projection over the joined row (the stream's
 * row followed by the table's row, all nulls for a LEFT join without a match).
 */
import type { AnalyzedJoin, JoinClause, StreamTableJoinType } from '../analyzer/join-analyzer.js';
import { joinedColumns, type JoinScope, type JoinSide } from '../analyzer/join-scope.js';
import { KsqlError, KsqlStatementError } from '../errors.js';
import { compileExpression, typeOf, type CompiledExpression } from '../expressions/compiler.js';
import { Scope } from '../expressions/scope.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { Expression } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { formatSqlType, type LogicalSchema, type SqlType } from '../types.js';
import { bindExpression } from './expression-binding.js';

export interface StreamTableJoinPipeline {
  readonly joinType: StreamTableJoinType;
  readonly scope: JoinScope;
  readonly stream: JoinSide;
  readonly table: JoinSide;
  /** The join key over the stream's own row; undefined when the stream is keyed by it already. */
  readonly streamKey?: CompiledExpression;
  readonly keyType: SqlType;
  /** WHERE over the joined row. */
  readonly filter?: CompiledExpression;
  /** Output columns in projection order, over the joined row. */
  readonly projection: readonly CompiledExpression[];
  readonly columnNames: readonly string[];
  /** Positions (in `projection`) of the output key columns, in key order. */
  readonly keyPositions: readonly number[];
  /** Positions of the output value columns, in value order. */
  readonly valuePositions: readonly number[];
  /**
   * Where the output key comes from: the join key (the key columns then hold it, also for a
   * LEFT join without a match), or the PARTITION BY expressions over the joined row.
   */
  readonly keySource: 'join' | 'partition';
  readonly partitionBy: readonly CompiledExpression[];
}

const scopes = new WeakMap<JoinScope, Scope>();

/** The expression compiler's view of the joined row: every column under its side's alias. */
export function joinCompilerScope(scope: JoinScope): Scope {
  let s = scopes.get(scope);
  if (!s) {
    s = new Scope(joinedColumns(scope).map((c) => ({ name: c.column.name, source: c.side.alias, type: c.type, index: c.index })));
    scopes.set(scope, s);
  }
  return s;
}

const TYPE_ERROR_PREFIX: Partial<Record<JoinClause, string>> = { WHERE: 'Error in WHERE expression' };
const CODEGEN_ERROR_PREFIX: Record<JoinClause, string> = {
  SELECT: 'Invalid Select',
  WHERE: 'Invalid Predicate',
  'PARTITION BY': 'Invalid Select',
  'JOIN ON': 'Invalid Select',
  'GROUP BY': 'Invalid Select',
  HAVING: 'Invalid Predicate',
};

/** ksqlDB's ExpressionTypeManager over the joined row (the analyzer's type check). */
export function joinExpressionType(e: Expression, scope: JoinScope, functions: FunctionRegistry, clause: JoinClause): SqlType {
  const prefix = TYPE_ERROR_PREFIX[clause];
  return typeOf(e, joinCompilerScope(scope), functions, { clause, ...(prefix ? { errorPrefix: prefix } : {}) });
}

function bindJoined(e: Expression, scope: JoinScope, functions: FunctionRegistry, clause: JoinClause): CompiledExpression {
  joinExpressionType(e, scope, functions, clause);
  return compileExpression(e, joinCompilerScope(scope), functions, { clause, errorPrefix: CODEGEN_ERROR_PREFIX[clause] });
}

export interface JoinTopicPartitions {
  /** Partition count of a topic, undefined when the topic does not exist. */
  partitions(topic: string): number | undefined;
}

export function buildJoinPipeline(analysis: AnalyzedJoin, functions: FunctionRegistry, topics: JoinTopicPartitions): StreamTableJoinPipeline {
  const { scope, stream, table } = analysis;
  const filter = analysis.where ? bindJoined(analysis.where, scope, functions, 'WHERE') : undefined;
  if (filter && filter.type.kind !== 'BOOLEAN') {
    throw new KsqlError(
      `Type error in WHERE expression: Should evaluate to boolean but is ${formatExpression(analysis.where!)} ` +
        `(${formatSqlType(filter.type)}) instead.`,
    );
  }
  const partitionBy = (analysis.partitionBy ?? []).map((p) => bindJoined(p, scope, functions, 'PARTITION BY'));
  const columns = analysis.columns;
  const projection = columns.map((c) => bindJoined(c.expression, scope, functions, 'SELECT'));
  if (projection.some((p) => p.type.kind === 'NULL')) {
    throw new KsqlStatementError(
      "Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).",
    );
  }
  const keyPositions: number[] = [];
  const valuePositions: number[] = [];
  columns.forEach((c, i) => (c.isKey ? keyPositions : valuePositions).push(i));
  keyPositions.sort((a, b) => (columns[a]!.keySlot ?? 0) - (columns[b]!.keySlot ?? 0));

  // JoinNode.ensureMatchingPartitionCounts: the sources' topics, even when the stream is re-keyed.
  const streamPartitions = topics.partitions(stream.source.topic);
  const tablePartitions = topics.partitions(table.source.topic);
  if (streamPartitions !== undefined && tablePartitions !== undefined && streamPartitions !== tablePartitions) {
    const l = `\`${stream.alias}\``;
    const r = `\`${table.alias}\``;
    throw new KsqlError(
      `Can't join ${l} with ${r} since the number of partitions don't match. ` +
        `${l} partitions = ${streamPartitions}; ${r} partitions = ${tablePartitions}. ` +
        'Please repartition either one so that the number of partitions match.',
    );
  }
  if (analysis.within) {
    throw new KsqlError(
      'A window definition was provided for a Stream-Table join. These joins are not windowed. ' +
        'Please drop the window definition (ie. the WITHIN clause) and try to execute your join again.',
    );
  }

  return {
    joinType: analysis.joinType,
    scope,
    stream,
    table,
    ...(analysis.repartition ? { streamKey: bindExpression(analysis.streamKey, stream.scope, functions, 'PARTITION BY') } : {}),
    keyType: analysis.keyType,
    ...(filter ? { filter } : {}),
    projection,
    columnNames: columns.map((c) => c.name),
    keyPositions,
    valuePositions,
    keySource: analysis.keySource,
    partitionBy,
  };
}

export function joinOutputSchema(pipeline: StreamTableJoinPipeline): LogicalSchema {
  const column = (p: number, namespace: 'KEY' | 'VALUE') => ({ name: pipeline.columnNames[p]!, type: pipeline.projection[p]!.type, namespace });
  return {
    columns: [...pipeline.keyPositions.map((p) => column(p, 'KEY')), ...pipeline.valuePositions.map((p) => column(p, 'VALUE'))],
  };
}
