/**
 * STDDEV_SAMPLE, STDDEV_SAMP and CORRELATION (ksqlDB's stddev/StandardDeviationSampleUdaf,
 * stddev/StandardDeviationSampUdaf, correlation/CorrelationUdaf), all TableUdafs.
 *
 * The standard deviations keep STRUCT<SUM T, COUNT BIGINT, M2 DOUBLE> updated with the
 * Youngs-Cramer algorithm over INT, BIGINT or DOUBLE columns (the sum wraps like Java);
 * fewer than two values give 0.0. STDDEV_SAMPLE returns sqrt(M2 / (n - 1)); STDDEV_SAMP, the
 * older function, returns M2 / (n - 1) (the sample variance: ksqlDB 0.29 never takes the root
 * there) and merges integral sums with integer division, as ksqlDB does.
 */
import { SqlTypes, type SqlType } from '../../types.js';
import type { Value } from '../../values/value.js';
import { defineAggregate, udafVariant, type BuildContext } from './framework.js';
import { int, long } from './java.js';
import { bigintFromJson, doubleFromJson, doubleToJson, valueFromJson } from './json-codec.js';
import type { AggregateFunction } from './types.js';

interface StdDevAcc<T> {
  readonly sum: T;
  readonly count: bigint;
  readonly m2: number;
}

interface StdDevOps<T> {
  readonly type: SqlType;
  readonly zero: T;
  /** add: newValue + sum */
  add(acc: StdDevAcc<T>, v: T): T;
  /** createDelta: newValue * (count + 1) - (sum + newValue), in the column's Java arithmetic. */
  delta(acc: StdDevAcc<T>, v: T): number;
  /** mergeInner: mean one minus mean two. */
  mergeInner(a: StdDevAcc<T>, b: StdDevAcc<T>): number;
  mergeSum(a: T, b: T): T;
  undoSum(sum: T, v: T): T;
  sumToJson(v: T): unknown;
  sumFromJson(json: unknown): T;
}

function intOps(integerMeans: boolean): StdDevOps<number> {
  return {
    type: SqlTypes.INTEGER,
    zero: 0,
    add: (acc, v) => int(v + acc.sum),
    delta: (acc, v) => Number(long(long(BigInt(v) * (acc.count + 1n)) - BigInt(int(acc.sum + v)))),
    mergeInner: integerMeans
      ? (a, b) => Number(long(BigInt(a.sum) / a.count - BigInt(b.sum) / b.count))
      : (a, b) => a.sum / Number(a.count) - b.sum / Number(b.count),
    mergeSum: (a, b) => int(a + b),
    undoSum: (s, v) => int(s - v),
    sumToJson: (v) => v,
    sumFromJson: (json) => valueFromJson(json, SqlTypes.INTEGER) as number,
  };
}

function longOps(integerMeans: boolean): StdDevOps<bigint> {
  return {
    type: SqlTypes.BIGINT,
    zero: 0n,
    add: (acc, v) => long(v + acc.sum),
    delta: (acc, v) => Number(long(long(v * (acc.count + 1n)) - long(acc.sum + v))),
    mergeInner: integerMeans
      ? (a, b) => Number(long(a.sum / a.count - b.sum / b.count))
      : (a, b) => Number(a.sum) / Number(a.count) - Number(b.sum) / Number(b.count),
    mergeSum: (a, b) => long(a + b),
    undoSum: (s, v) => long(s - v),
    sumToJson: (v) => v.toString(),
    sumFromJson: bigintFromJson,
  };
}

const DOUBLE_OPS: StdDevOps<number> = {
  type: SqlTypes.DOUBLE,
  zero: 0,
  add: (acc, v) => v + acc.sum,
  delta: (acc, v) => v * Number(acc.count + 1n) - (acc.sum + v),
  mergeInner: (a, b) => a.sum / Number(a.count) - b.sum / Number(b.count),
  mergeSum: (a, b) => a + b,
  undoSum: (s, v) => s - v,
  sumToJson: doubleToJson,
  sumFromJson: doubleFromJson,
};

