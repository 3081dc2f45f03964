/**
 * ALTER STREAM|TABLE name ADD [COLUMN] col type, ...: appends value columns to a source
 * declared with CREATE STREAM/TABLE, with the checks and messages of ksqlDB's
 * AlterSourceFactory and DdlCommandExec. The topic's records are not touched: a record written
 * before the new column existed reads it as null (as each value format does for a missing
 * field). Running queries keep the schema they were planned with; queries started afterwards,
 * and CREATE OR REPLACE of the queries that read the source, see the new columns.
 */
import type { KsqlEntity } from '../api.js';
import { KsqlError } from '../errors.js';
import { sourceTypeLower } from '../metastore/metastore.js';
import type { AlterSource } from '../parser/ast.js';
import { quoteIdentifier, type Column } from '../types.js';
import { commandId } from './command-ids.js';
import type { StatementContext } from './context.js';
import { currentStatusEntity } from './entities.js';
import { validateSerdes } from './formats.js';

export async function executeAlterSource(stmt: AlterSource, ctx: StatementContext): Promise<KsqlEntity> {
  const { metastore } = ctx.state;
  const source = metastore.getSource(stmt.name);
  const typeLower = sourceTypeLower(stmt.sourceType);
  // AlterSourceFactory names the statement's type here, DdlCommandExec the source's below.
  if (source?.isSource) {
    throw new KsqlError(`Cannot alter ${typeLower} '${stmt.name}': ALTER operations are not supported on source ${typeLower}s.`);
  }
  if (!source) throw new KsqlError(`Source ${stmt.name} does not exist.`);
  if (source.type !== stmt.sourceType) {
    throw new KsqlError(`Incompatible data source type is ${source.type}, but statement was ALTER ${stmt.sourceType}`);
  }
  if (source.createdByQueryId !== undefined) {
    throw new KsqlError('ALTER command is not supported for CREATE ... AS statements.');
  }
  const columns: Column[] = [...source.schema.columns];
  for (const added of stmt.columns) {
    if (columns.some((c) => c.name === added.name)) {
      throw new KsqlError(`Cannot add column ${quoteIdentifier(added.name)} to schema. A column with the same name already exists.`);
    }
    columns.push({ name: added.name, type: added.type, namespace: 'VALUE' });
  }
  const schema = { columns };
  // The value format must be able to carry the new columns (e.g. KAFKA holds a single one).
  validateSerdes(schema, { keyFormat: source.keyFormat, valueFormat: source.valueFormat });

  metastore.putSource({ ...source, schema, sqlText: `${source.sqlText}\n${stmt.text}` }, true);
  const seq = ctx.state.commandSequence++;
  await ctx.effects.recordCommand(stmt.text, ctx.overrides);
  return currentStatusEntity(
    stmt.text,
    commandId(source.type, source.name, 'alter'),
    { status: 'SUCCESS', message: `${source.type === 'STREAM' ? 'Stream' : 'Table'} ${source.name} altered.`, queryId: null },
    seq,
  );
}
