/** The small read-only endpoints: /info, /healthcheck, /status, GET / and the /chc probes. */
import { ErrorCodes } from '../../errors.js';
import type { RouteHandler } from '../context.js';
import { genericError } from '../error-bodies.js';

export const handleInfo: RouteHandler = async (exchange, ctx) => {
  exchange.sendJson(200, { KsqlServerInfo: ctx.engine.serverInfo() });
};

export const handleRootRedirect: RouteHandler = async (exchange) => {
  exchange.send(307, undefined, undefined, { location: '/info' });
};

export const handleHealthcheck: RouteHandler = async (exchange, ctx) => {
  let healthy: boolean;
  try {
    healthy = await ctx.engine.isHealthy();
  } catch (err) {
    ctx.logger.warn({ err }, 'health check failed');
    healthy = false;
  }
  // One process holds metastore, log and command runner, so one answer stands for all three.
  const detail = { isHealthy: healthy };
  exchange.sendJson(200, {
    isHealthy: healthy,
    details: { metastore: detail, kafka: detail, commandRunner: detail },
    serverState: 'READY',
  });
};

export const handleAllStatuses: RouteHandler = async (exchange, ctx) => {
  const statuses: Record<string, string> = {};
  for (const [commandId, status] of Object.entries(ctx.engine.commandStatuses())) statuses[commandId] = status.status;
  exchange.sendJson(200, statuses);
};

export const handleStatus: RouteHandler = async (exchange, ctx, match) => {
  const { type = '', entity = '', action = '' } = match.params;
  // CommandId.toString writes type and action in lower case whatever the URL said.
  const commandId = `${type.toLowerCase()}/${entity}/${action.toLowerCase()}`;
  const status = ctx.engine.commandStatuses()[commandId];
  if (status) exchange.sendJson(200, status);
  else exchange.sendJson(404, genericError(ErrorCodes.NOT_FOUND, 'Command not found'));
};

export const handleHealthProbe: RouteHandler = async (exchange) => {
  exchange.sendJson(200, {});
};
