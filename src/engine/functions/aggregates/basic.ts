/**
 * COUNT, SUM, AVG, MIN and MAX with ksqlDB 0.29's semantics:
 *
 * - COUNT (CountKudaf, a TableAggregationFunction): BIGINT count of non-null values; any column
 *   type; COUNT(*) / COUNT() arrive as COUNT(ROWTIME), or with no column argument at all.
 * - SUM (SumKudaf UDAF: IntegerSumKudaf, LongSumKudaf, DoubleSumKudaf, DecimalSumKudaf; all
 *   TableUdaf): INT -> INT, BIGINT -> BIGINT (Java wrapping), DOUBLE -> DOUBLE, DECIMAL(p, s) ->
 *   DECIMAL(p, s) added under MathContext(p) and failing with "Numeric field overflow: ..." once
 *   the sum reaches 10^(p-s). Nulls are skipped; an empty group sums to 0.
 * - AVG (AverageUdaf, TableUdaf): INT, BIGINT, DOUBLE (no DECIMAL variant in ksqlDB) -> DOUBLE;
 *   the sum keeps the input type and wraps like Java; an empty group averages to 0.0.
 * - MIN / MAX (MinKudaf / MaxKudaf over BaseComparableKudaf): INT, BIGINT, DOUBLE, DECIMAL, DATE,
 *   TIME, TIMESTAMP, STRING, BYTES, compared with Java's compareTo; nulls skipped; null for an
 *   empty group. Not table aggregations.
 */
import { KsqlError, KsqlFunctionError } from '../../errors.js';
import { SqlTypes, formatSqlType, type SqlType } from '../../types.js';
import { Decimal } from '../../values/decimal.js';
import type { Value } from '../../values/value.js';
import { ANY_DECIMAL } from '../define.js';
import { defineAggregate, udafVariant, type BuildContext, type VariantDef } from './framework.js';
import { DECIMAL_ZERO, int, javaCompare, long, roundToPrecision } from './java.js';
import { bigintFromJson, doubleFromJson, doubleToJson, valueFromJson, valueToJson } from './json-codec.js';
import type { AggregateFunction } from './types.js';

// ---------------------------------------------------------------------------------------------
// COUNT

function countFunction(ctx: BuildContext): AggregateFunction<bigint> {
  const counted = (args: readonly Value[]): boolean => args.length === 0 || (args[0] !== null && args[0] !== undefined);
  return {
    name: ctx.name,
    returnType: SqlTypes.BIGINT,
    aggregateType: SqlTypes.BIGINT,
    initialize: () => 0n,
    aggregate: (acc, args) => (counted(args) ? long(acc + 1n) : acc),
    undo: (acc, args) => (counted(args) ? long(acc - 1n) : acc),
    merge: (a, b) => long(a + b),
    result: (acc) => acc,
    toJson: (acc) => acc.toString(),
    fromJson: (json) => bigintFromJson(json),
  };
}

export const COUNT = defineAggregate({
  style: 'builtin',
  name: 'COUNT',
  description: 'Counts records by key.',
  table: true,
  variants: [
    {
      params: [SqlTypes.BIGINT],
      paramNames: ['key'],
      literalCount: 0,
      description: 'Counts records by key.',
      returnDisplay: 'BIGINT',
      table: true,
      build: countFunction,
    },
  ],
  build: countFunction,
});

// ---------------------------------------------------------------------------------------------
// SUM

interface Arith<T> {
  readonly type: SqlType;
  readonly zero: T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  toJson(v: T): unknown;
  fromJson(json: unknown): T;
}

const INT_ARITH: Arith<number> = {
  type: SqlTypes.INTEGER,
  zero: 0,
  add: (a, b) => int(a + b),
  sub: (a, b) => int(a - b),
  toJson: (v) => v,
  fromJson: (json) => valueFromJson(json, SqlTypes.INTEGER) as number,
};

const LONG_ARITH: Arith<bigint> = {
  type: SqlTypes.BIGINT,
  zero: 0n,
  add: (a, b) => long(a + b),
  sub: (a, b) => long(a - b),
  toJson: (v) => v.toString(),
  fromJson: bigintFromJson,
};

const DOUBLE_ARITH: Arith<number> = {
  type: SqlTypes.DOUBLE,
  zero: 0,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  toJson: doubleToJson,
  fromJson: doubleFromJson,
};

function simpleSum<T>(name: string, arith: Arith<T>): AggregateFunction<T> {
  return {
    name,
    returnType: arith.type,
    aggregateType: arith.type,
    initialize: () => arith.zero,
    aggregate: (acc, args) => (args[0] === null || args[0] === undefined ? acc : arith.add(acc, args[0] as T)),
    undo: (acc, args) => (args[0] === null || args[0] === undefined ? acc : arith.sub(acc, args[0] as T)),
    merge: (a, b) => arith.add(a, b),
    result: (acc) => acc as Value,
    toJson: (acc) => arith.toJson(acc),
    fromJson: (json) => arith.fromJson(json),
  };
}

