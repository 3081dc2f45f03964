/**
 * Names of ksqlDB's built-in aggregate (UDAF) and table (UDTF) functions. Their implementations
 * live elsewhere (the aggregation runtime); the function library only needs to know the names so
 * that the analyzer can tell aggregates apart and SHOW FUNCTIONS can list them.
 */
import type { FunctionCategory } from './types.js';

export interface NamedFunctionInfo {
  readonly name: string;
  readonly category: FunctionCategory | 'TABLE';
  readonly description: string;
}

export const AGGREGATE_FUNCTIONS: readonly NamedFunctionInfo[] = [
  { name: 'AVG', category: 'AGGREGATE', description: 'Returns the average value for a column.' },
  { name: 'COLLECT_LIST', category: 'AGGREGATE', description: 'Gather all of the values from an input grouping into a single Array field.' },
  { name: 'COLLECT_SET', category: 'AGGREGATE', description: 'Gather all of the distinct values from an input grouping into a single Array.' },
  { name: 'CORRELATION', category: 'AGGREGATE', description: 'Computes the Pearson correlation coefficient between two columns of data.' },
  { name: 'COUNT', category: 'AGGREGATE', description: 'Counts records by key.' },
  { name: 'COUNT_DISTINCT', category: 'AGGREGATE', description: 'Returns the approximate number of unique values of expression in a group.' },
  { name: 'EARLIEST_BY_OFFSET', category: 'AGGREGATE', description: 'This function returns the oldest N values for the column, computed by offset.' },
  { name: 'HISTOGRAM', category: 'AGGREGATE', description: 'Returns a map of each distinct String from the input Stream or Table and how many times each occurs.' },
  { name: 'LATEST_BY_OFFSET', category: 'AGGREGATE', description: 'This function returns the most recent N values for the column, computed by offset.' },
  { name: 'MAX', category: 'AGGREGATE', description: 'Computes the maximum value for a key.' },
  { name: 'MIN', category: 'AGGREGATE', description: 'Computes the minimum value for a key.' },
  { name: 'STDDEV_SAMP', category: 'AGGREGATE', description: 'Returns the sample standard deviation.' },
  { name: 'STDDEV_SAMPLE', category: 'AGGREGATE', description: 'Returns the sample standard deviation.' },
  { name: 'SUM', category: 'AGGREGATE', description: 'Computes the sum for a key.' },
  { name: 'SUM_LIST', category: 'AGGREGATE', description: 'Returns the sum of elements contained in the list.' },
  { name: 'TOPK', category: 'AGGREGATE', description: 'Computes the top k values for a key.' },
  { name: 'TOPKDISTINCT', category: 'AGGREGATE', description: 'Calculates the TopK distinct values for a column.' },
];

export const TABLE_FUNCTIONS: readonly NamedFunctionInfo[] = [
  { name: 'CUBE_EXPLODE', category: 'TABLE', description: 'Takes as argument a list of columns and outputs all possible combinations of them.' },
  { name: 'EXPLODE', category: 'TABLE', description: 'Explodes an array. This function outputs one value for each element of the array.' },
];

const AGGREGATE_NAMES = new Set(AGGREGATE_FUNCTIONS.map((f) => f.name));
const TABLE_NAMES = new Set(TABLE_FUNCTIONS.map((f) => f.name));

export function isAggregateName(name: string): boolean {
  return AGGREGATE_NAMES.has(name.toUpperCase());
}

export function isTableFunctionName(name: string): boolean {
  return TABLE_NAMES.has(name.toUpperCase());
}
