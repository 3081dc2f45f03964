/**
 * Request bodies of the REST endpoints (KsqlRequest, QueryStreamArgs, CloseQueryArgs,
 * InsertsStreamArgs), parsed and validated. Every failure is a 400 / 40000
 * "Invalid JSON in request: ..." or, for a missing required field, "No <field> in arguments".
 */
import { z } from 'zod';
import type { RequestContext } from '../api.js';
import { badRequest } from './http-exchange.js';

const propertyMap = z.record(z.string(), z.unknown());

const ksqlRequestSchema = z.looseObject({
  ksql: z.string().nullish(),
  streamsProperties: propertyMap.nullish(),
  requestProperties: propertyMap.nullish(),
  sessionVariables: propertyMap.nullish(),
  // Accepted and ignored: this engine executes each request to completion before answering.
  commandSequenceNumber: z.unknown().optional(),
});

const queryStreamArgsSchema = z.looseObject({
  sql: z.string().nullish(),
  properties: propertyMap.nullish(),
  requestProperties: propertyMap.nullish(),
  sessionVariables: propertyMap.nullish(),
});

const closeQueryArgsSchema = z.looseObject({ queryId: z.string().nullish() });

const insertsStreamArgsSchema = z.looseObject({
  target: z.string().nullish(),
  properties: propertyMap.nullish(),
  requestProperties: propertyMap.nullish(),
  sessionVariables: propertyMap.nullish(),
});

export interface StatementRequest {
  readonly sql: string;
  readonly context: RequestContext;
}

export interface InsertsStreamArgs {
  readonly target: string;
  readonly context: RequestContext;
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`Invalid JSON in request: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
  throw badRequest(`Invalid JSON in request: ${issue?.message ?? 'invalid body'}${where}`);
}

function requireField<T>(value: T | null | undefined, name: string): T {
  if (value === null || value === undefined) throw badRequest(`No ${name} in arguments`);
  return value;
}

function context(properties: Record<string, unknown> | null | undefined, sessionVariables: Record<string, unknown> | null | undefined): RequestContext {
  return {
    ...(properties ? { properties } : {}),
    ...(sessionVariables ? { sessionVariables } : {}),
  };
}

/** /ksql and /query: a KsqlRequest; a missing `ksql` means no statements. */
export function parseKsqlRequest(body: Buffer): StatementRequest {
  const req = validate(ksqlRequestSchema, parseJsonText(body.toString('utf8')));
  return { sql: req.ksql ?? '', context: context(req.streamsProperties, req.sessionVariables) };
}

/** /query-stream */
export function parseQueryStreamArgs(body: Buffer): StatementRequest {
  const args = validate(queryStreamArgsSchema, parseJsonText(body.toString('utf8')));
  return { sql: requireField(args.sql, 'sql'), context: context(args.properties, args.sessionVariables) };
}

/** /close-query */
export function parseCloseQueryArgs(body: Buffer): string {
  const args = validate(closeQueryArgsSchema, parseJsonText(body.toString('utf8')));
  return requireField(args.queryId, 'queryId');
}

/** First line of /inserts-stream. */
export function parseInsertsStreamArgs(line: string): InsertsStreamArgs {
  const args = validate(insertsStreamArgsSchema, parseJsonText(line));
  return { target: requireField(args.target, 'target'), context: context(args.properties, args.sessionVariables) };
}
