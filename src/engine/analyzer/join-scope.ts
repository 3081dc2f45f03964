/**
 * The columns a join query can reference and where each one sits in the joined row: the left
 * source's row (its scope: key, value and pseudo columns), then the right source's row. Every
 * column belongs to one side and is addressed by that side's alias (`T.ID`); unqualified
 * references are qualified by the analyzer before anything reads them (ksqlDB's AstSanitizer).
 */
import type { DataSource } from '../metastore/types.js';
import type { SqlType } from '../types.js';
import { sourceScope, type ScopeColumn, type SourceScope } from './source-scope.js';

export interface JoinSide {
  readonly source: DataSource;
  /** The alias, or the source name when the query gives none. */
  readonly alias: string;
  /** The side's own row layout, as its records decode. */
  readonly scope: SourceScope;
  /** Where the side's row starts in the joined row. */
  readonly offset: number;
}

export interface JoinScope {
  readonly left: JoinSide;
  readonly right: JoinSide;
  /** Length of the joined row. */
  readonly width: number;
}

export interface JoinedColumn {
  readonly side: JoinSide;
  readonly column: ScopeColumn;
  /** Position in the joined row. */
  readonly index: number;
  readonly type: SqlType;
}

export function joinScope(left: DataSource, leftAlias: string, right: DataSource, rightAlias: string): JoinScope {
  const leftScope = sourceScope(left, leftAlias);
  const rightScope = sourceScope(right, rightAlias);
  return {
    left: { source: left, alias: leftAlias, scope: leftScope, offset: 0 },
    right: { source: right, alias: rightAlias, scope: rightScope, offset: leftScope.columns.length },
    width: leftScope.columns.length + rightScope.columns.length,
  };
}

export function joinSides(scope: JoinScope): readonly JoinSide[] {
  return [scope.left, scope.right];
}

/** The side a qualifier names: its alias, or its source name. */
export function sideByQualifier(scope: JoinScope, qualifier: string): JoinSide | undefined {
  return joinSides(scope).find((s) => s.alias === qualifier) ?? joinSides(scope).find((s) => s.source.name === qualifier);
}

export function findJoinedColumn(scope: JoinScope, alias: string, name: string): JoinedColumn | undefined {
  const side = joinSides(scope).find((s) => s.alias === alias);
  const column = side?.scope.columns.find((c) => c.name === name);
  if (!side || !column) return undefined;
  return { side, column, index: side.offset + column.index, type: column.type };
}

/** The sides that have a column of this name (pseudo columns exist on both). */
export function sidesWithColumn(scope: JoinScope, name: string): JoinSide[] {
  return joinSides(scope).filter((s) => s.scope.columns.some((c) => c.name === name));
}

/** Every column of the joined row, left side first. */
export function joinedColumns(scope: JoinScope): JoinedColumn[] {
  return joinSides(scope).flatMap((side) =>
    side.scope.columns.map((column) => ({ side, column, index: side.offset + column.index, type: column.type })),
  );
}
