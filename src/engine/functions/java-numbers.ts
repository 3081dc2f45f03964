/**
 * Java numeric semantics the functions need: int/long wrapping, (long) casts of doubles,
 * Math.round, and decimal rounding helpers on top of the shared Decimal class.
 */
import { Decimal, divideRounded, type RoundingMode } from '../values/decimal.js';
import { SqlTypes, type SqlType } from '../types.js';

export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;

/** Wraps to a signed 32-bit int, like Java `int` arithmetic. */
export function toInt32(x: number): number {
  return x | 0;
}

/** Wraps to a signed 64-bit long, like Java `long` arithmetic. */
export function toInt64(x: bigint): bigint {
  return BigInt.asIntN(64, x);
}

/** Java's `(long) d`: truncation toward zero, NaN -> 0, saturating at the long range. */
export function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 9.223372036854776e18) return LONG_MAX;
  if (d <= -9.223372036854776e18) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

/** Java's `(int) d`. */
export function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d);
}

/** Java's Math.round(double): floor(x + 0.5), saturating. JS Math.round has the same tie rule. */
export function javaRound(d: number): bigint {
  return doubleToLong(Math.round(d));
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * Rounds to `places` fraction digits (negative: left of the point), keeping the value's scale.
 * 'MATH_ROUND' is ksqlDB's ROUND: halves go up toward positive infinity, like Math.round.
 */
export function roundDecimalAt(value: Decimal, places: number, mode: RoundingMode | 'MATH_ROUND'): Decimal {
  if (places >= value.scale) return value;
  const factor = 10n ** BigInt(value.scale - places);
  const q =
    mode === 'MATH_ROUND'
      ? floorDiv(value.unscaled * 2n + factor, 2n * factor)
      : divideRounded(value.unscaled, factor, mode);
  return new Decimal(q * factor, value.scale);
}

/** BigDecimal.valueOf(double): the decimal with the digits of Double.toString. */
export function decimalOfDouble(d: number): Decimal {
  return Decimal.fromNumber(d);
}

/** DecimalUtil.toSqlDecimal for the implicit integral-to-decimal conversions. */
export function asDecimalType(type: SqlType): SqlType | undefined {
  switch (type.kind) {
    case 'DECIMAL':
      return type;
    case 'INTEGER':
      return SqlTypes.decimal(10, 0);
    case 'BIGINT':
      return SqlTypes.decimal(19, 0);
    default:
      return undefined;
  }
}

/** DecimalUtil.widen: enough integer digits and scale for both. */
export function widenDecimal(a: SqlType, b: SqlType): SqlType {
  const da = asDecimalType(a);
  const db = asDecimalType(b);
  if (!da || !db || da.kind !== 'DECIMAL' || db.kind !== 'DECIMAL') return da ?? db ?? a;
  const scale = Math.max(da.scale, db.scale);
  const precision = Math.max(da.precision - da.scale, db.precision - db.scale) + scale;
  return SqlTypes.decimal(precision, scale);
}

/** Compares two values of the same orderable SQL type (numbers, bigint, Decimal, string, Buffer). */
export function compareValues(a: unknown, b: unknown): number {
  if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return compareSignedBytes(a, b);
  if (typeof a === 'number' && typeof b === 'number') {
    // Double.compareTo: NaN is the largest value, -0.0 below 0.0.
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    if (a === b) return Object.is(a, -0) && Object.is(b, 0) ? -1 : Object.is(a, 0) && Object.is(b, -0) ? 1 : 0;
    return a < b ? -1 : 1;
  }
  if ((typeof a === 'bigint' && typeof b === 'bigint') || (typeof a === 'string' && typeof b === 'string')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  throw new TypeError(`Cannot compare ${typeof a} with ${typeof b}`);
}

/** ByteBuffer.compareTo compares bytes as signed values. */
function compareSignedBytes(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = (a[i]! << 24) >> 24;
    const y = (b[i]! << 24) >> 24;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
