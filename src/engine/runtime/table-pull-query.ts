/**
 * Pull queries on tables (SELECT without EMIT CHANGES against a materialized table): the rows
 * of the table's materialized state that pass WHERE, projected, and then the query ends.
 * ksqlDB answers these from the state store of the query that materializes the table (an
 * aggregation's store, or the table itself for CTAS and CREATE SOURCE TABLE); its response
 * marks key columns (and a windowed table's WINDOWSTART/WINDOWEND) as KEY and has no final
 * message (REST-API.md §3.2).
 *
 * With `ksql.query.pull.table.scan.enabled` (true by default in ksqlDB 0.29) any WHERE clause
 * works, by scanning; without it the WHERE clause must pin every key column, as ksqlDB's
 * QueryFilterNode requires, with its messages.
 */
import type { QueryRow, QueryStream } from '../api.js';
import type { SourceScope } from '../analyzer/source-scope.js';
import { KsqlError } from '../errors.js';
import type { EvalContext } from '../expressions/compiler.js';
import type { Expression } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { COMPARISON_NAMES } from '../expressions/comparison.js';
import type { StreamPipeline } from '../planner/plans.js';
import { formatSchema, keyColumns as keyColumnsOf, type SqlType } from '../types.js';
import type { Row } from '../values/value.js';
import { PULL_QUERY_SYNTAX_HELP } from '../analyzer/pull-query-validator.js';
import { collectColumnRefs, unqualified } from '../analyzer/expression-tree.js';
import { AsyncQueue } from './async-queue.js';
import type { MaterializedRow, MaterializedTable } from './state/materialized-table.js';

export interface TablePullPlan {
  readonly pipeline: StreamPipeline;
  /** Which projected columns the response marks as key columns. */
  readonly keyColumns: readonly boolean[];
  readonly limit?: number;
  readonly properties: Readonly<Record<string, string>>;
}

export function tablePullQueryId(now: number): string {
  return `query_${now}`;
}

export class TablePullQuery implements QueryStream {
  readonly kind = 'pull-table' as const;
  readonly rows = new AsyncQueue<QueryRow>();
  private closed = false;

  constructor(
    readonly queryId: string,
    private readonly plan: TablePullPlan,
    private readonly now: () => number,
  ) {}

  get columnNames(): readonly string[] {
    return this.plan.pipeline.columnNames;
  }

  get columnTypes(): readonly SqlType[] {
    return this.plan.pipeline.projection.map((p) => p.type);
  }

  get keyColumns(): readonly boolean[] {
    return this.plan.keyColumns;
  }

  completion = (): 'Query Completed' => 'Query Completed';

  /** Answers from the materialized rows of this moment. */
  run(table: MaterializedTable): void {
    const { pipeline, limit } = this.plan;
    const scope = pipeline.scope;
    const ctx: EvalContext = { now: this.now, properties: this.plan.properties, onError: () => undefined };
    let emitted = 0;
    for (const materialized of table.rows()) {
      if (this.closed || (limit !== undefined && emitted >= limit)) break;
      const row = scopeRow(scope, materialized);
      if (pipeline.filter && pipeline.filter.evaluate(row, ctx) !== true) continue;
      this.rows.push({ values: pipeline.projection.map((p) => p.evaluate(row, ctx)) });
      emitted++;
    }
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rows.end();
  }
}

/** The source row of a materialized table row: keys, values, ROWTIME, then the window bounds. */
function scopeRow(scope: SourceScope, materialized: MaterializedRow): Row {
  const row: Row = new Array(scope.columns.length).fill(null);
  for (let i = 0; i < scope.keyCount; i++) row[i] = materialized.key[i] ?? null;
  for (let i = 0; i < scope.valueCount; i++) row[scope.keyCount + i] = materialized.values[i] ?? null;
  row[scope.rowtimeIndex] = BigInt(materialized.timestamp);
  if (scope.windowStartIndex >= 0 && materialized.window) {
    row[scope.windowStartIndex] = BigInt(materialized.window.start);
    row[scope.windowEndIndex] = BigInt(materialized.window.end);
  }
  return row;
}

// ------------------------------------------------------------------ WHERE without table scans

const WINDOW_BOUND_OPERATORS = ['=', '>', '>=', '<', '<='];
/** ComparisonExpression.Type names; the pull-query validator names IS NOT DISTINCT FROM as such. */
const OPERATOR_NAMES: Readonly<Record<string, string>> = { ...COMPARISON_NAMES, 'IS NOT DISTINCT FROM': 'IS_NOT_DISTINCT_FROM' };

