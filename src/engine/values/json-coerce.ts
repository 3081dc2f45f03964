/**
 * Parsed JSON to SQL values, following ksqlDB's KsqlJsonDeserializer / JsonSerdeUtils: which
 * JSON values each column type accepts (numeric strings into numeric columns, anything into
 * STRING, base64 into BYTES, exact DECIMAL fitting), case-insensitive struct fields, and the
 * error messages with their JSON path (`..., path: $.COL[0]`).
 */
import { LosslessNumber, isLosslessNumber } from 'lossless-json';
import { SerdeError } from '../errors.js';
import { formatSqlType, type SqlType } from '../types.js';
import { Decimal } from './decimal.js';
import { javaDoubleToString } from './java-format.js';
import { NEED_EXACT_NUMBERS, numbersMustBeExact, stringifyParsedJson } from './json-parse.js';
import type { Struct, Value } from './value.js';

/**
 * A coercion failure, with the JSON path built while the error unwinds (like ksqlDB's
 * CoercionException): message `<reason>, path: $.FIELD[0]`.
 */
export class JsonCoercionError extends SerdeError {
  readonly reason: string;
  readonly path: string;
  constructor(reason: string, path: string, cause?: unknown) {
    super(`${reason}, path: ${path}`, cause);
    this.name = 'JsonCoercionError';
    this.reason = reason;
    this.path = path;
  }
}

/** Internal: thrown by leaf coercions, turned into JsonCoercionError with a path by callers. */
class CoercionFailure extends Error {
  constructor(
    message: string,
    readonly path = '',
  ) {
    super(message);
  }
}

export type JsonCoercer = (json: unknown) => Value;

/** Jackson's node class name of a parsed JSON value, as ksqlDB's messages show it. */
function jacksonNodeName(json: unknown): string {
  if (typeof json === 'string') return 'TextNode';
  if (typeof json === 'boolean') return 'BooleanNode';
  if (Array.isArray(json)) return 'ArrayNode';
  if (typeof json === 'number') {
    if (!Number.isInteger(json)) return 'DecimalNode';
    if (json >= -2147483648 && json <= 2147483647) return 'IntNode';
    return Math.abs(json) < 2 ** 63 ? 'LongNode' : 'BigIntegerNode';
  }
  if (isLosslessNumber(json)) {
    const text = json.value;
    if (!isIntegerLiteral(text)) return 'DecimalNode';
    const n = BigInt(text);
    if (n >= -2147483648n && n <= 2147483647n) return 'IntNode';
    return n >= -(2n ** 63n) && n < 2n ** 63n ? 'LongNode' : 'BigIntegerNode';
  }
  if (typeof json === 'object' && json !== null) return 'ObjectNode';
  return 'NullNode';
}

function invalidConversion(json: unknown, requiredType: string): CoercionFailure {
  // The message names Jackson's node class (IntNode vs DecimalNode), which needs the literal.
  if (typeof json === 'number' && numbersMustBeExact()) throw NEED_EXACT_NUMBERS;
  return new CoercionFailure(`Can't convert type. sourceType: ${jacksonNodeName(json)}, requiredType: ${requiredType}`);
}

function failedStringCoercion(targetType: string): CoercionFailure {
  return new CoercionFailure(`Can't coerce string to type. targetType: ${targetType}`);
}

function isIntegerLiteral(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 101 || c === 69) return false; // . e E
  }
  return true;
}

const JAVA_INTEGER_TEXT = /^[+-]?\d+$/;

/** Java's Integer.parseInt / Long.parseLong: optional sign, digits only, range-checked. */
function parseJavaIntegral(text: string, bits: 32 | 64, targetType: string): bigint {
  if (!JAVA_INTEGER_TEXT.test(text)) throw failedStringCoercion(targetType);
  const n = BigInt(text);
  if (BigInt.asIntN(bits, n) !== n) throw failedStringCoercion(targetType);
  return n;
}

const JAVA_DOUBLE_TEXT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;