function stdDev<T>(ctx: BuildContext, ops: StdDevOps<T>, squareRoot: boolean): AggregateFunction<StdDevAcc<T>> {
  return {
    name: ctx.name,
    returnType: SqlTypes.DOUBLE,
    aggregateType: SqlTypes.struct([
      { name: 'SUM', type: ops.type },
      { name: 'COUNT', type: SqlTypes.BIGINT },
      { name: 'M2', type: SqlTypes.DOUBLE },
    ]),
    initialize: () => ({ sum: ops.zero, count: 0n, m2: 0 }),
    aggregate: (acc, args) => {
      const v = args[0];
      if (v === null || v === undefined) return acc;
      const newCount = acc.count + 1n;
      let newM2 = 0;
      if (newCount - 1n > 0n) {
        const delta = ops.delta(acc, v as T);
        newM2 = (delta * delta) / Number(newCount * (newCount - 1n));
      }
      return { count: newCount, sum: ops.add(acc, v as T), m2: newM2 + acc.m2 };
    },
    undo: (acc, args) => {
      const v = args[0];
      if (v === null || v === undefined) return acc;
      const newCount = acc.count - 1n;
      let newM2 = 0;
      if (newCount > 0n) {
        const delta = ops.delta(acc, v as T);
        newM2 = (delta * delta) / Number(newCount * (newCount + 1n));
      }
      return { count: newCount, sum: ops.undoSum(acc.sum, v as T), m2: acc.m2 - newM2 };
    },
    merge: (a, b) => {
      const newCount = a.count + b.count;
      let newM2: number;
      if (a.count === 0n || b.count === 0n) newM2 = a.m2 + b.m2;
      else {
        const inner = ops.mergeInner(a, b);
        newM2 = a.m2 + b.m2 + (((Number(a.count * b.count) * inner) * inner) / Number(newCount));
      }
      return { count: newCount, sum: ops.mergeSum(a.sum, b.sum), m2: newM2 };
    },
    result: (acc) => {
      if (acc.count < 2n) return 0;
      const variance = acc.m2 / Number(acc.count - 1n);
      return squareRoot ? Math.sqrt(variance) : variance;
    },
    toJson: (acc) => ({ SUM: ops.sumToJson(acc.sum), COUNT: acc.count.toString(), M2: doubleToJson(acc.m2) }),
    fromJson: (json) => {
      const o = json as { SUM: unknown; COUNT: unknown; M2: unknown };
      return { sum: ops.sumFromJson(o.SUM), count: bigintFromJson(o.COUNT), m2: doubleFromJson(o.M2) };
    },
  };
}

const STDDEV_DESCRIPTION = 'Returns the sample standard deviation of the column. Applicable only to numeric types.';

function stdDevVariants(squareRoot: boolean) {
  const integerMeans = !squareRoot;
  return [
    udafVariant(SqlTypes.BIGINT, [], {
      description: 'Compute sample standard deviation of column with type Long.',
      returnDisplay: 'DOUBLE',
      table: true,
      build: (ctx) => stdDev(ctx, longOps(integerMeans), squareRoot),
    }),
    udafVariant(SqlTypes.INTEGER, [], {
      description: 'Compute sample standard deviation of column with type Integer.',
      returnDisplay: 'DOUBLE',
      table: true,
      build: (ctx) => stdDev(ctx, intOps(integerMeans), squareRoot),
    }),
    udafVariant(SqlTypes.DOUBLE, [], {
      description: 'Compute sample standard deviation of column with type Double.',
      returnDisplay: 'DOUBLE',
      table: true,
      build: (ctx) => stdDev(ctx, DOUBLE_OPS, squareRoot),
    }),
  ];
}

export const STDDEV_SAMPLE = defineAggregate({
  style: 'udaf',
  name: 'STDDEV_SAMPLE',
  declaredName: 'STDDEV_SAMPLE',
  description: STDDEV_DESCRIPTION,
  variants: stdDevVariants(true),
});

export const STDDEV_SAMP = defineAggregate({
  style: 'udaf',
  name: 'STDDEV_SAMP',
  declaredName: 'STDDEV_SAMP',
  description: STDDEV_DESCRIPTION,
  variants: stdDevVariants(false),
});

// ---------------------------------------------------------------------------------------------
// CORRELATION

