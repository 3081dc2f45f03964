/**
 * The physical plan of an aggregation (ksqlDB's StreamAggregate / TableAggregate /
 * StreamWindowedAggregate steps with their Prepare, HavingFilter and Project steps), compiled
 * from an AggregateAnalysis:
 *
 *   source row --WHERE--> GROUP BY key --aggregate/undo--> group state --HAVING--> projection
 *
 * Pre-aggregation expressions (WHERE, GROUP BY, aggregate arguments) run over the source row;
 * post-aggregation ones (HAVING, projection) over the group's row: the source columns they need
 * (from the group's latest record), then the aggregate results, then WINDOWSTART/WINDOWEND.
 */
import {
  aggregateSlotFor,
  expressionKey,
  postAggregationScope,
  type AggregateAnalysis,
  type AggregateCall,
  type AggregateWindow,
} from '../analyzer/aggregate-analyzer.js';
import type { SourceScope } from '../analyzer/source-scope.js';
import { KsqlError, UnsupportedError } from '../errors.js';
import { nonTableAggregateError, type AggregateFunction } from '../functions/aggregates/types.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { Query } from '../parser/ast.js';
import type { FormatInfo } from '../serde/types.js';
import { isPrimitiveType, type Column, type LogicalSchema, type SqlType, type WindowInfo } from '../types.js';
import { bindExpression, bindOverScope } from './expression-binding.js';
import type { CompiledExpression } from './plans.js';

/** A hopping or tumbling window with ksqlDB 0.29's defaults applied. */
export interface TimeWindowSpec {
  readonly type: 'TUMBLING' | 'HOPPING';
  readonly sizeMs: number;
  /** Equal to the size for tumbling windows. */
  readonly advanceMs: number;
  /** Records later than window end + grace (in stream time) are dropped. */
  readonly graceMs: number;
  /** How long the store keeps a window after stream time passed its start. */
  readonly retentionMs: number;
}

/** A session window (Kafka Streams' SessionWindows) with ksqlDB 0.29's defaults applied. */
export interface SessionWindowSpec {
  readonly type: 'SESSION';
  /** The inactivity gap: records at most this far from a session (inclusive) join it. */
  readonly gapMs: number;
  /** Records whose (merged) session ends before stream time minus grace are dropped. */
  readonly graceMs: number;
  /** How long the store keeps a session after stream time passed its end. */
  readonly retentionMs: number;
}

export type WindowSpec = TimeWindowSpec | SessionWindowSpec;

export interface CompiledAggregate {
  readonly fn: AggregateFunction;
  /** Column arguments over the source row. */
  readonly args: readonly CompiledExpression[];
}

export interface AggregationPipeline {
  readonly scope: SourceScope;
  /** Table aggregation: rows are undone from their old group before the new one is aggregated. */
  readonly sourceIsTable: boolean;
  readonly filter?: CompiledExpression;
  readonly groupBy: readonly CompiledExpression[];
  /** True when the GROUP BY is exactly the source key (no repartition in ksqlDB). */
  readonly groupsBySourceKey: boolean;
  readonly aggregates: readonly CompiledAggregate[];
  /** Scope positions of source columns kept in the group's row. */
  readonly requiredColumns: readonly number[];
  /** Length of the post-aggregation row and where its window bounds go (-1 when not windowed). */
  readonly postWidth: number;
  readonly windowStartIndex: number;
  readonly windowEndIndex: number;
  readonly window?: WindowSpec;
  readonly having?: CompiledExpression;
  /** The output's key columns, in GROUP BY order. */
  readonly keyColumns: readonly Column[];
  /** Output value columns (persistent) or every projected column (transient), over the group's row. */
  readonly projection: readonly CompiledExpression[];
  readonly columnNames: readonly string[];
  /** Transient queries: projected columns that are GROUP BY expressions, by key slot (tombstone rows). */
  readonly keySlotOfColumn: readonly (number | undefined)[];
  /** EMIT FINAL: each window's row once, when the window closes, instead of every change. */
  readonly emitFinal: boolean;
}

/**
 * LogicalPlanner's check (ksqlDB 0.29): EMIT FINAL suppresses results until their window
 * closes, so it needs a GROUP BY with a WINDOW. The windowed aggregation over a join has no
 * final-result emission here yet.
 */