/** Java's Double.parseDouble for decimal text (leading/trailing whitespace trimmed). */
export function parseJavaDouble(text: string): number | undefined {
  // eslint-disable-next-line no-control-regex
  const trimmed = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const m = JAVA_DOUBLE_TEXT.exec(trimmed);
  if (!m) return undefined;
  const negative = trimmed.charCodeAt(0) === 45;
  if (m[1] === 'NaN') return NaN;
  if (m[1] === 'Infinity') return negative ? -Infinity : Infinity;
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

/** Exact integral value of a JSON number truncated toward zero (BigDecimal.toBigInteger). */
function jsonNumberToBigInt(json: number | LosslessNumber): bigint {
  if (typeof json === 'number') return BigInt(Math.trunc(json));
  const text = json.value;
  return isIntegerLiteral(text) ? BigInt(text) : Decimal.parse(text).toBigInt();
}

function checkPlainNumber(json: number): void {
  if (numbersMustBeExact() && !Number.isSafeInteger(json)) throw NEED_EXACT_NUMBERS;
}

function toInteger(json: unknown): number {
  if (typeof json === 'number') {
    checkPlainNumber(json);
    return Number.isInteger(json) ? json | 0 : Math.trunc(json) | 0;
  }
  if (isLosslessNumber(json)) return Number(BigInt.asIntN(32, jsonNumberToBigInt(json)));
  if (typeof json === 'string') return Number(parseJavaIntegral(json, 32, 'INTEGER'));
  throw invalidConversion(json, 'INTEGER');
}

function toLong(json: unknown, targetType: string): bigint {
  if (typeof json === 'number') {
    if (Number.isSafeInteger(json)) return BigInt(json);
    checkPlainNumber(json);
    return BigInt.asIntN(64, jsonNumberToBigInt(json));
  }
  if (isLosslessNumber(json)) return BigInt.asIntN(64, jsonNumberToBigInt(json));
  if (typeof json === 'string') return parseJavaIntegral(json, 64, targetType);
  throw invalidConversion(json, targetType);
}

function toTimestamp(json: unknown): number {
  return Number(toLong(json, 'TIMESTAMP'));
}

function toDateOrTime(json: unknown, targetType: 'DATE' | 'TIME'): number {
  if (typeof json === 'number') {
    checkPlainNumber(json);
    return Number.isInteger(json) ? json | 0 : Math.trunc(json) | 0;
  }
  if (isLosslessNumber(json)) return Number(BigInt.asIntN(32, jsonNumberToBigInt(json)));
  if (typeof json === 'string') return Number(parseJavaIntegral(json, 32, targetType));
  throw invalidConversion(json, targetType);
}

function toDouble(json: unknown): number {
  if (typeof json === 'number') return json;
  if (isLosslessNumber(json)) return Number(json.value);
  if (typeof json === 'string') {
    const d = parseJavaDouble(json);
    if (d === undefined) throw failedStringCoercion('DOUBLE');
    return d;
  }
  throw invalidConversion(json, 'DOUBLE');
}

function toBoolean(json: unknown): boolean {
  if (typeof json === 'boolean') return json;
  throw invalidConversion(json, 'BOOLEAN');
}

/** BigDecimal.toString(): plain unless the exponent is positive or the value is tiny. */
export function bigDecimalToString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  const adjusted = -scale + (digits.length - 1);
  let body: string;
  if (scale >= 0 && adjusted >= -6) {
    body = new Decimal(negative ? -unscaled : unscaled, scale).toString();
  } else {
    body = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    if (adjusted !== 0) body += 'E' + (adjusted > 0 ? '+' : '') + adjusted;
  }
  return (negative ? '-' : '') + body;
}

/** JsonNode.asText() of a number: integers as digits, floats as BigDecimal.toString(). */
function numberAsText(json: number | LosslessNumber): string {
  if (typeof json === 'number') {
    return Number.isInteger(json) && Math.abs(json) < 1e21 ? String(json) : javaDoubleToString(json);
  }
  const text = json.value;
  if (isIntegerLiteral(text)) return BigInt(text).toString();
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const fraction = m[3] ?? '';
  const unscaled = BigInt((m[1] ?? '') + ((m[2] ?? '') + fraction || '0'));
  return bigDecimalToString(unscaled, fraction.length - (m[4] === undefined ? 0 : Number(m[4])));
}

function processString(json: unknown): string {
  if (typeof json === 'string') return json;
  if (typeof json === 'number') {
    checkPlainNumber(json);
    return numberAsText(json);
  }
  if (isLosslessNumber(json)) return numberAsText(json);
  if (typeof json === 'boolean') return json ? 'true' : 'false';
  // Nested numbers keep their literal text in ksqlDB's rendering of objects and arrays.
  if (numbersMustBeExact()) throw NEED_EXACT_NUMBERS;
  if (Array.isArray(json)) {
    // ksqlDB coerces each element to STRING and joins them like List.toString().
    return '[' + json.map((e) => (e === null ? 'null' : processString(e))).join(', ') + ']';
  }
  return stringifyParsedJson(json);
}

const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

