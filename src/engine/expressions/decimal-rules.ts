/**
 * ksqlDB's DECIMAL rules: result types of arithmetic (SqlDecimal), literal types and casts
 * (DecimalUtil), and arithmetic evaluated the way its generated code does:
 * `left.op(right, new MathContext(precision, UNNECESSARY)).setScale(scale)`, which fails (and
 * so yields null) whenever the exact result does not fit.
 */
import { KsqlError } from '../errors.js';
import { SqlTypes, type SqlType } from '../types.js';
import { Decimal, divideRounded } from '../values/decimal.js';

export interface DecimalType {
  readonly precision: number;
  readonly scale: number;
}

export const INT_UPCAST_TO_DECIMAL: DecimalType = { precision: 10, scale: 0 };
export const BIGINT_UPCAST_TO_DECIMAL: DecimalType = { precision: 19, scale: 0 };

export function decimalType(t: DecimalType): SqlType {
  return SqlTypes.decimal(t.precision, t.scale);
}

/** DecimalUtil.validateParameters. */
export function validateDecimalParameters(precision: number, scale: number): void {
  if (!(precision > 0)) throw new KsqlError(`DECIMAL precision must be >= 1: DECIMAL(${precision},${scale})`);
  if (!(scale >= 0)) throw new KsqlError(`DECIMAL scale must be >= 0: DECIMAL(${precision},${scale})`);
  if (!(precision >= scale)) throw new KsqlError(`DECIMAL precision must be >= scale: DECIMAL(${precision},${scale})`);
}

function checked(precision: number, scale: number): DecimalType {
  validateDecimalParameters(precision, scale);
  return { precision, scale };
}

/**
 * The type of a decimal literal (DecimalUtil.fromValue after ksqlDB's fix for values in
 * (-1, 1)): BigDecimal precision and scale, except that a value below 1 in magnitude counts the
 * leading zero, so 0.005 is DECIMAL(4, 3).
 */
export function decimalTypeOfValue(value: Decimal): DecimalType {
  const abs = value.abs();
  if (abs.compareTo(new Decimal(1n, 0)) < 0) return checked(value.scale + 1, value.scale);
  return checked(value.precision, value.scale);
}

/** DecimalUtil.toSqlDecimal: the DECIMAL type an INTEGER/BIGINT/DECIMAL widens to exactly. */
export function toDecimalType(type: SqlType): DecimalType {
  switch (type.kind) {
    case 'DECIMAL':
      return type;
    case 'INTEGER':
      return INT_UPCAST_TO_DECIMAL;
    case 'BIGINT':
      return BIGINT_UPCAST_TO_DECIMAL;
    default:
      throw new KsqlError(`Cannot convert ${type.kind} to DECIMAL.`);
  }
}

/** DecimalUtil.widen: wide enough for either side. */
export function widenDecimal(a: SqlType, b: SqlType): DecimalType {
  const l = toDecimalType(a);
  const r = toDecimalType(b);
  const whole = Math.max(l.precision - l.scale, r.precision - r.scale);
  const scale = Math.max(l.scale, r.scale);
  return checked(whole + scale, scale);
}

/** DecimalUtil.canImplicitlyCast between decimals. */
export function decimalFits(from: DecimalType, to: DecimalType): boolean {
  return from.scale <= to.scale && from.precision - from.scale <= to.precision - to.scale;
}

export type DecimalOperator = '+' | '-' | '*' | '/' | '%';

/** SqlDecimal.add/subtract/multiply/divide/modulus. */
export function decimalResultType(op: DecimalOperator, l: DecimalType, r: DecimalType): DecimalType {
  switch (op) {
    case '+':
    case '-':
      return checked(
        Math.max(l.scale, r.scale) + Math.max(l.precision - l.scale, r.precision - r.scale) + 1,
        Math.max(l.scale, r.scale),
      );
    case '*':
      return checked(l.precision + r.precision + 1, l.scale + r.scale);
    case '/': {
      const scale = Math.max(6, l.scale + r.precision + 1);
      return checked(l.precision - l.scale + r.scale + scale, scale);
    }
    case '%':
      return checked(Math.min(l.precision - l.scale, r.precision - r.scale) + Math.max(l.scale, r.scale), Math.max(l.scale, r.scale));
  }
}

