/**
 * Implicit type coercion as ksqlDB's DefaultSqlValueCoercer (STRICT for expressions, LAX for
 * literals) and CoercionUtil (a common type for user lists: IN, ARRAY[...], MAP(...)).
 */
import { KsqlError, KsqlStatementError } from '../errors.js';
import { formatExpression } from '../parser/format.js';
import type { Expression } from '../parser/ast.js';
import { formatSqlType, isNumericType, SqlTypes, sqlTypeEquals, type SqlType, type StructField } from '../types.js';
import { Decimal } from '../values/decimal.js';
import type { Struct, Value } from '../values/value.js';
import { castFunction } from './cast.js';
import { decimalFits, decimalType, decimalTypeOfValue, ensureDecimalFit, parseJavaBigDecimal, widenDecimal } from './decimal-rules.js';
import { javaDoubleToString, javaToString, parseBooleanExact, parseJavaDouble, parseJavaInt, parseJavaLong } from './java-text.js';
import { parseDateText, parseTimeText, parseTimestampText } from './time-text.js';

export type CoercionMode = 'STRICT' | 'LAX';

const NUMERIC_RANK: Record<string, number> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

/**
 * DefaultSqlValueCoercer.canCoerce: the type a value of `from` becomes when coerced towards
 * `to` (DECIMAL targets widen), or undefined when not allowed.
 */
export function canCoerce(from: SqlType, to: SqlType, mode: CoercionMode = 'STRICT'): SqlType | undefined {
  if (from.kind === 'NULL') return to;
  if (isNumericType(from) && isNumericType(to)) {
    if (NUMERIC_RANK[from.kind]! > NUMERIC_RANK[to.kind]!) return undefined;
    if (to.kind === 'DECIMAL') return decimalType(widenDecimal(from, to));
    return to;
  }
  if (from.kind === to.kind) {
    switch (from.kind) {
      case 'ARRAY': {
        const item = canCoerce(from.item, (to as typeof from).item, mode);
        return item && SqlTypes.array(item);
      }
      case 'MAP': {
        const m = to as typeof from;
        const key = canCoerce(from.key, m.key, mode);
        const value = key && canCoerce(from.value, m.value, mode);
        return key && value && SqlTypes.map(key, value);
      }
      case 'STRUCT':
        return coerceStructTypes(from.fields, (to as typeof from).fields, (a, b) => canCoerce(a, b, mode));
      default:
        return to;
    }
  }
  if (from.kind === 'STRING' && (to.kind === 'TIMESTAMP' || to.kind === 'TIME' || to.kind === 'DATE' || to.kind === 'BYTES')) return to;
  if (mode === 'LAX') {
    if (to.kind === 'STRING' && from.kind !== 'BYTES' && from.kind !== 'ARRAY' && from.kind !== 'MAP' && from.kind !== 'STRUCT') return to;
    if (from.kind === 'STRING' && (to.kind === 'BOOLEAN' || isNumericType(to))) return to;
  }
  return undefined;
}

function coerceStructTypes(
  from: readonly StructField[],
  to: readonly StructField[],
  common: (a: SqlType, b: SqlType) => SqlType | undefined,
): SqlType | undefined {
  const names = [...new Set([...from.map((f) => f.name), ...to.map((f) => f.name)])];
  const fields: StructField[] = [];
  for (const name of names) {
    const f = from.find((x) => x.name === name);
    const t = to.find((x) => x.name === name);
    let type: SqlType | undefined;
    if (!f) type = t!.type;
    else if (!t) type = f.type;
    else type = common(f.type, t.type);
    if (type === undefined) return undefined;
    fields.push({ name, type });
  }
  return SqlTypes.struct(fields);
}

