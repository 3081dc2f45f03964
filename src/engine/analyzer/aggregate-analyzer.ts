/**
 * Analysis of an aggregating SELECT (GROUP BY, aggregate functions, HAVING, WINDOW) over one
 * stream or table, after ksqlDB 0.29's Analyzer, AggregateAnalyzer and the aggregate half of
 * its LogicalPlanner (buildAggregateSchema, AggregateNode.validateKeyPresent). The checks run
 * in ksqlDB's order, because its error messages are part of its behaviour:
 *
 * 1. duplicate GROUP BY expressions, reserved column names in the projection;
 * 2. unknown columns (WHERE, GROUP BY, HAVING, SELECT), then the KAFKA value format;
 * 3. the WHERE clause's types;
 * 4. aggregate calls: nesting, aggregates in GROUP BY, window bounds outside SELECT;
 * 5. types of the projection (aggregate functions resolved on their argument types);
 * 6. the GROUP BY rules (aggregates required, non-aggregate columns must be grouped);
 * 7. the output schema: key names, keys in the projection more than once, no value columns,
 *    duplicate value columns; then the HAVING clause's types; then missing keys.
 *
 * Expressions stay in terms of the source scope. The post-aggregation expressions (projection
 * and HAVING) read the source columns they need from the row of the group's latest record and
 * the aggregate results from slots after them, as ksqlDB's aggregate schema does (its
 * non-aggregate "required columns" followed by KSQL_AGG_VARIABLE_n).
 */
import { KsqlError, KsqlStatementError, UnsupportedError } from '../errors.js';
import { lookupAggregate, nonLiteralArgumentError, type AggregateFunction } from '../functions/aggregates/types.js';
import type { FunctionRegistry } from '../functions/types.js';
import { compileExpression, typeOf } from '../expressions/compiler.js';
import { Scope } from '../expressions/scope.js';
import type { MetaStore } from '../metastore/metastore.js';
import type { DataSource } from '../metastore/types.js';
import type { Expression, FunctionCall, Query, SelectItem, WindowExpression } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { formatSqlType, SqlTypes, type Column, type SqlType } from '../types.js';
import type { Value } from '../values/value.js';
import { collectColumnRefs, rewriteExpression, unqualified } from './expression-tree.js';
import { joinWithAnd, unknownSourceError } from './query-analyzer.js';
import { RESERVED_COLUMN_NAMES, sourceScope, WINDOW_BOUND_COLUMNS, type SourceScope } from './source-scope.js';

/** One aggregate function call of the query, resolved for its argument types. */
export interface AggregateCall {
  /** The call as written (qualifiers dropped), e.g. `SUM(F1)`; `COUNT(*)` has no arguments. */
  readonly call: FunctionCall;
  /** Identity of the call: calls with the same text share one aggregate. */
  readonly text: string;
  /** Arguments evaluated per input row, in terms of the source scope. */
  readonly columnArgs: readonly Expression[];
  readonly columnArgTypes: readonly SqlType[];
  /** Trailing literal init arguments (LATEST_BY_OFFSET(col, 2, false)). */
  readonly literalArgs: readonly Value[];
  readonly fn: AggregateFunction;
}

/** The WINDOW clause of a windowed aggregation; ksqlDB's defaults are applied in the planner. */
export type AggregateWindow = WindowExpression;

export interface AggregateOutputColumn {
  readonly name: string;
  /** Post-aggregation expression in terms of the source scope (aggregate calls included). */
  readonly expression: Expression;
  readonly type: SqlType;
  /** Persistent queries: the column is a GROUP BY expression and becomes key column `keySlot`. */
  readonly keySlot?: number;
}

export interface AggregateAnalysis {
  readonly source: DataSource;
  readonly scope: SourceScope;
  readonly where?: Expression;
  /** GROUP BY expressions (a constant for aggregates without GROUP BY). */
  readonly groupBy: readonly Expression[];
  /** No GROUP BY clause: every row goes to one group. */
  readonly implicitGroupBy: boolean;
  /** The output key: one column per GROUP BY expression, in GROUP BY order. */
  readonly keyColumns: readonly Column[];
  readonly window?: AggregateWindow;
  readonly aggregates: readonly AggregateCall[];
  /** Projection in SELECT order; persistent queries mark the key columns. */
  readonly columns: readonly AggregateOutputColumn[];
  readonly having?: Expression;
  /** Scope positions of the source columns the post-aggregation expressions read. */
  readonly requiredColumns: readonly number[];
  readonly limit?: number;
  readonly emitChanges: boolean;
}

