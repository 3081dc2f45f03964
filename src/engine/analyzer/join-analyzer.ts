/**
 * Analysis of a SELECT over a join (ksqlDB's AstSanitizer, the join parts of its Analyzer and
 * the join checks of its LogicalPlanner and JoinNode), in ksqlDB's order:
 *
 * 1. sources: unknown sources, self joins;
 * 2. sanitizing: unqualified column references get the alias of the one source that has the
 *    column ("Column 'X' is ambiguous" otherwise), select items get their names (a qualified
 *    column whose name both sources have is named `ALIAS_NAME`, `*` expands to `ALIAS_NAME`
 *    columns);
 * 3. the ON clause: one equality, each side referencing exactly one source;
 * 4. unknown columns, the KAFKA value format, reserved names;
 * 5. the join itself: only stream-table INNER and LEFT joins on the table's primary key run
 *    here; ksqlDB's own errors for what it rejects, `Unsupported:` for what it runs and we do not
 *    (stream-stream, table-table, RIGHT joins, joins of more than two sources, aggregating a join);
 * 6. the output key: the join key, named after the first join column (stream side first) that
 *    the projection contains, or the PARTITION BY expressions.
 *
 * The stream side is re-keyed by its join expression unless it is already keyed by it (its one
 * key column); the table side always joins on its primary key.
 */
import { KsqlError, KsqlStatementError, UnsupportedError } from '../errors.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { MetaStore } from '../metastore/metastore.js';
import type { DataSource } from '../metastore/types.js';
import type { AliasedRelation, ColumnRef, Expression, JoinedSource, JoinRelation, Query, SelectItem } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { formatSqlType, sqlTypeEquals, type SqlType } from '../types.js';
import { collectColumnRefs, rewriteExpression } from './expression-tree.js';
import { findJoinedColumn, joinScope, joinSides, sideByQualifier, sidesWithColumn, type JoinScope, type JoinSide } from './join-scope.js';
import type { OutputColumn } from './query-analyzer.js';
import { isAggregateQuery } from './aggregate-analyzer.js';
import { PULL_QUERY_SYNTAX_HELP } from './pull-query-validator.js';
import { joinWithAnd, keyColumnsBySlot, locationPrefix, unknownSourceError } from './query-analyzer.js';
import { PSEUDO_COLUMNS, RESERVED_COLUMN_NAMES } from './source-scope.js';

export type StreamTableJoinType = 'INNER' | 'LEFT';

/** Clauses named in a join query's errors. */
export type JoinClause = 'SELECT' | 'WHERE' | 'PARTITION BY' | 'JOIN ON' | 'GROUP BY' | 'HAVING';

export interface JoinAnalysisOptions {
  /** Sink name for persistent queries (key checks and reserved names apply); undefined for transient queries. */
  readonly sinkName?: string;
  readonly functions: FunctionRegistry;
  /** The type of an expression over the joined row, with ksqlDB's type errors. */
  readonly typeOf: (e: Expression, scope: JoinScope, clause: JoinClause) => SqlType;
}

export interface AnalyzedJoin {
  readonly scope: JoinScope;
  readonly joinType: StreamTableJoinType;
  /** The left side: always the stream. */
  readonly stream: JoinSide;
  /** The right side: always the table. */
  readonly table: JoinSide;
  /** The stream's side of the ON clause (qualified with the stream's alias). */
  readonly streamKey: Expression;
  /** True when the stream is not keyed by `streamKey` and must be re-keyed by it. */
  readonly repartition: boolean;
  /** Type of the join key (the table's primary key). */
  readonly keyType: SqlType;
  readonly where?: Expression;
  /** PARTITION BY expressions (qualified); `[]` for PARTITION BY NULL; undefined when absent. */
  readonly partitionBy?: readonly Expression[];
  /** Output columns in projection order; expressions are over the joined row, qualified. */
  readonly columns: readonly OutputColumn[];
  /** Where the output key comes from: the join key, or the PARTITION BY expressions. */
  readonly keySource: 'join' | 'partition';
  /** Names of the key the output must carry (ksqlDB's key column names), for the key checks. */
  readonly keySlots: readonly string[];
  /** The join expressions that are plain columns (ksqlDB's viable key columns), stream side first. */
  readonly viableKeys: readonly ColumnRef[];
  readonly within: boolean;
  readonly limit?: number;
  readonly emitChanges: boolean;
}

