/**
 * The built-in aggregate functions (ksqlDB 0.29's UDAFs), looked up by name.
 * See ./README.md for how the stateful core uses them.
 */
import { AGGREGATE_FUNCTIONS } from '../function-kinds.js';
import { AVG, COUNT, MAX, MIN, SUM, SUM_LIST } from './basic.js';
import { EARLIEST_BY_OFFSET, LATEST_BY_OFFSET } from './by-offset.js';
import { COLLECT_LIST, COLLECT_SET, HISTOGRAM } from './collect.js';
import { COUNT_DISTINCT } from './count-distinct.js';
import type { DescribedAggregateFactory } from './framework.js';
import { CORRELATION, STDDEV_SAMP, STDDEV_SAMPLE } from './statistics.js';
import { TOPK, TOPKDISTINCT } from './topk.js';
import type { AggregateFunctionFactory } from './types.js';

const FACTORIES: readonly DescribedAggregateFactory[] = [
  AVG,
  COLLECT_LIST,
  COLLECT_SET,
  CORRELATION,
  COUNT,
  COUNT_DISTINCT,
  EARLIEST_BY_OFFSET,
  HISTOGRAM,
  LATEST_BY_OFFSET,
  MAX,
  MIN,
  STDDEV_SAMP,
  STDDEV_SAMPLE,
  SUM,
  SUM_LIST,
  TOPK,
  TOPKDISTINCT,
];

const BY_NAME = new Map<string, DescribedAggregateFactory>(FACTORIES.map((f) => [f.name, f]));

/** The factory of a built-in aggregate, by name (any case); undefined for other names. */
export function lookupAggregate(name: string): AggregateFunctionFactory | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** The factory with its DESCRIBE FUNCTION metadata (author), by name. */
export function lookupDescribedAggregate(name: string): DescribedAggregateFactory | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** True for every ksqlDB aggregate name. */
export function isAggregateFunctionName(name: string): boolean {
  const upper = name.toUpperCase();
  return BY_NAME.has(upper) || AGGREGATE_FUNCTIONS.some((f) => f.name === upper);
}

/** Every factory, sorted by name. */
export function listAggregates(): readonly AggregateFunctionFactory[] {
  return [...BY_NAME.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