export interface AggregateAnalysisOptions {
  /** Sink name for persistent queries (key checks apply); undefined for transient queries. */
  readonly sinkName?: string;
  readonly functions: FunctionRegistry;
  /** Properties in force (passed to aggregate functions, e.g. collect_list limits). */
  readonly properties: Readonly<Record<string, string>>;
}

/** True when the query aggregates: GROUP BY, or an aggregate function in SELECT or HAVING. */
export function isAggregateQuery(query: Query, functions: FunctionRegistry): boolean {
  if (query.groupBy !== undefined && query.groupBy.length > 0) return true;
  const isAggregate = (e: Expression) => containsAggregate(e, functions);
  return query.select.some((s) => s.kind === 'SingleColumn' && isAggregate(s.expression)) || (query.having !== undefined && isAggregate(query.having));
}

/** The identity of an expression for GROUP BY matching: its text without source qualifiers. */
export function expressionKey(e: Expression): string {
  return formatExpression(unqualified(e));
}

const WINDOW_BOUNDS = new Set<string>(WINDOW_BOUND_COLUMNS);

const KAFKA_VALUE_FORMAT_LIMITATION_DETAILS =
  'The KAFKA format is primarily intended for use as a key format. It can be used as a value format, but can not be used in any ' +
  'operation that requires a repartition or changelog topic.\n' +
  'Removing this limitation requires enhancements to the core of KSQL. This will come in a future release. Until then, avoid ' +
  'using the KAFKA format for values.\n' +
  'If you have an existing topic with KAFKA formatted values you can duplicate the data and serialize using Avro or JSON with a ' +
  "statement such as: \n\n'CREATE STREAM <new-stream-name> WITH(VALUE_FORMAT='Avro') AS SELECT * FROM <existing-kafka-formated-stream-name>;'\n" +
  'For more info see https://github.com/confluentinc/ksql/issues/3060';

export function analyzeAggregateQuery(query: Query, metastore: MetaStore, opts: AggregateAnalysisOptions): AggregateAnalysis {
  if (query.from.kind === 'Join') throw new UnsupportedError('joins');
  if (query.partitionBy) throw new UnsupportedError('PARTITION BY in an aggregation');
  const relation = query.from;
  const source = metastore.getSource(relation.name);
  if (!source) throw unknownSourceError(relation.name, relation.loc);
  if (source.window) throw new UnsupportedError('aggregation over a windowed source');

  const scope = sourceScope(source, relation.alias ?? relation.name);
  const persistent = opts.sinkName !== undefined;
  const window = query.window;
  const qualify = (e: Expression) => qualifyWithAlias(e, scope);

  // Without GROUP BY, ksqlDB groups every row into one group with a constant key.
  const implicitGroupBy = query.groupBy === undefined || query.groupBy.length === 0;
  const groupBy = implicitGroupBy ? [{ kind: 'IntegerLiteral', value: 1 } as Expression] : query.groupBy!.map(qualify);
  rejectDuplicateGroupBy(groupBy, scope);

  const items = expandSelect(query.select, scope);
  rejectReservedNames(items, persistent);

  const where = query.where ? qualify(query.where) : undefined;
  const having = query.having ? qualify(query.having) : undefined;
  validateColumnReferences(scope, window !== undefined, [
    ['WHERE', where ? [where] : []],
    ['GROUP BY', implicitGroupBy ? [] : groupBy],
    ['HAVING', having ? [having] : []],
    ['SELECT', items.map((i) => i.expression)],
  ]);
  if (source.valueFormat.format === 'KAFKA') {
    throw new KsqlError(
      `Source(s) ${scope.alias} are using the 'KAFKA' value format. This format does not yet support GROUP BY.\n${KAFKA_VALUE_FORMAT_LIMITATION_DETAILS}`,
    );
  }

  const functions = opts.functions;
  const sourceTypes = new Scope(scope.columns.map((c) => ({ name: c.name, source: scope.alias, type: c.type, index: c.index })));
  if (where) checkWhere(where, sourceTypes, functions, window !== undefined);

  // Aggregate calls, with ksqlDB's structural checks on every clause.
  const calls = new AggregateCallCollector(functions, window !== undefined);
  for (const item of items) calls.visitSelect(item.expression);
  if (where) calls.visitWhere(where);
  if (!implicitGroupBy) for (const g of groupBy) calls.visitGroupBy(g);
  if (having) calls.visitHaving(having);

  const aggregates = calls.found.map((call) => resolveAggregate(call, sourceTypes, functions, opts.properties));
  const post = postAggregationScope(scope, aggregates, window !== undefined);
  const projectionTypes = items.map((item) => postAggregationType(item.expression, post, functions, 'SELECT'));

  enforceGroupByRules(items, groupBy, having, aggregates.length, window !== undefined, functions);

  const groupByTypes = groupBy.map((g) => typeOf(g, sourceTypes, functions, { clause: 'GROUP BY' }));
  const { columns, keyColumns } = outputColumns(items, projectionTypes, groupBy, groupByTypes, scope, persistent);

  if (having) checkHaving(having, post, functions);
  if (persistent) validateKeysPresent(groupBy, items, opts.sinkName!, implicitGroupBy, aggregates);

  return {
    source,
    scope,
    ...(where ? { where } : {}),
    groupBy,
    implicitGroupBy,
    keyColumns,
    ...(window ? { window } : {}),
    aggregates,
    columns,
    ...(having ? { having } : {}),
    requiredColumns: requiredColumns([...columns.filter((c) => c.keySlot === undefined).map((c) => c.expression), ...(having ? [having] : [])], scope, functions),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    emitChanges: query.emit === 'CHANGES',
  };
}

