/**
 * ksqlDB's error bodies (KsqlErrorMessage / KsqlStatementErrorMessage, REST-API.md §1.5) and the
 * mapping from thrown errors to HTTP status + body, which differs between /ksql (§2.3) and the
 * query and insert endpoints (§3.1, §4).
 */
import { ErrorCodes, KsqlError, KsqlStatementError } from '../errors.js';

export interface GenericErrorBody {
  readonly '@type': 'generic_error';
  readonly error_code: number;
  readonly message: string;
}

export interface StatementErrorBody {
  readonly '@type': 'statement_error';
  readonly error_code: number;
  readonly message: string;
  readonly statementText: string;
  readonly entities: unknown[];
}

export type ErrorBody = GenericErrorBody | StatementErrorBody;

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
}

export const QUERY_INTERNAL_ERROR_MESSAGE =
  'The server encountered an internal error when processing the query. Please consult the server logs for more information.';

export const INSERTS_INTERNAL_ERROR_MESSAGE =
  'The server encountered an internal error when processing inserts. Please consult the server logs for more information.';

export function genericError(errorCode: number, message: string): GenericErrorBody {
  return { '@type': 'generic_error', error_code: errorCode, message };
}

export function statementError(errorCode: number, message: string, statementText: string, entities: unknown[] = []): StatementErrorBody {
  return { '@type': 'statement_error', error_code: errorCode, message, statementText, entities };
}

/** ErrorMessageUtil.buildErrorMessage: the message, then one "Caused by: ..." line per cause. */
export function errorMessageWithCauses(err: Error): string {
  const lines = [err.message];
  const seen = new Set<unknown>([err]);
  let cause: unknown = err.cause;
  while (cause instanceof Error && !seen.has(cause)) {
    seen.add(cause);
    if (cause.message && !lines.includes(cause.message)) lines.push(`Caused by: ${cause.message}`);
    cause = cause.cause;
  }
  return lines.join('\n');
}

function describeUnknown(err: unknown): string {
  return err instanceof Error ? errorMessageWithCauses(err) : String(err);
}

/** Engine errors keep their code and status; statement errors name their statement. */
function engineError(err: KsqlError, requestText: string): ErrorResponse {
  const message = errorMessageWithCauses(err);
  if (err instanceof KsqlStatementError) {
    return { status: err.httpStatus, body: statementError(err.errorCode, message, err.statementText || requestText, err.entities) };
  }
  return { status: err.httpStatus, body: genericError(err.errorCode, message) };
}

/** /ksql (KsqlResource.handleKsqlStatements). `requestText` stands in for a missing statement. */
export function ksqlEndpointError(err: unknown, requestText: string): ErrorResponse {
  if (err instanceof KsqlError) return engineError(err, requestText);
  return { status: 500, body: statementError(ErrorCodes.SERVER_ERROR, describeUnknown(err), requestText) };
}

/** /query, /query-stream before streaming starts (ServerUtils.handleEndpointException). */
export function queryEndpointError(err: unknown, requestText: string): ErrorResponse {
  if (err instanceof KsqlError) return engineError(err, requestText);
  return { status: 500, body: genericError(ErrorCodes.SERVER_ERROR, QUERY_INTERNAL_ERROR_MESSAGE) };
}

/**
 * /inserts-stream argument failures (InsertsStreamEndpoint + FailureHandler): always a
 * generic_error, keeping the error's code (40001 for an unknown target).
 */
export function insertsEndpointError(err: unknown): ErrorResponse {
  if (err instanceof KsqlError) {
    return { status: err.httpStatus, body: genericError(err.errorCode, errorMessageWithCauses(err)) };
  }
  return { status: 500, body: genericError(ErrorCodes.SERVER_ERROR, INSERTS_INTERNAL_ERROR_MESSAGE) };
}

export const QUERY_STREAM_ERROR_MESSAGE = 'Error in processing query. Check server logs for details.';

/**
 * An error after a query's response has started, written into the stream. ksqlDB's
 * QuerySubscriber writes the same fixed message whatever failed; the cause goes to the log.
 */
export function midStreamError(): GenericErrorBody {
  return genericError(ErrorCodes.SERVER_ERROR, QUERY_STREAM_ERROR_MESSAGE);
}

/** Failures of the transport itself (bad body, size limit, auth): status and code together. */
export class HttpError extends Error {
  readonly status: number;
  readonly errorCode: number;
  constructor(status: number, errorCode: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.errorCode = errorCode;
  }

  toResponse(): ErrorResponse {
    return { status: this.status, body: genericError(this.errorCode, this.message) };
  }
}
