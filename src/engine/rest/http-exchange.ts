/**
 * One request/response pair, the same for HTTP/1.1 (node:http) and HTTP/2 (node:http2's
 * compatibility API), so handlers never care which protocol carried the request.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Readable } from 'node:stream';
import { ErrorCodes } from '../errors.js';
import { type ErrorResponse, HttpError } from './error-bodies.js';
import { toJsonText } from './json.js';
import { MediaTypes } from './media-types.js';

/** The part of ServerResponse / Http2ServerResponse the REST layer uses. */
interface RawResponse {
  writeHead(statusCode: number, headers?: OutgoingHttpHeaders): unknown;
  write(chunk: string | Buffer): boolean;
  end(chunk?: string | Buffer): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
  readonly writableEnded: boolean;
  readonly headersSent: boolean;
}

export class HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly isHttp2: boolean;
  /** The request body as a stream. */
  readonly body: Readable;
  private readonly res: RawResponse;
  private clientGone = false;
  private readonly goneListeners: (() => void)[] = [];

  constructor(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) {
    this.method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.path = q < 0 ? url : url.slice(0, q);
    this.headers = req.headers;
    this.isHttp2 = req.httpVersionMajor === 2;
    this.body = req as Readable;
    this.res = res as unknown as RawResponse;
    this.res.once('close', () => {
      if (this.res.writableEnded) return;
      this.clientGone = true;
      for (const listener of this.goneListeners.splice(0)) listener();
    });
  }

  /** True once the client closed the connection/stream before the response ended. */
  get isClientGone(): boolean {
    return this.clientGone;
  }

  get isEnded(): boolean {
    return this.res.writableEnded;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  /** Runs `listener` once if the client goes away before the response ends. */
  onClientGone(listener: () => void): void {
    if (this.clientGone) listener();
    else this.goneListeners.push(listener);
  }

  header(name: string): string | undefined {
    const v = this.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  startResponse(status: number, headers: OutgoingHttpHeaders = {}): void {
    if (this.clientGone || this.res.headersSent) return;
    this.res.writeHead(status, headers);
  }

  /** Writes a chunk; resolves when the transport can take more (back-pressure) or the client left. */
  async write(chunk: string): Promise<void> {
    // Empty writes are skipped: an empty chunk among pending HTTP/2 writes corrupts the bytes
    // Node sends (seen with Node 20's http2 compat layer).
    if (chunk === '' || this.clientGone || this.res.writableEnded) return;
    if (this.res.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.res.removeListener('drain', done);
        this.res.removeListener('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  end(chunk?: string): void {
    if (this.res.writableEnded) return;
    if (chunk === undefined) this.res.end();
    else this.res.end(chunk);
  }

  /** A complete response: status, Content-Type, body (no body for undefined). */
  send(status: number, contentType: string | undefined, body?: string, extraHeaders: OutgoingHttpHeaders = {}): void {
    if (this.clientGone || this.res.headersSent) return;
    const headers: OutgoingHttpHeaders = { ...extraHeaders };
    if (contentType !== undefined) headers['content-type'] = contentType;
    const bytes = body === undefined ? undefined : Buffer.from(body, 'utf8');
    headers['content-length'] = bytes?.length ?? 0;
    this.res.writeHead(status, headers);
    if (bytes) this.res.end(bytes);
    else this.res.end();
  }

  /** ksqlDB's old-API responses always say application/json, whatever was negotiated. */
  sendJson(status: number, value: unknown, extraHeaders: OutgoingHttpHeaders = {}): void {
    this.send(status, MediaTypes.JSON, toJsonText(value), extraHeaders);
  }

  sendError(error: ErrorResponse, extraHeaders: OutgoingHttpHeaders = {}): void {
    this.sendJson(error.status, error.body, extraHeaders);
  }

  /**
   * Reads the whole body, failing with 413 beyond `maxBytes`. Beyond the limit the rest is
   * drained and discarded rather than the stream destroyed, so the 413 answer still reaches the
   * client (destroying the request would take the connection or HTTP/2 stream with it).
   */
  async readBody(maxBytes: number): Promise<Buffer> {
    const declared = Number(this.header('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      this.body.resume();
      throw payloadTooLarge();
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.body) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      total += buf.length;
      if (total <= maxBytes) chunks.push(buf);
    }
    if (total > maxBytes) throw payloadTooLarge();
    return Buffer.concat(chunks);
  }
}

export function payloadTooLarge(): HttpError {
  return new HttpError(413, 41300, 'Request Entity Too Large');
}

export function badRequest(message: string, errorCode: number = ErrorCodes.BAD_REQUEST): HttpError {
  return new HttpError(400, errorCode, message);
}
