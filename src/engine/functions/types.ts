/**
 * The contract between the function library (built-in scalar functions and user extensions,
 * our counterpart of ksqlDB's UDF jars) and the expression compiler.
 */
import type { SqlType } from '../types.js';
import type { Value } from '../values/value.js';

/**
 * A parameter type in a signature. Besides concrete SqlTypes, signatures use generics as
 * ksqlDB's UDF framework does: `{ generic: 'T' }` binds to any type, `ARRAY<T>` etc. nest them,
 * and the DECIMAL/STRUCT kinds without parameters match any precision/fields.
 */
export type ParamType =
  | SqlType
  | { readonly kind: 'GENERIC'; readonly name: string }
  | { readonly kind: 'ARRAY'; readonly item: ParamType }
  | { readonly kind: 'MAP'; readonly key: ParamType; readonly value: ParamType }
  | { readonly kind: 'ANY_DECIMAL' }
  | { readonly kind: 'ANY_STRUCT' }
  /** A time-unit keyword argument (SECONDS, DAYS, ...), passed to the implementation as a string. */
  | { readonly kind: 'INTERVAL_UNIT' };

export interface FunctionSignature {
  readonly params: readonly ParamType[];
  /** The last param repeats (Java varargs). */
  readonly variadic?: boolean;
  /**
   * Fixed return type, or a function of the actual argument types (e.g. ABS(DECIMAL(p,s))
   * returns DECIMAL(p,s); IFNULL(T, T) returns T).
   */
  readonly returns: SqlType | ((argTypes: readonly SqlType[]) => SqlType);
  /**
   * Implementation. Receives the argument values already converted to the parameter types
   * (e.g. an INTEGER passed where BIGINT is declared arrives as bigint).
   * Unless `acceptsNulls` is set, a null argument makes the result null without calling it.
   */
  readonly impl: (args: Value[], ctx: FunctionContext) => Value;
  readonly acceptsNulls?: boolean;
  readonly description?: string;
}

export interface FunctionContext {
  /** Wall clock for functions like UNIX_TIMESTAMP() (overridable in tests). */
  now(): number;
  /** ksqlDB properties in force for the query (e.g. ksql.functions.substring.legacy.args). */
  readonly properties: Readonly<Record<string, string>>;
}

export type FunctionCategory =
  | 'MATHEMATICAL'
  | 'STRING'
  | 'NULL'
  | 'DATE / TIME'
  | 'REGULAR EXPRESSION'
  | 'CONVERSIONS'
  | 'ARRAY'
  | 'MAP'
  | 'JSON'
  | 'URL'
  | 'OTHER'
  | 'AGGREGATE';

export interface ScalarFunctionDefinition {
  /** Upper-case name. */
  readonly name: string;
  readonly description: string;
  readonly category: FunctionCategory;
  readonly author?: string;
  readonly version?: string;
  readonly signatures: readonly FunctionSignature[];
}

/** The result of resolving a call: the chosen signature applied to the argument types. */
export interface ResolvedFunction {
  readonly name: string;
  readonly returnType: SqlType;
  /** Parameter type each argument must be converted to before `invoke` (implicit casts). */
  readonly paramTypes: readonly SqlType[];
  readonly acceptsNulls: boolean;
  invoke(args: Value[], ctx: FunctionContext): Value;
}

export interface FunctionRegistry {
  /** Resolve NAME(argTypes) or throw KsqlStatementError with ksqlDB's message. */
  resolve(name: string, argTypes: readonly SqlType[]): ResolvedFunction;
  has(name: string): boolean;
  isAggregate(name: string): boolean;
  register(def: ScalarFunctionDefinition): void;
  list(): readonly ScalarFunctionDefinition[];
  get(name: string): ScalarFunctionDefinition | undefined;
}
