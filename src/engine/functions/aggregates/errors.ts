/** Error messages of ksqlDB's aggregate resolution that the core raises around the library. */
import { KsqlStatementError } from '../../errors.js';

/**
 * UdafUtil.createAggregateFunctionInitArgs: a literal init argument given as an expression.
 * `position` is 1-based over all of the call's arguments; `expressionText` is the argument as
 * ksqlDB formats expressions (e.g. `F0`).
 */
export function nonLiteralArgumentError(functionName: string, position: number, expressionText: string): KsqlStatementError {
  return new KsqlStatementError(
    `Parameter ${position} passed to function ${functionName.toUpperCase()} must be a literal constant, but was expression: '${expressionText}'`,
  );
}

/** English list like Guava-based GrammaticalJoiner.and(): "A", "A and B", "A, B and C". */
export function joinWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return items.slice(0, -1).join(', ') + ' and ' + items[items.length - 1]!;
}

/**
 * SchemaKGroupedTable.aggregate: aggregates without undo used on a table source. `names` in
 * the order of the query's aggregate calls; duplicates are dropped as ksqlDB does.
 */
export function nonTableAggregateError(names: readonly string[]): KsqlStatementError {
  const distinct = [...new Set(names.map((n) => n.toUpperCase()))];
  const postfix = distinct.length === 1 ? '' : 's';
  return new KsqlStatementError(
    `The aggregation function${postfix} ${joinWithAnd(distinct)} cannot be applied to a table source, only to a stream source.`,
  );
}