/** DecimalSumKudaf: result and intermediate type DECIMAL(p, s), arithmetic under MathContext(p). */
function decimalSum(name: string, type: SqlType): AggregateFunction<Decimal> {
  if (type.kind !== 'DECIMAL') throw new KsqlError(`SUM expects a DECIMAL, got ${formatSqlType(type)}`);
  const { precision, scale } = type;
  const digits = precision - scale;
  const maxValue = new Decimal(10n ** BigInt(Math.max(digits, 0)), 0);
  const overflowCheck = (value: Decimal): Decimal => {
    if (maxValue.compareTo(value.abs()) < 1) {
      throw new KsqlFunctionError(
        `Numeric field overflow: A field with precision ${precision} and scale ${scale} ` +
          `must round to an absolute value less than 10^${digits}. Got ${value.toString()}`,
      );
    }
    return value;
  };
  return {
    name,
    returnType: type,
    aggregateType: type,
    initialize: () => DECIMAL_ZERO,
    aggregate: (acc, args) => {
      const v = args[0];
      if (v === null || v === undefined) return acc;
      return overflowCheck(roundToPrecision(acc.add(v as Decimal), precision));
    },
    undo: (acc, args) => {
      const v = args[0];
      if (v === null || v === undefined) return acc;
      return roundToPrecision(acc.subtract(v as Decimal), precision);
    },
    merge: (a, b) => roundToPrecision(a.add(b), precision),
    result: (acc) => (acc.scale === scale ? acc : acc.setScale(scale, 'HALF_UP')),
    toJson: (acc) => acc.toString(),
    fromJson: (json) => valueFromJson(json, type) as Decimal,
  };
}

const SUM_DESCRIPTION = 'Computes the sum for a key.';

export const SUM = defineAggregate({
  style: 'udaf',
  name: 'SUM',
  declaredName: 'sum',
  description: SUM_DESCRIPTION,
  variants: [
    udafVariant(ANY_DECIMAL, [], {
      description: 'Computes the sum of decimal values for a key, resulting in a decimal with the same precision and scale.',
      returnDisplay: 'DECIMAL',
      table: true,
      build: (ctx) => decimalSum(ctx.name, ctx.columnTypes[0]!),
    }),
    udafVariant(SqlTypes.DOUBLE, [], { description: SUM_DESCRIPTION, returnDisplay: 'DOUBLE', table: true, build: (ctx) => simpleSum(ctx.name, DOUBLE_ARITH) }),
    udafVariant(SqlTypes.BIGINT, [], { description: SUM_DESCRIPTION, returnDisplay: 'BIGINT', table: true, build: (ctx) => simpleSum(ctx.name, LONG_ARITH) }),
    udafVariant(SqlTypes.INTEGER, [], { description: SUM_DESCRIPTION, returnDisplay: 'INT', table: true, build: (ctx) => simpleSum(ctx.name, INT_ARITH) }),
  ],
});

// ---------------------------------------------------------------------------------------------
// AVG

interface AvgAcc<T> {
  readonly sum: T;
  readonly count: bigint;
}

function average<T>(name: string, arith: Arith<T>, toDouble: (sum: T) => number): AggregateFunction<AvgAcc<T>> {
  return {
    name,
    returnType: SqlTypes.DOUBLE,
    aggregateType: SqlTypes.struct([
      { name: 'SUM', type: arith.type },
      { name: 'COUNT', type: SqlTypes.BIGINT },
    ]),
    initialize: () => ({ sum: arith.zero, count: 0n }),
    aggregate: (acc, args) => {
      const v = args[0];
      if (v === null || v === undefined) return acc;
      return { sum: arith.add(acc.sum, v as T), count: long(acc.count + 1n) };
    },
    undo: (acc, args) => {
      const v = args[0];
      if (v === null || v === undefined) return acc;
      return { sum: arith.sub(acc.sum, v as T), count: long(acc.count - 1n) };
    },
    merge: (a, b) => ({ sum: arith.add(a.sum, b.sum), count: long(a.count + b.count) }),
    result: (acc) => (acc.count === 0n ? 0 : toDouble(acc.sum) / Number(acc.count)),
    toJson: (acc) => ({ SUM: arith.toJson(acc.sum), COUNT: acc.count.toString() }),
    fromJson: (json) => {
      const o = json as { SUM: unknown; COUNT: unknown };
      return { sum: arith.fromJson(o.SUM), count: bigintFromJson(o.COUNT) };
    },
  };
}