export function checkEmitFinal(query: Query): void {
  if (query.emit !== 'FINAL') return;
  if (!(query.groupBy !== undefined && query.groupBy.length > 0 && query.window !== undefined)) {
    throw new KsqlError('EMIT FINAL is only supported for windowed aggregations.');
  }
  if (query.from.kind === 'Join') throw new UnsupportedError('EMIT FINAL over a join');
}

/**
 * ksqlDB 0.29's default grace when the WINDOW clause has none (StreamAggregateBuilder's
 * defaultGrace, the grace of Kafka Streams' deprecated TimeWindows.of / SessionWindows.with):
 * 24 hours minus the window size or session gap, at least 0.
 */
const DEFAULT_GRACE_BASE_MS = 24 * 60 * 60 * 1000;

function defaultGraceMs(sizeMs: number): number {
  return Math.max(DEFAULT_GRACE_BASE_MS - sizeMs, 0);
}

export function windowSpec(window: NonNullable<AggregateAnalysis['window']>): WindowSpec {
  return window.kind === 'SESSION' ? sessionWindowSpec(window) : timeWindowSpec(window);
}

function timeWindowSpec(window: Extract<AggregateWindow, { kind: 'TUMBLING' | 'HOPPING' }>): TimeWindowSpec {
  const sizeMs = window.sizeMs;
  const advanceMs = window.kind === 'HOPPING' ? window.advanceMs : sizeMs;
  if (sizeMs <= 0) throw new KsqlError('Window size must be positive.');
  if (advanceMs <= 0 || advanceMs > sizeMs) {
    throw new KsqlError(
      'Window advancement interval should be more than zero and less than window duration which is ' +
        `${sizeMs} ms, but given advancement interval is: ${advanceMs} ms`,
    );
  }
  const graceMs = window.graceMs ?? defaultGraceMs(sizeMs);
  const retentionMs = window.retentionMs ?? sizeMs + graceMs;
  if (retentionMs < sizeMs + graceMs) {
    throw new KsqlError(
      'The retention period of the window store Aggregate-Aggregate-Materialize must be no smaller than its window size plus the grace period. ' +
        `Got size=[${sizeMs}], grace=[${graceMs}], retention=[${retentionMs}]`,
    );
  }
  return { type: window.kind, sizeMs, advanceMs, graceMs, retentionMs };
}

/** SessionWindows.ofInactivityGapAndGrace and SessionWindowedKStreamImpl's store checks. */
function sessionWindowSpec(window: Extract<AggregateWindow, { kind: 'SESSION' }>): SessionWindowSpec {
  const gapMs = window.gapMs;
  if (gapMs <= 0) throw new KsqlError('Gap time cannot be zero or negative.');
  const graceMs = window.graceMs ?? defaultGraceMs(gapMs);
  // Kafka Streams' default session store retention: the gap plus the grace period.
  const retentionMs = window.retentionMs ?? gapMs + graceMs;
  if (retentionMs < gapMs + graceMs) {
    throw new KsqlError(
      'The retention period of the session store Aggregate-Aggregate-Materialize must be no smaller than the session inactivity gap plus the grace period. ' +
        `Got gap=[${gapMs}], grace=[${graceMs}], retention=[${retentionMs}]`,
    );
  }
  return { type: 'SESSION', gapMs, graceMs, retentionMs };
}

export function sinkWindowInfo(spec: WindowSpec | undefined): WindowInfo | undefined {
  if (spec === undefined) return undefined;
  return spec.type === 'SESSION' ? { type: 'SESSION' } : { type: spec.type, sizeMs: spec.sizeMs };
}

/**
 * ksqlDB checks the aggregate schema (the source columns kept per group and the functions'
 * intermediate types, e.g. AVG's STRUCT of sum and count) against the source's value format;
 * DELIMITED carries only primitive types.
 */
function checkIntermediateTypes(aggregates: readonly AggregateCall[], valueFormat: FormatInfo, requiredTypes: readonly SqlType[]): void {
  if (valueFormat.format !== 'DELIMITED') return;
  const intermediate = aggregates.map((a) => a.fn.aggregateType ?? a.fn.returnType);
  if ([...intermediate, ...requiredTypes].some((t) => !isPrimitiveType(t))) {
    throw new KsqlError(
      'One of the functions used in the statement has an intermediate type that the value format can not handle. ' +
        'Please remove the function or change the format.',
    );
  }
}

