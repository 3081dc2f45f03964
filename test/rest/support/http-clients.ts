/**
 * Minimal HTTP/1.1 (node:http, what curl does) and HTTP/2 prior-knowledge (node:http2, what
 * ksqlDB's Java client does) clients for the REST tests.
 */
import { request as http1Request, type IncomingHttpHeaders } from 'node:http';
import { connect, type ClientHttp2Session, constants as h2 } from 'node:http2';
import type { Readable } from 'node:stream';

export type Protocol = 'http1' | 'http2';

export interface RequestSpec {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** A string body, or lines written one by one (for streaming uploads). */
  readonly body?: string | Buffer;
  readonly auth?: { username: string; password: string };
}

export interface OpenResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Readable;
  /** Abort the request (client disconnect). */
  close(): void;
}

export interface FullResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

function headersOf(spec: RequestSpec): Record<string, string> {
  const headers: Record<string, string> = { ...(spec.headers ?? {}) };
  if (spec.auth) {
    headers.authorization = `Basic ${Buffer.from(`${spec.auth.username}:${spec.auth.password}`).toString('base64')}`;
  }
  return headers;
}

export function openHttp1(baseUrl: string, spec: RequestSpec): Promise<OpenResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(spec.path, baseUrl);
    const req = http1Request(url, { method: spec.method ?? 'GET', headers: headersOf(spec), agent: false }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, close: () => req.destroy() });
    });
    req.on('error', reject);
    if (spec.body !== undefined) req.end(spec.body);
    else req.end();
  });
}

/** One HTTP/2 session per test client; requests share it like the Java client does. */
export class Http2Client {
  private readonly session: ClientHttp2Session;

  constructor(baseUrl: string) {
    this.session = connect(baseUrl);
    this.session.on('error', () => {});
  }

  open(spec: RequestSpec, bodyWriter?: (write: (chunk: string) => void, end: () => void) => void): Promise<OpenResponse> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({
        [h2.HTTP2_HEADER_METHOD]: spec.method ?? 'GET',
        [h2.HTTP2_HEADER_PATH]: spec.path,
        ...headersOf(spec),
      });
      stream.on('error', reject);
      stream.on('response', (headers) => {
        resolve({
          status: Number(headers[h2.HTTP2_HEADER_STATUS]),
          headers: headers as IncomingHttpHeaders,
          body: stream,
          close: () => stream.close(h2.NGHTTP2_CANCEL),
        });
      });
      if (bodyWriter) bodyWriter((chunk) => stream.write(chunk), () => stream.end());
      else if (spec.body !== undefined) stream.end(spec.body);
      else stream.end();
    });
  }

  async request(spec: RequestSpec): Promise<FullResponse> {
    const res = await this.open(spec);
    return { status: res.status, headers: res.headers, text: await readAll(res.body) };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.session.close(() => resolve()));
  }
}

export async function readAll(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export async function request(protocol: Protocol, baseUrl: string, spec: RequestSpec): Promise<FullResponse> {
  if (protocol === 'http2') {
    const client = new Http2Client(baseUrl);
    try {
      return await client.request(spec);
    } finally {
      await client.close();
    }
  }
  const res = await openHttp1(baseUrl, spec);
  return { status: res.status, headers: res.headers, text: await readAll(res.body) };
}

/** POST with a JSON body. */
export function postJson(protocol: Protocol, baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<FullResponse> {
  return request(protocol, baseUrl, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Reads a streaming body line by line as it arrives. */
export async function* lines(body: Readable): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of body) {
    pending += chunk.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
  }
  if (pending) yield pending;
}
