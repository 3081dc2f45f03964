/**
 * COLLECT_LIST, COLLECT_SET and HISTOGRAM (ksqlDB's array/CollectListUdaf,
 * array/CollectSetUdaf, map/HistogramUdaf):
 *
 * - COLLECT_LIST(T) -> ARRAY<T>, TableUdaf: every value in input order, nulls included, at most
 *   `ksql.functions.collect_list.limit` entries (a negative limit means none); undo removes the
 *   last equal entry.
 * - COLLECT_SET(T) -> ARRAY<T>, stream only: distinct values (Java equals) in first-seen order,
 *   null included once, at most `ksql.functions.collect_set.limit` entries.
 * - HISTOGRAM(STRING) -> MAP<STRING, BIGINT>, TableUdaf: count per distinct value, at most 1000
 *   keys; the result map is in java.util.HashMap's iteration order, as ksqlDB emits it.
 */
import { KsqlError } from '../../errors.js';
import { SqlTypes } from '../../types.js';
import type { Value } from '../../values/value.js';
import { T } from '../define.js';
import { defineAggregate, parseJavaInt, udafVariant, type BuildContext } from './framework.js';
import { javaObjectEquals, long } from './java.js';
import { badState, valueFromJson, valueToJson } from './json-codec.js';
import type { AggregateFunction } from './types.js';

export const COLLECT_LIST_LIMIT = 'ksql.functions.collect_list.limit';
export const COLLECT_SET_LIMIT = 'ksql.functions.collect_set.limit';

const INT_MAX = 2147483647;

/** Collect.configure: the limit property as a number or a string Integer.parseInt accepts; negative means none. */
function limitOf(properties: Readonly<Record<string, string>>, key: string): number {
  const raw = properties[key] as unknown;
  if (raw === undefined || raw === null) return INT_MAX;
  let limit: number;
  if (typeof raw === 'number') limit = Math.trunc(raw);
  else if (typeof raw === 'string') {
    try {
      limit = parseJavaInt(raw);
    } catch (e) {
      throw new KsqlError(`Failed to invoke UDAF factory method: ${(e as Error).message}`, { cause: e });
    }
  } else limit = INT_MAX;
  return limit < 0 ? INT_MAX : limit;
}

function lastIndexOf(list: readonly Value[], v: Value): number {
  for (let i = list.length - 1; i >= 0; i--) if (javaObjectEquals(list[i]!, v)) return i;
  return -1;
}

function collectList(ctx: BuildContext): AggregateFunction<readonly Value[]> {
  const type = ctx.columnTypes[0]!;
  const limit = limitOf(ctx.properties, COLLECT_LIST_LIMIT);
  const arrayType = SqlTypes.array(type);
  return {
    name: ctx.name,
    returnType: arrayType,
    aggregateType: arrayType,
    initialize: () => [],
    aggregate: (acc, args) => (acc.length < limit ? [...acc, args[0] ?? null] : acc),
    undo: (acc, args) => {
      const i = lastIndexOf(acc, args[0] ?? null);
      return i < 0 ? acc : [...acc.slice(0, i), ...acc.slice(i + 1)];
    },
    merge: (a, b) => [...a, ...b.slice(0, Math.max(0, Math.min(limit - a.length, b.length)))],
    result: (acc) => [...acc],
    toJson: (acc) => valueToJson([...acc], arrayType),
    fromJson: (json) => valueFromJson(json, arrayType) as Value[],
  };
}

function collectSet(ctx: BuildContext): AggregateFunction<readonly Value[]> {
  const type = ctx.columnTypes[0]!;
  const limit = limitOf(ctx.properties, COLLECT_SET_LIMIT);
  const arrayType = SqlTypes.array(type);
  const contains = (list: readonly Value[], v: Value) => list.some((x) => javaObjectEquals(x, v));
  return {
    name: ctx.name,
    returnType: arrayType,
    aggregateType: arrayType,
    initialize: () => [],
    aggregate: (acc, args) => {
      const v = args[0] ?? null;
      return acc.length < limit && !contains(acc, v) ? [...acc, v] : acc;
    },
    merge: (a, b) => {
      const out = [...a];
      for (const v of b) {
        if (out.length === limit) break;
        if (!contains(out, v)) out.push(v);
      }
      return out;
    },
    result: (acc) => [...acc],
    toJson: (acc) => valueToJson([...acc], arrayType),
    fromJson: (json) => valueFromJson(json, arrayType) as Value[],
  };
}

