/**
 * Reading WITH (...) clause properties (keys are upper-cased by the parser) with ksqlDB's
 * validation messages.
 */
import { KsqlError } from '../errors.js';
import type { Properties, PropertyValue } from '../parser/ast.js';

export function stringProp(props: Properties, name: string): string | undefined {
  const v = props[name];
  return v === undefined ? undefined : String(v);
}

export function intProp(props: Properties, name: string): number | undefined {
  const v: PropertyValue | undefined = props[name];
  if (v === undefined) return undefined;
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isInteger(n)) {
    throw new KsqlError(`Invalid value ${String(v)} for property ${name}: Not an integer`);
  }
  return n;
}

export function booleanProp(props: Properties, name: string): boolean | undefined {
  const v = props[name];
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new KsqlError(`Property '${name}' is not a boolean value`);
}

/** The WITH clause written back as SQL, properties sorted the way ksqlDB's SqlFormatter prints them. */
export function formatWithClause(props: Properties): string {
  const entries = Object.entries(props).sort(([a], [b]) => a.localeCompare(b));
  return entries
    .map(([k, v]) => `${k}=${typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v)}`)
    .join(', ');
}
