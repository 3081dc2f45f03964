/** POST /ksql: statements in, entities out (REST-API.md §2). */
import type { RouteHandler } from '../context.js';
import { ksqlEndpointError } from '../error-bodies.js';
import { parseKsqlRequest } from '../request-bodies.js';

export const handleKsql: RouteHandler = async (exchange, ctx) => {
  const request = parseKsqlRequest(await exchange.readBody(ctx.maxRequestBytes));
  try {
    const entities = await ctx.engine.executeStatements(request.sql, request.context);
    exchange.sendJson(200, entities);
  } catch (err) {
    const response = ksqlEndpointError(err, request.sql);
    if (response.status >= 500) ctx.logger.error({ err }, 'statement execution failed');
    exchange.sendError(response);
  }
};