const ROUNDING_NECESSARY = 'Rounding necessary';

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function digitCount(v: bigint): number {
  return (v < 0n ? -v : v).toString().length;
}

/** Digits of `value` once trailing zeros (down to `minScale`) are stripped. */
function strippedPrecision(unscaled: bigint, scale: number, minScale: number): number {
  let u = unscaled;
  let s = scale;
  while (s > minScale && u !== 0n && u % 10n === 0n) {
    u /= 10n;
    s--;
  }
  return digitCount(u);
}

/** BigDecimal.setScale(scale) with RoundingMode.UNNECESSARY. */
function setScaleExact(value: Decimal, scale: number): Decimal {
  if (scale >= value.scale) return value.setScale(scale);
  const factor = pow10(value.scale - scale);
  if (value.unscaled % factor !== 0n) throw new RangeError(ROUNDING_NECESSARY);
  return new Decimal(value.unscaled / factor, scale);
}

/** Applies MathContext(precision, UNNECESSARY) to an exact result: fails if it needs rounding. */
function requirePrecision(value: Decimal, precision: number): Decimal {
  if (strippedPrecision(value.unscaled, value.scale, -Infinity) > precision) throw new RangeError(ROUNDING_NECESSARY);
  return value;
}

/**
 * Evaluates `l op r` for operands already converted to DECIMAL, with the result type `result`,
 * exactly as ksqlDB's generated code: throws (ArithmeticException in Java) on division by zero
 * and whenever the exact result would need rounding to fit.
 */
export function decimalArithmetic(op: DecimalOperator, l: Decimal, r: Decimal, result: DecimalType): Decimal {
  switch (op) {
    case '+':
      return setScaleExact(requirePrecision(l.add(r), result.precision), result.scale);
    case '-':
      return setScaleExact(requirePrecision(l.subtract(r), result.precision), result.scale);
    case '*':
      return setScaleExact(requirePrecision(l.multiply(r), result.precision), result.scale);
    case '/': {
      if (r.unscaled === 0n) throw new RangeError('Division by zero');
      // The quotient must be exact at the result scale, else Java needs rounding and throws.
      const shift = result.scale + r.scale - l.scale;
      let num = l.unscaled;
      let den = r.unscaled;
      if (shift >= 0) num *= pow10(shift);
      else den *= pow10(-shift);
      if (num % den !== 0n) throw new RangeError('Non-terminating decimal expansion; no exact representable decimal result.');
      const q = num / den;
      if (strippedPrecision(q, result.scale, l.scale - r.scale) > result.precision) throw new RangeError(ROUNDING_NECESSARY);
      return new Decimal(q, result.scale);
    }
    case '%': {
      if (r.unscaled === 0n) throw new RangeError('Division by zero');
      const s = Math.max(l.scale, r.scale);
      const a = l.setScale(s).unscaled;
      const b = r.setScale(s).unscaled;
      // divideToIntegralValue(divisor, mc) fails when the integer quotient needs more significant
      // digits than the precision (trailing zeros cost nothing: 1.23E+7 is fine).
      const quotient = a / b;
      if (quotient !== 0n && strippedPrecision(quotient, 0, -Infinity) > result.precision) throw new RangeError('Division impossible');
      return setScaleExact(new Decimal(a % b, s), result.scale);
    }
  }
}

/** Unary minus: negate(MathContext(precision, UNNECESSARY)). */
export function decimalNegate(value: Decimal, type: DecimalType): Decimal {
  return requirePrecision(value.negate(), type.precision);
}