// -------------------------------------------------------------------------------------------
// Expression helpers
// -------------------------------------------------------------------------------------------

function containsAggregate(e: Expression, functions: FunctionRegistry): boolean {
  let found = false;
  rewriteExpression(e, (node) => {
    if (node.kind === 'FunctionCall' && functions.isAggregate(node.name)) found = true;
    return undefined;
  });
  return found;
}

function isWindowBound(e: Expression): boolean {
  return e.kind === 'ColumnRef' && WINDOW_BOUNDS.has(e.name);
}

/** Qualified references must use the source's alias (or name); they then carry the alias. */
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

/** Every column reference qualified with the source alias, as ksqlDB's AstSanitizer writes them. */
function fullyQualified(e: Expression, scope: SourceScope): Expression {
  return rewriteExpression(e, (node) => (node.kind === 'ColumnRef' ? { ...node, source: scope.alias } : undefined));
}

function rejectDuplicateGroupBy(groupBy: readonly Expression[], scope: SourceScope): void {
  const seen = new Set<string>();
  for (const g of groupBy) {
    const key = expressionKey(g);
    if (seen.has(key)) throw new KsqlStatementError(`Duplicate GROUP BY expression: ${formatExpression(fullyQualified(g, scope))}`);
    seen.add(key);
  }
}

// -------------------------------------------------------------------------------------------
// Projection
// -------------------------------------------------------------------------------------------

interface NamedItem {
  readonly name: string;
  readonly expression: Expression;
  /** The alias was written in the statement. */
  readonly explicitAlias: boolean;
}

/** SELECT items with `*` expanded and ksqlDB's implicit aliases (column name, field name, KSQL_COL_n). */
function expandSelect(select: readonly SelectItem[], scope: SourceScope): NamedItem[] {
  const taken = new Set(scope.columns.map((c) => c.name));
  let next = 0;
  const generate = (): string => {
    for (;;) {
      const name = `KSQL_COL_${next++}`;
      if (!taken.has(name)) return name;
    }
  };
  const out: NamedItem[] = [];
  for (const item of select) {
    if (item.kind === 'AllColumns') {
      if (item.source !== undefined && item.source !== scope.alias && item.source !== scope.source.name) {
        throw new KsqlError(`'${item.source}' is not a valid stream/table name or alias.`);
      }
      for (const c of scope.columns) {
        if (c.namespace === 'PSEUDO') continue;
        out.push({ name: c.name, expression: { kind: 'ColumnRef', name: c.name, source: scope.alias }, explicitAlias: false });
      }
      continue;
    }
    const expression = qualifyWithAlias(item.expression, scope);
    if (item.alias !== undefined) {
      out.push({ name: item.alias, expression, explicitAlias: true });
      continue;
    }
    const name = expression.kind === 'ColumnRef' ? expression.name : expression.kind === 'Dereference' ? expression.field : generate();
    out.push({ name, expression, explicitAlias: false });
  }
  return out;
}

