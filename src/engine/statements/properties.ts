/**
 * ksqlDB configuration as the engine sees it for one statement: server properties, overridden
 * by the request's streamsProperties, overridden by SET in the same request.
 */
import { KsqlError } from '../errors.js';

export type PropertyMap = Readonly<Record<string, string>>;

/** Properties whose value decides where new queries start reading. */
const OFFSET_RESET_NAMES = ['auto.offset.reset', 'ksql.streams.auto.offset.reset', 'ksql.streams.consumer.auto.offset.reset'];

/** Per-query properties of ksqlDB's PropertiesList.QueryLevelProperties. */
export const QUERY_LEVEL_PROPERTIES = new Set([
  'auto.offset.reset',
  'ksql.streams.auto.offset.reset',
  'buffered.records.per.partition',
  'cache.max.bytes.buffering',
  'ksql.streams.cache.max.bytes.buffering',
  'max.task.idle.ms',
  'task.timeout.ms',
]);

/** ksqlDB's defaults for the properties this engine reads; listed by SHOW PROPERTIES. */
export const DEFAULT_PROPERTIES: PropertyMap = {
  'ksql.streams.auto.offset.reset': 'latest',
  'ksql.persistence.wrap.single.values': 'true',
  'ksql.output.topic.name.prefix': '',
  'ksql.service.id': 'default_',
  'ksql.timestamp.throw.on.invalid': 'false',
  'ksql.functions.substring.legacy.args': 'false',
  'ksql.query.pull.table.scan.enabled': 'true',
  'ksql.variable.substitution.enable': 'true',
  'ksql.streams.cache.max.bytes.buffering': '10000000',
  'ksql.query.push.v2.enabled': 'false',
};

export type OffsetReset = 'earliest' | 'latest';

export function stringifyProperty(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

export function toPropertyMap(props: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props ?? {})) out[k] = stringifyProperty(v);
  return out;
}

/** Canonical name of a property as ksqlDB stores overrides (`auto.offset.reset` → `ksql.streams.auto.offset.reset`). */
export function canonicalPropertyName(name: string): string {
  if (name === 'auto.offset.reset' || name === 'ksql.streams.consumer.auto.offset.reset') return 'ksql.streams.auto.offset.reset';
  return name;
}

/** Validate a SET; ksqlDB rejects unknown offset-reset values. */
export function validatePropertyValue(name: string, value: string): void {
  if (OFFSET_RESET_NAMES.includes(name)) {
    const v = value.toLowerCase();
    if (v !== 'earliest' && v !== 'latest' && v !== 'none') {
      throw new KsqlError(
        `Invalid value ${value} for configuration auto.offset.reset: String must be one of: latest, earliest, none`,
      );
    }
  }
}

export function offsetReset(props: PropertyMap, fallback: OffsetReset = 'latest'): OffsetReset {
  for (const name of OFFSET_RESET_NAMES) {
    const v = props[name];
    if (v !== undefined) return v.toLowerCase() === 'earliest' ? 'earliest' : 'latest';
  }
  return fallback;
}

export function booleanProperty(props: PropertyMap, name: string, fallback: boolean): boolean {
  const v = props[name];
  if (v === undefined) return fallback;
  return v.toLowerCase() === 'true';
}

/** Layered configuration: later layers win. */
export function mergeProperties(...layers: (PropertyMap | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) out[canonicalPropertyName(k)] = v;
  }
  // keep the un-prefixed spelling readable too, for code that looks either up
  return out;
}