const KAFKA_VALUE_FORMAT_LIMITATION_DETAILS =
  'The KAFKA format is primarily intended for use as a key format. ' +
  'It can be used as a value format, but can not be used in any operation that ' +
  'requires a repartition or changelog topic.\n' +
  'Removing this limitation requires enhancements to the core of KSQL. ' +
  'This will come in a future release. Until then, avoid using the KAFKA format for values.\n' +
  'If you have an existing topic with KAFKA formatted values you can duplicate the data and serialize using Avro or JSON with a ' +
  'statement such as: \n\n' +
  "'CREATE STREAM <new-stream-name> WITH(VALUE_FORMAT='Avro') AS SELECT * FROM <existing-kafka-formated-stream-name>;'\n" +
  'For more info see https://github.com/confluentinc/ksql/issues/3060';

/** ksqlDB's JoinNode.JoinType spelling in messages. */
function joinTypeText(type: JoinedSource['type']): string {
  switch (type) {
    case 'INNER':
      return '[INNER] JOIN';
    case 'LEFT':
      return 'LEFT [OUTER] JOIN';
    case 'RIGHT':
      return 'RIGHT [OUTER] JOIN';
    case 'FULL':
      return '[FULL] OUTER JOIN';
  }
}

/** GrammaticalJoiner.or(): "A", "A or B", "A, B or C". */
function joinWithOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** ColumnNames.generatedJoinColumnAlias: `T.ID` → `T_ID`. */
export function joinColumnAlias(alias: string, name: string): string {
  return `${alias}_${name}`;
}

function sameColumn(a: Expression, b: ColumnRef): boolean {
  return a.kind === 'ColumnRef' && a.source === b.source && a.name === b.name;
}

/** True when the query aggregates the join: GROUP BY, or an aggregate call (as for any source). */
export function aggregatesJoin(query: Query, functions: FunctionRegistry): boolean {
  return isAggregateQuery(query, functions);
}

/** What the projection path and the aggregation path share: the sources, the ON clause, the join checks. */
export interface JoinInput {
  readonly scope: JoinScope;
  readonly joinType: StreamTableJoinType;
  readonly stream: JoinSide;
  readonly table: JoinSide;
  readonly streamKey: Expression;
  readonly repartition: boolean;
  readonly keyType: SqlType;
  readonly viableKeys: readonly ColumnRef[];
  readonly within: boolean;
  /** The select items, named (`*` expanded); expressions qualified. */
  readonly items: readonly NamedItem[];
  /** The select items as written, with qualified expressions (for Projection.containsExpression). */
  readonly select: readonly SelectItem[];
  readonly where?: Expression;
  readonly partitionBy?: readonly Expression[];
  /** Qualified GROUP BY and HAVING (aggregation path). */
  readonly groupBy?: readonly Expression[];
  readonly having?: Expression;
}

/**
 * Steps 1 to 5. `aggregating`: a GROUP BY over the join follows (unknown unqualified columns are
 * then reported at once: they cannot be a synthetic join key).
 */
