/**
 * CREATE OR REPLACE: whether an existing source may be replaced by one with a new schema
 * (ksqlDB's StructuredDataSource.canUpgradeTo).
 */
import { KsqlError } from '../errors.js';
import type { DataSource } from '../metastore/types.js';
import { formatSchema, sqlTypeEquals, type Column, type LogicalSchema } from '../types.js';

/** Key columns first, then the rest, as ksqlDB's LogicalSchema lists them. */
export function orderedSchema(schema: LogicalSchema): LogicalSchema {
  return {
    columns: [...schema.columns.filter((c) => c.namespace === 'KEY'), ...schema.columns.filter((c) => c.namespace !== 'KEY')],
  };
}

/**
 * ksqlDB's DataSource.canUpgradeTo: the key must stay the same and existing value columns
 * must keep their names, types and order (new columns may only be appended).
 */
export function assertUpgradeable(existing: DataSource, schema: LogicalSchema): void {
  const before = orderedSchema(existing.schema).columns;
  const after = schema.columns;
  const sameColumn = (a: Column, b: Column | undefined) =>
    b !== undefined && a.name === b.name && a.namespace === b.namespace && sqlTypeEquals(a.type, b.type);
  const keysBefore = before.filter((c) => c.namespace === 'KEY');
  const keysAfter = after.filter((c) => c.namespace === 'KEY');
  let problem: string | undefined;
  if (keysBefore.length !== keysAfter.length || keysBefore.some((c, i) => !sameColumn(c, keysAfter[i]))) {
    problem = 'Key columns must be identical.';
  } else {
    // Columns compare with their position, so a reordered column counts as changed.
    const changed = before.filter((c, i) => !sameColumn(c, after[i]));
    if (changed.length > 0) problem = `The following columns are changed, missing or reordered: [${formatSchema(changed)}]`;
  }
  if (problem === undefined) return;
  throw new KsqlError(
    `Cannot upgrade data source: DataSource '\`${existing.name}\`' has schema = ${formatSchema(before)} which is not upgradeable to ` +
      `${formatSchema(after)}. (${problem})`,
  );
}

