/**
 * The route table of ksqlDB's server (REST-API.md §1.1) and the dispatch in front of it: basic
 * auth, path and method matching (404 / 405 as Vert.x answers them), Accept negotiation (406),
 * and the last-resort mapping of handler failures to error bodies.
 */
import { ErrorCodes } from '../errors.js';
import { isAuthorized, rejectUnauthorized, type BasicCredentials } from './auth.js';
import type { RestContext, RouteHandler } from './context.js';
import { genericError, HttpError } from './error-bodies.js';
import { handleCloseQuery } from './handlers/close-query.js';
import { handleInsertsStream } from './handlers/inserts-stream.js';
import { handleKsql } from './handlers/ksql.js';
import { handleQuery, handleQueryStream } from './handlers/query.js';
import {
  handleAllStatuses,
  handleHealthcheck,
  handleHealthProbe,
  handleInfo,
  handleRootRedirect,
  handleStatus,
} from './handlers/server-info.js';
import type { HttpExchange } from './http-exchange.js';
import { type MediaType, MediaTypes, negotiate } from './media-types.js';

interface Route {
  readonly method: 'GET' | 'POST';
  /** Path segments; ':name' segments capture one decoded segment. */
  readonly segments: readonly string[];
  /** Media types the route produces, in preference order; empty means no negotiation. */
  readonly produces: readonly MediaType[];
  readonly handler: RouteHandler;
}

const OLD_API: readonly MediaType[] = [MediaTypes.KSQL_V1_JSON, MediaTypes.JSON];

function route(method: Route['method'], path: string, produces: readonly MediaType[], handler: RouteHandler): Route {
  return { method, segments: path.split('/').filter(Boolean), produces, handler };
}

const ROUTES: readonly Route[] = [
  route('GET', '/', [], handleRootRedirect),
  route('POST', '/ksql', OLD_API, handleKsql),
  // The delimited type comes first so that '*/*' selects it, as in ksqlDB (§3.1).
  route('POST', '/query', [MediaTypes.DELIMITED, MediaTypes.KSQL_V1_JSON, MediaTypes.JSON], handleQuery),
  route('POST', '/query-stream', [MediaTypes.DELIMITED, MediaTypes.JSON, MediaTypes.KSQL_V1_JSON], handleQueryStream),
  route('POST', '/inserts-stream', [MediaTypes.DELIMITED, MediaTypes.JSON], handleInsertsStream),
  route('POST', '/close-query', [], handleCloseQuery),
  route('GET', '/info', OLD_API, handleInfo),
  route('GET', '/healthcheck', OLD_API, handleHealthcheck),
  route('GET', '/status', OLD_API, handleAllStatuses),
  route('GET', '/status/:type/:entity/:action', OLD_API, handleStatus),
  route('GET', '/chc/ready', [], handleHealthProbe),
  route('GET', '/chc/live', [], handleHealthProbe),
];

const NOT_FOUND_HTML = '<html><body><h1>Resource not found</h1></body></html>';

function matchPath(route: Route, segments: readonly string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const expected = route.segments[i]!;
    const actual = segments[i]!;
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

export interface RouterOptions {
  readonly auth?: BasicCredentials;
}

export function createRouter(ctx: RestContext, opts: RouterOptions): (exchange: HttpExchange) => Promise<void> {
  return async (exchange) => {
    ctx.logger.debug({ method: exchange.method, path: exchange.path, http2: exchange.isHttp2 }, 'request');
    try {
      await dispatch(exchange, ctx, opts);
    } catch (err) {
      answerFailure(exchange, ctx, err);
    }
  };
}

async function dispatch(exchange: HttpExchange, ctx: RestContext, opts: RouterOptions): Promise<void> {
  if (opts.auth && !isAuthorized(exchange.header('authorization'), opts.auth)) {
    rejectUnauthorized(exchange);
    return;
  }
  const segments = exchange.path.split('/').filter(Boolean);
  const candidates = ROUTES.map((r) => ({ route: r, params: matchPath(r, segments) })).filter((c) => c.params !== undefined);
  const found = candidates.find((c) => c.route.method === exchange.method);
  if (!found) {
    exchange.body.resume();
    if (candidates.length > 0) exchange.send(405, undefined);
    else exchange.send(404, 'text/html; charset=utf-8', NOT_FOUND_HTML);
    return;
  }
  let accepted: MediaType | undefined;
  if (found.route.produces.length > 0) {
    const negotiated = negotiate(exchange.header('accept'), found.route.produces);
    if (negotiated.kind === 'not-acceptable') {
      exchange.body.resume();
      exchange.send(406, undefined);
      return;
    }
    accepted = negotiated.kind === 'chosen' ? negotiated.mediaType : undefined;
  }
  await found.route.handler(exchange, ctx, { params: found.params ?? {}, accepted });
}

function answerFailure(exchange: HttpExchange, ctx: RestContext, err: unknown): void {
  if (exchange.headersSent) {
    ctx.logger.warn({ err, path: exchange.path }, 'request failed after its response started');
    exchange.end();
    return;
  }
  if (err instanceof HttpError) {
    exchange.sendError(err.toResponse(), err.status === 413 && !exchange.isHttp2 ? { connection: 'close' } : {});
    return;
  }
  ctx.logger.error({ err, path: exchange.path }, 'request failed');
  const message = err instanceof Error ? err.message : String(err);
  exchange.sendJson(500, genericError(ErrorCodes.SERVER_ERROR, message));
}