export function analyzeJoinInput(query: Query, metastore: MetaStore, opts: JoinAnalysisOptions, aggregating: boolean): JoinInput {
  const from = query.from as JoinRelation;
  if (from.joins.length !== 1) throw new UnsupportedError('joins of more than two sources');
  const joined = from.joins[0]!;

  // 1. Sources.
  const leftSource = resolveSource(from.left, metastore);
  const rightSource = resolveSource(joined.relation, metastore);
  if (leftSource.name === rightSource.name) {
    throw new KsqlError(`Can not join '${rightSource.name}' to '${leftSource.name}': self joins are not yet supported.`);
  }
  const scope = joinScope(leftSource, from.left.alias ?? leftSource.name, rightSource, joined.relation.alias ?? rightSource.name);

  // 2. Sanitizing, in the order ksqlDB's AstSanitizer walks the query.
  const qualify = (e: Expression) => qualifyColumns(e, scope);
  const select = query.select.map((item): SelectItem => (item.kind === 'SingleColumn' ? { ...item, expression: qualify(item.expression) } : item));
  const criteria = qualify(joined.criteria);
  const where = query.where ? qualify(query.where) : undefined;
  const groupBy = query.groupBy?.map(qualify);
  const partitionBy = query.partitionBy ? partitionExpressions(query.partitionBy.map(qualify)) : undefined;
  const having = query.having ? qualify(query.having) : undefined;

  // 3. The ON clause.
  const on = analyzeCriteria(criteria, scope);

  // 4. Names, reserved names, unknown columns, formats.
  const items = nameSelectItems(select, scope);
  checkReservedNames(items, opts.sinkName !== undefined);
  // Unqualified unknown columns might be a synthetic join key: ksqlDB reports them after the
  // join checks, unless the query aggregates.
  const qualifiedOnly = !aggregating;
  const resolveAll = (only: boolean) => {
    checkColumnsResolve(scope, where, 'WHERE', only);
    for (const g of groupBy ?? []) checkColumnsResolve(scope, g, 'GROUP BY', only);
    for (const p of partitionBy ?? []) checkColumnsResolve(scope, p, 'PARTITION BY', only);
    checkColumnsResolve(scope, having, 'HAVING', only);
    for (const item of items) checkColumnsResolve(scope, item.expression, 'SELECT', only);
  };
  resolveAll(qualifiedOnly);
  const kafkaValued = joinSides(scope).filter((s) => s.source.valueFormat.format === 'KAFKA');
  if (kafkaValued.length > 0) {
    throw new KsqlError(
      `Source(s) ${kafkaValued.map((s) => s.alias).join(', ')} are using the 'KAFKA' value format. ` +
        `This format does not yet support JOIN.\n${KAFKA_VALUE_FORMAT_LIMITATION_DETAILS}`,
    );
  }

  if (opts.sinkName === undefined && query.emit === undefined) {
    throw new KsqlError(`Pull queries don't support JOIN clauses.${PULL_QUERY_SYNTAX_HELP}`);
  }

  // 5. The join.
  const stream = scope.left;
  const table = scope.right;
  verifyJoin(joined, on, stream, table);
  const tableKey = table.source.schema.columns.find((c) => c.namespace === 'KEY')!;
  const keyType = opts.typeOf(on.left, scope, 'JOIN ON');
  if (!sqlTypeEquals(keyType, tableKey.type)) {
    throw new KsqlError(`Invalid join. Key types differ: ${formatSqlType(keyType)} vs ${formatSqlType(tableKey.type)}`);
  }
  if (qualifiedOnly) resolveAll(false);
  const streamKeys = stream.source.schema.columns.filter((c) => c.namespace === 'KEY');
  const repartition = !(streamKeys.length === 1 && on.left.kind === 'ColumnRef' && on.left.name === streamKeys[0]!.name);

  return {
    scope,
    joinType: joined.type as StreamTableJoinType,
    stream,
    table,
    streamKey: on.left,
    repartition,
    keyType,
    viableKeys: [on.left, on.right].filter((e): e is ColumnRef => e.kind === 'ColumnRef'),
    within: joined.within !== undefined,
    items,
    select,
    ...(where ? { where } : {}),
    ...(partitionBy ? { partitionBy } : {}),
    ...(groupBy ? { groupBy } : {}),
    ...(having ? { having } : {}),
  };
}

