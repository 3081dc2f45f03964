/** Mathematical functions (ksqlDB's io.confluent.ksql.function.udf.math package). */
import { SqlTypes, type SqlType } from '../../types.js';
import { Decimal } from '../../values/decimal.js';
import type { Value } from '../../values/value.js';
import {
  ANY_DECIMAL,
  BIGINT,
  BYTES,
  DATE,
  DOUBLE,
  INTEGER,
  STRING,
  TIME,
  TIMESTAMP,
  defineFunction,
  sameAs,
  sig,
  type LibraryFunctionDefinition,
  type NamedSignature,
} from '../define.js';
import {
  compareValues,
  decimalOfDouble,
  doubleToInt,
  doubleToLong,
  javaRound,
  roundDecimalAt,
  toInt32,
  toInt64,
  widenDecimal,
} from '../java-numbers.js';
import type { ParamType } from '../types.js';
import { javaLog } from '../precise-log.js';
import { KsqlFunctionError } from '../../errors.js';

const num = (v: Value): number => (typeof v === 'bigint' ? Number(v) : (v as number));
const dec = (v: Value): Decimal => v as Decimal;

/** INT, BIGINT and DOUBLE overloads of a DOUBLE-valued function of one argument. */
function doubleFunction(name: string, description: string, f: (x: number) => number): LibraryFunctionDefinition {
  return defineFunction(name, 'MATHEMATICAL', description, [
    sig([INTEGER], DOUBLE, ([x]) => f(num(x!))),
    sig([BIGINT], DOUBLE, ([x]) => f(num(x!))),
    sig([DOUBLE], DOUBLE, ([x]) => f(num(x!))),
  ]);
}

function doubleFunction2(name: string, description: string, f: (x: number, y: number) => number): LibraryFunctionDefinition {
  return defineFunction(name, 'MATHEMATICAL', description, [
    sig([INTEGER, INTEGER], DOUBLE, ([x, y]) => f(num(x!), num(y!))),
    sig([BIGINT, BIGINT], DOUBLE, ([x, y]) => f(num(x!), num(y!))),
    sig([DOUBLE, DOUBLE], DOUBLE, ([x, y]) => f(num(x!), num(y!))),
  ]);
}

/** DECIMAL(p, s) -> DECIMAL(p - s, 0): the integral part of a decimal. */
function integralDecimal(types: readonly SqlType[]): SqlType {
  const t = types[0];
  // Not a DECIMAL only for a NULL argument (or DESCRIBE FUNCTION's declared types): pass it on.
  if (!t || t.kind !== 'DECIMAL') return t ?? SqlTypes.NULL;
  return SqlTypes.decimal(Math.max(1, t.precision - t.scale), 0);
}

const abs = defineFunction('ABS', 'MATHEMATICAL', 'Returns the absolute value of its argument. If the argument is not negative, the argument is returned. If the argument is negative, the negation of the argument is returned.', [
  sig([INTEGER], INTEGER, ([x]) => toInt32(Math.abs(x as number))),
  sig([BIGINT], BIGINT, ([x]) => toInt64((x as bigint) < 0n ? -(x as bigint) : (x as bigint))),
  sig([DOUBLE], DOUBLE, ([x]) => Math.abs(x as number)),
  sig([ANY_DECIMAL], sameAs(0), ([x]) => dec(x!).abs()),
]);

function ceilOrFloor(name: string, description: string, f: (x: number) => number, mode: 'CEILING' | 'FLOOR'): LibraryFunctionDefinition {
  return defineFunction(name, 'MATHEMATICAL', description, [
    sig([INTEGER], INTEGER, ([x]) => x),
    sig([BIGINT], BIGINT, ([x]) => x),
    sig([DOUBLE], DOUBLE, ([x]) => f(x as number)),
    sig([ANY_DECIMAL], sameAs(0), ([x]) => roundDecimalAt(dec(x!), 0, mode)),
  ]);
}

const ceil = ceilOrFloor('CEIL', 'Returns the smallest integer greater than or equal to the specified numeric expression.', Math.ceil, 'CEILING');
const floor = ceilOrFloor('FLOOR', 'Returns the largest integer less than or equal to the specified numeric expression.', Math.floor, 'FLOOR');

const round = defineFunction('ROUND', 'MATHEMATICAL', 'Round a value to the number of decimal places as specified by scale to the right of the decimal point. If scale is negative then value is rounded to the right of the decimal point. Numbers equidistant to the nearest value are rounded up (in the positive direction). If the number of decimal places is not provided it defaults to zero.', [
  sig([BIGINT], BIGINT, ([x]) => x),
  sig([INTEGER], BIGINT, ([x]) => BigInt(x as number)),
  sig([DOUBLE], BIGINT, ([x]) => javaRound(x as number)),
  sig([DOUBLE, INTEGER], DOUBLE, ([x, places]) => {
    const d = x as number;
    if (!Number.isFinite(d)) return d;
    return roundDecimalAt(decimalOfDouble(d), places as number, 'MATH_ROUND').toNumber();
  }),
  sig([ANY_DECIMAL], integralDecimal, ([x]) => roundDecimalAt(dec(x!), 0, 'MATH_ROUND').setScale(0)),
  // ksqlDB keeps the source scale (https://github.com/confluentinc/ksql/issues/6235).
  sig([ANY_DECIMAL, INTEGER], sameAs(0), ([x, places]) => roundDecimalAt(dec(x!), places as number, 'MATH_ROUND')),
], { declaredName: 'Round' });

