/**
 * Helpers for declaring built-in functions compactly, plus the optional metadata our built-ins
 * carry beyond the shared contract (ksqlDB's declared UDF name, parameter names).
 */
import { SqlTypes, type SqlType } from '../types.js';
import type { Value } from '../values/value.js';
import type { FunctionCategory, FunctionContext, FunctionSignature, ParamType, ScalarFunctionDefinition } from './types.js';

/** A ScalarFunctionDefinition with extra, optional metadata the registry and entities read. */
export interface LibraryFunctionDefinition extends ScalarFunctionDefinition {
  /**
   * The name as ksqlDB's @UdfDescription spells it; ksqlDB's resolution errors quote it
   * ("Function 'greatest' does not accept parameters ..."). Defaults to `name`.
   */
  readonly declaredName?: string;
  /** Where DESCRIBE FUNCTION says the function comes from ('internal' for built-ins). */
  readonly path?: string;
}

/** A signature with the parameter names DESCRIBE FUNCTION shows. */
export interface NamedSignature extends FunctionSignature {
  readonly paramNames?: readonly string[];
  /**
   * Builds the implementation once the parameter types are known, for functions whose Java
   * behaviour depends on the static type (e.g. ARRAY_JOIN writes a DOUBLE 1.0 as "1.0", which
   * the runtime value 1 cannot tell). Takes precedence over `impl`.
   */
  readonly specialize?: (paramTypes: readonly SqlType[]) => Impl;
}

export const T: ParamType = { kind: 'GENERIC', name: 'T' };
export const K: ParamType = { kind: 'GENERIC', name: 'K' };
export const V: ParamType = { kind: 'GENERIC', name: 'V' };
export const ANY_DECIMAL: ParamType = { kind: 'ANY_DECIMAL' };
export const ANY_STRUCT: ParamType = { kind: 'ANY_STRUCT' };
export const INTERVAL_UNIT: ParamType = { kind: 'INTERVAL_UNIT' };

export function arrayOf(item: ParamType): ParamType {
  return { kind: 'ARRAY', item };
}

export function mapOf(key: ParamType, value: ParamType): ParamType {
  return { kind: 'MAP', key, value };
}

export const {
  BOOLEAN,
  INTEGER,
  BIGINT,
  DOUBLE,
  STRING,
  BYTES,
  TIMESTAMP,
  DATE,
  TIME,
} = SqlTypes;

type Impl = (args: Value[], ctx: FunctionContext) => Value;

export interface SignatureOptions {
  variadic?: boolean;
  acceptsNulls?: boolean;
  description?: string;
  names?: readonly string[];
  specialize?: (paramTypes: readonly SqlType[]) => Impl;
}

/** One overload: parameter types, return type (fixed or computed from the parameter types), implementation. */
export function sig(
  params: readonly ParamType[],
  returns: SqlType | ((paramTypes: readonly SqlType[]) => SqlType),
  impl: Impl,
  opts: SignatureOptions = {},
): NamedSignature {
  return {
    params,
    returns,
    impl,
    ...(opts.variadic ? { variadic: true } : {}),
    ...(opts.acceptsNulls ? { acceptsNulls: true } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(opts.names !== undefined ? { paramNames: opts.names } : {}),
    ...(opts.specialize !== undefined ? { specialize: opts.specialize } : {}),
  };
}

export interface DefineOptions {
  declaredName?: string;
  author?: string;
  version?: string;
}

export function defineFunction(
  name: string,
  category: FunctionCategory,
  description: string,
  signatures: readonly NamedSignature[],
  opts: DefineOptions = {},
): LibraryFunctionDefinition {
  return {
    name: name.toUpperCase(),
    description,
    category,
    author: opts.author ?? 'Confluent',
    signatures,
    path: 'internal',
    ...(opts.declaredName !== undefined ? { declaredName: opts.declaredName } : {}),
    ...(opts.version !== undefined ? { version: opts.version } : {}),
  };
}

/** Return-type helper: the type of parameter i after resolution. */
export function sameAs(i: number): (paramTypes: readonly SqlType[]) => SqlType {
  return (types) => types[i] ?? SqlTypes.NULL;
}

/** Return-type helper: the first non-NULL resolved parameter type (generic T with nulls). */
export function firstKnown(types: readonly SqlType[]): SqlType {
  return types.find((t) => t.kind !== 'NULL') ?? SqlTypes.NULL;
}

/** Return-type helper: the element type of the array parameter i. */
export function itemOf(i: number): (paramTypes: readonly SqlType[]) => SqlType {
  return (types) => {
    const t = types[i];
    return t && t.kind === 'ARRAY' ? t.item : SqlTypes.NULL;
  };
}