export function analyzeJoin(query: Query, metastore: MetaStore, opts: JoinAnalysisOptions): AnalyzedJoin {
  if (aggregatesJoin(query, opts.functions)) throw new KsqlError('Internal error: an aggregating join goes through ./join-aggregation.ts');
  const input = analyzeJoinInput(query, metastore, opts, false);
  // LogicalPlanner: a WINDOW or HAVING without aggregation.
  if (query.window) throw new KsqlError(`${locationPrefix(query.window.loc)}WINDOW clause requires a GROUP BY clause.`);
  if (query.having) throw new UnsupportedError('HAVING without GROUP BY over a join');
  const { scope, items, where, partitionBy } = input;

  for (const item of items) opts.typeOf(item.expression, scope, 'SELECT');
  if (where) opts.typeOf(where, scope, 'WHERE');
  for (const p of partitionBy ?? []) opts.typeOf(p, scope, 'PARTITION BY');

  // 6. The output key.
  const persistent = opts.sinkName !== undefined;
  const keyed = partitionBy ? partitionKeys(items, partitionBy, persistent) : joinKeys(items, input.select, input.viableKeys, persistent);

  return {
    scope,
    joinType: input.joinType,
    stream: input.stream,
    table: input.table,
    streamKey: input.streamKey,
    repartition: input.repartition,
    keyType: input.keyType,
    ...(where ? { where } : {}),
    ...(partitionBy ? { partitionBy } : {}),
    columns: keyed.columns,
    keySource: partitionBy ? 'partition' : 'join',
    keySlots: keyed.keySlots,
    viableKeys: input.viableKeys,
    within: input.within,
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    emitChanges: query.emit === 'CHANGES',
  };
}

function resolveSource(relation: AliasedRelation, metastore: MetaStore): DataSource {
  const source = metastore.getSource(relation.name);
  if (!source) throw unknownSourceError(relation.name, relation.loc);
  return source;
}

/** PARTITION BY NULL makes the output keyless. */
function partitionExpressions(exprs: readonly Expression[]): Expression[] {
  if (exprs.length === 1 && exprs[0]!.kind === 'NullLiteral') return [];
  return [...exprs];
}

/**
 * AstSanitizer: qualifiers become aliases; an unqualified column gets the alias of the one
 * source that has it, stays unqualified when none has it (reported later as unknown), and is
 * ambiguous when both have it.
 */
function qualifyColumns(e: Expression, scope: JoinScope): Expression {
  return rewriteExpression(e, (node) => {
    if (node.kind !== 'ColumnRef') return undefined;
    if (node.source !== undefined) {
      const side = sideByQualifier(scope, node.source);
      return side && side.alias !== node.source ? { ...node, source: side.alias } : undefined;
    }
    const sides = sidesWithColumn(scope, node.name);
    if (sides.length > 1) {
      throw new KsqlStatementError(
        `Exception while preparing statement: ${locationPrefix(node.loc)}Column '${node.name}' is ambiguous. Could be ${joinWithOr(sides.map((s) => `${s.alias}.${node.name}`))}.`,
      );
    }
    return sides.length === 1 ? { ...node, source: sides[0]!.alias } : undefined;
  });
}

interface JoinCriteria {
  /** The FROM (left) source's side of the comparison. */
  readonly left: Expression;
  readonly right: Expression;
  /** The comparison as written, for messages. */
  readonly written: { readonly left: Expression; readonly right: Expression };
}

function isEquality(e: Expression): boolean {
  return e.kind === 'Comparison' && e.op === '=';
}