export const AVG = defineAggregate({
  style: 'udaf',
  name: 'AVG',
  declaredName: 'avg',
  description: 'Returns the average value of the column computed as the sum divided by thecount. Applicable only to numeric types.',
  variants: [
    udafVariant(SqlTypes.BIGINT, [], {
      description: 'Compute average of column with type Long.',
      returnDisplay: 'DOUBLE',
      table: true,
      build: (ctx) => average(ctx.name, LONG_ARITH, (s) => Number(s)),
    }),
    udafVariant(SqlTypes.INTEGER, [], {
      description: 'Compute average of column with type Integer.',
      returnDisplay: 'DOUBLE',
      table: true,
      build: (ctx) => average(ctx.name, INT_ARITH, (s) => s),
    }),
    udafVariant(SqlTypes.DOUBLE, [], {
      description: 'Compute average of column with type Double.',
      returnDisplay: 'DOUBLE',
      table: true,
      build: (ctx) => average(ctx.name, DOUBLE_ARITH, (s) => s),
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// MIN / MAX

/** AggregateFunctionFactory.COMPARABLE_ARGS, the column types MIN and MAX accept. */
const COMPARABLE_TYPES: readonly SqlType[] = [
  SqlTypes.INTEGER,
  SqlTypes.BIGINT,
  SqlTypes.DOUBLE,
  SqlTypes.decimal(2, 1),
  SqlTypes.DATE,
  SqlTypes.TIME,
  SqlTypes.TIMESTAMP,
  SqlTypes.STRING,
  SqlTypes.BYTES,
];

const COMPARABLE_KINDS = new Set(COMPARABLE_TYPES.map((t) => t.kind));

function comparable(name: string, type: SqlType, keepFirst: (cmp: number) => boolean): AggregateFunction<Value> {
  const pick = (agg: Value, current: Value): Value => {
    if (current === null || current === undefined) return agg;
    if (agg === null || agg === undefined) return current;
    return keepFirst(javaCompare(agg, current)) ? agg : current;
  };
  return {
    name,
    returnType: type,
    aggregateType: type,
    initialize: () => null,
    aggregate: (acc, args) => pick(acc, args[0] ?? null),
    // BaseComparableKudaf's Merger: aggregate(a, b), i.e. `a` as the current value.
    merge: (a, b) => pick(b, a),
    result: (acc) => acc,
    toJson: (acc) => valueToJson(acc, type),
    fromJson: (json) => valueFromJson(json, type),
  };
}

function comparableFactory(name: 'MIN' | 'MAX', word: 'minimum' | 'maximum', keepFirst: (cmp: number) => boolean) {
  const build = (ctx: BuildContext): AggregateFunction => {
    const type = ctx.columnTypes[0];
    if (ctx.columnTypes.length !== 1 || type === undefined) {
      // ksqlDB's MinAggFunctionFactory says MAX too.
      throw new KsqlError('expected exactly one argument to aggregate MAX function');
    }
    if (!COMPARABLE_KINDS.has(type.kind)) {
      throw new KsqlError(`No ${name} aggregate function with ${formatSqlType(type)} argument type exists!`);
    }
    return comparable(ctx.name, type, keepFirst);
  };
  const variants: VariantDef[] = COMPARABLE_TYPES.map((t) => ({
    params: [t.kind === 'DECIMAL' ? ANY_DECIMAL : t],
    paramNames: ['value'],
    literalCount: 0,
    description: `Computes the ${word} ${formatSqlType(t)} value for a key.`,
    returnDisplay: t.kind === 'DECIMAL' ? 'DECIMAL' : formatSqlType(t) === 'INTEGER' ? 'INT' : t.kind === 'STRING' ? 'VARCHAR' : formatSqlType(t),
    table: false,
    build,
  }));
  return defineAggregate({
    style: 'builtin',
    name,
    description: `Computes the ${word} value for a key.`,
    table: false,
    variants,
    build,
  });
}

export const MIN = comparableFactory('MIN', 'minimum', (cmp) => cmp < 0);
export const MAX = comparableFactory('MAX', 'maximum', (cmp) => cmp > 0);

// ---------------------------------------------------------------------------------------------
// SUM_LIST (ListSumUdaf): the sum of every list's non-null elements, TableUdaf.

function listSum<T>(name: string, arith: Arith<T>): AggregateFunction<T> {
  const sumList = (list: readonly Value[]): T => {
    let s = arith.zero;
    for (const v of list) if (v !== null) s = arith.add(s, v as T);
    return s;
  };
  const base = simpleSum(name, arith);
  return {
    ...base,
    aggregate: (acc, args) => (args[0] === null || args[0] === undefined ? acc : arith.add(acc, sumList(args[0] as Value[]))),
    undo: (acc, args) => (args[0] === null || args[0] === undefined ? acc : arith.sub(acc, sumList(args[0] as Value[]))),
  };
}

export const SUM_LIST = defineAggregate({
  style: 'udaf',
  name: 'SUM_LIST',
  declaredName: 'sum_list',
  description: 'Returns the sum of elements contained in the list.',
  variants: [
    udafVariant(SqlTypes.array(SqlTypes.DOUBLE), [], {
      description: 'sum double values in a list into a single double',
      returnDisplay: 'DOUBLE',
      table: true,
      build: (ctx) => listSum(ctx.name, DOUBLE_ARITH),
    }),
    udafVariant(SqlTypes.array(SqlTypes.INTEGER), [], {
      description: 'sum int values in a list into a single int',
      returnDisplay: 'INT',
      table: true,
      build: (ctx) => listSum(ctx.name, INT_ARITH),
    }),
    udafVariant(SqlTypes.array(SqlTypes.BIGINT), [], {
      description: 'sum long values in a list into a single long',
      returnDisplay: 'BIGINT',
      table: true,
      build: (ctx) => listSum(ctx.name, LONG_ARITH),
    }),
  ],
});
