/**
 * A scripted KsqlEngineApi for transport tests of the REST layer: it knows nothing of SQL, it
 * answers by keyword, and lets a test feed rows into a running push query.
 */
import type {
  InsertTarget,
  KsqlEngineApi,
  KsqlEntity,
  QueryKind,
  QueryRow,
  QueryStream,
  RequestContext,
  ServerInfo,
} from '../../../src/engine/api.js';
import { ErrorCodes, KsqlError, KsqlStatementError, ParseError } from '../../../src/engine/errors.js';
import { type SqlType, SqlTypes } from '../../../src/engine/types.js';

/** A QueryStream whose rows a test pushes in. */
export class ScriptedQuery implements QueryStream {
  readonly columnNames = ['ID', 'NAME', 'BIG'];
  readonly columnTypes: SqlType[] = [SqlTypes.INTEGER, SqlTypes.STRING, SqlTypes.BIGINT];
  readonly keyColumns = [true, false, false];
  closed = false;
  /** How many rows the consumer has pulled. */
  pulled = 0;
  private readonly queue: QueryRow[] = [];
  private ended: 'Limit Reached' | 'Query Completed' | null = null;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private finished = false;

  constructor(
    readonly queryId: string,
    readonly kind: QueryKind,
    private readonly source?: Iterator<QueryRow>,
  ) {}

  push(...rows: QueryRow[]): void {
    this.queue.push(...rows);
    this.notify();
  }

  complete(reason: 'Limit Reached' | 'Query Completed'): void {
    this.ended = reason;
    this.finished = true;
    this.notify();
  }

  fail(err: Error): void {
    this.failure = err;
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.finished = true;
    this.notify();
  }

  completion = (): 'Limit Reached' | 'Query Completed' | null => (this.closed ? null : this.ended);

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  get rows(): AsyncIterable<QueryRow> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<QueryRow>> => {
          for (;;) {
            if (this.closed) return { done: true, value: undefined };
            if (this.source) {
              const next = this.source.next();
              if (next.done) return { done: true, value: undefined };
              this.pulled++;
              return { done: false, value: next.value };
            }
            const row = this.queue.shift();
            if (row) {
              this.pulled++;
              return { done: false, value: row };
            }
            if (this.failure) throw this.failure;
            if (this.finished) return { done: true, value: undefined };
            await new Promise<void>((resolve) => (this.wake = resolve));
          }
        },
      }),
    };
  }
}

export class FakeEngine implements KsqlEngineApi {
  readonly queries = new Map<string, ScriptedQuery>();
  readonly inserted: { target: string; row: Record<string, unknown> }[] = [];
  lastContext: RequestContext | undefined;
  private nextId = 1;
  /** Called with every query the engine creates, so a test can drive it. */
  onQuery: (query: ScriptedQuery, sql: string) => void = () => {};

  async executeStatements(sql: string, ctx?: RequestContext): Promise<KsqlEntity[]> {
    this.lastContext = ctx;
    if (/^\s*SELECT/i.test(sql)) {
      throw new KsqlStatementError(
        "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT",
        { statementText: sql, errorCode: ErrorCodes.QUERY_ENDPOINT },
      );
    }
    if (sql.includes('GARBAGE')) throw new ParseError("line 1:1: Syntax Error\nExpecting one of: ...", 1, 1, sql);
    if (sql.includes('CRASH')) throw new TypeError('engine bug');
    if (sql.includes('GENERIC')) throw new KsqlError('generic trouble');
    return sql
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((statement) => ({
        '@type': 'currentStatus',
        statementText: `${statement};`,
        commandId: 'stream/`S`/create',
        commandStatus: { status: 'SUCCESS', message: 'Stream created', queryId: null },
        commandSequenceNumber: 9223372036854775807n,
        warnings: [],
      }));
  }

  async executeQuery(sql: string, ctx?: RequestContext): Promise<QueryStream> {
    this.lastContext = ctx;
    if (sql.includes('UNKNOWN')) throw new KsqlStatementError('UNKNOWN does not exist.', { statementText: sql });
    if (sql.includes('CRASH')) throw new TypeError('engine bug');
    const kind: QueryKind = sql.includes('EMIT CHANGES') ? 'push' : sql.includes('TABLE') ? 'pull-table' : 'pull-stream';
    const id = kind === 'pull-table' ? `query_${this.nextId++}` : `transient_S_${this.nextId++}`;
    const query = new ScriptedQuery(id, kind, sql.includes('ENDLESS') ? endlessRows() : undefined);
    this.queries.set(id, query);
    this.onQuery(query, sql);
    return query;
  }

  closeQuery(queryId: string): boolean {
    const query = this.queries.get(queryId);
    if (!query || query.closed || query.kind !== 'push') return false;
    query.close();
    return true;
  }

  async insertTarget(target: string): Promise<InsertTarget> {
    if (target.toUpperCase() !== 'S') {
      throw new KsqlStatementError(`Cannot insert values into an unknown stream/table: ${target}`);
    }
    return {
      insert: async (row) => {
        if (row.FAIL) throw new KsqlError('Key field must be specified: ID');
        if (row.CRASH) throw new TypeError('bug');
        this.inserted.push({ target, row: { ...row } });
      },
    };
  }

  commandStatuses(): Readonly<Record<string, { status: string; message: string; queryId: string | null }>> {
    return { 'stream/`S`/create': { status: 'SUCCESS', message: 'Stream created', queryId: null } };
  }

  serverInfo(): ServerInfo {
    return { version: '0.29.0', kafkaClusterId: 'local', ksqlServiceId: 'default_', serverStatus: 'RUNNING' };
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}

function* endlessRows(): Iterator<QueryRow> {
  const padding = 'x'.repeat(1000);
  for (let i = 0; i < 100_000; i++) yield { values: [i, padding, BigInt(i)] };
}
