/**
 * The text ksqlDB shows as "Statement:" in errors raised after it has rewritten a query (column
 * references qualified with the source alias, every projection item aliased), as its
 * SqlFormatter writes it:
 *
 *   CREATE TABLE OUTPUT WITH (KEY_FORMAT='KAFKA') AS SELECT
 *     TEST.F1 K1,
 *     COUNT(*) TOTAL
 *   FROM TEST TEST
 *   GROUP BY TEST.F1
 *   EMIT CHANGES
 */
import type { AggregateAnalysis } from '../analyzer/aggregate-analyzer.js';
import { rewriteExpression } from '../analyzer/expression-tree.js';
import type { CreateAsSelect, Expression } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { formatWithClause } from './with-properties.js';

function qualified(e: Expression, alias: string): string {
  return formatExpression(rewriteExpression(e, (node) => (node.kind === 'ColumnRef' ? { ...node, source: alias } : undefined)));
}

export function formatAggregateCreateAsSelect(stmt: CreateAsSelect, analysis: AggregateAnalysis): string {
  const alias = analysis.scope.alias;
  const props = Object.keys(stmt.properties).length > 0 ? ` WITH (${formatWithClause(stmt.properties)})` : '';
  const lines = [`CREATE ${stmt.sourceType} ${stmt.name}${props} AS SELECT`];
  lines.push(analysis.columns.map((c) => `  ${qualified(c.expression, alias)} ${c.name}`).join(',\n'));
  lines.push(`FROM ${analysis.source.name} ${alias}`);
  const window = analysis.window;
  if (window) {
    // SqlFormatter: TUMBLING ( SIZE 30000 MILLISECONDS ... ), SESSION ( 30000 MILLISECONDS ... ).
    const parts = [window.kind === 'SESSION' ? `${window.gapMs} MILLISECONDS` : `SIZE ${window.sizeMs} MILLISECONDS`];
    if (window.kind === 'HOPPING') parts.push(`ADVANCE BY ${window.advanceMs} MILLISECONDS`);
    if (window.retentionMs !== undefined) parts.push(`RETENTION ${window.retentionMs} MILLISECONDS`);
    if (window.graceMs !== undefined) parts.push(`GRACE PERIOD ${window.graceMs} MILLISECONDS`);
    lines.push(`WINDOW ${window.kind} ( ${parts.join(' , ')} )`);
  }
  if (analysis.where) lines.push(`WHERE ${qualified(analysis.where, alias)}`);
  if (!analysis.implicitGroupBy) {
    lines.push(`GROUP BY ${analysis.groupBy.map((g) => qualified(g, alias)).join(', ')}`);
  }
  if (analysis.having) lines.push(`HAVING ${qualified(analysis.having, alias)}`);
  lines.push('EMIT CHANGES');
  return lines.join('\n');
}
