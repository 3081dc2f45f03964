/**
 * URL functions with java.net.URI / URLEncoder semantics: components are split per RFC 3986,
 * decoded components are percent-decoded, and the parameter encoding is
 * application/x-www-form-urlencoded (space as '+').
 */
import type { Value } from '../../values/value.js';
import { KsqlFunctionError } from '../../errors.js';
import { INTEGER, STRING, defineFunction, sig, type LibraryFunctionDefinition } from '../define.js';

interface UriParts {
  scheme?: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
}

const URI_PATTERN = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

function parseUri(text: string): UriParts {
  const m = URI_PATTERN.exec(text);
  if (!m || /\s/.test(text)) throw new KsqlFunctionError(`URL input has invalid syntax: ${text}`);
  return {
    ...(m[1] !== undefined ? { scheme: m[1] } : {}),
    ...(m[2] !== undefined ? { authority: m[2] } : {}),
    path: m[3] ?? '',
    ...(m[4] !== undefined ? { query: m[4] } : {}),
    ...(m[5] !== undefined ? { fragment: m[5] } : {}),
  };
}

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new KsqlFunctionError(`Malformed escape in URL component: ${s}`);
  }
}

function hostAndPort(authority: string | undefined): { host: string | null; port: number | null } {
  if (authority === undefined) return { host: null, port: null };
  const hostPort = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) return { host: null, port: null };
  return { host: m[1] === '' ? null : m[1]!, port: m[2] ? Number(m[2]) : null };
}

/** URLDecoder.decode(s, UTF-8). */
function formDecode(s: string): string {
  return percentDecode(s.replace(/\+/g, ' '));
}

/** URLEncoder.encode(s, UTF-8): letters, digits and .-*_ stay, space becomes '+'. */
function formEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function extractParameter(url: string, name: string): Value {
  const query = parseUri(url).query;
  if (query === undefined) return null;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (key === name) return eq < 0 ? null : formDecode(pair.slice(eq + 1));
  }
  return null;
}

const url = (v: Value | undefined): UriParts => parseUri(v as string);

export const URL_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  defineFunction('URL_DECODE_PARAM', 'URL', 'Decodes a previously encoded URL parameter.', [
    sig([STRING], STRING, ([s]) => formDecode(s as string), { names: ['input'] }),
  ]),
  defineFunction('URL_ENCODE_PARAM', 'URL', 'Encodes a URL parameter using application/x-www-form-urlencoded.', [
    sig([STRING], STRING, ([s]) => formEncode(s as string), { names: ['input'] }),
  ]),
  defineFunction('URL_EXTRACT_FRAGMENT', 'URL', 'Extracts the fragment of a URL, or NULL if it has none.', [
    sig([STRING], STRING, ([s]) => {
      const f = url(s).fragment;
      return f === undefined ? null : percentDecode(f);
    }, { names: ['input'] }),
  ]),
  defineFunction('URL_EXTRACT_HOST', 'URL', 'Extracts the host of a URL, or NULL if it has none.', [
    sig([STRING], STRING, ([s]) => hostAndPort(url(s).authority).host, { names: ['input'] }),
  ]),
  defineFunction('URL_EXTRACT_PARAMETER', 'URL', 'Extracts the decoded value of the first query parameter with the given name, or NULL.', [
    sig([STRING, STRING], STRING, ([s, name]) => extractParameter(s as string, name as string), { names: ['input', 'paramName'] }),
  ]),
  defineFunction('URL_EXTRACT_PATH', 'URL', 'Extracts the decoded path of a URL.', [
    sig([STRING], STRING, ([s]) => percentDecode(url(s).path), { names: ['input'] }),
  ]),
  defineFunction('URL_EXTRACT_PORT', 'URL', 'Extracts the port of a URL, or NULL if it has none.', [
    sig([STRING], INTEGER, ([s]) => hostAndPort(url(s).authority).port, { names: ['input'] }),
  ]),
  defineFunction('URL_EXTRACT_PROTOCOL', 'URL', 'Extracts the protocol (scheme) of a URL, or NULL if it has none.', [
    sig([STRING], STRING, ([s]) => url(s).scheme ?? null, { names: ['input'] }),
  ]),
  defineFunction('URL_EXTRACT_QUERY', 'URL', 'Extracts the decoded query of a URL, or NULL if it has none.', [
    sig([STRING], STRING, ([s]) => {
      const q = url(s).query;
      return q === undefined ? null : percentDecode(q);
    }, { names: ['input'] }),
  ]),
];
