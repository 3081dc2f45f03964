/**
 * POST /query (legacy, KsqlRequest body) and POST /query-stream (QueryStreamArgs body): run one
 * query and stream its rows in the negotiated format (REST-API.md §3), honouring back-pressure
 * and stopping the query when the client goes away.
 */
import type { QueryStream } from '../../api.js';
import type { RestContext, RouteHandler, RouteMatch } from '../context.js';
import { midStreamError, queryEndpointError } from '../error-bodies.js';
import type { HttpExchange } from '../http-exchange.js';
import { type MediaType, MediaTypes } from '../media-types.js';
import { createQueryWriter, type QueryFormat } from '../query-writers.js';
import { parseKsqlRequest, parseQueryStreamArgs, type StatementRequest } from '../request-bodies.js';

type QueryEndpoint = 'query' | 'query-stream';

/** The table of §3.1: what each endpoint answers for each negotiated media type. */
function formatFor(endpoint: QueryEndpoint, accepted: MediaType | undefined): QueryFormat {
  if (accepted === MediaTypes.DELIMITED) return 'delimited';
  if (accepted === MediaTypes.KSQL_V1_JSON) return 'streamed-row';
  if (endpoint === 'query') return 'streamed-row';
  return accepted === MediaTypes.JSON ? 'json-array' : 'delimited';
}

export const handleQuery: RouteHandler = (exchange, ctx, match) => runQuery('query', exchange, ctx, match);
export const handleQueryStream: RouteHandler = (exchange, ctx, match) => runQuery('query-stream', exchange, ctx, match);

async function runQuery(endpoint: QueryEndpoint, exchange: HttpExchange, ctx: RestContext, match: RouteMatch): Promise<void> {
  const body = await exchange.readBody(ctx.maxRequestBytes);
  const request: StatementRequest = endpoint === 'query' ? parseKsqlRequest(body) : parseQueryStreamArgs(body);

  let stream: QueryStream;
  try {
    stream = await ctx.engine.executeQuery(request.sql, request.context);
  } catch (err) {
    const response = queryEndpointError(err, request.sql);
    if (response.status >= 500) ctx.logger.error({ err }, 'query failed to start');
    exchange.sendError(response);
    return;
  }

  ctx.activeQueries.add(stream);
  exchange.onClientGone(() => stream.close());
  try {
    if (stream.kind === 'print') await streamPrint(exchange, stream);
    else await streamRows(exchange, stream, formatFor(endpoint, match.accepted), ctx);
  } finally {
    ctx.activeQueries.delete(stream);
    stream.close();
    exchange.end();
  }
}

async function streamRows(exchange: HttpExchange, stream: QueryStream, format: QueryFormat, ctx: RestContext): Promise<void> {
  const writer = createQueryWriter(format, stream);
  exchange.startResponse(200, { 'content-type': writer.contentType });
  await exchange.write(writer.begin());
  try {
    for await (const row of stream.rows) {
      if (exchange.isClientGone) return;
      const text = writer.row(row);
      if (text) await exchange.write(text);
    }
    if (exchange.isClientGone) return;
    await exchange.write(writer.finish(stream.completion()));
  } catch (err) {
    ctx.logger.warn({ err, queryId: stream.queryId }, 'query failed while streaming');
    await exchange.write(writer.error(midStreamError()));
  }
}

/** PRINT: the topic's records as text lines, one per record. */
async function streamPrint(exchange: HttpExchange, stream: QueryStream): Promise<void> {
  exchange.startResponse(200, { 'content-type': MediaTypes.JSON });
  for await (const line of stream.lines ?? []) {
    if (exchange.isClientGone) return;
    await exchange.write(line.endsWith('\n') ? line : `${line}\n`);
  }
}
