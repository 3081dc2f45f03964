/**
 * The columns a query over one source can reference, and where each one sits in the runtime
 * row: the source's key and value columns in schema order, then the pseudo columns.
 */
import type { DataSource } from '../metastore/types.js';
import { SqlTypes, type SqlType } from '../types.js';

export type ScopeNamespace = 'KEY' | 'VALUE' | 'PSEUDO';

export interface ScopeColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly namespace: ScopeNamespace;
  /** Position in the runtime row. */
  readonly index: number;
}

export interface SourceScope {
  readonly source: DataSource;
  /** Alias (or the source name when none was given). */
  readonly alias: string;
  readonly columns: readonly ScopeColumn[];
  /** Index of ROWTIME, ROWPARTITION, ROWOFFSET in the row. */
  readonly rowtimeIndex: number;
  readonly rowPartitionIndex: number;
  readonly rowOffsetIndex: number;
  /** WINDOWSTART / WINDOWEND positions for windowed sources, else -1. */
  readonly windowStartIndex: number;
  readonly windowEndIndex: number;
  /** Number of schema columns (keys + values) before the pseudo columns. */
  readonly keyCount: number;
  readonly valueCount: number;
}

export const PSEUDO_COLUMNS = ['ROWTIME', 'ROWPARTITION', 'ROWOFFSET'] as const;
export const WINDOW_BOUND_COLUMNS = ['WINDOWSTART', 'WINDOWEND'] as const;
/** Names a persistent query's output may not use (SystemColumns.isSystemColumn). */
export const RESERVED_COLUMN_NAMES = new Set<string>([...PSEUDO_COLUMNS, ...WINDOW_BOUND_COLUMNS]);

export function sourceScope(source: DataSource, alias: string): SourceScope {
  const keys = source.schema.columns.filter((c) => c.namespace === 'KEY');
  const values = source.schema.columns.filter((c) => c.namespace === 'VALUE');
  const columns: ScopeColumn[] = [];
  for (const c of keys) columns.push({ name: c.name, type: c.type, namespace: 'KEY', index: columns.length });
  for (const c of values) columns.push({ name: c.name, type: c.type, namespace: 'VALUE', index: columns.length });
  const rowtimeIndex = columns.length;
  columns.push({ name: 'ROWTIME', type: SqlTypes.BIGINT, namespace: 'PSEUDO', index: rowtimeIndex });
  columns.push({ name: 'ROWPARTITION', type: SqlTypes.INTEGER, namespace: 'PSEUDO', index: rowtimeIndex + 1 });
  columns.push({ name: 'ROWOFFSET', type: SqlTypes.BIGINT, namespace: 'PSEUDO', index: rowtimeIndex + 2 });
  const windowStartIndex = source.window ? columns.length : -1;
  if (source.window) {
    columns.push({ name: 'WINDOWSTART', type: SqlTypes.BIGINT, namespace: 'PSEUDO', index: windowStartIndex });
    columns.push({ name: 'WINDOWEND', type: SqlTypes.BIGINT, namespace: 'PSEUDO', index: windowStartIndex + 1 });
  }
  return {
    windowStartIndex,
    windowEndIndex: source.window ? windowStartIndex + 1 : -1,
    source,
    alias,
    columns,
    rowtimeIndex,
    rowPartitionIndex: rowtimeIndex + 1,
    rowOffsetIndex: rowtimeIndex + 2,
    keyCount: keys.length,
    valueCount: values.length,
  };
}

export function findScopeColumn(scope: SourceScope, name: string): ScopeColumn | undefined {
  return scope.columns.find((c) => c.name === name);
}