/** Analyzer.checkForReservedToken: system column names in the projection. */
function rejectReservedNames(items: readonly NamedItem[], persistent: boolean): void {
  for (const item of items) {
    const reserved = [...RESERVED_COLUMN_NAMES].find((r) => r === item.name.toUpperCase());
    if (reserved === undefined) continue;
    const text = formatExpression(unqualified(item.expression));
    if (text.toUpperCase() !== reserved) {
      throw new KsqlError(`\`${reserved}\` is a reserved column name. You cannot use it as an alias for a column.`);
    }
    if (persistent) throw new KsqlError(`Reserved column name in select: \`${reserved}\`. Please remove or alias the column.`);
  }
}

// -------------------------------------------------------------------------------------------
// Column references and types
// -------------------------------------------------------------------------------------------

/** ColumnReferenceValidator: every referenced column exists (window bounds do in windowed queries). */
function validateColumnReferences(scope: SourceScope, windowed: boolean, clauses: readonly [string, readonly Expression[]][]): void {
  for (const [clause, expressions] of clauses) {
    for (const e of expressions) {
      for (const ref of collectColumnRefs(e)) {
        if (scope.columns.some((c) => c.name === ref.name)) continue;
        if (windowed && WINDOW_BOUNDS.has(ref.name)) continue;
        const shown = ref.source === undefined ? ref.name : `${ref.source}.${ref.name}`;
        throw new KsqlStatementError(`${clause} column '${shown}' cannot be resolved.`);
      }
    }
  }
}

/** FilterTypeValidator for WHERE: the window bounds of a windowed aggregation do not exist before it. */
function checkWhere(where: Expression, sourceTypes: Scope, functions: FunctionRegistry, windowed: boolean): void {
  if (windowed) {
    const bound = collectColumnRefs(where).find((r) => WINDOW_BOUNDS.has(r.name));
    if (bound) throw new KsqlStatementError(`Error in WHERE expression: Unknown column ${bound.name}.`);
  }
  const type = typeOf(where, sourceTypes, functions, { clause: 'WHERE', errorPrefix: 'Error in WHERE expression' });
  if (type.kind !== 'BOOLEAN') {
    throw new KsqlError(
      `Type error in WHERE expression: Should evaluate to boolean but is ${formatExpression(unqualified(where))} (${formatSqlType(type)}) instead.`,
    );
  }
}

/** The scope of post-aggregation expressions: source columns, then aggregate results, then window bounds. */
export interface PostAggregationScope {
  readonly scope: Scope;
  readonly aggregateSlots: ReadonlyMap<string, { readonly type: SqlType; readonly index: number }>;
  /** Row positions of WINDOWSTART and WINDOWEND for windowed aggregations, else -1. */
  readonly windowStartIndex: number;
  readonly windowEndIndex: number;
  /** Length of the post-aggregation row. */
  readonly width: number;
}

export function postAggregationScope(scope: SourceScope, aggregates: readonly AggregateCall[], windowed: boolean): PostAggregationScope {
  const base = scope.columns.length;
  const aggregateSlots = new Map<string, { type: SqlType; index: number }>();
  aggregates.forEach((a, i) => aggregateSlots.set(a.text, { type: a.fn.returnType, index: base + i }));
  const entries = scope.columns.map((c) => ({ name: c.name, source: scope.alias, type: c.type, index: c.index }));
  const windowStartIndex = windowed ? base + aggregates.length : -1;
  if (windowed) {
    entries.push({ name: 'WINDOWSTART', source: scope.alias, type: SqlTypes.BIGINT, index: windowStartIndex });
    entries.push({ name: 'WINDOWEND', source: scope.alias, type: SqlTypes.BIGINT, index: windowStartIndex + 1 });
  }
  return {
    scope: new Scope(entries),
    aggregateSlots,
    windowStartIndex,
    windowEndIndex: windowed ? windowStartIndex + 1 : -1,
    width: base + aggregates.length + (windowed ? 2 : 0),
  };
}

