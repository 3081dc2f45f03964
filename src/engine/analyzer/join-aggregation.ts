/**
 * A GROUP BY over a stream-table join, planned as ksqlDB plans it: the join's output is one
 * stream whose columns are both sides' columns under `ALIAS_NAME` names (ksqlDB's join schema:
 * key, value and pseudo columns of each side, the join key as key column), and the aggregation
 * runs over that stream with every reference rewritten to those names (ksqlDB's
 * ColumnReferenceRewriter). The aggregation itself is ./aggregate-analyzer.ts's, over the join's
 * output presented as a source ("joined source") in a copy of the metastore.
 *
 * Select items keep the names the join gives them (`T_NAME` for a column both sources have,
 * `KSQL_COL_n` counted over the joined sources' columns), as ksqlDB's AstSanitizer names them
 * before the aggregation is analysed.
 */
import { UnsupportedError } from '../errors.js';
import type { MetaStore } from '../metastore/metastore.js';
import type { DataSource } from '../metastore/types.js';
import type { Expression, Query, SelectItem } from '../parser/ast.js';
import type { Column } from '../types.js';
import { rewriteExpression } from './expression-tree.js';
import { analyzeJoinInput, joinColumnAlias, type AnalyzedJoin, type JoinAnalysisOptions } from './join-analyzer.js';
import { joinSides } from './join-scope.js';

export interface JoinAggregation {
  /** The join feeding the aggregation (no projection of its own). */
  readonly join: AnalyzedJoin;
  /** The join's output as a source: what the aggregation reads. */
  readonly joinedSource: DataSource;
  /** The aggregation over `joinedSource`, references rewritten to the joined columns. */
  readonly query: Query;
  /** The metastore with `joinedSource` added. */
  readonly metastore: MetaStore;
}

/** The rewritten reference of a (qualified) column: `T.ID` → `T_ID`. */
function toJoinedColumns(e: Expression): Expression {
  return rewriteExpression(e, (node) =>
    node.kind === 'ColumnRef' && node.source !== undefined
      ? { kind: 'ColumnRef', name: joinColumnAlias(node.source, node.name), ...(node.loc ? { loc: node.loc } : {}) }
      : undefined,
  );
}

/** Every other column of the join's rows is `ALIAS_NAME`, so this name cannot clash. */
const JOIN_KEY_COLUMN = 'ROWKEY';

export function analyzeJoinAggregation(query: Query, metastore: MetaStore, opts: JoinAnalysisOptions): JoinAggregation {
  const input = analyzeJoinInput(query, metastore, opts, true);
  const { scope, stream, table } = input;

  // The join's rows carry the join key as their key, and both sides' columns as values: a
  // reference to a join column reads the side's own copy, which for the table's columns in a
  // LEFT join without a match is null (the value columns of ksqlDB's join schema). The key
  // column is named so that no reference can reach it.
  const columns: Column[] = [{ name: JOIN_KEY_COLUMN, type: input.keyType, namespace: 'KEY' }];
  const seen = new Set<string>();
  for (const side of joinSides(scope)) {
    for (const c of side.scope.columns) {
      const name = joinColumnAlias(side.alias, c.name);
      if (seen.has(name)) throw new UnsupportedError(`aggregating a join whose prefixed column names clash (${name})`);
      seen.add(name);
      columns.push({ name, type: c.type, namespace: 'VALUE' });
    }
  }
  const joinedSource: DataSource = {
    name: `${stream.alias}_${table.alias}_JOINED`,
    type: 'STREAM',
    schema: { columns },
    topic: stream.source.topic,
    // Only the engine reads these rows, never as bytes: JSON carries every type.
    keyFormat: { format: 'JSON' },
    valueFormat: { format: 'JSON' },
    isSource: false,
    sqlText: '',
  };

  const select: SelectItem[] = input.items.map((i) => ({ kind: 'SingleColumn', expression: toJoinedColumns(i.expression), alias: i.name }));
  const rewritten: Query = {
    ...query,
    select,
    from: { kind: 'AliasedRelation', name: joinedSource.name },
    ...(input.where ? { where: toJoinedColumns(input.where) } : {}),
    ...(input.groupBy ? { groupBy: input.groupBy.map(toJoinedColumns) } : {}),
    ...(input.having ? { having: toJoinedColumns(input.having) } : {}),
    ...(input.partitionBy ? { partitionBy: input.partitionBy.map(toJoinedColumns) } : {}),
  };
  const withJoined = metastore.copy();
  withJoined.putSource(joinedSource, true);

  const join: AnalyzedJoin = {
    scope,
    joinType: input.joinType,
    stream,
    table,
    streamKey: input.streamKey,
    repartition: input.repartition,
    keyType: input.keyType,
    columns: [],
    keySource: 'join',
    keySlots: [],
    viableKeys: input.viableKeys,
    within: input.within,
    emitChanges: query.emit === 'CHANGES',
  };
  return { join, joinedSource, query: rewritten, metastore: withJoined };
}
