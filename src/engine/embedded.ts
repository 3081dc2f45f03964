/**
 * The engine embedded in the calling process, behind its REST API: how notebooks, tests and
 * the CLI run ksqlDB without a JVM. `stop()` closes the server, then the engine, then the log.
 */
import type { Logger } from 'pino';
import { createLogger } from '../logging.js';
import { openTopicLog, type TopicLogSpec } from '../log/index.js';
import type { LocalEngine } from './api.js';
import { createLocalEngine } from './local-engine.js';
import type { BasicCredentials } from './rest/auth.js';
import { startRestServer } from './rest/server.js';

export interface LocalKsqlDbOptions {
  /** Directory of the file log; omitted (and no `log`) means an in-memory log that vanishes on stop(). */
  readonly dataDir?: string;
  /** The topic log to run over, e.g. `{ kind: 'kafka', brokers }`; instead of `dataDir`. */
  readonly log?: TopicLogSpec;
  /** REST port; default 0 (an ephemeral port). */
  readonly port?: number;
  /** Default '127.0.0.1'. */
  readonly host?: string;
  /** Server-level ksqlDB properties, e.g. 'ksql.streams.auto.offset.reset'. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Directory of extension modules (UDFs) loaded at start. */
  readonly extensionDir?: string;
  /** HTTP basic authentication for every route. */
  readonly auth?: BasicCredentials;
  /** Largest accepted request body (default 10 MiB). */
  readonly maxRequestBytes?: number;
  readonly logger?: Logger;
}

export interface LocalKsqlDb {
  readonly url: string;
  readonly port: number;
  readonly engine: LocalEngine;
  stop(): Promise<void>;
}

export async function startLocalKsqlDb(opts: LocalKsqlDbOptions = {}): Promise<LocalKsqlDb> {
  const logger = opts.logger ?? createLogger('ksqldb');
  const log = await openTopicLog(logSpec(opts));
  let engine: LocalEngine;
  try {
    engine = await createLocalEngine({
      log,
      logger,
      ...(opts.properties ? { properties: opts.properties } : {}),
      ...(opts.extensionDir ? { extensionDir: opts.extensionDir } : {}),
    });
  } catch (err) {
    await log.close();
    throw err;
  }

  let server: Awaited<ReturnType<typeof startRestServer>>;
  try {
    server = await startRestServer({
      engine,
      logger: logger.child({ component: 'rest' }),
      ...(opts.host !== undefined ? { host: opts.host } : {}),
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.auth ? { auth: opts.auth } : {}),
      ...(opts.maxRequestBytes !== undefined ? { maxRequestBytes: opts.maxRequestBytes } : {}),
    });
  } catch (err) {
    await engine.close();
    await log.close();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        await server.close();
      } finally {
        try {
          await engine.close();
        } finally {
          await log.close();
        }
      }
    })();
    return stopping;
  };

  return { url: server.url, port: server.port, engine, stop };
}

function logSpec(opts: LocalKsqlDbOptions): TopicLogSpec {
  if (opts.log !== undefined) {
    if (opts.dataDir !== undefined) throw new Error('Give the local engine either a dataDir or a log, not both.');
    return opts.log;
  }
  return opts.dataDir === undefined ? { kind: 'memory' } : { kind: 'file', dir: opts.dataDir };
}
