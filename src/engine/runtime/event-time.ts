/**
 * Event time of input records (ksqlDB's timestamp extractors): the record timestamp, or the
 * value of the source's TIMESTAMP column (BIGINT millis, TIMESTAMP, or STRING parsed with the
 * TIMESTAMP_FORMAT Java pattern through the PARSE_TIMESTAMP function).
 */
import type { SourceScope } from '../analyzer/source-scope.js';
import { KsqlError } from '../errors.js';
import type { FunctionContext, FunctionRegistry } from '../functions/types.js';
import type { TimestampColumn } from '../metastore/types.js';
import { SqlTypes, type SqlType } from '../types.js';
import type { Value } from '../values/value.js';

/** Returns epoch millis, or undefined when the value gives no valid timestamp. */
export type TimestampConverter = (value: Value) => number | undefined;

export function timestampConverter(
  type: SqlType,
  format: string | undefined,
  functions: FunctionRegistry,
  ctx: FunctionContext,
): TimestampConverter {
  switch (type.kind) {
    case 'BIGINT':
      return (v) => (v === null ? undefined : Number(v as bigint));
    case 'INTEGER':
    case 'TIMESTAMP':
      return (v) => (v === null ? undefined : (v as number));
    case 'STRING': {
      if (format === undefined) throw new KsqlError('TIMESTAMP_FORMAT is required for STRING timestamp columns');
      const parse = functions.resolve('PARSE_TIMESTAMP', [SqlTypes.STRING, SqlTypes.STRING]);
      return (v) => {
        if (v === null) return undefined;
        const parsed = parse.invoke([v, format], ctx);
        return parsed === null ? undefined : Number(parsed as number);
      };
    }
    default:
      throw new KsqlError(`Timestamp column must be BIGINT, TIMESTAMP or STRING, not ${type.kind}`);
  }
}

/** Index of the TIMESTAMP column in the source row and how to read it, if the source has one. */
export function sourceEventTime(
  scope: SourceScope,
  timestamp: TimestampColumn | undefined,
  functions: FunctionRegistry,
  ctx: FunctionContext,
): { index: number; convert: TimestampConverter } | undefined {
  if (!timestamp) return undefined;
  const column = scope.columns.find((c) => c.name === timestamp.column && c.namespace !== 'PSEUDO');
  if (!column) return undefined;
  return { index: column.index, convert: timestampConverter(column.type, timestamp.format, functions, ctx) };
}
