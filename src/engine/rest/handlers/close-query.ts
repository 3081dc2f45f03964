/** POST /close-query (REST-API.md §3.5). */
import { ErrorCodes } from '../../errors.js';
import type { RouteHandler } from '../context.js';
import { genericError } from '../error-bodies.js';
import { parseCloseQueryArgs } from '../request-bodies.js';

export const handleCloseQuery: RouteHandler = async (exchange, ctx) => {
  const queryId = parseCloseQueryArgs(await exchange.readBody(ctx.maxRequestBytes));
  if (ctx.engine.closeQuery(queryId)) {
    exchange.send(200, undefined);
  } else {
    exchange.sendJson(400, genericError(ErrorCodes.BAD_REQUEST, `No query with id ${queryId}`));
  }
};
