/**
 * CAST between SQL types with ksqlDB's CastEvaluator rules: which pairs are supported, and how
 * each converts a value (Java narrowing for numbers, Java text formats for strings, DecimalUtil
 * for DECIMAL, element-wise for ARRAY/MAP/STRUCT).
 */
import { KsqlError, KsqlStatementError } from '../errors.js';
import { formatSqlType, sqlTypeEquals, type SqlType } from '../types.js';
import type { Decimal } from '../values/decimal.js';
import type { Struct, Value } from '../values/value.js';
import {
  castDecimalToDecimal,
  castDoubleToDecimal,
  castIntegerToDecimal,
  castStringToDecimal,
} from './decimal-rules.js';
import { javaDoubleToString, javaToString, parseBooleanExact, parseJavaDouble, parseJavaInt, parseJavaLong } from './java-text.js';
import {
  dateToTimestamp,
  formatDateText,
  formatTimeText,
  formatTimestampText,
  parseDateText,
  parseTimeText,
  parseTimestampText,
  timestampToDate,
  timestampToTime,
} from './time-text.js';

/** Converts a non-null value; null in, null out is handled by the caller. */
export type Caster = (value: Value) => Value;

const IDENTITY: Caster = (v) => v;

/** ksqlDB's message for a CAST it does not support. */
export function unsupportedCastMessage(from: SqlType, to: SqlType): string {
  return `Cast of ${formatSqlType(from)} to ${formatSqlType(to)} is not supported`;
}

/** True when CAST(from AS to) compiles in ksqlDB. */
export function castSupported(from: SqlType, to: SqlType): boolean {
  try {
    castFunction(from, to);
    return true;
  } catch {
    return false;
  }
}

/**
 * The conversion for CAST(<from> AS <to>). Throws KsqlStatementError ("Cast of X to Y is not
 * supported") for unsupported pairs. The returned function throws on values that cannot be
 * converted (bad number text, DECIMAL overflow, ...).
 */
export function castFunction(from: SqlType, to: SqlType): Caster {
  if (from.kind === 'NULL' || sqlTypeEquals(from, to)) return IDENTITY;
  const caster = primitiveCaster(from, to) ?? structuredCaster(from, to);
  if (caster === undefined) throw new KsqlStatementError(unsupportedCastMessage(from, to));
  return caster;
}

/** CAST of one value, for modules outside the compiler (null stays null). */
export function castValue(value: Value, from: SqlType, to: SqlType): Value {
  if (value === null) return null;
  return castFunction(from, to)(value);
}

function primitiveCaster(from: SqlType, to: SqlType): Caster | undefined {
  switch (from.kind) {
    case 'BOOLEAN':
      if (to.kind === 'STRING') return (v) => (v ? 'true' : 'false');
      return undefined;
    case 'INTEGER':
      switch (to.kind) {
        case 'BIGINT':
          return (v) => BigInt(v as number);
        case 'DECIMAL':
          return (v) => castIntegerToDecimal(BigInt(v as number), to);
        case 'DOUBLE':
          return IDENTITY;
        case 'STRING':
          return (v) => String(v);
        default:
          return undefined;
      }
    case 'BIGINT':
      switch (to.kind) {
        case 'INTEGER':
          return (v) => Number(BigInt.asIntN(32, v as bigint));
        case 'DECIMAL':
          return (v) => castIntegerToDecimal(v as bigint, to);
        case 'DOUBLE':
          return (v) => Number(v as bigint);
        case 'STRING':
          return (v) => (v as bigint).toString();
        default:
          return undefined;
      }
    case 'DECIMAL':
      switch (to.kind) {
        case 'INTEGER':
          return (v) => Number(BigInt.asIntN(32, (v as Decimal).toBigInt()));
        case 'BIGINT':
          return (v) => BigInt.asIntN(64, (v as Decimal).toBigInt());
        case 'DECIMAL':
          return (v) => castDecimalToDecimal(v as Decimal, to);
        case 'DOUBLE':
          return (v) => (v as Decimal).toNumber();
        case 'STRING':
          return (v) => (v as Decimal).toString();
        default:
          return undefined;
      }
    case 'DOUBLE':
      switch (to.kind) {
        case 'INTEGER':
          return (v) => javaDoubleToInt(v as number);
        case 'BIGINT':
          return (v) => javaDoubleToLong(v as number);
        case 'DECIMAL':
          return (v) => castDoubleToDecimal(v as number, to);
        case 'STRING':
          return (v) => javaDoubleToString(v as number);
        default:
          return undefined;
      }
    case 'STRING':
      switch (to.kind) {
        case 'BOOLEAN':
          return (v) => parseBooleanExact((v as string).trim()) ?? false;
        case 'INTEGER':
          return (v) => parseJavaInt((v as string).trim());
        case 'BIGINT':
          return (v) => parseJavaLong((v as string).trim());
        case 'DECIMAL':
          return (v) => castStringToDecimal(v as string, to);
        case 'DOUBLE':
          return (v) => parseJavaDouble((v as string).trim());
        case 'TIMESTAMP':
          return (v) => parseTimestampText((v as string).trim());
        case 'TIME':
          return (v) => parseTimeText((v as string).trim());
        case 'DATE':
          return (v) => parseDateText((v as string).trim());
        case 'BYTES':
          return (v) => decodeBase64((v as string).trim());
        default:
          return undefined;
      }
    case 'TIMESTAMP':
      switch (to.kind) {
        case 'STRING':
          return (v) => formatTimestampText(v as number);
        case 'TIME':
          return (v) => timestampToTime(v as number);
        case 'DATE':
          return (v) => timestampToDate(v as number);
        default:
          return undefined;
      }
    case 'DATE':
      if (to.kind === 'TIMESTAMP') return (v) => dateToTimestamp(v as number);
      if (to.kind === 'STRING') return (v) => formatDateText(v as number);
      return undefined;
    case 'TIME':
      if (to.kind === 'STRING') return (v) => formatTimeText(v as number);
      return undefined;
    default:
      return undefined;
  }
}

