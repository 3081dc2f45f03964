/**
 * PARTITION BY on a table (ksqlDB's SchemaKTable.selectKey): a table is partitioned by its
 * primary key and cannot be re-keyed, so PARTITION BY over a table is accepted only when it names
 * the table's key columns, in key order, which changes nothing; anything else is refused with
 * ksqlDB's message. Checked while planning, after the key checks, where ksqlDB's physical
 * planning raises it.
 */
import { unqualified } from '../analyzer/expression-tree.js';
import { KsqlError } from '../errors.js';
import type { DataSource } from '../metastore/types.js';
import type { Expression } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';

/** Repartitioning.repartitionNeeded: anything but the key columns themselves, in order. */
function repartitionNeeded(table: DataSource, partitionBy: readonly Expression[]): boolean {
  const keys = table.schema.columns.filter((c) => c.namespace === 'KEY');
  if (keys.length === 0 || keys.length !== partitionBy.length) return true;
  return partitionBy.some((p, i) => p.kind !== 'ColumnRef' || p.name !== keys[i]!.name);
}

/** Throws ksqlDB's error unless PARTITION BY over `table` keeps its key. `[]` is PARTITION BY NULL. */
export function assertTablePartitionByKeepsKey(table: DataSource, partitionBy: readonly Expression[]): void {
  const expressions: readonly Expression[] = partitionBy.length === 0 ? [{ kind: 'NullLiteral' }] : partitionBy;
  if (!repartitionNeeded(table, expressions)) return;
  const keys = table.schema.columns.filter((c) => c.namespace === 'KEY');
  if (keys.length > 1) {
    throw new KsqlError('Cannot repartition a TABLE source. If this is a join, joins on tables with multiple columns is not yet supported.');
  }
  // Java's List.toString of the (unqualified) expressions.
  const shown = `[${expressions.map((e) => formatExpression(unqualified(e))).join(', ')}]`;
  throw new KsqlError(
    "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the TABLE's key column " +
      `${keys[0]?.name ?? 'ROWKEY'} instead of ${shown}`,
  );
}
