/** What every REST handler gets besides its request: the engine and server-wide settings. */
import type { Logger } from 'pino';
import type { KsqlEngineApi, QueryStream } from '../api.js';
import type { HttpExchange } from './http-exchange.js';
import type { MediaType } from './media-types.js';

export interface RestContext {
  readonly engine: KsqlEngineApi;
  readonly logger: Logger;
  readonly maxRequestBytes: number;
  /** Queries currently streaming to a client, closed when the server shuts down. */
  readonly activeQueries: Set<QueryStream>;
}

export interface RouteMatch {
  /** Decoded path parameters (`/status/:type/:entity/:action`). */
  readonly params: Readonly<Record<string, string>>;
  /** The negotiated response type; undefined when the request sent no Accept header. */
  readonly accepted: MediaType | undefined;
}

export type RouteHandler = (exchange: HttpExchange, ctx: RestContext, match: RouteMatch) => Promise<void>;