interface CorrAcc {
  readonly xSum: number;
  readonly ySum: number;
  readonly xSquaredSum: number;
  readonly ySquaredSum: number;
  readonly xySum: number;
  readonly count: bigint;
}

function correlation(ctx: BuildContext): AggregateFunction<CorrAcc> {
  const step = (acc: CorrAcc, args: readonly Value[], sign: 1 | -1): CorrAcc => {
    const x = args[0];
    const y = args[1];
    if (x === null || x === undefined || y === null || y === undefined) return acc;
    const xd = x as number;
    const yd = y as number;
    return sign === 1
      ? {
          xSum: acc.xSum + xd,
          ySum: acc.ySum + yd,
          xSquaredSum: acc.xSquaredSum + xd * xd,
          ySquaredSum: acc.ySquaredSum + yd * yd,
          xySum: acc.xySum + xd * yd,
          count: long(acc.count + 1n),
        }
      : {
          xSum: acc.xSum - xd,
          ySum: acc.ySum - yd,
          xSquaredSum: acc.xSquaredSum - xd * xd,
          ySquaredSum: acc.ySquaredSum - yd * yd,
          xySum: acc.xySum - xd * yd,
          count: long(acc.count - 1n),
        };
  };
  const fields = ['X_SUM', 'Y_SUM', 'X_SQUARED_SUM', 'Y_SQUARED_SUM', 'XY_SUM'] as const;
  return {
    name: ctx.name,
    returnType: SqlTypes.DOUBLE,
    aggregateType: SqlTypes.struct([...fields.map((name) => ({ name, type: SqlTypes.DOUBLE })), { name: 'COUNT', type: SqlTypes.BIGINT }]),
    initialize: () => ({ xSum: 0, ySum: 0, xSquaredSum: 0, ySquaredSum: 0, xySum: 0, count: 0n }),
    aggregate: (acc, args) => step(acc, args, 1),
    undo: (acc, args) => step(acc, args, -1),
    merge: (a, b) => ({
      xSum: a.xSum + b.xSum,
      ySum: a.ySum + b.ySum,
      xSquaredSum: a.xSquaredSum + b.xSquaredSum,
      ySquaredSum: a.ySquaredSum + b.ySquaredSum,
      xySum: a.xySum + b.xySum,
      count: long(a.count + b.count),
    }),
    result: (acc) => {
      const n = Number(acc.count);
      const numerator = n * acc.xySum - acc.xSum * acc.ySum;
      const denominatorX = n * acc.xSquaredSum - acc.xSum * acc.xSum;
      const denominatorY = n * acc.ySquaredSum - acc.ySum * acc.ySum;
      return numerator / Math.sqrt(denominatorX * denominatorY);
    },
    toJson: (acc) => ({
      X_SUM: doubleToJson(acc.xSum),
      Y_SUM: doubleToJson(acc.ySum),
      X_SQUARED_SUM: doubleToJson(acc.xSquaredSum),
      Y_SQUARED_SUM: doubleToJson(acc.ySquaredSum),
      XY_SUM: doubleToJson(acc.xySum),
      COUNT: acc.count.toString(),
    }),
    fromJson: (json) => {
      const o = json as Record<string, unknown>;
      return {
        xSum: doubleFromJson(o.X_SUM),
        ySum: doubleFromJson(o.Y_SUM),
        xSquaredSum: doubleFromJson(o.X_SQUARED_SUM),
        ySquaredSum: doubleFromJson(o.Y_SQUARED_SUM),
        xySum: doubleFromJson(o.XY_SUM),
        count: bigintFromJson(o.COUNT),
      };
    },
  };
}

export const CORRELATION = defineAggregate({
  style: 'udaf',
  name: 'CORRELATION',
  declaredName: 'correlation',
  description: 'Computes the Pearson correlation coefficient between two columns of data.',
  variants: [
    udafVariant([SqlTypes.DOUBLE, SqlTypes.DOUBLE], [], {
      description: 'Computes the Pearson correlation coefficient between two DOUBLE columns.',
      returnDisplay: 'DOUBLE',
      table: true,
      build: correlation,
    }),
  ],
});
