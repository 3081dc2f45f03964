/**
 * Actual record contents as ksqlDB's harness sees them after deserializing: Jackson / Kafka
 * serde objects (Integer, Long, BigInteger, Double, BigDecimal, String, Boolean, List, Map).
 * The comparator's rules depend on these Java classes, so they are kept apart here.
 */
import { isLosslessNumber } from 'lossless-json';
import type { JsonNode } from './qtt-model.js';

/** java.math.BigDecimal: scale may be negative (`1.0E7` is 10 with scale -6). */
export interface JavaDecimal {
  readonly t: 'decimal';
  readonly unscaled: bigint;
  readonly scale: number;
}

export type JavaNumber =
  | { readonly t: 'int'; readonly v: number }
  | { readonly t: 'long'; readonly v: bigint }
  | { readonly t: 'biginteger'; readonly v: bigint }
  | { readonly t: 'double'; readonly v: number }
  | JavaDecimal;

export interface JavaMap {
  readonly t: 'map';
  readonly entries: ReadonlyMap<string, JavaValue>;
}

export type JavaValue = null | boolean | string | JavaNumber | JavaMap | readonly JavaValue[];

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

export function javaInt(v: number): JavaNumber {
  return { t: 'int', v };
}

export function javaLong(v: bigint): JavaNumber {
  return { t: 'long', v };
}

export function isJavaNumber(v: JavaValue): v is JavaNumber {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { t: string }).t !== 'map';
}

export function isJavaMap(v: JavaValue): v is JavaMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { t: string }).t === 'map';
}

/** new BigDecimal(text): keeps the scale as written. */
export function parseJavaDecimal(text: string): JavaDecimal {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) throw new RangeError(`Invalid decimal: ${text}`);
  const frac = m[3] ?? '';
  const digits = (m[2] ?? '') + frac;
  const unscaled = BigInt(digits === '' ? '0' : digits) * (m[1] === '-' ? -1n : 1n);
  return { t: 'decimal', unscaled, scale: frac.length - Number(m[4] ?? '0') };
}

/** Jackson's number node class for a JSON number token. */
export function javaNumberFromJsonText(text: string): JavaNumber {
  if (/[.eE]/.test(text)) return parseJavaDecimal(text);
  const v = BigInt(text);
  if (v >= INT_MIN && v <= INT_MAX) return { t: 'int', v: Number(v) };
  if (v >= LONG_MIN && v <= LONG_MAX) return { t: 'long', v };
  return { t: 'biginteger', v };
}

/** A Jackson-parsed tree (USE_BIG_DECIMAL_FOR_FLOATS) from a lossless-json tree. */
export function javaValueFromJson(node: JsonNode): JavaValue {
  if (node === null || node === undefined) return null;
  if (isLosslessNumber(node)) return javaNumberFromJsonText(node.value);
  if (typeof node === 'number') return javaNumberFromJsonText(String(node));
  if (typeof node === 'string' || typeof node === 'boolean') return node;
  if (Array.isArray(node)) return node.map(javaValueFromJson);
  if (typeof node === 'object') {
    return {
      t: 'map',
      entries: new Map(Object.entries(node as Record<string, JsonNode>).map(([k, v]) => [k, javaValueFromJson(v)])),
    };
  }
  return String(node);
}

/**
 * Java's Double.toString: a fraction digit always, scientific notation below 1e-3 and from 1e7.
 * Digits are JS's shortest round-trip digits (Java 19+ agrees; Java 8/11 sometimes printed more).
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  let [mantissa, expText] = abs.toExponential().split('e') as [string, string];
  if (!mantissa.includes('.')) {
    // Java picks the closest of the 1- and 2-digit decimals that round-trip (4.9E-324, not 5.0E-324).
    const [twoDigits, twoExp] = abs.toExponential(1).split('e') as [string, string];
    if (Number(`${twoDigits}e${twoExp}`) === abs) [mantissa, expText] = [twoDigits.replace(/\.0$/, ''), twoExp];
  }
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1) || '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const frac = digits.slice(1) || '0';
  return `${sign}${digits[0]}.${frac}E${exp}`;
}

/** BigDecimal.valueOf(double), as the harness's KAFKA-format DOUBLE deserializer returns. */
export function javaDecimalFromDouble(d: number): JavaDecimal {
  if (!Number.isFinite(d)) throw new RangeError(`Character ${javaDoubleToString(d)} is neither a decimal digit number`);
  return parseJavaDecimal(javaDoubleToString(d));
}

/** Kafka's LongDeserializer as wrapped by the harness: small values come back as Integer. */
export function javaNumberFromKafkaLong(v: bigint): JavaNumber {
  if (v > INT_MIN && v < INT_MAX) return { t: 'int', v: Number(v) };
  return { t: 'long', v };
}

export function formatJavaDecimal(d: JavaDecimal): string {
  const neg = d.unscaled < 0n;
  const digits = (neg ? -d.unscaled : d.unscaled).toString();
  if (d.scale <= 0) return (neg ? '-' : '') + digits + (d.scale < 0 ? `E+${-d.scale}` : '');
  const padded = digits.padStart(d.scale + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, padded.length - d.scale)}.${padded.slice(padded.length - d.scale)}`;
}

/** Text for failure messages, close to how the harness prints records. */
export function renderJavaValue(v: JavaValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(renderJavaValue).join(', ')}]`;
  if (isJavaMap(v)) return `{${[...v.entries].map(([k, x]) => `${JSON.stringify(k)}: ${renderJavaValue(x)}`).join(', ')}}`;
  const n = v as JavaNumber;
  switch (n.t) {
    case 'int':
    case 'double':
      return n.t === 'double' ? javaDoubleToString(n.v) : String(n.v);
    case 'long':
    case 'biginteger':
      return n.v.toString();
    case 'decimal':
      return formatJavaDecimal(n);
  }
}