/** Aggregate calls are read from their slots; everything else from the source columns. */
export function aggregateSlotFor(post: PostAggregationScope, functions: FunctionRegistry) {
  return (e: Expression) => (e.kind === 'FunctionCall' && functions.isAggregate(e.name) ? post.aggregateSlots.get(expressionKey(e)) : undefined);
}

function postAggregationType(e: Expression, post: PostAggregationScope, functions: FunctionRegistry, clause: string): SqlType {
  return typeOf(e, post.scope, functions, { clause, slotFor: aggregateSlotFor(post, functions) });
}

function checkHaving(having: Expression, post: PostAggregationScope, functions: FunctionRegistry): void {
  const type = typeOf(having, post.scope, functions, {
    clause: 'HAVING',
    errorPrefix: 'Error in HAVING expression',
    slotFor: aggregateSlotFor(post, functions),
  });
  if (type.kind !== 'BOOLEAN') {
    throw new KsqlError(
      `Type error in HAVING expression: Should evaluate to boolean but is ${formatExpression(unqualified(having))} (${formatSqlType(type)}) instead.`,
    );
  }
}

// -------------------------------------------------------------------------------------------
// Aggregate calls
// -------------------------------------------------------------------------------------------

/** AggregateAnalyzer's visitor: finds the aggregate calls and enforces where they may appear. */
class AggregateCallCollector {
  readonly found: FunctionCall[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly functions: FunctionRegistry,
    private readonly windowed: boolean,
  ) {}

  visitSelect(e: Expression): void {
    this.walk(e, undefined, (inAggregate, node) => {
      if (inAggregate) this.rejectWindowBound(node);
    });
  }

  visitWhere(e: Expression): void {
    this.walk(e, undefined, (_inAggregate, node) => this.rejectWindowBound(node));
  }

  visitGroupBy(e: Expression): void {
    this.walk(e, undefined, (inAggregate, node) => {
      if (inAggregate) throw new KsqlError(`GROUP BY does not support aggregate functions: ${inAggregate} is an aggregate function.`);
      this.rejectWindowBound(node);
    });
  }

  visitHaving(e: Expression): void {
    this.walk(e, undefined, (_inAggregate, node) => this.rejectWindowBound(node));
  }

  private rejectWindowBound(node: Expression): void {
    if (this.windowed && isWindowBound(node)) {
      const name = (node as { name: string }).name;
      throw new KsqlError(
        `Window bounds column ${name} can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.\n` +
          'See https://github.com/confluentinc/ksql/issues/4397',
      );
    }
  }

  /** Visits column references, telling `onColumn` the enclosing aggregate (if any). */
  private walk(e: Expression, inAggregate: string | undefined, onColumn: (inAggregate: string | undefined, node: Expression) => void): void {
    rewriteExpression(e, (node) => {
      if (node.kind === 'ColumnRef') {
        onColumn(inAggregate, node);
        return node;
      }
      if (node.kind !== 'FunctionCall' || !this.functions.isAggregate(node.name)) return undefined;
      if (inAggregate !== undefined) throw new KsqlError(`Aggregate functions can not be nested: ${inAggregate}(${node.name}())`);
      if (node.args.length === 0) onColumn(node.name, { kind: 'ColumnRef', name: 'ROWTIME' });
      for (const arg of node.args) this.walk(arg, node.name, onColumn);
      const call = unqualified(node) as FunctionCall;
      const text = expressionKey(call);
      if (!this.seen.has(text)) {
        this.seen.add(text);
        this.found.push(call);
      }
      return node;
    });
  }
}

