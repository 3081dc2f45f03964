/**
 * Whether an argument type fits a parameter type, after ksqlDB's ParamTypes / GenericsUtil:
 * exact matches, implicit casts (INTEGER -> BIGINT -> DECIMAL -> DOUBLE; STRING literals to
 * DATE/TIME/TIMESTAMP/BYTES), generics bound consistently across arguments, NULL accepted
 * everywhere. Also computes the type each argument is converted to once a signature is chosen.
 */
import { SqlTypes, formatSqlType, sqlTypeEquals, type PrimitiveTypeName, type SqlType } from '../types.js';
import type { ParamType } from './types.js';

export type GenericBindings = Map<string, SqlType>;

/**
 * The argument type the expression compiler passes for a time-unit keyword (DAYS, SECONDS, ...).
 * SqlType has no such kind; this pseudo type travels only between compiler and registry.
 * STRING arguments are accepted for INTERVAL_UNIT parameters as well.
 */
export const INTERVAL_UNIT_ARG_TYPE = { kind: 'INTERVAL_UNIT' } as unknown as SqlType;

const NUMERIC_ORDER: readonly string[] = ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE'];
const STRING_CASTABLE: readonly string[] = ['TIME', 'DATE', 'TIMESTAMP', 'BYTES'];

/** SqlBaseType.canImplicitlyCast. */
export function canImplicitlyCast(from: string, to: string): boolean {
  if (from === to) return true;
  const f = NUMERIC_ORDER.indexOf(from);
  const t = NUMERIC_ORDER.indexOf(to);
  if (f >= 0 && t >= 0) return f <= t;
  return from === 'STRING' && STRING_CASTABLE.includes(to);
}

export function hasGenerics(param: ParamType): boolean {
  switch (param.kind) {
    case 'GENERIC':
      return true;
    case 'ARRAY':
      return hasGenerics(param.item as ParamType);
    case 'MAP':
      return hasGenerics(param.key as ParamType) || hasGenerics(param.value as ParamType);
    default:
      return false;
  }
}

function isIntervalUnitArg(arg: SqlType): boolean {
  return (arg.kind as string) === 'INTERVAL_UNIT';
}

/** Binds generics in `param` to parts of `arg` (GenericsUtil.reserveGenerics). */
function reserveGenerics(param: ParamType, arg: SqlType, bindings: GenericBindings, allowCasts: boolean): boolean {
  if (arg.kind === 'NULL') return true;
  switch (param.kind) {
    case 'GENERIC': {
      if (isIntervalUnitArg(arg)) return false;
      const bound = bindings.get(param.name);
      if (bound === undefined) {
        bindings.set(param.name, arg);
        return true;
      }
      if (sqlTypeEquals(bound, arg)) return true;
      if (!allowCasts) return false;
      // With implicit casts allowed, numeric arguments meet at the wider type (as for
      // COALESCE(INT, BIGINT) -> BIGINT; decimals widen to hold both).
      if (bound.kind === 'DECIMAL' && arg.kind === 'DECIMAL') {
        bindings.set(param.name, widenDecimalTypes(bound, arg));
        return true;
      }
      if (castsTo(arg, bound)) return true;
      if (castsTo(bound, arg)) {
        bindings.set(param.name, arg);
        return true;
      }
      return false;
    }
    case 'ARRAY':
      return arg.kind === 'ARRAY' && reserveGenerics(param.item as ParamType, arg.item, bindings, allowCasts);
    case 'MAP':
      return (
        arg.kind === 'MAP' &&
        reserveGenerics(param.key as ParamType, arg.key, bindings, allowCasts) &&
        reserveGenerics(param.value as ParamType, arg.value, bindings, allowCasts)
      );
    default:
      return areCompatible(param, arg, allowCasts);
  }
}

function areCompatible(param: ParamType, arg: SqlType, allowCasts: boolean): boolean {
  if (arg.kind === 'NULL') return true;
  switch (param.kind) {
    case 'INTERVAL_UNIT':
      return isIntervalUnitArg(arg) || arg.kind === 'STRING';
    case 'GENERIC':
      return true;
    case 'ANY_DECIMAL':
    case 'DECIMAL':
      return arg.kind === 'DECIMAL' || (allowCasts && (arg.kind === 'INTEGER' || arg.kind === 'BIGINT'));
    case 'ANY_STRUCT':
      return arg.kind === 'STRUCT';
    case 'ARRAY':
      return arg.kind === 'ARRAY' && areCompatible(param.item as ParamType, arg.item, allowCasts);
    case 'MAP':
      return (
        arg.kind === 'MAP' &&
        areCompatible(param.key as ParamType, arg.key, allowCasts) &&
        areCompatible(param.value as ParamType, arg.value, allowCasts)
      );
    case 'STRUCT': {
      if (arg.kind !== 'STRUCT') return false;
      // An empty struct on either side matches any struct, as in ksqlDB.
      if (arg.fields.length === 0 || param.fields.length === 0) return true;
      // Implicit casts are never applied inside structs.
      return (
        arg.fields.length === param.fields.length &&
        param.fields.every((pf) => {
          const af = arg.fields.find((f) => f.name === pf.name);
          return af !== undefined && areCompatible(pf.type, af.type, false);
        })
      );
    }
    case 'NULL':
      return false;
    default:
      if (isIntervalUnitArg(arg)) return false;
      return param.kind === arg.kind || (allowCasts && canImplicitlyCast(arg.kind, param.kind));
  }
}