/** True when values of `from` may be stored where `to` is expected without an explicit CAST. */
export function implicitCastAllowed(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'NULL' || sqlTypeEquals(from, to)) return true;
  if (from.kind === 'DECIMAL' && to.kind === 'DECIMAL') return decimalFits(from, to);
  if (isNumericType(from) && isNumericType(to)) return NUMERIC_RANK[from.kind]! <= NUMERIC_RANK[to.kind]!;
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return implicitCastAllowed(from.item, to.item);
  if (from.kind === 'MAP' && to.kind === 'MAP') return implicitCastAllowed(from.key, to.key) && implicitCastAllowed(from.value, to.value);
  if (from.kind === 'STRUCT' && to.kind === 'STRUCT') {
    return from.fields.every((f) => {
      const t = to.fields.find((x) => x.name === f.name);
      return t === undefined || implicitCastAllowed(f.type, t.type);
    });
  }
  return false;
}

export type CoercionResult = { ok: true; value: Value } | { ok: false };

const FAIL: CoercionResult = { ok: false };

/**
 * DefaultSqlValueCoercer.coerce: converts `value` (of type `from`) to `to`, exactly (DECIMAL
 * must fit without rounding, BIGINT must not narrow). LAX also converts between strings and
 * numbers/booleans/times, as ksqlDB does for literals and INSERT VALUES.
 */
export function coerceValue(value: Value, from: SqlType, to: SqlType, mode: CoercionMode = 'LAX'): CoercionResult {
  if (value === null) return { ok: true, value: null };
  if (canCoerce(from, to, mode) === undefined) return FAIL;
  try {
    return { ok: true, value: coerceNonNull(value, from, to, mode) };
  } catch {
    return FAIL;
  }
}

function coerceNonNull(value: Value, from: SqlType, to: SqlType, mode: CoercionMode): Value {
  if (value === null) return null;
  if (sqlTypeEquals(from, to)) return value;
  switch (to.kind) {
    case 'STRING':
      switch (from.kind) {
        case 'BOOLEAN':
        case 'INTEGER':
        case 'BIGINT':
        case 'DECIMAL':
        case 'DOUBLE':
        case 'TIMESTAMP':
        case 'TIME':
        case 'DATE':
          // The text CAST(x AS STRING) gives.
          return javaToString(value, from);
        default:
          throw new KsqlError('not coercible');
      }
    case 'BOOLEAN': {
      const b = parseBooleanExact((value as string).trim());
      if (b === undefined) throw new KsqlError('not a boolean');
      return b;
    }
    case 'INTEGER':
      return parseJavaInt((value as string).trim());
    case 'BIGINT':
      return from.kind === 'INTEGER' ? BigInt(value as number) : parseJavaLong((value as string).trim());
    case 'DOUBLE':
      if (from.kind === 'STRING') return parseJavaDouble(value as string);
      return castFunction(from, to)(value);
    case 'DECIMAL': {
      const d =
        from.kind === 'DECIMAL'
          ? (value as Decimal)
          : from.kind === 'STRING'
            ? parseJavaBigDecimal((value as string).trim())
            : from.kind === 'DOUBLE'
              ? Decimal.parse(javaDoubleToString(value as number))
              : new Decimal(BigInt(value as number | bigint), 0);
      return ensureDecimalFit(d, to);
    }
    case 'TIMESTAMP':
      return parseTimestampText((value as string).trim());
    case 'TIME':
      return parseTimeText((value as string).trim());
    case 'DATE':
      return parseDateText((value as string).trim());
    case 'BYTES':
      return castFunction(from, to)(value);
    case 'ARRAY': {
      const item = (from as typeof to).item;
      return (value as Value[]).map((v) => coerceNonNull(v, item, to.item, mode));
    }
    case 'MAP': {
      const m = from as typeof to;
      const out = new Map<Value, Value>();
      for (const [k, v] of value as Map<Value, Value>) out.set(coerceNonNull(k, m.key, to.key, mode), coerceNonNull(v, m.value, to.value, mode));
      return out;
    }
    case 'STRUCT': {
      const s = from as typeof to;
      const struct = value as Struct;
      const out: Struct = {};
      for (const f of to.fields) {
        const source = s.fields.find((x) => x.name === f.name);
        out[f.name] = source ? coerceNonNull(struct[f.name] ?? null, source.type, f.type, mode) : null;
      }
      return out;
    }
    default:
      throw new KsqlError('not coercible');
  }
}

