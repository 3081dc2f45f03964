/**
 * The scorer's HTTP side: liveness and readiness for orchestrators, Prometheus metrics, and
 * KServe's V2 inference protocol (Open Inference Protocol, REST) for request/response scoring
 * with the same bundle and the same checks the stream gets.
 *
 *   GET  /healthz, /readyz                 live; ready = model loaded, partitions assigned, lag under the limit
 *   GET  /metrics                          Prometheus text format
 *   GET  /v2, /v2/health/live, /v2/health/ready
 *   GET  /v2/models/{name}[/versions/{v}][/ready]
 *   POST /v2/models/{name}[/versions/{v}]/infer
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { inferRequestSchema, runInference, InferenceError, modelMetadata } from './kserve-v2.js';
import type { ScorerMetrics } from './metrics.js';
import type { ModelSlot } from './model-slot.js';

export interface Readiness {
  readonly ready: boolean;
  /** Why not, when not ready. */
  readonly reasons: readonly string[];
}

export interface ScorerHttpOptions {
  readonly host: string;
  readonly port: number;
  readonly models: ModelSlot;
  readonly metrics: ScorerMetrics;
  readonly readiness: () => Readiness;
  /** Why the process is no longer live (its scoring loop died), or undefined. */
  readonly deadBecause: () => string | undefined;
  readonly explain: number;
  readonly logger: Logger;
  readonly serverVersion: string;
}

export interface ScorerHttpServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

export async function startScorerHttpServer(opts: ScorerHttpOptions): Promise<ScorerHttpServer> {
  const server = createServer((req, res) => {
    handle(req, res, opts).catch((err: unknown) => {
      opts.logger.error({ err, url: req.url }, 'HTTP request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: ScorerHttpOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://scorer');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';

  if (path === '/healthz' || path === '/v2/health/live') {
    // Not live once the scoring loop has died, so that an orchestrator restarts the process.
    const dead = opts.deadBecause();
    if (path === '/v2/health/live') return json(res, dead === undefined ? 200 : 400, { live: dead === undefined });
    return json(res, dead === undefined ? 200 : 503, dead === undefined ? { status: 'live' } : { status: 'dead', reason: dead });
  }
  if (path === '/readyz') {
    const r = opts.readiness();
    return json(res, r.ready ? 200 : 503, { ready: r.ready, reasons: r.reasons });
  }
  if (path === '/v2/health/ready') {
    // The V2 protocol answers health with the status code: 200 true, 4xx false.
    const r = opts.readiness();
    return json(res, r.ready ? 200 : 400, { ready: r.ready });
  }
  if (path === '/metrics') {
    const body = await opts.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': opts.metrics.registry.contentType });
    res.end(body);
    return;
  }
  if (path === '/v2') {
    return json(res, 200, { name: 'ksml-scorer', version: opts.serverVersion, extensions: [] });
  }
  const model = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(path);
  if (model === null) return json(res, 404, { error: `no route ${method} ${path}` });
  const [, rawName, rawVersion, action] = model;
  const name = decodeURIComponent(rawName!);
  const version = rawVersion === undefined ? undefined : decodeURIComponent(rawVersion);
  const active = opts.models.peek();
  const known = active !== undefined && active.name === name && (version === undefined || version === active.version);
  if (action === '/ready') {
    return json(res, known ? 200 : 400, { name, ready: known });
  }
  if (!known) {
    const what = active === undefined ? 'no model is loaded yet' : `this scorer serves ${active.name} version ${active.version}`;
    return json(res, 404, { error: `Model ${name}${version ? ` version ${version}` : ''} not found: ${what}.` });
  }
  if (action === undefined) {
    if (method !== 'GET') return json(res, 405, { error: `${method} not allowed` });
    return json(res, 200, modelMetadata(active));
  }
  if (method !== 'POST') return json(res, 405, { error: `${method} not allowed; POST an inference request` });
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (err) {
    opts.metrics.inferRequests.inc({ outcome: 'invalid' });
    return json(res, err instanceof BodyTooLargeError ? 413 : 400, { error: err instanceof Error ? err.message : 'invalid JSON' });
  }
  const parsed = inferRequestSchema.safeParse(body);
  if (!parsed.success) {
    opts.metrics.inferRequests.inc({ outcome: 'invalid' });
    return json(res, 400, { error: `invalid inference request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}` });
  }
  try {
    const response = runInference(active, parsed.data, opts.explain);
    opts.metrics.inferRequests.inc({ outcome: 'ok' });
    return json(res, 200, response);
  } catch (err) {
    if (!(err instanceof InferenceError)) throw err;
    opts.metrics.inferRequests.inc({ outcome: 'invalid' });
    return json(res, 400, { error: err.message });
  }
}

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