const trunc = defineFunction('TRUNC', 'MATHEMATICAL', 'Truncates a value to the number of decimal places as specified by scale to the right of the decimal point. If scale is negative then value is truncated to the right of the decimal point.', [
  sig([BIGINT], BIGINT, ([x]) => x),
  sig([INTEGER], BIGINT, ([x]) => BigInt(x as number)),
  sig([DOUBLE], BIGINT, ([x]) => doubleToLong(x as number)),
  sig([DOUBLE, INTEGER], DOUBLE, ([x, places]) => {
    const d = x as number;
    if (!Number.isFinite(d)) return d;
    return roundDecimalAt(decimalOfDouble(d), places as number, 'DOWN').toNumber();
  }),
  sig([ANY_DECIMAL], integralDecimal, ([x]) => dec(x!).setScale(0, 'DOWN')),
  sig([ANY_DECIMAL, INTEGER], sameAs(0), ([x, places]) => roundDecimalAt(dec(x!), places as number, 'DOWN')),
], { declaredName: 'trunc' });

const sign = defineFunction('SIGN', 'MATHEMATICAL', 'The sign of a numeric value as an INTEGER: * -1 if the argument is negative * 0 if the argument is zero * 1 if the argument is positive * null argument is null.', [
  sig([INTEGER], INTEGER, ([x]) => Math.sign(x as number)),
  sig([BIGINT], INTEGER, ([x]) => ((x as bigint) < 0n ? -1 : (x as bigint) > 0n ? 1 : 0)),
  sig([DOUBLE], INTEGER, ([x]) => doubleToInt(Math.sign(x as number))),
  sig([ANY_DECIMAL], INTEGER, ([x]) => dec(x!).signum()),
]);

const RADIANS_TO_DEGREES = 57.29577951308232;
const DEGREES_TO_RADIANS = 0.017453292519943295;

const logWithBase = (base: number, value: number): number =>
  // Bases at or below zero, and base 1, have no logarithm (ksqlDB returns NaN rather than -0.0 or Infinity).
  base <= 0 || base === 1 ? NaN : javaLog(value) / javaLog(base);

// ksqlDB's one-argument LOG is the natural logarithm (math.json "log-base-10" expects ln).
const log = defineFunction('LOG', 'MATHEMATICAL', 'The logarithm of a value. Without a base, the natural logarithm; with a base, the logarithm to that base.', [
  sig([INTEGER], DOUBLE, ([x]) => javaLog(num(x!))),
  sig([BIGINT], DOUBLE, ([x]) => javaLog(num(x!))),
  sig([DOUBLE], DOUBLE, ([x]) => javaLog(num(x!))),
  sig([INTEGER, INTEGER], DOUBLE, ([b, x]) => logWithBase(num(b!), num(x!))),
  sig([BIGINT, BIGINT], DOUBLE, ([b, x]) => logWithBase(num(b!), num(x!))),
  sig([DOUBLE, DOUBLE], DOUBLE, ([b, x]) => logWithBase(num(b!), num(x!))),
]);

/** GREATEST / LEAST: the highest (lowest) non-null value among the arguments of one type. */
function extremum(name: string, description: string, pickGreater: boolean): LibraryFunctionDefinition {
  const pick = (args: Value[]): Value => {
    let best: Value = null;
    for (const v of args) {
      if (v === null || v === undefined) continue;
      if (best === null) best = v;
      else {
        const c = compareValues(v, best);
        if (pickGreater ? c > 0 : c < 0) best = v;
      }
    }
    return best;
  };
  const overload = (type: ParamType, returns: SqlType | ((t: readonly SqlType[]) => SqlType)): NamedSignature =>
    sig([type, type], returns, (args) => pick(args), { variadic: true, acceptsNulls: true, names: ['val', 'vals'] });
  const decimalReturn = (types: readonly SqlType[]): SqlType =>
    types.filter((t) => t.kind !== 'NULL').reduce<SqlType>((a, b) => widenDecimal(a, b), types.find((t) => t.kind !== 'NULL')!);
  return defineFunction(name, 'MATHEMATICAL', description, [
    overload(INTEGER, INTEGER),
    overload(BIGINT, BIGINT),
    overload(DOUBLE, DOUBLE),
    overload(STRING, STRING),
    overload(BYTES, BYTES),
    overload(ANY_DECIMAL, (types) => (types.some((t) => t.kind !== 'NULL') ? decimalReturn(types) : SqlTypes.NULL)),
    overload(DATE, DATE),
    overload(TIME, TIME),
    overload(TIMESTAMP, TIMESTAMP),
  ], { declaredName: name.toLowerCase() });
}

