/**
 * ksqlDB's REST API over HTTP/1.1 and cleartext HTTP/2 on one port, in front of any
 * `KsqlEngineApi` (REST-API.md). Routing and endpoints live in ./router.ts and ./handlers/.
 */
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createLogger } from '../../logging.js';
import type { KsqlEngineApi, QueryStream } from '../api.js';
import type { BasicCredentials } from './auth.js';
import type { RestContext } from './context.js';
import { HttpExchange } from './http-exchange.js';
import { createDualProtocolListener } from './protocol-sniffer.js';
import { createRouter } from './router.js';

export interface RestServerOptions {
  readonly engine: KsqlEngineApi;
  /** Default '127.0.0.1'. */
  readonly host?: string;
  /** Default 0: an ephemeral port. */
  readonly port?: number;
  /** HTTP basic authentication for every route. */
  readonly auth?: BasicCredentials;
  /** Largest accepted request body (default 10 MiB); larger gets 413. */
  readonly maxRequestBytes?: number;
  readonly logger?: Logger;
}

export interface RestServer {
  /** e.g. 'http://127.0.0.1:8088' */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, ends running queries and open connections. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** How long open connections get to finish after close() before they are cut. */
const CLOSE_GRACE_MS = 2_000;

export async function startRestServer(opts: RestServerOptions): Promise<RestServer> {
  const logger = opts.logger ?? createLogger('rest');
  const ctx: RestContext = {
    engine: opts.engine,
    logger,
    maxRequestBytes: opts.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    activeQueries: new Set<QueryStream>(),
  };
  const route = createRouter(ctx, opts.auth ? { auth: opts.auth } : {});
  const onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void => {
    void route(new HttpExchange(req, res));
  };

  const http1 = createHttp1Server(onRequest);
  // Streaming queries can stay silent for a long time; no server-side request timeouts.
  http1.requestTimeout = 0;
  http1.headersTimeout = 0;
  http1.keepAliveTimeout = 5_000;
  const http2 = createHttp2Server(onRequest);
  const sessions = new Set<Http2Session>();
  http2.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const clientError = (err: Error): void => logger.debug({ err }, 'client connection error');
  http1.on('clientError', (err: Error, socket) => {
    clientError(err);
    socket.destroy();
  });
  http2.on('sessionError', clientError);

  const listener = createDualProtocolListener(http1, http2);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    listener.server.once('error', reject);
    listener.server.listen(opts.port ?? 0, host, () => {
      listener.server.removeListener('error', reject);
      resolve();
    });
  });
  const port = (listener.server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url }, 'REST server listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => listener.server.close(() => resolve()));
      for (const query of ctx.activeQueries) query.close();
      for (const session of sessions) session.close();
      // Keep-alive connections become idle as their last response ends; close each then.
      http1.closeIdleConnections();
      const sweep = setInterval(() => http1.closeIdleConnections(), 50);
      const grace = setTimeout(() => {
        for (const socket of listener.sockets) socket.destroy();
      }, CLOSE_GRACE_MS);
      sweep.unref();
      grace.unref();
      await stopped;
      clearInterval(sweep);
      clearTimeout(grace);
      logger.info({ url }, 'REST server closed');
    })();
    return closing;
  };

  return { url, port, close };
}
