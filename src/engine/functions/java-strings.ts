/**
 * Java's string forms of values where functions turn values into text (ARRAY_JOIN, CONCAT of
 * non-strings, ...): Double.toString, List/Map toString.
 */
import type { SqlType } from '../types.js';
import { Decimal } from '../values/decimal.js';
import { javaCollectionToString } from '../values/java-collection-text.js';
import { javaDoubleToString } from '../values/java-format.js';
import type { Value } from '../values/value.js';

export function javaToString(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 && !Object.is(v, -0) ? String(v) : javaDoubleToString(v);
  if (typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string') return String(v);
  if (v instanceof Decimal) return v.toString();
  if (Buffer.isBuffer(v)) return `java.nio.HeapByteBuffer[pos=0 lim=${v.length} cap=${v.length}]`;
  if (Array.isArray(v)) return '[' + v.map(javaToString).join(', ') + ']';
  if (v instanceof Map) return '{' + [...v].map(([k, x]) => `${javaToString(k)}=${javaToString(x)}`).join(', ') + '}';
  return 'Struct{' + Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => `${k}=${javaToString(x)}`).join(',') + '}';
}

/** BigDecimal.toString: plain unless the adjusted exponent is below -6, then scientific. */
export function javaDecimalToString(d: Decimal): string {
  const digits = (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString();
  const adjusted = -d.scale + (digits.length - 1);
  if (d.scale >= 0 && adjusted >= -6) return d.toString();
  const sign = d.unscaled < 0n ? '-' : '';
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** Java's toString of a value whose SQL type is known (List, Map and Connect Struct forms). */
export function javaToStringTyped(v: Value, type: SqlType): string {
  if (v === null) return 'null';
  switch (type.kind) {
    case 'DOUBLE':
      return javaDoubleToString(v as number);
    case 'DECIMAL':
      return javaDecimalToString(v as Decimal);
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return javaCollectionToString(v, type, javaToStringTyped);
    default:
      return javaToString(v);
  }
}
