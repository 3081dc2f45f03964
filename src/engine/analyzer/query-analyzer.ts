/**
 * Analysis of a SELECT over one stream or table (ksqlDB's QueryAnalyzer + the key checks of
 * its FinalProjectNode): resolves the source, expands `*`, names the output columns, decides
 * which of them form the key (the source key columns, or the PARTITION BY expressions), and
 * rejects constructs this engine does not run yet (joins). Aggregating queries are analysed by
 * ./aggregate-analyzer.ts instead.
 *
 * Expressions stay in terms of the source scope: PARTITION BY does not introduce a new row
 * layout; projection items that restate a partition expression become the new key.
 */
import { KsqlError, KsqlStatementError, UnsupportedError } from '../errors.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { MetaStore } from '../metastore/metastore.js';
import type { DataSource } from '../metastore/types.js';
import type { Expression, Query, SelectItem } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { collectColumnRefs, containsFunctionCall, rewriteExpression, unqualified } from './expression-tree.js';
import { RESERVED_COLUMN_NAMES, sourceScope, type SourceScope } from './source-scope.js';

export interface OutputColumn {
  readonly name: string;
  /** In terms of the source scope. */
  readonly expression: Expression;
  readonly isKey: boolean;
  /** Which key column it becomes (source key order, or PARTITION BY order). */
  readonly keySlot?: number;
}

export interface AnalyzedQuery {
  readonly source: DataSource;
  readonly scope: SourceScope;
  readonly where?: Expression;
  /** PARTITION BY expressions; `[]` for PARTITION BY NULL (keyless output); undefined when absent. */
  readonly partitionBy?: readonly Expression[];
  /** Output columns in projection order. */
  readonly columns: readonly OutputColumn[];
  /** The key a persistent query must carry: source key column names or PARTITION BY texts. */
  readonly keySlots: readonly string[];
  readonly limit?: number;
  readonly emitChanges: boolean;
}

export type ExpressionClause = 'SELECT' | 'WHERE' | 'PARTITION BY';

export interface AnalysisOptions {
  /** Sink name for persistent queries (key checks and reserved names apply); undefined for transient queries. */
  readonly sinkName?: string;
  readonly functions: FunctionRegistry;
  /**
   * Type-checks an expression (unknown columns, type errors). Called for every clause before
   * the key checks, because ksqlDB reports resolution errors first.
   */
  readonly checkExpression?: (e: Expression, scope: SourceScope, clause: ExpressionClause) => void;
  /** Pull queries on windowed tables: `*` includes WINDOWSTART and WINDOWEND after the key columns. */
  readonly windowBoundsInStar?: boolean;
}

export function analyzeQuery(query: Query, metastore: MetaStore, opts: AnalysisOptions): AnalyzedQuery {
  if (query.from.kind === 'Join') throw new UnsupportedError('joins');
  if (query.window) {
    // LogicalPlanner: a window only means something to an aggregation.
    throw new KsqlError(`${locationPrefix(query.window.loc)}WINDOW clause requires a GROUP BY clause.`);
  }
  if (query.groupBy && query.groupBy.length > 0) throw new UnsupportedError('GROUP BY');
  if (query.having) throw new UnsupportedError('HAVING');

  const relation = query.from;
  const source = metastore.getSource(relation.name);
  if (!source) throw unknownSourceError(relation.name, relation.loc);
  // Tables keep their key or refuse PARTITION BY while planning (../planner/table-repartition.ts).
  if (source.window && query.partitionBy && opts.sinkName !== undefined && source.type === 'STREAM') {
    throw new KsqlStatementError(
      'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.',
    );
  }

  const scope = sourceScope(source, relation.alias ?? relation.name);
  const isAggregate = (name: string) => opts.functions.isAggregate(name);
  for (const item of query.select) {
    if (item.kind === 'SingleColumn' && containsFunctionCall(item.expression, isAggregate)) {
      throw new UnsupportedError('aggregate functions');
    }
  }

  const normalise = (e: Expression) => qualifyWithAlias(e, scope);
  const where = query.where ? normalise(query.where) : undefined;
  const partitionBy = query.partitionBy ? partitionExpressions(query.partitionBy.map(normalise)) : undefined;

  const aliasGenerator = columnAliasGenerator(scope);
  const keyNames = partitionBy ? partitionKeyNames(partitionBy, query.select, aliasGenerator) : undefined;

  const items = expandSelect(query.select, scope, partitionBy, keyNames, aliasGenerator, opts.windowBoundsInStar === true);
  const check = opts.checkExpression;
  if (check) {
    for (const item of items) check(item.expression, scope, 'SELECT');
    if (where) check(where, scope, 'WHERE');
    for (const p of partitionBy ?? []) check(p, scope, 'PARTITION BY');
  }
  const { columns, keySlots } = assignKeys(items, scope, partitionBy, opts.sinkName !== undefined);

  if (opts.sinkName !== undefined) {
    for (const c of columns) {
      if (RESERVED_COLUMN_NAMES.has(c.name)) {
        throw new KsqlError(`Reserved column name in select: \`${c.name}\`. Please remove or alias the column.`);
      }
    }
  }

  return {
    source,
    scope,
    ...(where ? { where } : {}),
    ...(partitionBy ? { partitionBy } : {}),
    columns,
    keySlots,
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    emitChanges: query.emit === 'CHANGES',
  };
}