/** The Analyzer's checks of the ON clause, and its orientation (left = the FROM source). */
function analyzeCriteria(criteria: Expression, scope: JoinScope): JoinCriteria {
  if (criteria.kind !== 'Comparison') {
    if (criteria.kind === 'LogicalBinary' && isEquality(criteria.left) && isEquality(criteria.right)) {
      throw new KsqlError(`Invalid join condition: joins on multiple conditions are not yet supported. Got ${formatExpression(criteria)}.`);
    }
    throw new KsqlError(`Unsupported join expression: ${formatExpression(criteria)}`);
  }
  if (criteria.op !== '=') throw new KsqlError('Only equality join criteria is supported.');
  const leftSide = onlySourceOf(criteria.left, criteria, scope);
  const rightSide = onlySourceOf(criteria.right, criteria, scope);
  if (leftSide === rightSide) {
    throw new KsqlError(
      'Each side of the join must reference exactly one source and not the same source. ' +
        `Left side references \`${leftSide.alias}\` and right references \`${rightSide.alias}\``,
    );
  }
  const leftWindow = leftSide.source.window?.type;
  const rightWindow = rightSide.source.window?.type;
  if ((leftWindow === undefined) !== (rightWindow === undefined)) {
    throw new KsqlError(
      'Can not join windowed source to non-windowed source.\n' +
        `\`${leftSide.alias}\` is ${leftWindow ?? 'not'} windowed\n` +
        `\`${rightSide.alias}\` is ${rightWindow ?? 'not'} windowed`,
    );
  }
  if (leftWindow !== undefined) throw new UnsupportedError('joins of windowed sources');
  const flipped = leftSide === scope.right;
  return {
    left: flipped ? criteria.right : criteria.left,
    right: flipped ? criteria.left : criteria.right,
    written: { left: criteria.left, right: criteria.right },
  };
}

/** The one source a side of the ON clause references (ColumnReferenceValidator, clause JOIN ON). */
function onlySourceOf(e: Expression, criteria: Expression, scope: JoinScope): JoinSide {
  const sides = new Set<JoinSide>();
  for (const ref of collectColumnRefs(e)) {
    const column = ref.source === undefined ? undefined : findJoinedColumn(scope, ref.source, ref.name);
    if (!column) throw unknownColumnError(ref, 'JOIN ON');
    sides.add(column.side);
  }
  if (sides.size !== 1) {
    throw new KsqlError(
      `Invalid comparison expression '${formatExpression(e)}' in join '${formatExpression(criteria)}'. ` +
        'Each side of the join comparision must contain references from exactly one source.',
    );
  }
  return [...sides][0]!;
}

function unknownColumnError(ref: ColumnRef, clause: string): KsqlError {
  const shown = ref.source === undefined ? ref.name : `${ref.source}.${ref.name}`;
  return new KsqlStatementError(`${locationPrefix(ref.loc)}${clause} column '${shown}' cannot be resolved.`);
}

function checkColumnsResolve(scope: JoinScope, e: Expression | undefined, clause: JoinClause, qualifiedOnly = false): void {
  if (!e) return;
  for (const ref of collectColumnRefs(e)) {
    if (ref.source === undefined ? !qualifiedOnly : !findJoinedColumn(scope, ref.source, ref.name)) throw unknownColumnError(ref, clause);
  }
}

/**
 * LogicalPlanner.verifyJoin and JoinNode's joiner choice: what ksqlDB rejects gets ksqlDB's
 * message; what ksqlDB runs and this engine does not gets `Unsupported:`.
 */
function verifyJoin(joined: JoinedSource, on: JoinCriteria, left: JoinSide, right: JoinSide): void {
  const got = `Got ${left.source.name} ${joinTypeText(joined.type)} ${right.source.name}.`;
  if (joined.type === 'RIGHT') throw new UnsupportedError('RIGHT joins');
  if (left.source.type === 'STREAM' && right.source.type === 'STREAM') throw new UnsupportedError('stream-stream joins');
  if (left.source.type === 'TABLE' && right.source.type === 'STREAM') {
    throw new KsqlError(`Invalid join order: table-stream joins are not supported; only stream-table joins. ${got}`);
  }
  if (left.source.type === 'TABLE') throw new UnsupportedError('table-table joins');
  if (joined.type === 'FULL') throw new KsqlError(`Invalid join type: full-outer join not supported for stream-table join. ${got}`);
  const tableKeys = right.source.schema.columns.filter((c) => c.namespace === 'KEY');
  const onKey = on.right.kind === 'ColumnRef' && tableKeys.length === 1 && on.right.name === tableKeys[0]!.name;
  if (!onKey) {
    throw new KsqlError(
      'Invalid join condition: stream-table joins require to join on the table\'s primary key. ' +
        `Got ${formatExpression(on.written.left)} = ${formatExpression(on.written.right)}.`,
    );
  }
  if (left.source.topic === right.source.topic) throw new UnsupportedError('joining two sources over the same topic');
}

