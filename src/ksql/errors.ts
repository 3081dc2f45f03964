/** An error answered by a ksqlDB server (or the local engine), with ksqlDB's error body fields. */
export class KsqlDbError extends Error {
  readonly httpStatus: number;
  /** ksqlDB's error_code, e.g. 40001 for a bad statement. */
  readonly errorCode: number;
  /** '@type' of the body: 'statement_error' or 'generic_error'. */
  readonly type: string;
  readonly statementText?: string;
  readonly entities: unknown[];

  constructor(
    message: string,
    fields: { httpStatus: number; errorCode: number; type: string; statementText?: string; entities?: unknown[] },
  ) {
    super(message);
    this.name = 'KsqlDbError';
    this.httpStatus = fields.httpStatus;
    this.errorCode = fields.errorCode;
    this.type = fields.type;
    this.statementText = fields.statementText;
    this.entities = fields.entities ?? [];
  }

  /** Builds the error from a response body; bodies that are not ksqlDB errors keep their text. */
  static fromBody(httpStatus: number, bodyText: string): KsqlDbError {
    try {
      const body = JSON.parse(bodyText) as Record<string, unknown>;
      if (typeof body.message === 'string') {
        return new KsqlDbError(body.message, {
          httpStatus,
          errorCode: typeof body.error_code === 'number' ? body.error_code : httpStatus * 100,
          type: typeof body['@type'] === 'string' ? body['@type'] : 'generic_error',
          statementText: typeof body.statementText === 'string' ? body.statementText : undefined,
          entities: Array.isArray(body.entities) ? body.entities : [],
        });
      }
    } catch {
      // not JSON: fall through and keep the raw text
    }
    return new KsqlDbError(bodyText || `HTTP ${httpStatus}`, { httpStatus, errorCode: httpStatus * 100, type: 'generic_error' });
  }
}