// ---------------------------------------------------------------------------------------------
// User lists (CoercionUtil.coerceUserList)
// ---------------------------------------------------------------------------------------------

/** How one list element reaches the common type. */
export type ElementConversion =
  | { readonly kind: 'asIs' }
  | { readonly kind: 'literal'; readonly value: Value }
  | { readonly kind: 'cast'; readonly to: SqlType };

export interface UserListCoercion {
  /** Undefined when the list is empty or holds only NULL literals. */
  readonly commonType: SqlType | undefined;
  readonly conversions: readonly ElementConversion[];
}

/** A literal's value and type, or undefined when the expression is not a literal. */
export function literalOf(e: Expression): { value: Value; type: SqlType } | undefined {
  switch (e.kind) {
    case 'NullLiteral':
      return { value: null, type: SqlTypes.NULL };
    case 'BooleanLiteral':
      return { value: e.value, type: SqlTypes.BOOLEAN };
    case 'IntegerLiteral':
      return { value: e.value, type: SqlTypes.INTEGER };
    case 'BigintLiteral':
      return { value: e.value, type: SqlTypes.BIGINT };
    case 'DoubleLiteral':
      return { value: e.value, type: SqlTypes.DOUBLE };
    case 'DecimalLiteral': {
      const d = Decimal.parse(e.text);
      return { value: d, type: decimalType(decimalTypeOfValue(d)) };
    }
    case 'StringLiteral':
      return { value: e.value, type: SqlTypes.STRING };
    default:
      return undefined;
  }
}

/**
 * Coerces a literal expression to `to` with LAX rules (INSERT VALUES, sink columns): undefined
 * when `e` is not a literal, `{ ok: false }` when its value does not convert exactly.
 */
export function coerceLiteral(e: Expression, to: SqlType): CoercionResult | undefined {
  const lit = literalOf(e);
  return lit && coerceValue(lit.value, lit.type, to, 'LAX');
}

class InvalidCoercion extends KsqlStatementError {}

function coercionFailure(e: Expression, source: SqlType, target: SqlType): InvalidCoercion {
  return new InvalidCoercion(
    `operator does not exist: ${formatSqlType(target)} = ${formatSqlType(source)} (${formatExpression(e)})\n` +
      'Hint: You might need to add explicit type casts.',
  );
}

function invalidSyntax(value: string, target: SqlType): KsqlStatementError {
  const base = target.kind;
  return new KsqlStatementError(`invalid input syntax for type ${base}: "${value}".`);
}

/**
 * The common type of a user-supplied list and how each element converts to it, following
 * CoercionUtil: the first non-null element drives the type; literals coerce laxly, other
 * expressions strictly; constructors (ARRAY/MAP/STRUCT) are unified element-wise.
 */
export function coerceUserList(elements: readonly Expression[], typeOf: (e: Expression) => SqlType): UserListCoercion {
  const types = elements.map(typeOf);
  let common: SqlType | undefined;
  for (let i = 0; i < elements.length; i++) common = resolveCommon(elements[i]!, types[i]!, common, typeOf);
  if (common === undefined) return { commonType: undefined, conversions: elements.map(() => ({ kind: 'asIs' }) as const) };
  const target = common;
  const conversions = elements.map((e, i): ElementConversion => {
    const t = types[i]!;
    if (t.kind === 'NULL' || sqlTypeEquals(t, target)) return { kind: 'asIs' };
    const lit = literalOf(e);
    if (lit) {
      const coerced = coerceValue(lit.value, lit.type, target, 'LAX');
      if (coerced.ok) return { kind: 'literal', value: coerced.value };
    }
    return { kind: 'cast', to: target };
  });
  return { commonType: target, conversions };
}

