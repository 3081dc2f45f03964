/**
 * The engine's public surface, as used by the REST server, the conformance runner, the CLI and
 * in-process callers (notebooks, tests). Every method speaks ksqlDB's REST shapes
 * (../shared/ksqldb/REST-API.md), so the REST layer only transports them.
 */
import type { SqlType } from './types.js';
import type { Value } from './values/value.js';

/** One entity of a /ksql response: a JSON object with '@type', 'statementText', 'warnings'. */
export type KsqlEntity = { '@type': string; statementText: string; warnings: { message: string }[] } & Record<string, unknown>;

export interface RequestContext {
  /** streamsProperties (/ksql) or properties (/query-stream); values as sent. */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** sessionVariables of the request; values converted with String(). */
  readonly sessionVariables?: Readonly<Record<string, unknown>>;
}

/** A row produced by a query. */
export interface QueryRow {
  /** One value per projected column, in projection order. */
  readonly values: readonly Value[];
  /** Table push queries: the row was deleted (only key columns are filled). */
  readonly tombstone?: boolean;
}

export type QueryKind = 'push' | 'pull-stream' | 'pull-table' | 'print';

export interface QueryStream {
  readonly queryId: string;
  readonly kind: QueryKind;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly SqlType[];
  /** Which projected columns are key columns (for the StreamedRow header of table pull queries). */
  readonly keyColumns: readonly boolean[];
  /** PRINT only: lines of text instead of rows. */
  readonly lines?: AsyncIterable<string>;
  readonly rows: AsyncIterable<QueryRow>;
  /**
   * After `rows` ends: why. 'Limit Reached' (LIMIT hit), 'Query Completed' (a pull query ran
   * out of input), or null when closed or failed.
   */
  readonly completion: () => 'Limit Reached' | 'Query Completed' | null;
  /** Stop the query; `rows` ends. Idempotent. */
  close(): void;
}

/** Target of /inserts-stream. */
export interface InsertTarget {
  /** Insert one row given as a JSON object keyed by column name; resolves once appended. */
  insert(row: Readonly<Record<string, unknown>>): Promise<void>;
}

export interface ServerInfo {
  readonly version: string;
  readonly kafkaClusterId: string;
  readonly ksqlServiceId: string;
  readonly serverStatus: 'RUNNING' | 'ERROR' | 'DEGRADED';
}

export interface KsqlEngineApi {
  /**
   * /ksql: parse all statements, validate, execute in order; entities in statement order.
   * Throws KsqlStatementError (statementText, entities so far) or KsqlError.
   * SELECT/PRINT are rejected with error_code 40002.
   */
  executeStatements(sql: string, ctx?: RequestContext): Promise<KsqlEntity[]>;
  /** /query, /query-stream: exactly one SELECT (push or pull) or PRINT. */
  executeQuery(sql: string, ctx?: RequestContext): Promise<QueryStream>;
  /** /close-query: false if no such running query. */
  closeQuery(queryId: string): boolean;
  /** /inserts-stream: throws KsqlError ("Cannot insert values into an unknown stream/table: X"). */
  insertTarget(target: string, ctx?: RequestContext): Promise<InsertTarget>;
  /** /status command statuses: command id -> status object. */
  commandStatuses(): Readonly<Record<string, { status: string; message: string; queryId: string | null }>>;
  serverInfo(): ServerInfo;
  /** /healthcheck */
  isHealthy(): Promise<boolean>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The in-process engine (implemented in ./local-engine.ts as `createLocalEngine(opts)`).
// ---------------------------------------------------------------------------------------------
import type { Logger } from 'pino';
import type { TopicLog } from '../log/topic-log.js';
import type { FunctionRegistry } from './functions/types.js';
import type { MetaStoreView } from './metastore/types.js';

export interface LocalEngineOptions {
  readonly log: TopicLog;
  /**
   * true (default): persistent queries run by themselves. false: nothing runs until
   * processUntilIdle() is called (deterministic mode, used by the conformance runner).
   */
  readonly autoStart?: boolean;
  /** Server-level ksqlDB properties, e.g. 'ksql.streams.auto.offset.reset'. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Directory of extension modules (UDFs) loaded at start. */
  readonly extensionDir?: string;
  /** Wall clock (tests override it). */
  readonly now?: () => number;
  readonly logger?: Logger;
}

export interface LocalEngine extends KsqlEngineApi {
  readonly metastore: MetaStoreView;
  readonly functions: FunctionRegistry;
  readonly log: TopicLog;
  /** Run every persistent query, in creation order, until none makes progress. */
  processUntilIdle(): Promise<void>;
}
