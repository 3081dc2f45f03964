/** HTTP basic authentication, answered like ksqlDB's BASIC auth handler on failure. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCodes } from '../errors.js';
import { genericError } from './error-bodies.js';
import type { HttpExchange } from './http-exchange.js';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

const REALM = 'KsqlServer';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison so response timing does not leak how much of a secret matched. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function isAuthorized(authorizationHeader: string | undefined, expected: BasicCredentials): boolean {
  if (!authorizationHeader) return false;
  const m = /^basic\s+(\S+)\s*$/i.exec(authorizationHeader);
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = sameSecret(decoded.slice(0, colon), expected.username);
  const passwordOk = sameSecret(decoded.slice(colon + 1), expected.password);
  return userOk && passwordOk;
}

export function rejectUnauthorized(exchange: HttpExchange): void {
  exchange.body.resume();
  exchange.sendJson(401, genericError(ErrorCodes.UNAUTHORIZED, 'Unauthorized'), {
    'www-authenticate': `Basic realm="${REALM}"`,
  });
}
