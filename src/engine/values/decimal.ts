/**
 * Exact decimal numbers for ksqlDB's DECIMAL(p, s): an unscaled bigint and a scale, like
 * java.math.BigDecimal. Precision is the number of digits of the unscaled value (at least 1).
 */

export type RoundingMode = 'HALF_UP' | 'HALF_EVEN' | 'DOWN' | 'UP' | 'FLOOR' | 'CEILING';

const TEN = 10n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

export class Decimal {
  /** value = unscaled * 10^-scale */
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /** Parses plain or exponent notation ("1.50", "-.5", "1E+3", "12.5e-2"). Throws on bad text. */
  static parse(text: string): Decimal {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
      throw new RangeError(`Invalid decimal: ${text}`);
    }
    const sign = m[1] === '-' ? -1n : 1n;
    const intPart = m[2] ?? '';
    const fracPart = m[3] ?? '';
    const exp = m[4] === undefined ? 0 : Number(m[4]);
    const digits = (intPart + fracPart).replace(/^0+(?=\d)/, '') || '0';
    let scale = fracPart.length - exp;
    let unscaled = BigInt(digits) * sign;
    if (scale < 0) {
      // BigDecimal allows negative scales; ksqlDB never shows them, so normalise to scale 0.
      unscaled *= pow10(-scale);
      scale = 0;
    }
    return new Decimal(unscaled, scale);
  }

  static fromBigInt(v: bigint): Decimal {
    return new Decimal(v, 0);
  }

  static fromNumber(v: number): Decimal {
    if (!Number.isFinite(v)) throw new RangeError(`Cannot convert ${v} to DECIMAL`);
    // Java's BigDecimal.valueOf(double) uses Double.toString; JS's shortest repr agrees on digits.
    return Decimal.parse(String(v));
  }

  /** Number of significant digits of the unscaled value (BigDecimal.precision()). */
  get precision(): number {
    return abs(this.unscaled).toString().length;
  }

  signum(): number {
    return this.unscaled === 0n ? 0 : this.unscaled < 0n ? -1 : 1;
  }

  /** Rescale, rounding with `mode` when digits are dropped (BigDecimal.setScale). */
  setScale(scale: number, mode: RoundingMode = 'HALF_UP'): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * pow10(scale - this.scale), scale);
    return new Decimal(divideRounded(this.unscaled, pow10(this.scale - scale), mode), scale);
  }

  add(o: Decimal): Decimal {
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled + o.setScale(s).unscaled, s);
  }

  subtract(o: Decimal): Decimal {
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled - o.setScale(s).unscaled, s);
  }

  multiply(o: Decimal): Decimal {
    return new Decimal(this.unscaled * o.unscaled, this.scale + o.scale);
  }

  /** Division to a given result scale (ksqlDB computes the result type first). */
  divide(o: Decimal, scale: number, mode: RoundingMode = 'HALF_UP'): Decimal {
    if (o.unscaled === 0n) throw new RangeError('Division by zero');
    // this/o = (a*10^-sa)/(b*10^-sb); want unscaled r with r*10^-scale.
    const shift = scale + o.scale - this.scale;
    let num = this.unscaled;
    let den = o.unscaled;
    if (shift >= 0) num *= pow10(shift);
    else den *= pow10(-shift);
    return new Decimal(divideRounded(num, den, mode), scale);
  }

  /** Remainder with the sign of the dividend (BigDecimal.remainder). */
  remainder(o: Decimal): Decimal {
    if (o.unscaled === 0n) throw new RangeError('Division by zero');
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.setScale(s).unscaled % o.setScale(s).unscaled, s);
  }

  negate(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }

  abs(): Decimal {
    return this.unscaled < 0n ? this.negate() : this;
  }

  /** Numeric comparison ignoring scale (1.0 equals 1.00). */
  compareTo(o: Decimal): number {
    const s = Math.max(this.scale, o.scale);
    const a = this.setScale(s).unscaled;
    const b = o.setScale(s).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(o: Decimal): boolean {
    return this.compareTo(o) === 0;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Truncates toward zero, like BigDecimal.toBigInteger(). */
  toBigInt(): bigint {
    return this.scale === 0 ? this.unscaled : this.unscaled / pow10(this.scale);
  }

  /** Plain notation with exactly `scale` fraction digits (BigDecimal.toPlainString()). */
  toString(): string {
    const neg = this.unscaled < 0n;
    let digits = abs(this.unscaled).toString();
    if (this.scale === 0) return (neg ? '-' : '') + digits;
    if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
    const cut = digits.length - this.scale;
    return (neg ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut);
  }

  toJSON(): string {
    return this.toString();
  }

  /** True when the value fits DECIMAL(precision, scale) after rescaling (integer digits check). */
  fits(precision: number, scale: number): boolean {
    const integerDigits = this.setScale(scale, 'HALF_UP').precision - scale;
    return integerDigits <= precision - scale || this.setScale(scale).toBigInt() === 0n;
  }
}

/** num / den rounded with the given mode (den != 0). */
export function divideRounded(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const q = num / den; // truncates toward zero
  const r = num % den;
  if (r === 0n) return q;
  const positive = num < 0n === den < 0n;
  const twiceR = abs(r) * 2n;
  const absDen = abs(den);
  let awayFromZero: boolean;
  switch (mode) {
    case 'DOWN':
      awayFromZero = false;
      break;
    case 'UP':
      awayFromZero = true;
      break;
    case 'FLOOR':
      awayFromZero = !positive;
      break;
    case 'CEILING':
      awayFromZero = positive;
      break;
    case 'HALF_UP':
      awayFromZero = twiceR >= absDen;
      break;
    case 'HALF_EVEN':
      awayFromZero = twiceR > absDen || (twiceR === absDen && (abs(q) & 1n) === 1n);
      break;
  }
  if (!awayFromZero) return q;
  return positive ? q + 1n : q - 1n;
}
