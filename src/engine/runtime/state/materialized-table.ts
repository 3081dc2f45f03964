/**
 * A table's materialized state as readers see it (ksqlDB's Materialization: the state store
 * with the query's HAVING filter and projection applied): the rows of the table in the sink's
 * schema, for pull queries and lookups.
 */
import type { WindowBounds } from '../../serde/types.js';
import type { Value } from '../../values/value.js';

export interface MaterializedRow {
  /** Key column values, in the table's key order. */
  readonly key: readonly Value[];
  /** Windowed tables: the row's window. */
  readonly window?: WindowBounds;
  /** Value column values, in the table's value order. */
  readonly values: readonly Value[];
  /** The row's timestamp (ROWTIME). */
  readonly timestamp: number;
}

export interface MaterializedTable {
  readonly windowed: boolean;
  /** Every row, in the store's key order. */
  rows(): MaterializedRow[];
  /** The rows of one key: at most one, or one per window for windowed tables. */
  lookup(key: readonly Value[]): MaterializedRow[];
}