export const COLLECT_LIST = defineAggregate({
  style: 'udaf',
  name: 'COLLECT_LIST',
  declaredName: 'collect_list',
  description:
    'Gather all of the values from an input grouping into a single Array field.' +
    '\nAlthough this aggregate works on both Stream and Table inputs, the order of entries' +
    ' in the result array is not guaranteed when working on Table input data.' +
    '\nYou may limit the size of the resultant Array to N entries, beyond which' +
    ' any further values will be silently ignored, by setting the' +
    ' ksql.functions.collect_list.limit configuration to N.',
  variants: [
    udafVariant(T, [], {
      description: 'collect values of a field into a single Array',
      returnDisplay: 'ARRAY<T>',
      table: true,
      build: collectList,
    }),
  ],
});

export const COLLECT_SET = defineAggregate({
  style: 'udaf',
  name: 'COLLECT_SET',
  declaredName: 'collect_set',
  description:
    'Gather all of the distinct values from an input grouping into a single Array.' +
    '\nNot available for aggregating values from an input Table.' +
    '\nYou may limit the size of the resultant Array to N entries, beyond which' +
    ' any further values will be silently ignored, by setting the' +
    ' ksql.functions.collect_list.limit configuration to N.',
  variants: [
    udafVariant(T, [], {
      description: 'collect distinct values of a Bigint field into a single Array',
      returnDisplay: 'ARRAY<T>',
      table: false,
      build: collectSet,
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// HISTOGRAM

const HISTOGRAM_LIMIT = 1000;

/** Entries in insertion order; a null key is allowed (java.util.HashMap permits one). */
type Histogram = ReadonlyMap<string | null, bigint>;

/** String.hashCode */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The order java.util.HashMap iterates these keys in: by bucket (spread hash & (capacity - 1)),
 * insertion order within a bucket, for the capacity a map of this size has after being filled
 * entry by entry (16, doubling past 0.75 load).
 */
function hashMapOrder(keys: readonly (string | null)[]): (string | null)[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string | null) => {
    if (k === null) return 0;
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return keys
    .map((k, i) => ({ k, i, b: bucket(k) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((e) => e.k);
}

function histogram(ctx: BuildContext): AggregateFunction<Histogram> {
  const resultType = SqlTypes.map(SqlTypes.STRING, SqlTypes.BIGINT);
  const add = (acc: Histogram, key: string | null, n: bigint): Histogram => {
    if (acc.size >= HISTOGRAM_LIMIT && !acc.has(key)) return acc;
    const next = new Map(acc);
    next.set(key, long((acc.get(key) ?? 0n) + n));
    return next;
  };
  return {
    name: ctx.name,
    returnType: resultType,
    aggregateType: resultType,
    initialize: () => new Map(),
    aggregate: (acc, args) => add(acc, (args[0] ?? null) as string | null, 1n),
    undo: (acc, args) => {
      const key = (args[0] ?? null) as string | null;
      const current = acc.get(key);
      // ksqlDB throws a NullPointerException for a value it never counted; we leave the map alone.
      if (current === undefined) return acc;
      const next = new Map(acc);
      if (current - 1n < 1n) next.delete(key);
      else next.set(key, current - 1n);
      return next;
    },
    merge: (a, b) => {
      let out = a;
      for (const [k, v] of b) out = add(out, k, v);
      return out;
    },
    result: (acc) => {
      const out = new Map<Value, Value>();
      for (const k of hashMapOrder([...acc.keys()])) out.set(k, acc.get(k)!);
      return out;
    },
    toJson: (acc) => [...acc].map(([k, v]) => [k, v.toString()]),
    fromJson: (json) => {
      if (!Array.isArray(json)) throw badState(json, resultType);
      return new Map(json.map((e) => [(e as [string | null, string])[0], BigInt((e as [string | null, string])[1])]));
    },
  };
}

export const HISTOGRAM = defineAggregate({
  style: 'udaf',
  name: 'HISTOGRAM',
  declaredName: 'histogram',
  author: '',
  description:
    'Returns a map of each distinct String from the input Stream or Table and how many times each occurs.' +
    ' \nThis version limits the size of the resultant Map to 1000 entries. Any entries added beyond this limit will be ignored.',
  variants: [
    udafVariant(SqlTypes.STRING, [], {
      description: 'Build a value-to-count histogram of input Strings',
      returnDisplay: 'MAP<VARCHAR, BIGINT>',
      table: true,
      build: histogram,
    }),
  ],
});