export function buildAggregationPipeline(
  analysis: AggregateAnalysis,
  functions: FunctionRegistry,
  persistent: boolean,
  emitFinal = false,
): AggregationPipeline {
  const scope = analysis.scope;
  const sourceIsTable = analysis.source.type === 'TABLE';
  if (sourceIsTable) {
    // SchemaKGroupedTable.aggregate's checks.
    if (analysis.window) throw new KsqlError('Windowing not supported for table aggregations.');
    const withoutUndo = analysis.aggregates.filter((a) => a.fn.undo === undefined).map((a) => a.fn.name);
    if (withoutUndo.length > 0) throw nonTableAggregateError(withoutUndo);
  }
  if (analysis.window?.kind === 'SESSION') {
    // Merging sessions merges their aggregates (ksqlDB's KudafAggregator.getMerger). Every
    // ksqlDB 0.29 aggregate has a merger, and so does every one here; a function added without
    // one must be refused rather than merge wrongly.
    const withoutMerge = analysis.aggregates.filter((a) => a.fn.merge === undefined).map((a) => a.fn.name);
    if (withoutMerge.length > 0) throw new UnsupportedError(`aggregate function ${[...new Set(withoutMerge)].join(', ')} in SESSION windows (no merge)`);
  }
  checkIntermediateTypes(
    analysis.aggregates,
    analysis.source.valueFormat,
    analysis.requiredColumns.map((i) => scope.columns[i]!.type),
  );

  const filter = analysis.where ? bindExpression(analysis.where, scope, functions, 'WHERE') : undefined;
  const groupBy = analysis.groupBy.map((g) => bindExpression(g, scope, functions, 'SELECT'));
  const aggregates = analysis.aggregates.map(
    (a): CompiledAggregate => ({ fn: a.fn, args: a.columnArgs.map((arg) => bindExpression(arg, scope, functions, 'SELECT')) }),
  );
  const window = analysis.window ? windowSpec(analysis.window) : undefined;
  const post = postAggregationScope(scope, analysis.aggregates, window !== undefined);
  const slotFor = aggregateSlotFor(post, functions);
  const having = analysis.having ? bindOverScope(analysis.having, post.scope, functions, 'HAVING', slotFor) : undefined;
  const projected = persistent ? analysis.columns.filter((c) => c.keySlot === undefined) : analysis.columns;
  const projection = projected.map((c) => bindOverScope(c.expression, post.scope, functions, 'SELECT', slotFor));
  const groupByKeyNames = analysis.groupBy.map((g) => (g.kind === 'ColumnRef' ? g.name : undefined));
  const sourceKeys = scope.columns.filter((c) => c.namespace === 'KEY').map((c) => c.name);

  return {
    scope,
    sourceIsTable,
    ...(filter ? { filter } : {}),
    groupBy,
    groupsBySourceKey: sourceKeys.length === groupByKeyNames.length && sourceKeys.every((k, i) => groupByKeyNames[i] === k),
    aggregates,
    requiredColumns: analysis.requiredColumns,
    postWidth: post.width,
    windowStartIndex: post.windowStartIndex,
    windowEndIndex: post.windowEndIndex,
    ...(window ? { window } : {}),
    ...(having ? { having } : {}),
    keyColumns: analysis.keyColumns,
    projection,
    columnNames: projected.map((c) => c.name),
    keySlotOfColumn: projected.map((c) => {
      const key = analysis.groupBy.findIndex((g) => expressionKey(g) === expressionKey(c.expression));
      return key >= 0 ? key : undefined;
    }),
    emitFinal,
  };
}

/** The schema of an aggregation's sink: GROUP BY key columns, then the value columns. */
export function aggregationSinkSchema(pipeline: AggregationPipeline): LogicalSchema {
  return {
    columns: [
      ...pipeline.keyColumns,
      ...pipeline.projection.map((p, i) => ({ name: pipeline.columnNames[i]!, type: p.type, namespace: 'VALUE' as const })),
    ],
  };
}
