/**
 * INSERT INTO target [(columns)] VALUES (...): evaluates the literals, coerces them to the
 * column types (ksqlDB's LAX value coercion), serializes with the target's formats and appends
 * one record stamped with the wall clock (or the ROWTIME given).
 */
import { KsqlError, KsqlStatementError } from '../errors.js';
import { javaToString } from '../expressions/java-text.js';
import { coerceValue } from '../expressions/coercion.js';
import { compileExpression, type EvalContext } from '../expressions/compiler.js';
import { Scope } from '../expressions/scope.js';
import type { DataSource } from '../metastore/types.js';
import type { InsertValues } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { formatSqlType, keyColumns, SqlTypes, valueColumns, type SqlType } from '../types.js';
import type { Value } from '../values/value.js';
import type { StatementContext } from './context.js';
import { buildSerdes } from './formats.js';
import type { ProduceRecord } from '../../log/topic-log.js';

export function insertTargetFor(name: string, ctx: StatementContext, quotedHint = true): DataSource {
  const target = ctx.state.metastore.getSource(name);
  if (target) {
    if (target.isSource) throw new KsqlError(`Cannot insert values into read-only ${target.type === 'STREAM' ? 'stream' : 'table'}: ${target.name}`);
    if (target.window) throw new KsqlError('Cannot insert values into windowed stream/table!');
    return target;
  }
  let message = `Cannot insert values into an unknown stream/table: \`${name}\``;
  const other = ctx.state.metastore.findIgnoringCase(name);
  if (quotedHint && other) {
    message +=
      name === name.toUpperCase()
        ? `\nDid you mean "${other.name}"? Hint: wrap the source name in double quotes to make it case-sensitive.`
        : `\nDid you mean ${other.name}? Hint: try removing double quotes from the source name.`;
  }
  throw new KsqlError(message);
}

/** Builds the record for one row of column values keyed by column name (ROWTIME optional). */
export function buildRecord(target: DataSource, values: ReadonlyMap<string, Value>, timestamp: number): ProduceRecord {
  const serdes = buildSerdes(target.schema, { keyFormat: target.keyFormat, valueFormat: target.valueFormat });
  const keyValues = keyColumns(target.schema).map((c) => values.get(c.name) ?? null);
  const valueValues = valueColumns(target.schema).map((c) => values.get(c.name) ?? null);
  return { key: serdes.key.serialize(keyValues), value: serdes.value.serialize(valueValues), timestamp };
}

export async function executeInsertValues(stmt: InsertValues, ctx: StatementContext): Promise<null> {
  const target = insertTargetFor(stmt.target, ctx);
  let record: ProduceRecord;
  try {
    record = buildInsertRecord(stmt, target, ctx);
  } catch (err) {
    // InsertValuesExecutor wraps every problem found while building the record.
    const message = err instanceof Error ? err.message : String(err);
    throw new KsqlStatementError(`Failed to insert values into '${stmt.target}'. ${message}`, { cause: err });
  }
  await ctx.effects.append(target.topic, [record]);
  return null;
}

/** GenericRecordFactory: column list (or all columns), literal evaluation, STRICT coercion. */
function buildInsertRecord(stmt: InsertValues, target: DataSource, ctx: StatementContext): ProduceRecord {
  const schemaColumns = [...keyColumns(target.schema), ...valueColumns(target.schema)];
  const columnNames = stmt.columns ?? schemaColumns.map((c) => c.name);
  if (columnNames.length !== stmt.values.length) {
    throw new KsqlError(
      `Expected a value for each column. Expected Columns: [${(stmt.columns ?? []).join(', ')}]. ` +
        `Got [${stmt.values.map((v) => formatExpression(v)).join(', ')}]`,
    );
  }
  for (const name of columnNames) {
    if (name !== 'ROWTIME' && !schemaColumns.some((c) => c.name === name)) {
      throw new KsqlError(`Column name ${name} does not exist.`);
    }
  }
  const failures: Error[] = [];
  const fnCtx: EvalContext = { now: ctx.services.now, properties: ctx.config, onError: (err) => failures.push(err) };
  const empty = new Scope([]);
  const values = new Map<string, Value>();
  columnNames.forEach((name, i) => {
    const expr = stmt.values[i]!;
    const columnType = name === 'ROWTIME' ? SqlTypes.BIGINT : schemaColumns.find((c) => c.name === name)!.type;
    const compiled = compileExpression(expr, empty, ctx.services.functions);
    const raw = compiled.evaluate([], fnCtx);
    if (failures.length > 0) throw failures[0]!;
    values.set(name, coerceTo(raw, compiled.type, columnType, name));
  });
  if (target.type === 'TABLE') {
    const missing = keyColumns(target.schema).filter((c) => !values.has(c.name));
    if (missing.length > 0) {
      throw new KsqlError(`Value for primary key column(s) ${missing.map((c) => c.name).join(', ')} is required for tables`);
    }
  }
  const rowtime = values.get('ROWTIME');
  const timestamp = rowtime === undefined || rowtime === null ? ctx.services.now() : Number(rowtime as bigint);
  return buildRecord(target, values, timestamp);
}

function coerceTo(value: Value, from: SqlType, to: SqlType, column: string): Value {
  if (value === null) return null;
  const result = coerceValue(value, from, to, 'STRICT');
  if (!result.ok) {
    throw new KsqlError(`Expected type ${formatSqlType(to)} for field ${column} but got ${from.kind}(${javaToString(value, from)})`);
  }
  return result.value;
}
