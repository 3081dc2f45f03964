/**
 * A typed ksqlDB REST client (../shared/ksqldb/REST-API.md) on undici. The same client talks to
 * the local engine and to a real ksqlDB server: it only relies on the documented wire shapes.
 */
import { Readable } from 'node:stream';
import { H2CClient, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { KsqlDbError } from './errors.js';
import { parseKsqlJson, stringifyKsqlJson } from './json.js';

export interface KsqlClientOptions {
  /** e.g. http://127.0.0.1:8088 */
  readonly url: string;
  readonly auth?: { readonly username: string; readonly password: string };
  /** Properties sent with every request (e.g. { 'auto.offset.reset': 'earliest' }). */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Session variables sent with every request, like the Java client's define(). */
  readonly sessionVariables?: Readonly<Record<string, unknown>>;
}

export interface RequestOptions {
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly sessionVariables?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
}

/** One element of a /ksql response array. */
export type KsqlEntity = { '@type': string; statementText: string; warnings?: { message: string }[] } & Record<string, any>;

export interface QueryMetadata {
  readonly queryId: string;
  readonly columnNames: string[];
  readonly columnTypes: string[];
}

export interface QueryResult extends QueryMetadata {
  readonly rows: unknown[][];
}

/** A running push query: iterate its rows; close() stops it on the server. */
export interface PushQuery extends QueryMetadata, AsyncIterable<unknown[]> {
  close(): Promise<void>;
}

export interface InsertAck {
  readonly status: 'ok' | 'error';
  readonly seq: number;
  readonly error_code?: number;
  readonly message?: string;
}

const DELIMITED = 'application/vnd.ksqlapi.delimited.v1';

export class KsqlDbClient {
  private readonly base: URL;
  private readonly http1: Pool;
  private http2?: H2CClient;
  private readonly authHeader?: string;
  private readonly defaults: { properties: Record<string, unknown>; sessionVariables: Record<string, unknown> };

  constructor(private readonly options: KsqlClientOptions) {
    this.base = new URL(options.url);
    // Push queries are long-lived: no client-side body or header timeout may cut them.
    this.http1 = new Pool(this.base.origin, { bodyTimeout: 0, headersTimeout: 0, connections: 16 });
    if (options.auth) {
      this.authHeader = 'Basic ' + Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64');
    }
    this.defaults = { properties: { ...options.properties }, sessionVariables: { ...options.sessionVariables } };
  }

  get url(): string {
    return this.options.url;
  }

  /** Define a variable sent with every later request (the Java client's define()). */
  define(name: string, value: unknown): void {
    this.defaults.sessionVariables[name] = value;
  }

  undefine(name: string): void {
    delete this.defaults.sessionVariables[name];
  }

  setProperty(name: string, value: unknown): void {
    this.defaults.properties[name] = value;
  }

  /** POST /ksql: one or more statements; returns their entities. */
  async execute(sql: string, opts: RequestOptions = {}): Promise<KsqlEntity[]> {
    const body = {
      ksql: sql,
      streamsProperties: { ...this.defaults.properties, ...opts.properties },
      sessionVariables: { ...this.defaults.sessionVariables, ...opts.sessionVariables },
    };
    const text = await this.requestText(this.http1, '/ksql', body, 'application/vnd.ksql.v1+json', opts.signal);
    return parseKsqlJson(text) as KsqlEntity[];
  }

  /** Runs a pull query (or a push query with LIMIT) to completion and returns every row. */
  async query(sql: string, opts: RequestOptions = {}): Promise<QueryResult> {
    const stream = await this.streamQuery(sql, opts);
    const rows: unknown[][] = [];
    for await (const row of stream) rows.push(row);
    return { queryId: stream.queryId, columnNames: stream.columnNames, columnTypes: stream.columnTypes, rows };
  }

  /**
   * POST /query-stream in the delimited format: the header first, then rows as they come.
   * Reading is pull-based, so a slow consumer slows the server down instead of buffering.
   */
  async streamQuery(sql: string, opts: RequestOptions = {}): Promise<PushQuery> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const response = await this.http1.request({
      method: 'POST',
      path: this.path('/query-stream'),
      headers: this.headers(DELIMITED),
      body: stringifyKsqlJson({
        sql,
        properties: { ...this.defaults.properties, ...opts.properties },
        sessionVariables: { ...this.defaults.sessionVariables, ...opts.sessionVariables },
      }),
      signal: controller.signal,
    });
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      throw KsqlDbError.fromBody(response.statusCode, text);
    }
    const lines = readLines(response.body);
    const first = await lines.next();
    if (first.done) throw new KsqlDbError('Query stream ended before its header', { httpStatus: 200, errorCode: 50000, type: 'generic_error' });
    const header = parseKsqlJson(first.value) as QueryMetadata & { message?: string; error_code?: number };
    if (header.error_code !== undefined) throw KsqlDbError.fromBody(200, first.value);

    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      try {
        await this.closeQuery(header.queryId);
      } catch {
        // The query may have completed already; closing is best effort.
      }
      controller.abort();
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const iterate = async function* (): AsyncGenerator<unknown[]> {
      try {
        for (;;) {
          const next = await lines.next();
          if (next.done) return;
          const item = parseKsqlJson(next.value);
          if (Array.isArray(item)) {
            yield item;
          } else if (item && typeof item === 'object' && 'error_code' in item) {
            throw KsqlDbError.fromBody(200, next.value);
          }
          // Other objects (continuation tokens) carry nothing for this client.
        }
      } catch (err) {
        if (closed && isAbort(err)) return;
        throw err;
      } finally {
        if (!closed) {
          closed = true;
          controller.abort();
          opts.signal?.removeEventListener('abort', onAbort);
        }
      }
    };
    const iterator = iterate();
    return {
      queryId: header.queryId,
      columnNames: header.columnNames,
      columnTypes: header.columnTypes,
      [Symbol.asyncIterator]: () => iterator,
      close,
    };
  }

  /** POST /close-query */
  async closeQuery(queryId: string): Promise<void> {
    await this.requestText(this.http1, '/close-query', { queryId }, 'application/json');
  }

  /**
   * POST /inserts-stream (HTTP/2): writes rows to a stream and resolves with one ack per row.
   * Throws on the first error ack, naming the row.
   */
  async insertRows(target: string, rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>): Promise<InsertAck[]> {
    this.http2 ??= new H2CClient(this.base.origin, { bodyTimeout: 0, headersTimeout: 0 });
    const body = Readable.from(
      (async function* () {
        yield stringifyKsqlJson({ target, properties: {} }) + '\n';
        for await (const row of rows as AsyncIterable<Record<string, unknown>>) yield stringifyKsqlJson(row) + '\n';
      })(),
    );
    const response = await this.http2.request({
      method: 'POST',
      path: this.path('/inserts-stream'),
      headers: this.headers(DELIMITED),
      body,
    });
    if (response.statusCode !== 200) throw KsqlDbError.fromBody(response.statusCode, await response.body.text());
    const acks: InsertAck[] = [];
    for await (const line of readLines(response.body)) {
      const ack = parseKsqlJson(line) as InsertAck;
      if (ack.status !== 'ok') {
        throw new KsqlDbError(`Insert of row ${ack.seq} into ${target} failed: ${ack.message}`, {
          httpStatus: 200,
          errorCode: ack.error_code ?? 50000,
          type: 'generic_error',
        });
      }
      acks.push(ack);
    }
    return acks;
  }

  async info(): Promise<{ version: string; kafkaClusterId: string; ksqlServiceId: string; serverStatus: string }> {
    const text = await this.get('/info');
    return (parseKsqlJson(text) as { KsqlServerInfo: any }).KsqlServerInfo;
  }

  async healthcheck(): Promise<{ isHealthy: boolean; details: Record<string, { isHealthy: boolean }> }> {
    return parseKsqlJson(await this.get('/healthcheck')) as any;
  }

  async listStreams(): Promise<Array<{ name: string; topic: string; keyFormat: string; valueFormat: string }>> {
    const [entity] = await this.execute('SHOW STREAMS;');
    return entity?.streams ?? [];
  }

  async listTopics(): Promise<Array<{ name: string; replicaInfo: number[] }>> {
    const [entity] = await this.execute('SHOW TOPICS;');
    return entity?.topics ?? [];
  }

  async listQueries(): Promise<Array<{ id: string; queryString: string; queryType: string; state: string }>> {
    const [entity] = await this.execute('SHOW QUERIES;');
    return entity?.queries ?? [];
  }

  async describe(source: string): Promise<Record<string, any>> {
    const [entity] = await this.execute(`DESCRIBE ${source};`);
    return entity?.sourceDescription;
  }

  async close(): Promise<void> {
    await Promise.all([this.http1.close(), this.http2?.close()]);
  }

  private path(route: string): string {
    return this.base.pathname.replace(/\/$/, '') + route;
  }

  private headers(accept: string): Record<string, string> {
    const h: Record<string, string> = { 'content-type': 'application/json', accept };
    if (this.authHeader) h.authorization = this.authHeader;
    return h;
  }

  private async get(route: string): Promise<string> {
    const response = await this.http1.request({ method: 'GET', path: this.path(route), headers: this.headers('application/json') });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw KsqlDbError.fromBody(response.statusCode, text);
    return text;
  }

  private async requestText(
    dispatcher: Dispatcher,
    route: string,
    body: unknown,
    accept: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const response = await dispatcher.request({
      method: 'POST',
      path: this.path(route),
      headers: this.headers(accept),
      body: stringifyKsqlJson(body),
      signal,
    });
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode >= 300) throw KsqlDbError.fromBody(response.statusCode, text);
    return text;
  }
}

/** Splits a byte stream into text lines, lazily. */
async function* readLines(body: AsyncIterable<Buffer | string>): AsyncGenerator<string, void, undefined> {
  // A streaming decoder keeps multi-byte characters split across chunks intact.
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line) yield line;
    }
  }
  const rest = (pending + decoder.decode()).trim();
  if (rest) yield rest;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'UND_ERR_ABORTED');
}