function resolveCommon(e: Expression, type: SqlType, common: SqlType | undefined, typeOf: (e: Expression) => SqlType): SqlType | undefined {
  if (common === undefined) return type.kind === 'NULL' ? undefined : type;
  if (type.kind === 'NULL') return common;
  if (e.kind === 'CreateArray') {
    if (common.kind !== 'ARRAY') throw coercionFailure(e, type, common);
    try {
      const item = resolveStructured(common.item, e.items, typeOf);
      return item && SqlTypes.array(item);
    } catch (err) {
      if (err instanceof InvalidCoercion) throw coercionFailure(e, type, common);
      throw err;
    }
  }
  if (e.kind === 'CreateMap') {
    if (common.kind !== 'MAP') throw coercionFailure(e, type, common);
    try {
      const key = resolveStructured(common.key, e.entries.map((x) => x.key), typeOf);
      const value = resolveStructured(common.value, e.entries.map((x) => x.value), typeOf);
      return key && value ? SqlTypes.map(key, value) : undefined;
    } catch (err) {
      if (err instanceof InvalidCoercion) throw coercionFailure(e, type, common);
      throw err;
    }
  }
  if (e.kind === 'CreateStruct') {
    if (common.kind !== 'STRUCT') throw coercionFailure(e, type, common);
    try {
      const names = [...new Set([...e.fields.map((f) => f.name), ...common.fields.map((f) => f.name)])];
      const fields: StructField[] = [];
      for (const name of names) {
        const source = e.fields.find((f) => f.name === name);
        const target = common.fields.find((f) => f.name === name);
        let fieldType: SqlType;
        if (!target) fieldType = typeOf(source!.value);
        else if (!source) fieldType = target.type;
        else fieldType = resolveCommon(source.value, typeOf(source.value), target.type, typeOf) ?? target.type;
        fields.push({ name, type: fieldType });
      }
      return SqlTypes.struct(fields);
    } catch (err) {
      if (err instanceof InvalidCoercion) throw coercionFailure(e, type, common);
      throw err;
    }
  }
  if (e.kind === 'StringLiteral') {
    if (isNumericType(common)) return numericTypeOfStringLiteral(e.value, common);
    if (common.kind === 'BOOLEAN') {
      if (parseBooleanExact(e.value.trim()) === undefined) throw invalidSyntax(e.value, common);
      return common;
    }
  }
  const mode: CoercionMode = literalOf(e) ? 'LAX' : 'STRICT';
  const forward = canCoerce(type, common, mode);
  if (forward) return forward;
  const backward = canCoerce(common, type, mode);
  if (backward) return backward;
  throw coercionFailure(e, type, common);
}

function resolveStructured(target: SqlType, items: readonly Expression[], typeOf: (e: Expression) => SqlType): SqlType | undefined {
  if (items.length === 0) return target;
  let common: SqlType | undefined = target;
  for (const item of items) common = resolveCommon(item, typeOf(item), common, typeOf);
  return common;
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MIN = -9223372036854775808n;
const LONG_MAX = 9223372036854775807n;

function numericTypeOfStringLiteral(text: string, target: SqlType): SqlType {
  let source: SqlType;
  try {
    source = stringNumericType(text);
  } catch {
    throw invalidSyntax(text, target);
  }
  if (source.kind === 'DOUBLE' || target.kind === 'DOUBLE') return SqlTypes.DOUBLE;
  if (source.kind === 'DECIMAL' || target.kind === 'DECIMAL') return decimalType(widenDecimal(source, target));
  return NUMERIC_RANK[source.kind]! <= NUMERIC_RANK[target.kind]! ? target : source;
}

function stringNumericType(text: string): SqlType {
  const value = parseJavaBigDecimal(text.trim());
  const hasPointOrExponent = /[.eE]/.test(text);
  if (!hasPointOrExponent && value.scale === 0) {
    const v = value.unscaled;
    // ksqlDB's bounds are exclusive: MIN_VALUE itself is typed one size up.
    if (v > INT_MIN && v < INT_MAX) return SqlTypes.INTEGER;
    if (v > LONG_MIN && v < LONG_MAX) return SqlTypes.BIGINT;
  }
  return decimalType(decimalTypeOfValue(value));
}