function structuredCaster(from: SqlType, to: SqlType): Caster | undefined {
  if (to.kind === 'STRING' && (from.kind === 'ARRAY' || from.kind === 'MAP' || from.kind === 'STRUCT')) {
    return (v) => javaToString(v, from);
  }
  try {
    if (from.kind === 'ARRAY' && to.kind === 'ARRAY') {
      const item = nullSafe(castFunction(from.item, to.item));
      return (v) => (v as Value[]).map(item);
    }
    if (from.kind === 'MAP' && to.kind === 'MAP') {
      const key = nullSafe(castFunction(from.key, to.key));
      const val = nullSafe(castFunction(from.value, to.value));
      return (v) => {
        const out = new Map<Value, Value>();
        for (const [k, x] of v as Map<Value, Value>) out.set(key(k), val(x));
        return out;
      };
    }
    if (from.kind === 'STRUCT' && to.kind === 'STRUCT') {
      const mappers = to.fields.map((target) => {
        const source = from.fields.find((f) => f.name === target.name);
        return { name: target.name, present: source !== undefined, cast: source ? nullSafe(castFunction(source.type, target.type)) : IDENTITY };
      });
      return (v) => {
        const struct = v as Struct;
        const out: Struct = {};
        for (const m of mappers) out[m.name] = m.present ? m.cast(struct[m.name] ?? null) : null;
        return out;
      };
    }
  } catch (e) {
    // ksqlDB reports the outermost pair when an element cast is unsupported.
    if (e instanceof KsqlStatementError) throw new KsqlStatementError(unsupportedCastMessage(from, to));
    throw e;
  }
  return undefined;
}

function nullSafe(c: Caster): Caster {
  if (c === IDENTITY) return c;
  return (v) => (v === null ? null : c(v));
}

/** Java's (int) of a double: truncation, NaN → 0, saturating at the int range. */
export function javaDoubleToInt(d: number): number {
  if (d !== d) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d) | 0;
}

/** Java's (long) of a double: truncation, NaN → 0, saturating at the long range. */
export function javaDoubleToLong(d: number): bigint {
  if (d !== d) return 0n;
  // 2^63 is the first double above Long.MAX_VALUE.
  if (d >= 2 ** 63) return 9223372036854775807n;
  if (d <= -(2 ** 63)) return -9223372036854775808n;
  return BigInt(Math.trunc(d));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string): Buffer {
  if (!BASE64.test(text) || text.length % 4 === 1) throw new KsqlError(`Illegal base64 character in '${text}'`);
  return Buffer.from(text, 'base64');
}

