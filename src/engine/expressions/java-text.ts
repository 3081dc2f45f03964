/**
 * Java's text conversions that CAST and implicit coercion rely on: Integer.parseInt,
 * Long.parseLong, Double.parseDouble (as ksqlDB's SqlDoubles restricts it), ksqlDB's boolean
 * words, and the `toString()` of lists, maps and Connect structs that
 * CAST(... AS STRING) produces.
 */
import type { Decimal } from '../values/decimal.js';
import { javaCollectionToString } from '../values/java-collection-text.js';
import { javaDoubleToString } from '../values/java-format.js';
import type { Value } from '../values/value.js';
import type { SqlType } from '../types.js';
import { formatDateText, formatTimeText, formatTimestampText } from './time-text.js';

/** Java's NumberFormatException message shape: `For input string: "x"`. */
export class NumberFormatError extends Error {
  constructor(text: string) {
    super(`For input string: "${text}"`);
    this.name = 'NumberFormatException';
  }
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/** Integer.parseInt: optional sign and decimal digits, within 32 bits. */
export function parseJavaInt(text: string): number {
  if (!INTEGER_TEXT.test(text)) throw new NumberFormatError(text);
  const v = Number(text);
  if (v < -2147483648 || v > 2147483647) throw new NumberFormatError(text);
  return v;
}

/** Long.parseLong: optional sign and decimal digits, within 64 bits. */
export function parseJavaLong(text: string): bigint {
  if (!INTEGER_TEXT.test(text)) throw new NumberFormatError(text);
  const v = BigInt(text);
  if (v !== BigInt.asIntN(64, v)) throw new NumberFormatError(text);
  return v;
}

const DOUBLE_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/;

/** SqlDoubles.parseDouble: Double.parseDouble without NaN and Infinity. */
export function parseJavaDouble(text: string): number {
  const trimmed = text.trim();
  if (!DOUBLE_TEXT.test(trimmed)) throw new NumberFormatError(text);
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

/**
 * SqlBooleans.parseBooleanExact: any case-insensitive prefix of 'true'/'yes' is true and of
 * 'false'/'no' is false; anything else (including '') is not a boolean.
 */
export function parseBooleanExact(text: string): boolean | undefined {
  if (text.length === 0) return undefined;
  const lower = text.toLowerCase();
  if ('true'.startsWith(lower) || 'yes'.startsWith(lower)) return true;
  if ('false'.startsWith(lower) || 'no'.startsWith(lower)) return false;
  return undefined;
}

/**
 * The Java `toString()` of a value as ksqlDB's CAST(x AS STRING) produces it for the given type:
 * lists as `[a, b]`, maps as `{k=v}`, Connect structs as `Struct{F=v,...}` (null fields omitted).
 */
export function javaToString(value: Value, type: SqlType): string {
  if (value === null) return 'null';
  switch (type.kind) {
    case 'BOOLEAN':
      return value ? 'true' : 'false';
    case 'INTEGER':
    case 'BIGINT':
      return String(value);
    case 'DOUBLE':
      return javaDoubleToString(value as number);
    case 'DECIMAL':
      return (value as Decimal).toString();
    case 'STRING':
      return value as string;
    case 'BYTES': {
      const len = (value as Buffer).length;
      return `java.nio.HeapByteBuffer[pos=0 lim=${len} cap=${len}]`;
    }
    case 'TIMESTAMP':
      return formatTimestampText(value as number);
    case 'DATE':
      return formatDateText(value as number);
    case 'TIME':
      return formatTimeText(value as number);
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return javaCollectionToString(value, type, javaToString);
    case 'NULL':
      return 'null';
  }
}

export { javaDoubleToString };
