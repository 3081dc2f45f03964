/**
 * LATEST_BY_OFFSET and EARLIEST_BY_OFFSET (ksqlDB's offset/LatestByOffset and
 * offset/EarliestByOffset UDAFs, generic over any column type T):
 *
 *   X_BY_OFFSET(col)                      -> T, nulls ignored
 *   X_BY_OFFSET(col, ignoreNulls)         -> T
 *   X_BY_OFFSET(col, n)                   -> ARRAY<T>, nulls ignored
 *   X_BY_OFFSET(col, n, ignoreNulls)      -> ARRAY<T>
 *
 * "By offset" is by input order: each kept value is stamped with a sequence number from a
 * process-wide counter (one per function, like ksqlDB's static AtomicLong), and the accumulator
 * is ksqlDB's STRUCT<SEQ BIGINT, VAL T> (a list of them for the N forms). The sequence numbers
 * only matter for merging session windows. Neither function can undo, so neither aggregates a
 * table.
 */
import { KsqlStatementError } from '../../errors.js';
import { SqlTypes, type SqlType } from '../../types.js';
import type { Value } from '../../values/value.js';
import { BOOLEAN, INTEGER, T } from '../define.js';
import { defineAggregate, udafVariant, type BuildContext } from './framework.js';
import { badState, valueFromJson, valueToJson } from './json-codec.js';
import type { AggregateFunction } from './types.js';

export interface SeqValue {
  readonly seq: number;
  readonly val: Value;
}

const sequences = { LATEST: 0, EARLIEST: 0 };

function nextSeq(which: keyof typeof sequences): number {
  return sequences[which]++;
}