/** DecimalUtil.ensureMax: |value| must be below 10^(precision - scale). */
function ensureMax(value: Decimal, precision: number, scale: number): void {
  const digits = precision - scale;
  const max = new Decimal(pow10(digits), 0);
  if (max.compareTo(value.abs()) < 1) {
    throw new RangeError(
      `Numeric field overflow: A field with precision ${precision} and scale ${scale} must round to an absolute value less than 10^${digits}. Got ${value.toString()}`,
    );
  }
}

/** Rounds to `precision` significant digits, HALF_UP (new BigDecimal(x, new MathContext(p))). */
function roundToPrecision(value: Decimal, precision: number): Decimal {
  const drop = digitCount(value.unscaled) - precision;
  if (drop <= 0) return value;
  return new Decimal(divideRounded(value.unscaled, pow10(drop), 'HALF_UP'), value.scale - drop);
}

function normalizeNegativeScale(value: Decimal): Decimal {
  return value.scale >= 0 ? value : new Decimal(value.unscaled * pow10(-value.scale), 0);
}

/** DecimalUtil.cast(long, p, s): round to p digits, check the magnitude, then rescale exactly. */
export function castIntegerToDecimal(value: bigint, type: DecimalType): Decimal {
  const rounded = normalizeNegativeScale(roundToPrecision(new Decimal(value, 0), type.precision));
  ensureMax(rounded, type.precision, type.scale);
  return setScaleExact(rounded, type.scale);
}

/** DecimalUtil.cast(double, p, s): the double's exact binary value rounded to p digits, then HALF_UP to s. */
export function castDoubleToDecimal(value: number, type: DecimalType): Decimal {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot convert ${value} to DECIMAL`);
  const rounded = normalizeNegativeScale(roundToPrecision(exactDecimalOfDouble(value), type.precision));
  ensureMax(rounded, type.precision, type.scale);
  return rounded.setScale(type.scale, 'HALF_UP');
}

/** DecimalUtil.cast(BigDecimal, p, s). */
export function castDecimalToDecimal(value: Decimal, type: DecimalType): Decimal {
  if (value.precision === type.precision && value.scale === type.scale) return value;
  ensureMax(value, type.precision, type.scale);
  return value.setScale(type.scale, 'HALF_UP');
}

/** DecimalUtil.cast(String, p, s): BigDecimal parsing, then as for decimals. */
export function castStringToDecimal(text: string, type: DecimalType): Decimal {
  const value = parseJavaBigDecimal(text.trim());
  ensureMax(value, type.precision, type.scale);
  return value.setScale(type.scale, 'HALF_UP');
}

/** DecimalUtil.ensureFit: exact conversion only (no rounding), used by implicit coercion. */
export function ensureDecimalFit(value: Decimal, type: DecimalType): Decimal {
  ensureMax(value, type.precision, type.scale);
  try {
    return setScaleExact(value, type.scale);
  } catch {
    throw new KsqlError(
      `Cannot fit decimal '${value.toString()}' into DECIMAL(${type.precision}, ${type.scale}) without rounding. (Requires ${value.precision},${value.scale})`,
    );
  }
}

const BIG_DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** new BigDecimal(text): plain or exponent notation, nothing else (NumberFormatException). */
export function parseJavaBigDecimal(text: string): Decimal {
  if (!BIG_DECIMAL_TEXT.test(text)) throw new RangeError(`Character array is missing "exponent" mark 'e' or 'E'. (${text})`);
  return Decimal.parse(text);
}

/** The exact value of a finite double (new BigDecimal(double)). */
export function exactDecimalOfDouble(value: number): Decimal {
  if (value === 0) return new Decimal(0n, 0);
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, value);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exponentBits = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (exponentBits === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  while (mantissa % 2n === 0n && exponent < 0) {
    mantissa /= 2n;
    exponent++;
  }
  if (exponent >= 0) return new Decimal(sign * (mantissa << BigInt(exponent)), 0);
  // m * 2^-k = m * 5^k / 10^k
  return new Decimal(sign * mantissa * 5n ** BigInt(-exponent), -exponent);
}
