/**
 * Java's text renderings of numbers and temporal values, as ksqlDB writes them.
 *
 * `javaDoubleToString` reproduces `Double.toString` of JDK 8..18 (ksqlDB 0.29 runs on Java 8/11),
 * i.e. OpenJDK's `FloatingDecimal.dtoa`, which is not always the shortest round-trip form:
 * `4.6116860184273879E18` (2^62) where a shortest-digits algorithm gives `4.611686018427388E18`,
 * `4.9E-324` where it gives `5E-324`.
 *
 * Speed: for most doubles FloatingDecimal provably produces the same digits as V8's shortest
 * representation (see `isShortestDigitsSafe`), so the hot path only re-formats `String(x)`.
 * The remaining values (|x| >= 2^52, significands that are a power of two) go through a faithful
 * port of `dtoa`, including its int/long overflow behaviour.
 */

// ---------------------------------------------------------------------------------------------
// Double.toString
// ---------------------------------------------------------------------------------------------

const TWO_52 = 2 ** 52;
const TWO_53 = 2 ** 53;

/** Double.toString(x) exactly as JDK <= 18 prints it. */
export function javaDoubleToString(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = x < 0 ? -x : x;
  // Java's F-form range: JS prints the same digits in the same layout, bar integers' ".0".
  if (abs >= 1e-3 && abs < 1e7) return Number.isInteger(x) ? String(x) + '.0' : String(x);
  if (abs < TWO_53 && Number.isInteger(abs)) {
    // FloatingDecimal's "easy case": integers below 2^53 print every digit, like String(x).
    return formatJsNumberJavaStyle(x);
  }
  if (abs < TWO_52 && isShortestDigitsSafe(abs)) return formatJsNumberJavaStyle(x);
  return exactCached(x);
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

/**
 * FloatingDecimal stops at the first digit count n for which an n-digit decimal lies strictly
 * within half an ulp of x, and then picks the nearer candidate: the shortest, nearest digits,
 * like V8. The two can differ only (a) where x +- half-ulp is itself a short decimal or x is a
 * tie between two candidates, which needs an ulp >= 1, i.e. |x| >= 2^52, (b) for significands
 * that are a power of two, where Java narrows the interval above x to the smaller gap below, and
 * (c) for subnormals (see below). Checked against JDK 17 over millions of random doubles.
 */
function isShortestDigitsSafe(abs: number): boolean {
  F64[0] = abs;
  const hi = U32[HI]!;
  const lo = U32[LO]!;
  if (lo === 0 && (hi & 0xfffff) === 0) return false; // power of two
  // Subnormals: with few significant bits the half-ulp interval can span more than one unit of
  // the second digit, where Java's forced second E-form digit then differs (6.9E-323 vs 7E-323).
  return hi >>> 20 !== 0;
}

/** Turns JS's shortest rendering (`String(x)`) into Java's layout. */
function formatJsNumberJavaStyle(x: number): string {
  const s = String(x);
  const negative = s.charCodeAt(0) === 45;
  const body = negative ? s.slice(1) : s;
  let digits: string;
  let pointPos: number; // decimal exponent: value = 0.digits * 10^pointPos
  const e = body.indexOf('e');
  if (e >= 0) {
    const mantissa = body.slice(0, e);
    const exp = Number(body.slice(e + 1));
    const dot = mantissa.indexOf('.');
    digits = dot >= 0 ? mantissa.slice(0, dot) + mantissa.slice(dot + 1) : mantissa;
    pointPos = exp + 1;
  } else {
    const dot = body.indexOf('.');
    if (dot < 0) {
      // Integer: fast answers for the common F-form range.
      if (body.length < 8) return s + '.0';
      digits = body;
      pointPos = body.length;
    } else {
      if (dot > 0 && body.charCodeAt(0) !== 48) {
        if (dot < 8) return s; // 1 <= |x| < 1e7: JS and Java agree verbatim.
        digits = body.slice(0, dot) + body.slice(dot + 1);
        pointPos = dot;
      } else {
        // 0.xxx
        const frac = body.slice(dot + 1);
        let lead = 0;
        while (frac.charCodeAt(lead) === 48) lead++;
        if (lead < 3) return s; // 1e-3 <= |x| < 1: same text
        digits = frac.slice(lead);
        pointPos = -lead;
      }
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  return (negative ? '-' : '') + layoutJava(digits, pointPos);
}

/**
 * FloatingDecimal.getChars: digits d1d2...dn with value 0.d1d2...dn * 10^decExponent.
 * F-form for 1e-3 <= |x| < 1e7, otherwise E-form with at least one fraction digit.
 */
function layoutJava(digits: string, decExponent: number): string {
  const n = digits.length;
  if (decExponent > 0 && decExponent < 8) {
    if (n <= decExponent) return digits + '0'.repeat(decExponent - n) + '.0';
    return digits.slice(0, decExponent) + '.' + digits.slice(decExponent);
  }
  if (decExponent <= 0 && decExponent > -3) {
    return '0.' + '0'.repeat(-decExponent) + digits;
  }
  const mantissa = digits[0] + '.' + (n > 1 ? digits.slice(1) : '0');
  return mantissa + 'E' + String(decExponent - 1);
}

const exactCache = new Map<number, string>();

function exactCached(x: number): string {
  let s = exactCache.get(x);
  if (s === undefined) {
    const { digits, decExponent } = floatingDecimalDtoa(x < 0 ? -x : x);
    s = (x < 0 ? '-' : '') + layoutJava(digits, decExponent);
    if (exactCache.size >= 4096) exactCache.clear();
    exactCache.set(x, s);
  }
  return s;
}

// --- faithful port of FloatingDecimal.BinaryToASCIIBuffer.dtoa (JDK 8..18) -------------------

const EXP_SHIFT = 52;
const MAX_SMALL_BIN_EXP = 62;
const MIN_SMALL_BIN_EXP = -21;
const N_5_BITS = [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61];
const LONG_5_POW_LENGTH = 27;
const INSIGNIFICANT_DIGITS_NUMBER = [
  0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11,
  11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17, 17, 17, 18, 18, 18, 19,
];

function insignificantDigitsForPow2(p2: number): number {
  return p2 > 1 && p2 < INSIGNIFICANT_DIGITS_NUMBER.length ? INSIGNIFICANT_DIGITS_NUMBER[p2]! : 0;
}

/** Bit length of a non-negative integer below 2^53. */
function bitLength(v: number): number {
  const high = Math.floor(v / 2 ** 32);
  return high > 0 ? 64 - Math.clz32(high) : 32 - Math.clz32(v);
}

function trailingZeros(v: number): number {
  let n = 0;
  while (v % 2 === 0) {
    v /= 2;
    n++;
  }
  return n;
}

const asLong = (v: bigint): bigint => BigInt.asIntN(64, v);

interface DtoaResult {
  digits: string;
  decExponent: number;
}

/** Positive finite non-zero x. */
function floatingDecimalDtoa(x: number): DtoaResult {
  F64[0] = x;
  const hi = U32[HI]!;
  const lo = U32[LO]!;
  let binExp = hi >>> 20;
  let fractBits = (hi & 0xfffff) * 2 ** 32 + lo;
  let nSignificantBits: number;
  if (binExp === 0) {
    const nBits = bitLength(fractBits);
    const shift = 53 - nBits; // leadingZeros - (63 - EXP_SHIFT)
    fractBits *= 2 ** shift;
    binExp = 1 - shift;
    nSignificantBits = nBits;
  } else {
    fractBits += TWO_52;
    nSignificantBits = EXP_SHIFT + 1;
  }
  binExp -= 1023;
  return dtoa(binExp, fractBits, nSignificantBits);
}

function dtoa(binExp: number, fractBits: number, nSignificantBits: number): DtoaResult {
  const tailZeros = trailingZeros(fractBits);
  const nFractBits = EXP_SHIFT + 1 - tailZeros;
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);
  if (binExp <= MAX_SMALL_BIN_EXP && binExp >= MIN_SMALL_BIN_EXP) {
    if (nTinyBits < LONG_5_POW_LENGTH && nFractBits + N_5_BITS[nTinyBits]! < 64 && nTinyBits === 0) {
      const insignificant = binExp > nSignificantBits ? insignificantDigitsForPow2(binExp - nSignificantBits - 1) : 0;
      const lvalue = binExp >= EXP_SHIFT ? BigInt(fractBits) << BigInt(binExp - EXP_SHIFT) : BigInt(fractBits / 2 ** (EXP_SHIFT - binExp));
      return developLongDigits(lvalue, insignificant);
    }
  }

  let decExp = estimateDecExp(fractBits, binExp);
  const B5 = Math.max(0, -decExp);
  let B2 = B5 + nTinyBits + binExp;
  const S5 = Math.max(0, decExp);
  let S2 = S5 + nTinyBits;
  const M5 = B5;
  let M2 = B2 - nSignificantBits;
  const fb = fractBits / 2 ** tailZeros;
  B2 -= nFractBits - 1;
  const common2 = Math.min(B2, S2);
  B2 -= common2;
  S2 -= common2;
  M2 -= common2;
  // Java's "HACK" for exact powers of two: the gap below is half as wide.
  if (nFractBits === 1) M2 -= 1;
  if (M2 < 0) {
    B2 -= M2;
    S2 -= M2;
    M2 = 0;
  }
  const Bbits = nFractBits + B2 + (B5 < N_5_BITS.length ? N_5_BITS[B5]! : B5 * 3);
  const tenSbits = S2 + 1 + (S5 + 1 < N_5_BITS.length ? N_5_BITS[S5 + 1]! : (S5 + 1) * 3);

  const digits: number[] = [];
  let low: boolean;
  let high: boolean;
  let lowDigitDifference: number; // only its sign matters
  if (Bbits < 64 && tenSbits < 64) {
    if (Bbits < 32 && tenSbits < 32) {
      // int arithmetic with Java's 32-bit wrap-around
      let b = Math.imul(fb | 0, 5 ** B5) << B2;
      const s = (5 ** S5) << S2;
      let m = (5 ** M5) << M2;
      const tens = Math.imul(s, 10);
      let q = (b / s) | 0;
      b = Math.imul(10, b % s);
      m = Math.imul(m, 10);
      low = b < m;
      high = ((b + m) | 0) > tens;
      if (q === 0 && !high) decExp--;
      else digits.push(q);
      if (decExp < -3 || decExp >= 8) high = low = false;
      while (!low && !high) {
        q = (b / s) | 0;
        b = Math.imul(10, b % s);
        m = Math.imul(m, 10);
        if (m > 0) {
          low = b < m;
          high = ((b + m) | 0) > tens;
        } else {
          low = high = true;
        }
        digits.push(q);
      }
      lowDigitDifference = ((b << 1) - tens) | 0;
    } else {
      // long arithmetic with Java's 64-bit wrap-around
      let b = asLong(asLong(BigInt(fb) * 5n ** BigInt(B5)) << BigInt(B2));
      const s = asLong(5n ** BigInt(S5) << BigInt(S2));
      let m = asLong(5n ** BigInt(M5) << BigInt(M2));
      const tens = asLong(s * 10n);
      let q = Number(b / s);
      b = asLong(10n * (b % s));
      m = asLong(m * 10n);
      low = b < m;
      high = asLong(b + m) > tens;
      if (q === 0 && !high) decExp--;
      else digits.push(q);
      if (decExp < -3 || decExp >= 8) high = low = false;
      while (!low && !high) {
        q = Number(b / s);
        b = asLong(10n * (b % s));
        m = asLong(m * 10n);
        if (m > 0n) {
          low = b < m;
          high = asLong(b + m) > tens;
        } else {
          low = high = true;
        }
        digits.push(q);
      }
      const diff = asLong((b << 1n) - tens);
      lowDigitDifference = diff === 0n ? 0 : diff > 0n ? 1 : -1;
    }
  } else {
    // FDBigInteger arithmetic: exact, and `high` uses >= where the int/long paths use >.
    const S = 5n ** BigInt(S5) << BigInt(S2);
    let B = (BigInt(fb) * 5n ** BigInt(B5)) << BigInt(B2);
    let M = 5n ** BigInt(M5 + 1) << BigInt(M2 + 1);
    const tenS = S * 10n;
    let q = Number(B / S);
    B = 10n * (B % S);
    low = B < M;
    high = B + M >= tenS;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (decExp < -3 || decExp >= 8) high = low = false;
    while (!low && !high) {
      q = Number(B / S);
      B = 10n * (B % S);
      M = M * 10n;
      low = B < M;
      high = B + M >= tenS;
      digits.push(q);
    }
    if (high && low) {
      const twiceB = B << 1n;
      lowDigitDifference = twiceB === tenS ? 0 : twiceB > tenS ? 1 : -1;
    } else {
      lowDigitDifference = 0;
    }
  }
  let decExponent = decExp + 1;
  if (high) {
    if (low) {
      if (lowDigitDifference === 0) {
        if ((digits[digits.length - 1]! & 1) !== 0) decExponent = roundup(digits, decExponent);
      } else if (lowDigitDifference > 0) {
        decExponent = roundup(digits, decExponent);
      }
    } else {
      decExponent = roundup(digits, decExponent);
    }
  }
  return { digits: digits.join(''), decExponent };
}

/** Adds one to the last digit; on a carry out of the first digit Java keeps the digit count. */
function roundup(digits: number[], decExponent: number): number {
  let i = digits.length - 1;
  let q = digits[i]!;
  if (q === 9) {
    while (q === 9 && i > 0) {
      digits[i] = 0;
      q = digits[--i]!;
    }
    if (q === 9) {
      digits[0] = 1;
      return decExponent + 1;
    }
  }
  digits[i] = q + 1;
  return decExponent;
}

function estimateDecExp(fractBits: number, binExp: number): number {
  const d2 = fractBits / TWO_52; // 1.fraction, exact
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981;
  return Math.floor(d);
}

function developLongDigits(lvalue: bigint, insignificantDigits: number): DtoaResult {
  let decExponent = 0;
  if (insignificantDigits !== 0) {
    const pow10 = 10n ** BigInt(insignificantDigits);
    const residue = lvalue % pow10;
    lvalue /= pow10;
    decExponent += insignificantDigits;
    if (residue >= pow10 >> 1n) lvalue++;
  }
  const text = lvalue.toString();
  const digits = text.replace(/0+$/, '');
  return { digits, decExponent: decExponent + text.length };
}

// ---------------------------------------------------------------------------------------------
// REST renderings of TIMESTAMP / DATE / TIME (REST-API.md section 1.3)
// ---------------------------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** Proleptic Gregorian civil date of an epoch day (Howard Hinnant's algorithm). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: month <= 2 ? y + 1 : y, month, day };
}

/** DateTimeFormatter "yyyy": year-of-era, at least 4 digits, '+' beyond 4 digits. */
function formatYearOfEra(year: number): string {
  const yoe = year <= 0 ? 1 - year : year;
  return yoe > 9999 ? '+' + yoe : pad(yoe, 4);
}

/** LocalDate.toString's ISO year: 4 digits, '+' beyond 9999, '-' before year 0. */
function formatIsoYear(year: number): string {
  if (Math.abs(year) < 10000) return (year < 0 ? '-' : '') + pad(Math.abs(year), 4);
  return (year > 0 ? '+' : '-') + Math.abs(year);
}

/** TIMESTAMP as ksqlDB's REST API writes it: `yyyy-MM-dd'T'HH:mm:ss.SSS` in UTC. */
export function formatTimestampRest(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  const msOfDay = ms - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  return `${formatYearOfEra(year)}-${pad(month, 2)}-${pad(day, 2)}T${formatClockMillis(msOfDay)}`;
}

/** DATE (days since epoch) as `yyyy-MM-dd`. */
export function formatDateRest(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${formatIsoYear(year)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** TIME (millis of day) as Java's LocalTime.toString of the whole seconds: `HH:mm[:ss]`. */
export function formatTimeRest(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return s === 0 ? `${pad(h, 2)}:${pad(m, 2)}` : `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`;
}

function formatClockMillis(msOfDay: number): string {
  const h = Math.floor(msOfDay / 3_600_000);
  const m = Math.floor((msOfDay % 3_600_000) / 60_000);
  const s = Math.floor((msOfDay % 60_000) / 1000);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(msOfDay % 1000, 3)}`;
}