function toBytes(json: unknown, type: SqlType): Buffer {
  if (typeof json === 'string') {
    // Jackson's default Base64 variant (MIME-NO-LINEFEEDS) requires the '=' padding.
    if (!BASE64_TEXT.test(json) || json.length % 4 !== 0) {
      throw new CoercionFailure(`Value is not a valid Base64 encoded string: ${json}`);
    }
    return Buffer.from(json, 'base64');
  }
  throw invalidConversion(json, formatSqlType(type));
}

/**
 * DecimalUtil.ensureFit: the value must have at most precision - scale integer digits and no
 * more than `scale` fraction digits (no rounding), and comes back at exactly `scale`.
 */
export function ensureDecimalFits(value: Decimal, precision: number, scale: number): Decimal {
  const integerDigits = precision - scale;
  const limit = new Decimal(10n ** BigInt(integerDigits), 0);
  if (value.abs().compareTo(limit) >= 0) {
    throw new CoercionFailure(
      `Numeric field overflow: A field with precision ${precision} and scale ${scale} must round to an absolute value less than 10^${integerDigits}. Got ${value.toString()}`,
    );
  }
  if (value.scale > scale) {
    const rescaled = value.setScale(scale, 'DOWN');
    if (!rescaled.equals(value)) {
      throw new CoercionFailure(
        `Cannot fit decimal '${value.toString()}' into DECIMAL(${precision}, ${scale}) without rounding. (Requires ${value.precision},${value.scale})`,
      );
    }
    return rescaled;
  }
  return value.setScale(scale);
}

function toDecimal(json: unknown, precision: number, scale: number): Decimal {
  let d: Decimal;
  if (typeof json === 'number') d = Decimal.fromNumber(json);
  else if (isLosslessNumber(json)) d = Decimal.parse(json.value);
  else if (typeof json === 'string') {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(json)) {
      throw new CoercionFailure(`Character array is missing "exponent" mark 'e' or 'E'.`);
    }
    d = Decimal.parse(json);
  } else throw invalidConversion(json, `DECIMAL(${precision}, ${scale})`);
  return ensureDecimalFits(d, precision, scale);
}

/** Object own-property lookup that ignores inherited members (`toString`, ...). */
function ownField(obj: Record<string, unknown>, name: string): unknown {
  const v = obj[name];
  if (v === undefined || (typeof v === 'function' && !Object.hasOwn(obj, name))) return undefined;
  return v;
}

function isJsonObject(json: unknown): json is Record<string, unknown> {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && !isLosslessNumber(json);
}

function withPath(err: unknown, part: string): never {
  if (err === NEED_EXACT_NUMBERS) throw err;
  if (err instanceof CoercionFailure) throw new CoercionFailure(err.message, part + err.path);
  throw new CoercionFailure(err instanceof Error ? err.message : String(err), part);
}

/**
 * Builds a coercer from parsed JSON to a SQL value of `type`, applying ksqlDB's rules. Errors
 * are thrown as internal failures; use `coerceJsonValue` or `compileRootCoercer` to get
 * SerdeErrors with a path.
 */
function compileCoercer(type: SqlType): JsonCoercer {
  switch (type.kind) {
    case 'BOOLEAN':
      return (j) => (j === null ? null : toBoolean(j));
    case 'INTEGER':
      return (j) => (j === null ? null : toInteger(j));
    case 'BIGINT':
      return (j) => (j === null ? null : toLong(j, 'BIGINT'));
    case 'DOUBLE':
      return (j) => (j === null ? null : toDouble(j));
    case 'STRING':
      return (j) => (j === null ? null : processString(j));
    case 'TIMESTAMP':
      return (j) => (j === null ? null : toTimestamp(j));
    case 'DATE':
      return (j) => (j === null ? null : toDateOrTime(j, 'DATE'));
    case 'TIME':
      return (j) => (j === null ? null : toDateOrTime(j, 'TIME'));
    case 'BYTES':
      return (j) => (j === null ? null : toBytes(j, type));
    case 'DECIMAL': {
      const { precision, scale } = type;
      return (j) => (j === null ? null : toDecimal(j, precision, scale));
    }
    case 'NULL':
      return () => null;
    case 'ARRAY': {
      const item = compileCoercer(type.item);
      return (j) => {
        if (j === null) return null;
        if (!Array.isArray(j)) throw invalidConversion(j, formatSqlType(type));
        const out: Value[] = new Array(j.length);
        for (let i = 0; i < j.length; i++) {
          try {
            out[i] = item(j[i]);
          } catch (e) {
            withPath(e, `[${i}]`);
          }
        }
        return out;
      };
    }
    case 'MAP': {
      const key = compileCoercer(type.key);
      const value = compileCoercer(type.value);
      return (j) => {
        if (j === null) return null;
        if (!isJsonObject(j)) throw invalidConversion(j, formatSqlType(type));
        const out = new Map<Value, Value>();
        for (const k of Object.keys(j)) {
          let kv: Value;
          try {
            kv = key(k);
          } catch (e) {
            withPath(e, `.${k}.key`);
          }
          try {
            out.set(kv, value(j[k]));
          } catch (e) {
            withPath(e, `.${k}.value`);
          }
        }
        return out;
      };
    }
    case 'STRUCT':
      return compileStructCoercer(type.fields, formatSqlType(type));
  }
}