function widenDecimalTypes(a: SqlType & { kind: 'DECIMAL' }, b: SqlType & { kind: 'DECIMAL' }): SqlType {
  const scale = Math.max(a.scale, b.scale);
  return SqlTypes.decimal(Math.max(a.precision - a.scale, b.precision - b.scale) + scale, scale);
}

function castsTo(arg: SqlType, bound: SqlType): boolean {
  if (bound.kind === 'DECIMAL') return arg.kind === 'DECIMAL' || arg.kind === 'INTEGER' || arg.kind === 'BIGINT';
  return isPrimitiveKind(arg.kind) && isPrimitiveKind(bound.kind) && canImplicitlyCast(arg.kind, bound.kind);
}

function isPrimitiveKind(kind: string): boolean {
  return !['ARRAY', 'MAP', 'STRUCT', 'NULL', 'INTERVAL_UNIT'].includes(kind);
}

/** Parameter.accepts: does `arg` fit `param`, given (and updating) the generic bindings? */
export function acceptsArgument(param: ParamType, arg: SqlType, bindings: GenericBindings, allowCasts: boolean): boolean {
  if (arg.kind === 'NULL') return true;
  if (hasGenerics(param)) return reserveGenerics(param, arg, bindings, allowCasts);
  return areCompatible(param, arg, allowCasts);
}

const DECIMAL_FOR_INTEGRAL: Partial<Record<string, SqlType>> = {
  INTEGER: SqlTypes.decimal(10, 0),
  BIGINT: SqlTypes.decimal(19, 0),
};

/** The concrete type an argument of type `arg` is converted to for parameter `param`. */
export function targetType(param: ParamType, arg: SqlType, bindings: GenericBindings): SqlType {
  switch (param.kind) {
    case 'GENERIC':
      return bindings.get(param.name) ?? arg;
    case 'INTERVAL_UNIT':
      return arg;
    case 'ANY_DECIMAL':
      if (arg.kind === 'DECIMAL') return arg;
      return DECIMAL_FOR_INTEGRAL[arg.kind] ?? arg;
    case 'ANY_STRUCT':
      return arg;
    case 'ARRAY':
      return SqlTypes.array(targetType(param.item as ParamType, arg.kind === 'ARRAY' ? arg.item : SqlTypes.NULL, bindings));
    case 'MAP':
      return SqlTypes.map(
        targetType(param.key as ParamType, arg.kind === 'MAP' ? arg.key : SqlTypes.NULL, bindings),
        targetType(param.value as ParamType, arg.kind === 'MAP' ? arg.value : SqlTypes.NULL, bindings),
      );
    case 'STRUCT':
      return param.fields.length === 0 && arg.kind === 'STRUCT' ? arg : param;
    case 'DECIMAL':
      // A declared DECIMAL(p, s) accepts any decimal, as ksqlDB's DecimalType does; keep the argument's own.
      if (arg.kind === 'DECIMAL') return arg;
      return param;
    default:
      return param;
  }
}

const PARAM_TYPE_NAMES: Partial<Record<PrimitiveTypeName, string>> = {
  INTEGER: 'INT',
  STRING: 'VARCHAR',
};

/** ksqlDB's function ParamType.toString(), used in "Valid alternatives" and DESCRIBE FUNCTION. */
export function formatParamType(param: ParamType): string {
  switch (param.kind) {
    case 'GENERIC':
      return param.name;
    case 'ANY_DECIMAL':
      return 'DECIMAL';
    case 'ANY_STRUCT':
      return 'STRUCT';
    case 'INTERVAL_UNIT':
      return 'INTERVALUNIT';
    case 'ARRAY':
      return `ARRAY<${formatParamType(param.item as ParamType)}>`;
    case 'MAP':
      return `MAP<${formatParamType(param.key as ParamType)}, ${formatParamType(param.value as ParamType)}>`;
    case 'STRUCT':
    case 'DECIMAL':
    case 'NULL':
      return formatSqlType(param);
    default:
      return PARAM_TYPE_NAMES[param.kind] ?? param.kind;
  }
}

/** How an argument type is quoted in resolution errors ("null" for the NULL literal). */
export function formatArgumentType(arg: SqlType): string {
  if (arg.kind === 'NULL') return 'null';
  if (isIntervalUnitArg(arg)) return 'INTERVALUNIT';
  return formatSqlType(arg);
}
