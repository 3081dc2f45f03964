/**
 * Turns an analysed query into a logical plan and the logical plan into a compiled pipeline.
 */
import type { AnalyzedQuery, OutputColumn } from '../analyzer/query-analyzer.js';
import { KsqlError, KsqlStatementError } from '../errors.js';
import type { FunctionRegistry } from '../functions/types.js';
import { formatExpression } from '../parser/format.js';
import { formatSqlType } from '../types.js';
import { bindExpression } from './expression-binding.js';
import { assertTablePartitionByKeepsKey } from './table-repartition.js';
import type { CompiledExpression, LogicalNode, StreamPipeline } from './plans.js';

export function buildLogicalPlan(analysis: AnalyzedQuery): LogicalNode {
  let node: LogicalNode = { kind: 'DataSource', source: analysis.source, scope: analysis.scope };
  if (analysis.where) node = { kind: 'Filter', input: node, predicate: analysis.where };
  if (analysis.partitionBy) node = { kind: 'Repartition', input: node, partitionBy: analysis.partitionBy };
  return { kind: 'Project', input: node, columns: analysis.columns };
}

interface PlanParts {
  readonly scope: AnalyzedQuery['scope'];
  filter?: CompiledExpression;
  rekeyed: boolean;
  columns?: readonly OutputColumn[];
}

/** Compiles the logical plan's expressions against the source scope. */
export function buildPipeline(plan: LogicalNode, functions: FunctionRegistry): StreamPipeline {
  const parts = collect(plan, functions);
  const columns = parts.columns ?? [];
  const projection = columns.map((c) => bindExpression(c.expression, parts.scope, functions, 'SELECT'));
  if (projection.some((p) => p.type.kind === 'NULL')) {
    throw new KsqlStatementError(
      "Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).",
    );
  }
  const keyPositions: number[] = [];
  const valuePositions: number[] = [];
  columns.forEach((c, i) => (c.isKey ? keyPositions : valuePositions).push(i));
  // Key columns keep the order of the key they form, not the projection's order.
  keyPositions.sort((a, b) => (columns[a]!.keySlot ?? 0) - (columns[b]!.keySlot ?? 0));
  return {
    scope: parts.scope,
    ...(parts.filter ? { filter: parts.filter } : {}),
    projection,
    columnNames: columns.map((c) => c.name),
    keyPositions,
    valuePositions,
    rekeyed: parts.rekeyed,
  };
}

function collect(node: LogicalNode, functions: FunctionRegistry): PlanParts {
  switch (node.kind) {
    case 'DataSource':
      return { scope: node.scope, rekeyed: false };
    case 'Filter': {
      const parts = collect(node.input, functions);
      const predicate = bindExpression(node.predicate, parts.scope, functions, 'WHERE');
      if (predicate.type.kind !== 'BOOLEAN') {
        throw new KsqlError(
          `Type error in WHERE expression: Should evaluate to boolean but is ${formatExpression(node.predicate)} ` +
            `(${formatSqlType(predicate.type)}) instead.`,
        );
      }
      parts.filter = predicate;
      return parts;
    }
    case 'Repartition': {
      const parts = collect(node.input, functions);
      // Partition expressions are evaluated as projection items; compiling them here surfaces
      // their type errors in PARTITION BY terms.
      for (const p of node.partitionBy) bindExpression(p, parts.scope, functions, 'PARTITION BY');
      if (parts.scope.source.type === 'TABLE') assertTablePartitionByKeepsKey(parts.scope.source, node.partitionBy);
      parts.rekeyed = true;
      return parts;
    }
    case 'Project': {
      const parts = collect(node.input, functions);
      parts.columns = node.columns;
      return parts;
    }
  }
}