const EARTH_RADIUS: Record<string, number> = { KM: 6371, KILOMETERS: 6371, MI: 3959, MILES: 3959 };

/** Great-circle distance (haversine), validated like ksqlDB's GeoDistance. */
function geoDistance(lat1: number, lon1: number, lat2: number, lon2: number, unit: string): number {
  const radius = EARTH_RADIUS[unit.toUpperCase()];
  if (radius === undefined) throw new KsqlFunctionError('GeoDistance function units parameter must be one of KM, KILOMETERS, MI, MILES');
  for (const lat of [lat1, lat2]) {
    if (lat < -90 || lat > 90) throw new KsqlFunctionError('valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees');
  }
  for (const lon of [lon1, lon2]) {
    if (lon < -180 || lon > 180) throw new KsqlFunctionError('valid longitude values for GeoDistance function are in the range of -180 to +180 decimal degrees');
  }
  const dLat = (lat2 - lat1) * DEGREES_TO_RADIANS;
  const dLon = (lon2 - lon1) * DEGREES_TO_RADIANS;
  const a = Math.sin(dLat / 2) ** 2 + Math.sin(dLon / 2) ** 2 * Math.cos(lat1 * DEGREES_TO_RADIANS) * Math.cos(lat2 * DEGREES_TO_RADIANS);
  return radius * 2 * Math.asin(Math.sqrt(a));
}

const geo = defineFunction('GEO_DISTANCE', 'MATHEMATICAL', 'Compute the distance between two points on the surface of the earth, according to the Haversine formula for "great circle distance".', [
  sig([DOUBLE, DOUBLE, DOUBLE, DOUBLE], DOUBLE, ([a, b, c, d]) => geoDistance(num(a!), num(b!), num(c!), num(d!), 'KM'), {
    names: ['lat1', 'lon1', 'lat2', 'lon2'],
  }),
  sig([DOUBLE, DOUBLE, DOUBLE, DOUBLE, STRING], DOUBLE, ([a, b, c, d, u]) => geoDistance(num(a!), num(b!), num(c!), num(d!), u as string), {
    names: ['lat1', 'lon1', 'lat2', 'lon2', 'units'],
  }),
]);

export const MATH_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  abs,
  ceil,
  floor,
  round,
  trunc,
  sign,
  log,
  doubleFunction('SQRT', 'The square root of a value.', Math.sqrt),
  doubleFunction('CBRT', 'The cube root of a value.', Math.cbrt),
  doubleFunction('EXP', 'The exponential of a value.', Math.exp),
  doubleFunction('LN', 'The natural logarithm of a value.', javaLog),
  doubleFunction('SIN', 'Returns the sine of an INT, BIGINT, or DOUBLE value.', Math.sin),
  doubleFunction('COS', 'Returns the cosine of an INT, BIGINT, or DOUBLE value.', Math.cos),
  doubleFunction('TAN', 'Returns the tangent of an INT, BIGINT, or DOUBLE value.', Math.tan),
  doubleFunction('COT', 'Returns the cotangent of an INT, BIGINT, or DOUBLE value.', (x) => 1.0 / Math.tan(x)),
  doubleFunction('ASIN', 'Returns the inverse (arc) sine of an INT, BIGINT, or DOUBLE value.', Math.asin),
  doubleFunction('ACOS', 'Returns the inverse (arc) cosine of an INT, BIGINT, or DOUBLE value.', Math.acos),
  doubleFunction('ATAN', 'Returns the inverse (arc) tangent of an INT, BIGINT, or DOUBLE value.', Math.atan),
  doubleFunction('SINH', 'Returns the hyperbolic sine of an INT, BIGINT, or DOUBLE value.', Math.sinh),
  doubleFunction('COSH', 'Returns the hyperbolic cosine of an INT, BIGINT, or DOUBLE value.', Math.cosh),
  doubleFunction('TANH', 'Returns the hyperbolic tangent of an INT, BIGINT, or DOUBLE value.', Math.tanh),
  doubleFunction('DEGREES', 'Converts a BIGINT, INT, or DOUBLE value in radians to a DOUBLE value in degrees.', (x) => x * RADIANS_TO_DEGREES),
  doubleFunction('RADIANS', 'Converts a BIGINT, INT, or DOUBLE value in degrees to a DOUBLE value in radians.', (x) => x * DEGREES_TO_RADIANS),
  doubleFunction2('ATAN2', 'Returns the inverse (arc) tangent of y / x.', Math.atan2),
  doubleFunction2('POWER', 'Returns the value of the first argument raised to the power of the second.', Math.pow),
  defineFunction('PI', 'MATHEMATICAL', 'Returns an approximate value of PI.', [sig([], DOUBLE, () => Math.PI)]),
  defineFunction('RANDOM', 'MATHEMATICAL', 'Return a random DOUBLE value between 0.0 and 1.0.', [sig([], DOUBLE, () => Math.random())]),
  extremum('GREATEST', 'Returns the highest non-null value among a variable number of comparable columns.', true),
  extremum('LEAST', 'Returns the lowest non-null value among a variable number of comparable columns.', false),
  geo,
];
