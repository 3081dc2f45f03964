/**
 * Dispatches one prepared statement to its executor. Returns the statement's entity, or null
 * for statements that produce none (SET, UNSET, DEFINE, INSERT VALUES).
 */
import type { KsqlEntity } from '../api.js';
import { ErrorCodes, KsqlStatementError, UnsupportedError } from '../errors.js';
import type { Statement } from '../parser/ast.js';
import {
  executeDefine,
  executeDescribe,
  executeDescribeFunction,
  executeExplain,
  executeSet,
  executeShow,
  executeUndefine,
  executeUnset,
} from './admin.js';
import { executeAlterSource } from './alter-source.js';
import type { StatementContext } from './context.js';
import { executeCreateSource } from './create-source.js';
import { executeDrop, executeTerminate } from './drop-terminate.js';
import { executeInsertValues } from './insert-values.js';
import { executeCreateAsSelect, executeInsertInto } from './persistent-queries.js';

/** ksqlDB's Errors.queryEndpoint text for SELECT/PRINT sent to /ksql. */
export const QUERY_ENDPOINT_MESSAGE =
  "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT";

export function rejectQueryStatement(stmt: Statement): void {
  if (stmt.kind === 'QueryStatement' || stmt.kind === 'Print') {
    throw new KsqlStatementError(QUERY_ENDPOINT_MESSAGE, { statementText: stmt.text, errorCode: ErrorCodes.QUERY_ENDPOINT });
  }
}

export async function executeStatement(stmt: Statement, ctx: StatementContext): Promise<KsqlEntity | null> {
  switch (stmt.kind) {
    case 'CreateSource':
      return executeCreateSource(stmt, ctx);
    case 'CreateAsSelect':
      return executeCreateAsSelect(stmt, ctx);
    case 'InsertInto':
      return executeInsertInto(stmt, ctx);
    case 'InsertValues':
      return executeInsertValues(stmt, ctx);
    case 'DropSource':
      return executeDrop(stmt, ctx);
    case 'AlterSource':
      return executeAlterSource(stmt, ctx);
    case 'Terminate':
      return executeTerminate(stmt, ctx);
    case 'Show':
      return executeShow(stmt, ctx);
    case 'Describe':
      return executeDescribe(stmt, ctx);
    case 'DescribeFunction':
      return executeDescribeFunction(stmt, ctx);
    case 'DefineVariable':
      return executeDefine(stmt, ctx);
    case 'UndefineVariable':
      return executeUndefine(stmt, ctx);
    case 'SetProperty':
      return executeSet(stmt, ctx);
    case 'UnsetProperty':
      return executeUnset(stmt, ctx);
    case 'Explain':
      return executeExplain(stmt, ctx);
    case 'UnsupportedStatement':
      throw new UnsupportedError(stmt.what, stmt.text);
    case 'QueryStatement':
    case 'Print':
      rejectQueryStatement(stmt);
      return null;
  }
}