function isLiteral(e: Expression): boolean {
  switch (e.kind) {
    case 'NullLiteral':
    case 'BooleanLiteral':
    case 'IntegerLiteral':
    case 'BigintLiteral':
    case 'DecimalLiteral':
    case 'DoubleLiteral':
    case 'StringLiteral':
      return true;
    case 'Negation':
      return e.operand.kind === 'IntegerLiteral' || e.operand.kind === 'BigintLiteral' || e.operand.kind === 'DecimalLiteral' || e.operand.kind === 'DoubleLiteral';
    default:
      return false;
  }
}

const NO_COLUMNS = new Scope([]);

function literalValue(e: Expression, functions: FunctionRegistry): Value {
  const compiled = compileExpression(e, NO_COLUMNS, functions);
  return compiled.evaluate([], { now: Date.now, properties: {}, onError: () => undefined });
}

/** UdafUtil + the function factory: splits column and literal arguments and resolves the variant. */
function resolveAggregate(
  call: FunctionCall,
  sourceTypes: Scope,
  functions: FunctionRegistry,
  properties: Readonly<Record<string, string>>,
): AggregateCall {
  const factory = lookupAggregate(call.name);
  if (!factory) throw new UnsupportedError(`aggregate function ${call.name}`);
  const args = call.args;
  const argTypes = args.map((a) => typeOf(a, sourceTypes, functions, { clause: 'SELECT' }));
  const literalCount = factory.literalArgCount(argTypes);
  const columnCount = args.length - literalCount;
  for (let i = columnCount; i < args.length; i++) {
    if (!isLiteral(args[i]!)) throw nonLiteralArgumentError(call.name, i + 1, formatExpression(args[i]!));
  }
  const literalArgs = args.slice(columnCount).map((a) => literalValue(a, functions));
  const columnArgTypes = argTypes.slice(0, columnCount);
  const fn = factory.create(columnArgTypes, literalArgs, { properties });
  return { call, text: expressionKey(call), columnArgs: args.slice(0, columnCount), columnArgTypes, literalArgs, fn };
}

// -------------------------------------------------------------------------------------------
// GROUP BY rules
// -------------------------------------------------------------------------------------------

/**
 * Column references of `e` outside aggregate calls and outside sub-expressions that are GROUP
 * BY expressions (window bounds count as grouped in windowed aggregations).
 */
function ungroupedColumns(e: Expression, grouped: ReadonlySet<string>, windowed: boolean, functions: FunctionRegistry): Expression[] {
  const out: Expression[] = [];
  rewriteExpression(e, (node) => {
    if (grouped.has(expressionKey(node))) return node;
    if (node.kind === 'FunctionCall' && functions.isAggregate(node.name)) return node;
    if (node.kind === 'ColumnRef') {
      if (!(windowed && WINDOW_BOUNDS.has(node.name))) out.push(node);
      return node;
    }
    return undefined;
  });
  return out;
}

/** AggregateAnalyzer.enforceAggregateRules. */
function enforceGroupByRules(
  items: readonly NamedItem[],
  groupBy: readonly Expression[],
  having: Expression | undefined,
  aggregateCount: number,
  windowed: boolean,
  functions: FunctionRegistry,
): void {
  if (aggregateCount === 0) throw new KsqlError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');
  const grouped = new Set(groupBy.map(expressionKey));
  const selects = items.filter((i) => ungroupedColumns(i.expression, grouped, windowed, functions).length > 0);
  if (selects.length > 0) {
    throw new KsqlError(
      `Non-aggregate SELECT expression(s) not part of GROUP BY: ${selects.map((i) => expressionKey(i.expression)).join(', ')}\n` +
        'Either add the column(s) to the GROUP BY or remove them from the SELECT.',
    );
  }
  if (having) {
    const columns = [...new Set(ungroupedColumns(having, grouped, windowed, functions).map(expressionKey))];
    if (columns.length > 0) {
      throw new KsqlError(
        `Non-aggregate HAVING expression not part of GROUP BY: ${columns.join(', ')}\n` +
          'Consider switching the HAVING clause to a WHERE clause before the GROUP BY.',
      );
    }
  }
}

// -------------------------------------------------------------------------------------------
// Output schema
// -------------------------------------------------------------------------------------------

