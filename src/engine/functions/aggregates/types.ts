/**
 * The contract between the aggregate function (UDAF) library and the stateful core
 * (analyzer, planner, runtime, state stores). Modelled on ksqlDB 0.29's KsqlAggregateFunction,
 * TableAggregationFunction and AggregateFunctionFactory. See ./README.md.
 */
import type { SqlType } from '../../types.js';
import type { Value } from '../../values/value.js';

/** One aggregate column of one GROUP BY query, resolved for its argument types. */
export interface AggregateFunction<A = unknown> {
  /** Upper case: 'COUNT'. */
  readonly name: string;
  readonly returnType: SqlType;
  /**
   * Addition: ksqlDB's intermediate (aggregate) type, e.g. AVG(INT) keeps
   * STRUCT<SUM INTEGER, COUNT BIGINT>. ksqlDB rejects a query whose value format cannot hold it
   * ("One of the functions used in the statement has an intermediate type that the value format
   * can not handle. ..."): DELIMITED and KAFKA hold no STRUCT/ARRAY/MAP.
   */
  readonly aggregateType?: SqlType;
  initialize(): A;
  /**
   * A new input row: `args` are the values of the function's column arguments (not the literal
   * init args). Must not mutate `current` if it is shared; return the new accumulator.
   */
  aggregate(current: A, args: readonly Value[]): A;
  /**
   * Table aggregation (an old row leaves the group: ksqlDB's TableUdaf.undo); absent when the
   * function cannot aggregate tables.
   */
  undo?(current: A, args: readonly Value[]): A;
  /**
   * Addition: ksqlDB's Merger, combining two session windows' accumulators when sessions merge
   * (`merge(older, newer)`). Absent when ksqlDB's function has none that is meaningful.
   */
  merge?(a: A, b: A): A;
  result(current: A): Value;
  /**
   * The accumulator as JSON-safe data for the durable state store, and back (bigint, Decimal,
   * Buffer, Map, structs included).
   */
  toJson(current: A): unknown;
  fromJson(json: unknown): A;
}

/** Addition: what DESCRIBE FUNCTION shows for one argument of one variant (ksqlDB's ArgumentInfo). */
export interface AggregateArgumentInfo {
  readonly name: string;
  /** ksqlDB's ParamType spelling: 'INT', 'BIGINT', 'DECIMAL', 'T', 'ARRAY<T>', ... */
  readonly type: string;
  readonly description: string;
  readonly isVariadic: boolean;
}

/** Addition: one variant (signature) of an aggregate, as DESCRIBE FUNCTION lists it (ksqlDB's FunctionInfo). */
export interface AggregateVariantInfo {
  /** All arguments of the call, column arguments first, then literal init arguments. */
  readonly arguments: readonly AggregateArgumentInfo[];
  readonly returnType: string;
  readonly description: string;
}

/** Addition: context of a `create` call. */
export interface AggregateCreateOptions {
  /**
   * The query's ksqlDB properties. ksqlDB hands a UDAF the `ksql.functions.<name>.*` ones,
   * e.g. `ksql.functions.collect_list.limit`.
   */
  readonly properties?: Readonly<Record<string, string>>;
  /**
   * The SQL types of the literal init arguments. When absent they are inferred from the values
   * (boolean -> BOOLEAN, integral number -> INTEGER, other number -> DOUBLE, bigint -> BIGINT,
   * string -> STRING); pass them when a literal's type is not its value's natural one.
   */
  readonly literalTypes?: readonly SqlType[];
}

export interface AggregateFunctionFactory {
  readonly name: string;
  readonly description: string;
  /** True when every variant supports undo (aggregating a table). */
  readonly supportsTables: boolean;
  /**
   * Resolves the variant for these column-argument types and literal init arguments (e.g.
   * LATEST_BY_OFFSET(col, 3, false) has one column argument and two literals). Throws
   * KsqlError / KsqlStatementError with ksqlDB's own message text when no variant fits.
   */
  create(argTypes: readonly SqlType[], literalArgs: readonly Value[], options?: AggregateCreateOptions): AggregateFunction;
  /**
   * Addition: how many trailing arguments of a call are literal init arguments, resolved on the
   * types of ALL the call's arguments as ksqlDB does (its FunctionSource.initArgs):
   * LATEST_BY_OFFSET(col, 3, false) -> 2, LATEST_BY_OFFSET(col) -> 0. Throws ksqlDB's
   * no-variant error when no variant accepts these types. The caller checks that those trailing
   * arguments are literals (see `nonLiteralArgumentError`) and passes their values to `create`.
   */
  literalArgCount(allArgTypes: readonly SqlType[]): number;
  /** Addition: the variants, for DESCRIBE FUNCTION. */
  readonly variants: readonly AggregateVariantInfo[];
}

export { lookupAggregate, isAggregateFunctionName, listAggregates } from './index.js';
export { nonLiteralArgumentError, nonTableAggregateError } from './errors.js';
