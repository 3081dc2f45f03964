/**
 * POST /inserts-stream (REST-API.md §4): HTTP/2 only. The request body is newline-delimited
 * JSON (arguments, then one row per line); each row is inserted in order and acknowledged as
 * soon as it is appended. The first failed row gets an error ack and ends the response.
 */
import { StringDecoder } from 'node:string_decoder';
import type { InsertTarget } from '../../api.js';
import { ErrorCodes, KsqlError } from '../../errors.js';
import { parseJsonText } from '../../values/json-text.js';
import type { RestContext, RouteHandler } from '../context.js';
import { errorMessageWithCauses, insertsEndpointError } from '../error-bodies.js';
import { badRequest, type HttpExchange, payloadTooLarge } from '../http-exchange.js';
import { toJsonText } from '../json.js';
import { MediaTypes } from '../media-types.js';
import { parseInsertsStreamArgs } from '../request-bodies.js';

const UNEXPECTED_INSERT_ERROR = 'Error in processing inserts. Check server logs for details.';
const INVALID_ROW_JSON = 'Invalid JSON in inserts stream';

interface InsertAck {
  readonly status: 'ok' | 'error';
  readonly seq: number;
  readonly error_code?: number;
  readonly message?: string;
}

/**
 * A row line as the engine's JSON coercion expects it: every number a LosslessNumber holding
 * its literal text, so BIGINT and DECIMAL values arrive exactly as sent.
 */
function parseRow(line: string): Record<string, unknown> | undefined {
  try {
    const value = parseJsonText(line, true);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Yields the non-empty lines of the body as they arrive; a line may not exceed `maxLineBytes`. */
async function* bodyLines(exchange: HttpExchange, maxLineBytes: number): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of exchange.body) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield line;
    }
    if (Buffer.byteLength(pending) > maxLineBytes) throw payloadTooLarge();
  }
  const last = (pending + decoder.end()).trim();
  if (last) yield last;
}

class AckWriter {
  private count = 0;
  constructor(
    private readonly exchange: HttpExchange,
    private readonly asJsonArray: boolean,
  ) {}

  get contentType(): string {
    return this.asJsonArray ? MediaTypes.JSON : MediaTypes.DELIMITED;
  }

  begin(): Promise<void> {
    return this.asJsonArray ? this.exchange.write('[') : Promise.resolve();
  }

  ack(ack: InsertAck): Promise<void> {
    const json = toJsonText(ack);
    const text = this.asJsonArray ? `${this.count === 0 ? '' : ','}${json}` : `${json}\n`;
    this.count++;
    return this.exchange.write(text);
  }

  finish(): Promise<void> {
    return this.asJsonArray ? this.exchange.write(']') : Promise.resolve();
  }
}

function errorAck(seq: number, err: unknown): InsertAck {
  if (err instanceof KsqlError) return { status: 'error', seq, error_code: err.errorCode, message: errorMessageWithCauses(err) };
  return { status: 'error', seq, error_code: ErrorCodes.SERVER_ERROR, message: UNEXPECTED_INSERT_ERROR };
}

export const handleInsertsStream: RouteHandler = async (exchange, ctx, match) => {
  if (!exchange.isHttp2) {
    exchange.body.resume();
    throw badRequest('This endpoint is only available when using HTTP2', ErrorCodes.HTTP2_ONLY);
  }
  const lines = bodyLines(exchange, ctx.maxRequestBytes);
  const first = await lines.next();
  if (first.done) throw badRequest('Invalid JSON in request: no arguments');
  const args = parseInsertsStreamArgs(first.value);

  let target: InsertTarget;
  try {
    target = await ctx.engine.insertTarget(args.target, args.context);
  } catch (err) {
    const response = insertsEndpointError(err);
    if (response.status >= 500) ctx.logger.error({ err }, 'inserts failed to start');
    exchange.sendError(response);
    await drain(lines);
    return;
  }

  const acks = new AckWriter(exchange, match.accepted === MediaTypes.JSON);
  exchange.startResponse(200, { 'content-type': acks.contentType });
  await acks.begin();
  await insertRows(lines, target, acks, ctx);
  await acks.finish();
  exchange.end();
  // Rows sent after a failure are read and ignored so the client's stream can finish cleanly.
  await drain(lines);
};

/** Inserts rows in order; returns true if one failed (its error ack is the last line written). */
async function insertRows(lines: AsyncGenerator<string>, target: InsertTarget, acks: AckWriter, ctx: RestContext): Promise<boolean> {
  let seq = 0;
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await lines.next();
    } catch (err) {
      await acks.ack(errorAck(seq, err instanceof KsqlError ? err : new KsqlError(INVALID_ROW_JSON)));
      return true;
    }
    if (next.done) return false;
    const row = parseRow(next.value);
    if (!row) {
      await acks.ack({ status: 'error', seq, error_code: ErrorCodes.BAD_REQUEST, message: INVALID_ROW_JSON });
      return true;
    }
    try {
      await target.insert(row);
    } catch (err) {
      if (!(err instanceof KsqlError)) ctx.logger.error({ err }, 'insert failed');
      await acks.ack(errorAck(seq, err));
      return true;
    }
    await acks.ack({ status: 'ok', seq });
    seq++;
  }
}

async function drain(lines: AsyncGenerator<string>): Promise<void> {
  try {
    for (;;) {
      const next = await lines.next();
      if (next.done) return;
    }
  } catch {
    // The request is being discarded; a broken or oversized remainder does not matter.
  }
}