export interface NamedItem {
  readonly name: string;
  readonly expression: Expression;
  /** Came from `*` / `alias.*` expansion. */
  readonly fromStar: boolean;
  /** The explicit alias, if the item had one. */
  readonly explicitAlias?: string;
}

/** Names both sources' schemas have; pseudo columns are on both sides, so always. */
function clashingNames(scope: JoinScope): Set<string> {
  const names = (s: JoinSide) => new Set(s.source.schema.columns.map((c) => c.name));
  const left = names(scope.left);
  const clashing = new Set([...names(scope.right)].filter((n) => left.has(n)));
  for (const p of PSEUDO_COLUMNS) clashing.add(p);
  return clashing;
}

/** KSQL_COL_n, counted from 0, skipping names either source uses (ColumnNames.columnAliasGenerator). */
function columnAliasGenerator(scope: JoinScope): () => string {
  const taken = new Set(joinSides(scope).flatMap((s) => s.source.schema.columns.map((c) => c.name)));
  let next = 0;
  return () => {
    for (;;) {
      const name = `KSQL_COL_${next++}`;
      if (!taken.has(name)) return name;
    }
  };
}

/** AstSanitizer's select item names, and the expansion of `*` into every side's `ALIAS_NAME` columns. */
function nameSelectItems(select: readonly SelectItem[], scope: JoinScope): NamedItem[] {
  const clashing = clashingNames(scope);
  const generate = columnAliasGenerator(scope);
  const out: NamedItem[] = [];
  for (const item of select) {
    if (item.kind === 'AllColumns') {
      const sides = item.source === undefined ? joinSides(scope) : [sideByQualifier(scope, item.source)];
      for (const side of sides) {
        if (!side) throw new KsqlError(`'${item.source}' is not a valid stream/table name or alias.`);
        for (const c of side.scope.columns) {
          if (c.namespace === 'PSEUDO') continue;
          out.push({ name: joinColumnAlias(side.alias, c.name), expression: { kind: 'ColumnRef', source: side.alias, name: c.name }, fromStar: true });
        }
      }
      continue;
    }
    const e = item.expression;
    let name: string;
    if (item.alias !== undefined) name = item.alias;
    else if (e.kind === 'ColumnRef') name = e.source !== undefined && clashing.has(e.name) ? joinColumnAlias(e.source, e.name) : e.name;
    else if (e.kind === 'Dereference') name = e.field;
    else name = generate();
    out.push({ name, expression: e, fromStar: false, ...(item.alias !== undefined ? { explicitAlias: item.alias } : {}) });
  }
  return out;
}

/**
 * Analyzer.checkForReservedToken: a system column name as an alias is refused; a system column
 * selected under its own name is refused in persistent queries only.
 */
function checkReservedNames(items: readonly NamedItem[], persistent: boolean): void {
  for (const item of items) {
    const reserved = [...RESERVED_COLUMN_NAMES].find((r) => r.toUpperCase() === item.name.toUpperCase());
    if (reserved === undefined) continue;
    const text = formatExpression(item.expression);
    const matchesAlias = text.slice(text.indexOf('.') + 1).toUpperCase() === item.name.toUpperCase();
    if (!matchesAlias) throw new KsqlError(`\`${reserved}\` is a reserved column name. You cannot use it as an alias for a column.`);
    if (persistent) throw new KsqlError(`Reserved column name in select: \`${reserved}\`. Please remove or alias the column.`);
  }
}

