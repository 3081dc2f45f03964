/**
 * The built-in aggregate functions (ksqlDB 0.29's UDAFs), looked up by name.
 * See ./README.md for how the stateful core uses them.
 */
import { AGGREGATE_FUNCTIONS } from '../function-kinds.js';
import type { AggregateFunctionFactory } from './types.js';

const FACTORIES: readonly AggregateFunctionFactory[] = [];

const BY_NAME = new Map<string, AggregateFunctionFactory>(FACTORIES.map((f) => [f.name, f]));

/** The factory of a built-in aggregate, by name (any case); undefined for other names. */
export function lookupAggregate(name: string): AggregateFunctionFactory | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** True for every ksqlDB aggregate name (TOPK, HISTOGRAM, ... included). */
export function isAggregateFunctionName(name: string): boolean {
  const upper = name.toUpperCase();
  return BY_NAME.has(upper) || AGGREGATE_FUNCTIONS.some((f) => f.name === upper);
}

/** Every implemented factory, sorted by name. */
export function listAggregates(): readonly AggregateFunctionFactory[] {
  return [...BY_NAME.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