/** QueryFilterNode.invalidWhereClauseException. */
export function invalidWhereClause(message: string, windowed: boolean): KsqlError {
  const windowPart = windowed
    ? '\n - (optionally) limits the time bounds of the windowed table.\n\t Bounds on [WINDOWSTART, WINDOWEND] are supported\n' +
      '\t Supported operators are [EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL]'
    : '';
  return new KsqlError(
    `${message}. ${PULL_QUERY_SYNTAX_HELP}\n` +
      'Pull queries require a WHERE clause that:\n' +
      ' - includes a key equality expression, e.g. `SELECT * FROM X WHERE <key-column> = Y;`.\n' +
      ' - in the case of a multi-column key, is a conjunction of equality expressions that cover all key columns.\n' +
      ' - to support range expressions, e.g.,  SELECT * FROM X WHERE <key-column> < Y;`, range scans need to be enabled by setting ksql.query.pull.range.scan.enabled=true' +
      windowPart +
      '\nIf more flexible queries are needed, , table scans can be enabled by setting ksql.query.pull.table.scan.enabled=true.',
  );
}

/** The OR-separated disjuncts of a WHERE clause, IN lists counting as one disjunct per element. */
function disjuncts(e: Expression): Expression[] {
  if (e.kind === 'LogicalBinary' && e.op === 'OR') return [...disjuncts(e.left), ...disjuncts(e.right)];
  if (e.kind === 'InList' && !e.negated) return e.list.map((item) => ({ kind: 'Comparison', op: '=', left: e.value, right: item }) as Expression);
  return [e];
}

/**
 * ksqlDB's pull-query WHERE rules when table scans are disabled: every disjunct is a
 * conjunction that constrains every key column (WINDOWSTART/WINDOWEND bounds allowed).
 */
export function requireKeyedWhere(where: Expression | undefined, scope: SourceScope): void {
  const windowed = scope.windowStartIndex >= 0;
  if (!where) throw invalidWhereClause('Missing WHERE clause', windowed);
  const keys = scope.columns.filter((c) => c.namespace === 'KEY');
  const keyText = formatSchema(keyColumnsOf(scope.source.schema));
  for (const disjunct of disjuncts(unqualified(where))) {
    const seen = new Set<string>();
    const visit = (node: Expression): void => {
      if (node.kind === 'LogicalBinary') {
        if (node.op !== 'AND') throw invalidWhereClause(`Only AND expressions are supported: ${formatExpression(node)}`, false);
        visit(node.left);
        visit(node.right);
        return;
      }
      if (node.kind === 'Like') return;
      if (node.kind !== 'Comparison') throw invalidWhereClause(`Unsupported expression in WHERE clause: ${formatExpression(node)}`, false);
      const column = node.right.kind === 'ColumnRef' ? node.right : node.left.kind === 'ColumnRef' ? node.left : undefined;
      if (!column) throw invalidWhereClause('A comparison must directly reference a key column', windowed);
      const other = column === node.right ? node.left : node.right;
      if (collectColumnRefs(other).length > 0) throw invalidWhereClause('A comparison must be between a key column and a resolvable expression', windowed);
      if (column.name === 'WINDOWSTART' || column.name === 'WINDOWEND') {
        if (!WINDOW_BOUND_OPERATORS.includes(node.op)) {
          throw invalidWhereClause(`Unsupported ${column.name} bounds: ${OPERATOR_NAMES[node.op] ?? node.op}`, true);
        }
        if (!windowed) throw invalidWhereClause('Cannot use WINDOWSTART/WINDOWEND on non-windowed source', false);
        return;
      }
      const key = keys.find((k) => k.name === column.name);
      if (!key) return;
      if (node.op === '<>' || node.op === 'IS DISTINCT FROM' || node.op === 'IS NOT DISTINCT FROM') {
        throw invalidWhereClause(`Bound on key columns '[${keyText}]' must currently be '='`, windowed);
      }
      if (seen.has(key.name)) {
        throw invalidWhereClause('A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate', windowed);
      }
      seen.add(key.name);
    };
    visit(disjunct);
    if (seen.size === 0) throw invalidWhereClause(`WHERE clause missing key column for disjunct: ${formatExpression(disjunct)}`, windowed);
    if (seen.size !== keys.length) {
      const specified = keys.filter((k) => seen.has(k.name)).map((k) => `\`${k.name}\``);
      throw invalidWhereClause(`Multi-column sources must specify every key in the WHERE clause. Specified: [${specified.join(', ')}] Expected: [${keyText}]`, windowed);
    }
  }
}
