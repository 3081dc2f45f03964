/** Java semantics the aggregates need: equals / compareTo over runtime values, decimal rounding. */
import { Decimal, divideRounded } from '../../values/decimal.js';
import type { Value } from '../../values/value.js';
import { compareValues } from '../java-numbers.js';
import { javaEquals } from '../value-equality.js';

/** Objects.equals as List.contains / indexOf see it (Double.equals: NaN equals NaN, -0.0 differs from 0.0). */
export function javaObjectEquals(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  return javaEquals(a, b);
}

/** Comparable.compareTo of same-typed values (Double.compareTo, BigDecimal, signed ByteBuffer, String by UTF-16). */
export function javaCompare(a: Value, b: Value): number {
  return compareValues(a, b);
}

/** BigDecimal.round(new MathContext(precision)) (HALF_UP), never leaving a negative scale. */
export function roundToPrecision(d: Decimal, precision: number): Decimal {
  let value = d;
  while (value.precision > precision) {
    const drop = value.precision - precision;
    const unscaled = divideRounded(value.unscaled, 10n ** BigInt(drop), 'HALF_UP');
    value = new Decimal(unscaled, value.scale - drop);
  }
  return value.scale < 0 ? new Decimal(value.unscaled * 10n ** BigInt(-value.scale), 0) : value;
}

/** BigDecimal.ZERO */
export const DECIMAL_ZERO = new Decimal(0n, 0);

/** Java long arithmetic. */
export function long(x: bigint): bigint {
  return BigInt.asIntN(64, x);
}

/** Java int arithmetic. */
export function int(x: number): number {
  return x | 0;
}

/** Java int multiplication (Math.imul keeps all 32 low bits, unlike `*` on doubles). */
export const imul = Math.imul;
