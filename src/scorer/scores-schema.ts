/**
 * The columns the scorer reads from the preprocessed stream and writes to the scores stream,
 * declared with the engine's SQL types so that records are read and written by the same
 * serdes ksqlDB uses: what `sql/V000003__scores.sql` declares over the scores topic is exactly
 * what lands there. The record key (the payment id) is passed through unchanged, so scores are
 * keyed and partitioned like the payments they score.
 */
import { parseSqlType } from '../engine/functions/sql-type-parser.js';
import { SqlTypes, type Column } from '../engine/types.js';

const value = (name: string, type: Column['type']): Column => ({ name, type, namespace: 'VALUE' });

/** Columns of the preprocessed stream copied into each score, when present (null otherwise). */
export const PASSTHROUGH_COLUMNS: readonly Column[] = [
  value('USER_MASKED', SqlTypes.STRING),
  value('AMOUNT', SqlTypes.DOUBLE),
  value('LABEL', SqlTypes.INTEGER),
];

export const EXPLANATION_TYPE = SqlTypes.array(
  SqlTypes.struct([
    { name: 'FEATURE', type: SqlTypes.STRING },
    { name: 'ERROR', type: SqlTypes.DOUBLE },
  ]),
);

/** The value columns of a score record, in order. */
export const SCORE_COLUMNS: readonly Column[] = [
  ...PASSTHROUGH_COLUMNS,
  value('SCORE', SqlTypes.DOUBLE),
  value('THRESHOLD', SqlTypes.DOUBLE),
  value('ALERT', SqlTypes.BOOLEAN),
  value('MODEL_VERSION', SqlTypes.STRING),
  value('TOP_FEATURES', EXPLANATION_TYPE),
  value('SCORED_AT', SqlTypes.BIGINT),
];

/** The input columns a bundle needs: its features with the types it was trained on. */
export function featureColumns(columns: readonly { name: string; type: string }[]): Column[] {
  return columns.map((c) => value(c.name.toUpperCase(), parseSqlType(c.type)));
}
