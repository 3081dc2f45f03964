/**
 * Errors the engine raises, shaped after ksqlDB's so the REST layer can map them to
 * `generic_error` / `statement_error` bodies with the same `error_code` values
 * (see ../shared/ksqldb/REST-API.md section 1.5).
 */

export const ErrorCodes = {
  BAD_REQUEST: 40000,
  BAD_STATEMENT: 40001,
  QUERY_ENDPOINT: 40002,
  TOO_MANY_QUERIES: 40003,
  HTTP2_ONLY: 40004,
  UNAUTHORIZED: 40100,
  FORBIDDEN: 40300,
  NOT_FOUND: 40400,
  SERVER_ERROR: 50000,
  SERVER_NOT_READY: 50302,
  SERVER_SHUTTING_DOWN: 50303,
} as const;

/** Java class names used by ksqlDB's conformance files' `expectedException.type`. */
export type KsqlErrorCategory =
  | 'statement' // io.confluent.ksql.util.KsqlStatementException
  | 'parse' // io.confluent.ksql.parser.exception.ParseFailedException
  | 'ksql' // io.confluent.ksql.util.KsqlException
  | 'function' // io.confluent.ksql.function.KsqlFunctionException
  | 'runtime'; // org.apache.kafka.streams.errors.StreamsException

/** A generic KSQL error: no statement attached (HTTP 400, error_code 40000 by default). */
export class KsqlError extends Error {
  readonly errorCode: number;
  readonly category: KsqlErrorCategory;
  constructor(message: string, opts: { errorCode?: number; category?: KsqlErrorCategory; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KsqlError';
    this.errorCode = opts.errorCode ?? ErrorCodes.BAD_REQUEST;
    this.category = opts.category ?? 'ksql';
  }

  get httpStatus(): number {
    return Math.floor(this.errorCode / 100);
  }
}

/**
 * A problem with one statement (parse, validation, execution). `statementText` is the failing
 * statement; `entities` are results of statements of the same request that ran before it.
 * The engine usually throws it without text; the executor fills the text in.
 */
export class KsqlStatementError extends KsqlError {
  statementText: string;
  entities: unknown[];
  constructor(
    message: string,
    opts: {
      statementText?: string;
      entities?: unknown[];
      errorCode?: number;
      category?: KsqlErrorCategory;
      cause?: unknown;
    } = {},
  ) {
    super(message, { errorCode: opts.errorCode ?? ErrorCodes.BAD_STATEMENT, category: opts.category ?? 'statement', cause: opts.cause });
    this.name = 'KsqlStatementError';
    this.statementText = opts.statementText ?? '';
    this.entities = opts.entities ?? [];
  }
}

/** Syntax errors: ksqlDB's ParseFailedException ("line 1:8: mismatched input ..."). */
export class ParseError extends KsqlStatementError {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number, statementText = '') {
    super(message, { statementText, category: 'parse' });
    this.name = 'ParseError';
    this.line = line;
    this.column = column;
  }
}

/**
 * Valid ksqlDB that this engine does not implement yet. The message always begins
 * `Unsupported:` and names the construct, so callers (and the conformance runner) can tell it
 * apart from a wrong result.
 */
export class UnsupportedError extends KsqlStatementError {
  constructor(what: string, statementText = '') {
    super(`Unsupported: ${what}`, { statementText, category: 'statement' });
    this.name = 'UnsupportedError';
  }
}

/** Raised by a scalar function at evaluation time (ksqlDB's KsqlFunctionException). */
export class KsqlFunctionError extends KsqlError {
  constructor(message: string, cause?: unknown) {
    super(message, { category: 'function', cause });
    this.name = 'KsqlFunctionError';
  }
}

/** A record that cannot be (de)serialized in its topic's format; the record is skipped and logged. */
export class SerdeError extends KsqlError {
  constructor(message: string, cause?: unknown) {
    super(message, { category: 'runtime', cause });
    this.name = 'SerdeError';
  }
}

export function isUnsupported(err: unknown): err is UnsupportedError {
  return err instanceof KsqlError && err.message.startsWith('Unsupported:');
}