/** How ksqlDB's messages point at a place in the statement: "Line: 1, Col: 8: " (or nothing). */
export function locationPrefix(loc: { line: number; column: number } | undefined): string {
  return loc ? `Line: ${loc.line}, Col: ${loc.column + 1}: ` : '';
}

export function unknownSourceError(name: string, loc?: { line: number; column: number }): KsqlError {
  return new KsqlError(`${locationPrefix(loc)}Source \`${name}\` does not exist.`);
}

/**
 * Qualified references must use the source's alias (or its name); they keep their qualifier so
 * resolution errors can name it ("SELECT column 'I.BOB' cannot be resolved.").
 */
function qualifyWithAlias(e: Expression, scope: SourceScope): Expression {
  for (const ref of collectColumnRefs(e)) {
    if (ref.source !== undefined && ref.source !== scope.alias && ref.source !== scope.source.name) {
      throw new KsqlError(`'${ref.source}' is not a valid stream/table name or alias.`);
    }
  }
  return rewriteExpression(e, (node) =>
    node.kind === 'ColumnRef' && node.source !== undefined && node.source !== scope.alias ? { ...node, source: scope.alias } : undefined,
  );
}

/** PARTITION BY NULL makes the output keyless. */
function partitionExpressions(exprs: readonly Expression[]): Expression[] {
  if (exprs.length === 1 && exprs[0]!.kind === 'NullLiteral') return [];
  return [...exprs];
}

type AliasGenerator = () => string;

/** KSQL_COL_n, counted from 0, skipping names the source already uses (ColumnNames.columnAliasGenerator). */
function columnAliasGenerator(scope: SourceScope): AliasGenerator {
  const taken = new Set(scope.columns.map((c) => c.name));
  let next = 0;
  return () => {
    for (;;) {
      const name = `KSQL_COL_${next++}`;
      if (!taken.has(name)) return name;
    }
  };
}

/** Text of an expression without source qualifiers, for matching PARTITION BY against SELECT. */
function expressionText(e: Expression): string {
  return formatExpression(unqualified(e));
}

/** The implicit name of a select expression: a column's name, a struct field's name, else generated. */
function implicitName(e: Expression, generate: AliasGenerator): string {
  if (e.kind === 'ColumnRef') return e.name;
  if (e.kind === 'Dereference') return e.field;
  return generate();
}

/**
 * Names of the new key columns: a column's own name, the alias of a projection item that
 * restates the expression, or a generated KSQL_COL_n.
 */
function partitionKeyNames(partitionBy: readonly Expression[], select: readonly SelectItem[], generate: AliasGenerator): string[] {
  return partitionBy.map((p) => {
    if (p.kind === 'ColumnRef') return p.name;
    const text = expressionText(p);
    const aliased = select.find(
      (s) => s.kind === 'SingleColumn' && s.alias !== undefined && expressionText(s.expression) === text,
    );
    if (aliased && aliased.kind === 'SingleColumn') return aliased.alias!;
    if (p.kind === 'Dereference') return p.field;
    return generate();
  });
}

interface NamedItem {
  readonly name: string;
  readonly expression: Expression;
  /** Came from `*` expansion as a new key column. */
  readonly starKeyIndex?: number;
}

function columnRef(name: string): Expression {
  return { kind: 'ColumnRef', name };
}

function expandSelect(
  select: readonly SelectItem[],
  scope: SourceScope,
  partitionBy: readonly Expression[] | undefined,
  keyNames: readonly string[] | undefined,
  generate: AliasGenerator,
  windowBoundsInStar: boolean,
): NamedItem[] {
  const out: NamedItem[] = [];
  const windowBounds = windowBoundsInStar ? scope.columns.filter((c) => c.index === scope.windowStartIndex || c.index === scope.windowEndIndex) : [];
  const keyCols = [...scope.columns.filter((c) => c.namespace === 'KEY'), ...windowBounds];
  const valueCols = scope.columns.filter((c) => c.namespace === 'VALUE');
  for (const item of select) {
    if (item.kind === 'AllColumns') {
      if (item.source !== undefined && item.source !== scope.alias && item.source !== scope.source.name) {
        throw new KsqlError(`'${item.source}' is not a valid stream/table name or alias.`);
      }
      if (!partitionBy) {
        for (const c of [...keyCols, ...valueCols]) out.push({ name: c.name, expression: columnRef(c.name) });
        continue;
      }
      // SELECT * with PARTITION BY: new key columns, then the value columns and the old key
      // columns that are not themselves the new key.
      const consumed = new Set(partitionBy.filter((p) => p.kind === 'ColumnRef').map((p) => (p as { name: string }).name));
      partitionBy.forEach((p, i) => out.push({ name: keyNames![i]!, expression: p, starKeyIndex: i }));
      for (const c of [...valueCols, ...keyCols]) {
        if (!consumed.has(c.name)) out.push({ name: c.name, expression: columnRef(c.name) });
      }
      continue;
    }
    const expression = qualifyWithAlias(item.expression, scope);
    const keyAliasIndex =
      partitionBy && item.alias === undefined && expression.kind === 'ColumnRef' ? keyNames!.indexOf(expression.name) : -1;
    // A reference to a generated partition key name (e.g. KSQL_COL_0) means the partition expression.
    const resolved = keyAliasIndex >= 0 && partitionBy![keyAliasIndex]!.kind !== 'ColumnRef' ? partitionBy![keyAliasIndex]! : expression;
    const name = item.alias ?? (keyAliasIndex >= 0 ? keyNames![keyAliasIndex]! : implicitName(expression, generate));
    out.push({ name, expression: resolved });
  }
  return out;
}