/** KudafByOffsetUtils.INTERMEDIATE_STRUCT_COMPARATOR: by sequence, a negative (wrapped) one being later. */
function compareSeq(a: SeqValue, b: SeqValue): number {
  if (a.seq < 0 && b.seq >= 0) return 1;
  if (b.seq < 0 && a.seq >= 0) return -1;
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

/** INTERMEDIATE_STRUCT_COMPARATOR_IGNORE_NULLS: a null value is older than any value. */
function compareSeqIgnoringNulls(a: SeqValue, b: SeqValue): number {
  const aNull = a.val === null;
  const bNull = b.val === null;
  if (aNull && bNull) return 0;
  if (aNull) return -1;
  if (bNull) return 1;
  return compareSeq(a, b);
}

function seqType(valueType: SqlType): SqlType {
  return SqlTypes.struct([
    { name: 'SEQ', type: SqlTypes.BIGINT },
    { name: 'VAL', type: valueType },
  ]);
}

function seqToJson(s: SeqValue, type: SqlType): unknown {
  return { SEQ: s.seq, VAL: valueToJson(s.val, type) };
}

function seqFromJson(json: unknown, type: SqlType): SeqValue {
  if (typeof json !== 'object' || json === null || typeof (json as { SEQ?: unknown }).SEQ !== 'number') {
    throw badState(json, seqType(type));
  }
  const o = json as { SEQ: number; VAL: unknown };
  return { seq: o.SEQ, val: valueFromJson(o.VAL ?? null, type) };
}

function listFromJson(json: unknown, type: SqlType): SeqValue[] {
  if (!Array.isArray(json)) throw badState(json, SqlTypes.array(seqType(type)));
  return json.map((j) => seqFromJson(j, type));
}

function checkN(n: Value, what: 'latestN' | 'earliestN'): number {
  if (typeof n !== 'number' || n <= 0) {
    throw new KsqlStatementError(`${what} must be 1 or greater`);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------

function latest(ctx: BuildContext, ignoreNulls: boolean): AggregateFunction<SeqValue> {
  const type = ctx.columnTypes[0]!;
  const comparator = ignoreNulls ? compareSeqIgnoringNulls : compareSeq;
  return {
    name: ctx.name,
    returnType: type,
    aggregateType: seqType(type),
    initialize: () => ({ seq: nextSeq('LATEST'), val: null }),
    aggregate: (acc, args) => {
      const v = args[0] ?? null;
      if (v === null && ignoreNulls) return acc;
      return { seq: nextSeq('LATEST'), val: v };
    },
    merge: (a, b) => (comparator(a, b) >= 0 ? a : b),
    result: (acc) => acc.val,
    toJson: (acc) => seqToJson(acc, type),
    fromJson: (json) => seqFromJson(json, type),
  };
}

function latestN(ctx: BuildContext, n: number, ignoreNulls: boolean): AggregateFunction<readonly SeqValue[]> {
  const type = ctx.columnTypes[0]!;
  const comparator = ignoreNulls ? compareSeqIgnoringNulls : compareSeq;
  return {
    name: ctx.name,
    returnType: SqlTypes.array(type),
    aggregateType: SqlTypes.array(seqType(type)),
    initialize: () => [],
    aggregate: (acc, args) => {
      const v = args[0] ?? null;
      if (v === null && ignoreNulls) return acc;
      const next = [...acc, { seq: nextSeq('LATEST'), val: v }];
      return next.length > n ? next.slice(next.length - n) : next;
    },
    merge: (a, b) => {
      const merged = [...a, ...b].sort(comparator);
      return merged.length > n ? merged.slice(merged.length - n) : merged;
    },
    result: (acc) => acc.map((s) => s.val),
    toJson: (acc) => acc.map((s) => seqToJson(s, type)),
    fromJson: (json) => listFromJson(json, type),
  };
}

function earliest(ctx: BuildContext, ignoreNulls: boolean): AggregateFunction<SeqValue | null> {
  const type = ctx.columnTypes[0]!;
  return {
    name: ctx.name,
    returnType: type,
    aggregateType: seqType(type),
    initialize: () => null,
    aggregate: (acc, args) => {
      if (acc !== null) return acc;
      const v = args[0] ?? null;
      if (v === null && ignoreNulls) return null;
      return { seq: nextSeq('EARLIEST'), val: v };
    },
    merge: (a, b) => {
      if (a === null) return b;
      if (b === null) return a;
      return compareSeq(a, b) < 0 ? a : b;
    },
    result: (acc) => (acc === null ? null : acc.val),
    toJson: (acc) => (acc === null ? null : seqToJson(acc, type)),
    fromJson: (json) => (json === null ? null : seqFromJson(json, type)),
  };
}

function earliestN(ctx: BuildContext, n: number, ignoreNulls: boolean): AggregateFunction<readonly SeqValue[]> {
  const type = ctx.columnTypes[0]!;
  return {
    name: ctx.name,
    returnType: SqlTypes.array(type),
    aggregateType: SqlTypes.array(seqType(type)),
    initialize: () => [],
    aggregate: (acc, args) => {
      const v = args[0] ?? null;
      if (v === null && ignoreNulls) return acc;
      return acc.length < n ? [...acc, { seq: nextSeq('EARLIEST'), val: v }] : acc;
    },
    merge: (a, b) => [...a, ...b].sort(compareSeq).slice(0, n),
    result: (acc) => acc.map((s) => s.val),
    toJson: (acc) => acc.map((s) => seqToJson(s, type)),
    fromJson: (json) => listFromJson(json, type),
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * LATEST_BY_OFFSET and EARLIEST_BY_OFFSET have the same four variants (one value or N, nulls
 * kept or ignored), differing in which end of the input they keep.
 */
function byOffsetAggregate(
  name: 'LATEST_BY_OFFSET' | 'EARLIEST_BY_OFFSET',
  word: 'latest' | 'earliest',
  one: (ctx: BuildContext, ignoreNulls: boolean) => AggregateFunction,
  many: (ctx: BuildContext, n: number, ignoreNulls: boolean) => AggregateFunction,
) {
  const nParam = `${word}N` as const;
  return defineAggregate({
    style: 'udaf',
    name,
    declaredName: name,
    // ksqlDB 0.29's generic LatestByOffset carries EarliestByOffset's description text.
    description: 'This function returns the oldest N values for the column, computed by offset.',
    variants: [
      udafVariant(T, [], {
        description: `return the ${word} value of a column`,
        returnDisplay: 'T',
        table: false,
        build: (ctx) => one(ctx, true),
      }),
      udafVariant(T, [['ignoreNulls', BOOLEAN]], {
        description: `return the ${word} value of a column`,
        returnDisplay: 'T',
        table: false,
        build: (ctx) => one(ctx, ctx.literals[0] === true),
      }),
      udafVariant(T, [[nParam, INTEGER]], {
        description: `return the ${word} N values of a column`,
        returnDisplay: 'ARRAY<T>',
        table: false,
        build: (ctx) => many(ctx, checkN(ctx.literals[0] ?? null, nParam), true),
      }),
      udafVariant(
        T,
        [
          [nParam, INTEGER],
          ['ignoreNulls', BOOLEAN],
        ],
        {
          description: `return the ${word} N values of a column`,
          returnDisplay: 'ARRAY<T>',
          table: false,
          build: (ctx) => many(ctx, checkN(ctx.literals[0] ?? null, nParam), ctx.literals[1] === true),
        },
      ),
    ],
  });
}

export const LATEST_BY_OFFSET = byOffsetAggregate('LATEST_BY_OFFSET', 'latest', latest, latestN);
export const EARLIEST_BY_OFFSET = byOffsetAggregate('EARLIEST_BY_OFFSET', 'earliest', earliest, earliestN);
