/**
 * Validation of WITH (TIMESTAMP='col' [, TIMESTAMP_FORMAT='...']), as ksqlDB's
 * TimestampExtractionPolicyFactory does it.
 */
import { KsqlError } from '../errors.js';
import type { TimestampColumn } from '../metastore/types.js';
import type { LogicalSchema } from '../types.js';

/** The property holds an identifier: unquoted names are upper-cased, back-quoted ones kept. */
export function timestampColumnName(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('`') && trimmed.endsWith('`')) return trimmed.slice(1, -1);
  return trimmed.toUpperCase();
}

export function validateTimestampColumn(raw: string, format: string | undefined, schema: LogicalSchema): TimestampColumn {
  const name = timestampColumnName(raw);
  const column = schema.columns.find((c) => c.name === name);
  if (!column) {
    throw new KsqlError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name}'`);
  }
  const kind = column.type.kind;
  const ok = kind === 'BIGINT' || kind === 'TIMESTAMP' || (kind === 'STRING' && format !== undefined);
  if (!ok) {
    throw new KsqlError(
      `Timestamp column, \`${name}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified`,
    );
  }
  return format === undefined ? { column: name } : { column: name, format };
}