/** "a, b and c", as ksqlDB lists names in its messages. */
export function joinWithAnd(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function assignKeys(
  items: readonly NamedItem[],
  scope: SourceScope,
  partitionBy: readonly Expression[] | undefined,
  persistent: boolean,
): { columns: OutputColumn[]; keySlots: string[] } {
  // Which key "slot" (source key column, or PARTITION BY expression) each item fills, if any.
  const slotOf = (item: NamedItem): number => {
    if (partitionBy) {
      if (item.starKeyIndex !== undefined) return item.starKeyIndex;
      const text = expressionText(item.expression);
      return partitionBy.findIndex((p) => expressionText(p) === text);
    }
    if (item.expression.kind !== 'ColumnRef') return -1;
    const name = item.expression.name;
    return scope.columns.filter((c) => c.namespace === 'KEY').findIndex((c) => c.name === name);
  };
  const keySlots: string[] = partitionBy
    ? partitionBy.map(expressionText)
    : scope.columns.filter((c) => c.namespace === 'KEY').map((c) => c.name);
  const columns = items.map((item): OutputColumn => {
    // Transient queries have no key: every column is just a column.
    const slot = persistent ? slotOf(item) : -1;
    return { name: item.name, expression: item.expression, isKey: slot >= 0, ...(slot >= 0 ? { keySlot: slot } : {}) };
  });
  return { columns, keySlots };
}

/**
 * The projection's names for each key slot; a key projected more than once is ksqlDB's error
 * (shared by single-source and join queries).
 */
export function keyColumnsBySlot(columns: readonly OutputColumn[], keySlots: readonly string[]): Map<number, string[]> {
  const bySlot = new Map<number, string[]>();
  for (const c of columns) {
    if (c.keySlot !== undefined) bySlot.set(c.keySlot, [...(bySlot.get(c.keySlot) ?? []), c.name]);
  }
  for (const [slot, names] of bySlot) {
    if (names.length > 1) {
      throw new KsqlStatementError(
        `The projection contains a key column (\`${keySlots[slot]}\`) more than once, aliased as: ${joinWithAnd([...names].sort())}.`,
      );
    }
  }
  return bySlot;
}

/**
 * ksqlDB's (old planner's) key rules for persistent queries: every key column (or PARTITION BY
 * expression) exactly once in the projection, and at least one value column.
 */
export function validateProjectionKeys(analysis: AnalyzedQuery, sinkName: string): void {
  const bySlot = keyColumnsBySlot(analysis.columns, analysis.keySlots);
  const required = analysis.keySlots;
  if (required.some((_, i) => !bySlot.has(i))) {
    const plural = required.length > 1;
    const what = analysis.partitionBy
      ? plural
        ? 'partitioning expressions'
        : 'partitioning expression'
      : plural
        ? 'key columns'
        : 'key column';
    throw new KsqlStatementError(
      `Key${plural ? 's' : ''} missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n` +
        `The query used to build \`${sinkName}\` must include the ${what} ${joinWithAnd(required)} in its projection ` +
        `(eg, SELECT ${required.join(', ')}...).`,
    );
  }
  if (!analysis.columns.some((c) => !c.isKey)) throw new KsqlStatementError('The projection contains no value columns.');
}

/**
 * ksql.new.query.planner.enabled: a projection that leaves out key columns just produces a
 * keyless result instead of failing.
 */
export function withoutIncompleteKey(analysis: AnalyzedQuery): AnalyzedQuery {
  const present = new Set(analysis.columns.flatMap((c) => (c.keySlot === undefined ? [] : [c.keySlot])));
  if (analysis.keySlots.every((_, i) => present.has(i))) {
    // The new planner keeps key columns in projection order.
    let next = 0;
    return { ...analysis, columns: analysis.columns.map((c) => (c.keySlot === undefined ? c : { ...c, keySlot: next++ })) };
  }
  return {
    ...analysis,
    columns: analysis.columns.map((c) => ({ name: c.name, expression: c.expression, isKey: false })),
    keySlots: [],
  };
}