/** ColumnNames.uniqueAliasFor: a struct field's name, else KSQL_COL_n unused by the source. */
function uniqueAliasFor(e: Expression, scope: SourceScope): string {
  if (e.kind === 'Dereference') return e.field;
  const taken = new Set(scope.columns.map((c) => c.name));
  for (let i = 0; ; i++) if (!taken.has(`KSQL_COL_${i}`)) return `KSQL_COL_${i}`;
}

/** LogicalPlanner.buildAggregateSchema: key columns named after the projection, value columns. */
function outputColumns(
  items: readonly NamedItem[],
  types: readonly SqlType[],
  groupBy: readonly Expression[],
  groupByTypes: readonly SqlType[],
  scope: SourceScope,
  persistent: boolean,
): { columns: AggregateOutputColumn[]; keyColumns: Column[] } {
  const seenValues = new Set<string>();
  items.forEach((item, i) => {
    if (seenValues.has(item.name)) {
      throw new KsqlError(`Duplicate value columns found in schema: \`${item.name}\` ${formatSqlType(types[i]!)}`);
    }
    seenValues.add(item.name);
  });

  const keySlotOfItem = new Map<number, number>();
  const keyColumns = groupBy.map((g, slot): Column => {
    const key = expressionKey(g);
    const matches = items.map((item, i) => ({ item, i })).filter(({ item }) => expressionKey(item.expression) === key);
    if (matches.length > 1) {
      throw new KsqlStatementError(
        `The projection contains a key column more than once: ${joinWithAnd(matches.map((m) => `\`${m.item.name}\``))}.\n` +
          'Each key column must only be in the projection once. If you intended to copy the key into the value, then consider ' +
          'using the AS_VALUE function to indicate which key reference should be copied.',
      );
    }
    if (matches.length === 1) keySlotOfItem.set(matches[0]!.i, slot);
    const name = matches.length === 1 ? matches[0]!.item.name : g.kind === 'ColumnRef' ? g.name : uniqueAliasFor(g, scope);
    return { name, type: groupByTypes[slot]!, namespace: 'KEY' };
  });

  const columns = items.map((item, i): AggregateOutputColumn => {
    const slot = persistent ? keySlotOfItem.get(i) : undefined;
    return { name: item.name, expression: item.expression, type: types[i]!, ...(slot !== undefined ? { keySlot: slot } : {}) };
  });
  if (persistent && !columns.some((c) => c.keySlot === undefined)) throw new KsqlStatementError('The projection contains no value columns.');
  return { columns, keyColumns };
}

/** AggregateNode.validateKeyPresent. */
function validateKeysPresent(
  groupBy: readonly Expression[],
  items: readonly NamedItem[],
  sinkName: string,
  implicitGroupBy: boolean,
  aggregates: readonly AggregateCall[],
): void {
  const projected = new Set(items.map((i) => expressionKey(i.expression)));
  const missing = groupBy.filter((g) => !projected.has(expressionKey(g)));
  if (missing.length === 0) return;
  if (implicitGroupBy) {
    const list = aggregates.map((a) => (a.call.args.length === 0 ? `${a.call.name}(ROWTIME)` : formatExpression(a.call))).join(', ');
    throw new KsqlStatementError(`CREATE TABLE AS SELECT statement does not support aggregate function [${list}] without a GROUP BY clause.`);
  }
  const names = missing.map(expressionKey);
  const plural = names.length > 1;
  throw new KsqlStatementError(
    `Key${plural ? 's' : ''} missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n` +
      `The query used to build \`${sinkName}\` must include the grouping expression${plural ? 's' : ''} ${joinWithAnd(names)} in its projection ` +
      `(eg, SELECT ${names.join(', ')}...).`,
  );
}

/** Scope positions of the source columns that post-aggregation expressions read outside aggregate calls. */
function requiredColumns(expressions: readonly Expression[], scope: SourceScope, functions: FunctionRegistry): number[] {
  const needed = new Set<number>();
  for (const e of expressions) {
    rewriteExpression(e, (node) => {
      if (node.kind === 'FunctionCall' && functions.isAggregate(node.name)) return node;
      if (node.kind === 'ColumnRef') {
        const column = scope.columns.find((c) => c.name === node.name);
        if (column) needed.add(column.index);
        return node;
      }
      return undefined;
    });
  }
  return [...needed].sort((a, b) => a - b);
}
