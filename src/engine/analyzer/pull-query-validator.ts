/**
 * ksqlDB's PullQueryValidator: the clauses a pull query (a SELECT without EMIT CHANGES, on a
 * stream or a table) may not have, checked in ksqlDB's order with its messages. The
 * ROWPARTITION/ROWOFFSET rule applies to table pull queries only: a materialized table's rows
 * have no offsets, while pull queries on streams read the topic's records (and this project's
 * pipeline selects their coordinates).
 */
import { KsqlError } from '../errors.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { Query } from '../parser/ast.js';
import { isAggregateQuery } from './aggregate-analyzer.js';
import { collectColumnRefs } from './expression-tree.js';

export const PULL_QUERY_SYNTAX_HELP =
  ' See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.';

/** Pseudo columns a pull query may not reference (SystemColumns.isDisallowedInPullOrScalablePushQueries). */
const DISALLOWED_COLUMNS = new Set(['ROWPARTITION', 'ROWOFFSET']);

function pullQueryError(message: string): KsqlError {
  return new KsqlError(message + PULL_QUERY_SYNTAX_HELP);
}

export function validatePullQuery(query: Query, functions: FunctionRegistry, onTable: boolean): void {
  if (query.from.kind === 'Join') throw pullQueryError("Pull queries don't support JOIN clauses.");
  if (query.window) throw pullQueryError("Pull queries don't support WINDOW clauses.");
  if (isAggregateQuery(query, functions)) throw pullQueryError("Pull queries don't support GROUP BY clauses.");
  if (query.partitionBy) throw pullQueryError("Pull queries don't support PARTITION BY clauses.");
  if (query.having) throw pullQueryError("Pull queries don't support HAVING clauses.");
  if (query.limit !== undefined && query.limit < 0) throw pullQueryError("Pull queries don't support negative integers in the LIMIT clause.");
  if (!onTable) return;
  const selected = query.select.flatMap((s) => (s.kind === 'SingleColumn' ? collectColumnRefs(s.expression) : []));
  const inSelect = selected.filter((r) => DISALLOWED_COLUMNS.has(r.name)).map((r) => r.name);
  if (inSelect.length > 0) throw pullQueryError(`Pull queries don't support the following columns in SELECT clauses: ${inSelect.join(', ')}\n`);
  const inWhere = (query.where ? collectColumnRefs(query.where) : []).filter((r) => DISALLOWED_COLUMNS.has(r.name)).map((r) => r.name);
  if (inWhere.length > 0) throw pullQueryError(`Pull queries don't support the following columns in WHERE clauses: ${inWhere.join(', ')}\n`);
}