function compileStructCoercer(fields: readonly { name: string; type: SqlType }[], typeText: string): JsonCoercer {
  const names = fields.map((f) => f.name);
  const coercers = fields.map((f) => compileCoercer(f.type));
  return (j) => {
    if (j === null) return null;
    if (!isJsonObject(j)) throw invalidConversion(j, typeText);
    const out: Struct = {};
    const fieldOf = fieldReader(j);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const fieldValue = fieldOf(name);
      try {
        out[name] = coercers[i]!(fieldValue);
      } catch (e) {
        withPath(e, `.${name}`);
      }
    }
    return out;
  };
}

/**
 * Reads the fields of a JSON object by column name: the exact key first, else the upper-cased
 * key (ksqlDB matches unquoted, upper-cased column names case-insensitively); null when missing.
 */
function fieldReader(obj: Record<string, unknown>): (name: string) => unknown {
  let upper: Map<string, unknown> | undefined;
  return (name) => {
    let fieldValue = ownField(obj, name);
    if (fieldValue === undefined) {
      upper ??= upperCaseKeys(obj);
      fieldValue = upper.get(name);
    }
    return fieldValue === undefined ? null : fieldValue;
  };
}

function upperCaseKeys(obj: Record<string, unknown>): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const k of Object.keys(obj)) m.set(k.toUpperCase(), obj[k]);
  return m;
}

/**
 * A coercer for a whole JSON document (path `$`): failures become SerdeErrors whose message
 * is ksqlDB's, e.g. `Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: $.B`.
 */
export function compileJsonCoercer(type: SqlType): JsonCoercer {
  const inner = compileCoercer(type);
  return (j) => {
    try {
      return inner(j === undefined ? null : j);
    } catch (e) {
      throw toCoercionError(e);
    }
  };
}

function toCoercionError(e: unknown): Error {
  if (e === NEED_EXACT_NUMBERS) return NEED_EXACT_NUMBERS;
  if (e instanceof CoercionFailure) return new JsonCoercionError(e.message, '$' + e.path, e);
  return new JsonCoercionError(e instanceof Error ? e.message : String(e), '$', e);
}

/**
 * Coerces already-parsed JSON to a SQL value of `type` (used by REST /inserts-stream and by
 * the serdes); throws SerdeError on values ksqlDB would refuse. Numbers may be JS numbers,
 * bigints or lossless-json LosslessNumbers.
 */
export function coerceJsonValue(json: unknown, type: SqlType): Value {
  if (typeof json === 'bigint') json = new LosslessNumber(json.toString());
  let coercer = coercerCache.get(type);
  if (coercer === undefined) {
    coercer = compileJsonCoercer(type);
    coercerCache.set(type, coercer);
  }
  return coercer(json);
}

const coercerCache = new WeakMap<SqlType, JsonCoercer>();

/**
 * Coerces the fields of a JSON object to the given columns (a row), matching names like
 * ksqlDB (exact key first, then upper-cased keys); missing fields are null. A non-object
 * document fails like ksqlDB's top-level STRUCT coercion.
 */
export function compileJsonRowCoercer(columns: readonly { name: string; type: SqlType }[]): (json: unknown) => Value[] {
  const names = columns.map((c) => c.name);
  const coercers = columns.map((c) => compileCoercer(c.type));
  const typeText = formatSqlType({ kind: 'STRUCT', fields: columns });
  const n = names.length;
  return (j) => {
    if (!isJsonObject(j)) throw toCoercionError(invalidConversion(j, typeText));
    const out: Value[] = new Array(n);
    const fieldOf = fieldReader(j);
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      const fieldValue = fieldOf(name);
      try {
        out[i] = coercers[i]!(fieldValue);
      } catch (e) {
        if (e === NEED_EXACT_NUMBERS) throw e;
        throw toCoercionError(new CoercionFailure(e instanceof Error ? e.message : String(e), `.${name}${e instanceof CoercionFailure ? e.path : ''}`));
      }
    }
    return out;
  };
}