/** ksqlDB's Projection.containsExpression for a join column: the column itself, or a `*` covering its side. */
function projectionContains(select: readonly SelectItem[], ref: ColumnRef): boolean {
  return select.some((item) =>
    item.kind === 'AllColumns' ? item.source === undefined || item.source === ref.source : sameColumn(item.expression, ref),
  );
}

function unkeyed(items: readonly NamedItem[]): OutputColumn[] {
  return items.map((i) => ({ name: i.name, expression: i.expression, isKey: false }));
}

/**
 * The join key as output key (LogicalPlanner.buildJoinKey): the first viable key column the
 * projection contains; items restating it carry the key.
 */
function joinKeys(
  items: readonly NamedItem[],
  select: readonly SelectItem[],
  viableKeys: readonly ColumnRef[],
  persistent: boolean,
): { columns: OutputColumn[]; keySlots: string[] } {
  const chosen = viableKeys.find((k) => projectionContains(select, k)) ?? viableKeys[0]!;
  const keySlots = [joinColumnAlias(chosen.source!, chosen.name)];
  if (!persistent) return { columns: unkeyed(items), keySlots };
  const columns = items.map((i): OutputColumn => {
    const isKey = sameColumn(i.expression, chosen);
    return { name: i.name, expression: i.expression, isKey, ...(isKey ? { keySlot: 0 } : {}) };
  });
  return { columns, keySlots };
}

/** The PARTITION BY expressions as output key: items restating an expression carry that part of the key. */
function partitionKeys(
  items: readonly NamedItem[],
  partitionBy: readonly Expression[],
  persistent: boolean,
): { columns: OutputColumn[]; keySlots: string[] } {
  if (items.some((i) => i.fromStar) && partitionBy.length > 0) throw new UnsupportedError('SELECT * with PARTITION BY over a join');
  const texts = partitionBy.map((p) => formatExpression(p));
  const keySlots = partitionBy.map((p, i) => (p.kind === 'ColumnRef' ? joinColumnAlias(p.source!, p.name) : `KSQL_COL_${i}`));
  if (!persistent) return { columns: unkeyed(items), keySlots };
  const columns = items.map((i): OutputColumn => {
    const slot = texts.indexOf(formatExpression(i.expression));
    return { name: i.name, expression: i.expression, isKey: slot >= 0, ...(slot >= 0 ? { keySlot: slot } : {}) };
  });
  return { columns, keySlots };
}

/**
 * The key checks of a persistent join query (JoinNode / UserRepartitionNode.validateKeyPresent
 * and FinalProjectNode): the key in the projection exactly once, and at least one value column.
 */
export function validateJoinProjectionKeys(analysis: AnalyzedJoin, sinkName: string): void {
  const bySlot = keyColumnsBySlot(analysis.columns, analysis.keySlots);
  if (analysis.keySource === 'join' && !bySlot.has(0)) {
    const viable = analysis.viableKeys.map((k) => formatExpression(k));
    throw new KsqlStatementError(
      'Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n' +
        `The query used to build \`${sinkName}\` must include the join expression${viable.length > 1 ? 's' : ''} ${joinWithOr(viable)} ` +
        `in its projection (eg, SELECT ${viable[0]}...).`,
    );
  }
  const partitions = analysis.partitionBy ?? [];
  if (analysis.keySource === 'partition' && partitions.some((_, i) => !bySlot.has(i))) {
    const required = partitions.map((p) => formatExpression(p));
    const plural = required.length > 1;
    throw new KsqlStatementError(
      `Key${plural ? 's' : ''} missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n` +
        `The query used to build \`${sinkName}\` must include the partitioning expression${plural ? 's' : ''} ${joinWithAnd(required)} ` +
        `in its projection (eg, SELECT ${required.join(', ')}...).`,
    );
  }
  if (!analysis.columns.some((c) => !c.isKey)) throw new KsqlStatementError('The projection contains no value columns.');
}
