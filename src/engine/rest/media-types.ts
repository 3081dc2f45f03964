/**
 * ksqlDB's media types and the Accept negotiation Vert.x does for routes that declare what they
 * produce (REST-API.md §1.2): the best-weighted acceptable type that a route produces wins; an
 * Accept header none of them satisfies is answered 406.
 */

export const MediaTypes = {
  KSQL_V1_JSON: 'application/vnd.ksql.v1+json',
  JSON: 'application/json',
  DELIMITED: 'application/vnd.ksqlapi.delimited.v1',
} as const;

export type MediaType = (typeof MediaTypes)[keyof typeof MediaTypes];

interface AcceptEntry {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function parseAccept(header: string): AcceptEntry[] {
  const entries: AcceptEntry[] = [];
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim());
    if (!range) continue;
    const slash = range.indexOf('/');
    const type = (slash < 0 ? range : range.slice(0, slash)).toLowerCase();
    const subtype = (slash < 0 ? '*' : range.slice(slash + 1)).toLowerCase();
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (Number.isNaN(q) || q <= 0) continue;
    entries.push({ type, subtype, q });
  }
  // Array.prototype.sort is stable, so equal weights keep the client's order.
  return entries.sort((a, b) => b.q - a.q);
}

function matches(entry: AcceptEntry, mediaType: string): boolean {
  const [type, subtype] = mediaType.split('/') as [string, string];
  return (entry.type === '*' || entry.type === type) && (entry.subtype === '*' || entry.subtype === subtype);
}

export type Negotiated =
  | { readonly kind: 'none' } // no Accept header: the endpoint's own default applies
  | { readonly kind: 'chosen'; readonly mediaType: MediaType }
  | { readonly kind: 'not-acceptable' };

/** Picks what to answer with, given the route's produced types in order of preference. */
export function negotiate(acceptHeader: string | undefined, produces: readonly MediaType[]): Negotiated {
  if (acceptHeader === undefined || acceptHeader.trim() === '') return { kind: 'none' };
  for (const entry of parseAccept(acceptHeader)) {
    const found = produces.find((p) => matches(entry, p));
    if (found) return { kind: 'chosen', mediaType: found };
  }
  return { kind: 'not-acceptable' };
}
