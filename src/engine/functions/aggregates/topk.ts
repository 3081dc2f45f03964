/**
 * TOPK and TOPKDISTINCT (ksqlDB's TopKAggregateFunctionFactory / TopkKudaf and
 * TopkDistinctAggFunctionFactory / TopkDistinctKudaf), built-in factories: TOPK(col, k) over
 * INT, BIGINT, DOUBLE, STRING and TOPKDISTINCT(col, k) also over DECIMAL, returning the k
 * largest (distinct) non-null values in descending order as ARRAY<T>. Not table aggregations.
 */
import { KsqlError } from '../../errors.js';
import { SqlTypes, formatSqlType, type SqlType } from '../../types.js';
import type { Value } from '../../values/value.js';
import { ANY_DECIMAL } from '../define.js';
import type { ParamType } from '../types.js';
import { defineAggregate, type BuildContext, type VariantDef } from './framework.js';
import { javaCompare, javaObjectEquals } from './java.js';
import { valueFromJson, valueToJson } from './json-codec.js';
import type { AggregateFunction } from './types.js';

function descending(list: Value[]): Value[] {
  return list.sort((a, b) => javaCompare(b, a));
}

function topK(ctx: BuildContext, type: SqlType, k: number, distinct: boolean): AggregateFunction<readonly Value[]> {
  const arrayType = SqlTypes.array(type);
  const aggregate = (acc: readonly Value[], args: readonly Value[]): readonly Value[] => {
    const v = args[0] ?? null;
    if (v === null || k <= 0) return acc;
    const size = acc.length;
    if (size > 0 && size === k && javaCompare(v, acc[size - 1]!) <= 0) return acc;
    if (distinct && acc.some((x) => javaObjectEquals(x, v))) return acc;
    const next = [...acc];
    if (size === k) next[size - 1] = v;
    else next.push(v);
    return descending(next);
  };
  const merge = (a: readonly Value[], b: readonly Value[]): readonly Value[] => {
    const merged: Value[] = [];
    let i = 0;
    let j = 0;
    for (let n = 0; n !== k; n++) {
      const v1 = i < a.length ? a[i]! : null;
      const v2 = j < b.length ? b[j]! : null;
      if (distinct) {
        if (v1 === null && v2 === null) break;
        if (v1 !== null && (v2 === null || javaCompare(v1, v2) > 0)) {
          merged.push(v1);
          i++;
        } else if (v1 === null || javaCompare(v2!, v1) > 0) {
          merged.push(v2);
          j++;
        } else {
          merged.push(v1);
          i++;
          j++;
        }
      } else if (v1 !== null && (v2 === null || javaCompare(v1, v2) >= 0)) {
        merged.push(v1);
        i++;
      } else if (v2 !== null) {
        merged.push(v2);
        j++;
      } else break;
    }
    return merged;
  };
  return {
    name: ctx.name,
    returnType: arrayType,
    aggregateType: arrayType,
    initialize: () => [],
    aggregate,
    merge,
    result: (acc) => [...acc],
    toJson: (acc) => valueToJson([...acc], arrayType),
    fromJson: (json) => valueFromJson(json, arrayType) as Value[],
  };
}

function topKFactory(name: 'TOPK' | 'TOPKDISTINCT', types: readonly SqlType[], description: string, factoryDescription: string) {
  const distinct = name === 'TOPKDISTINCT';
  const kinds = new Set(types.map((t) => t.kind));
  const build = (ctx: BuildContext): AggregateFunction => {
    const type = ctx.columnTypes[0];
    const k = ctx.literals[0];
    if (type === undefined || k === undefined) throw new KsqlError(`${name} function should have two arguments.`);
    if (!kinds.has(type.kind)) throw new KsqlError(`No ${name} aggregate function with ${formatSqlType(type)} argument type exists!`);
    if (typeof k !== 'number' || !Number.isInteger(k)) {
      throw new KsqlError(`${name}'s second argument must be an INTEGER literal, got ${String(k)}`);
    }
    return topK(ctx, type, k, distinct);
  };
  const variants: VariantDef[] = types.map((t) => {
    const param: ParamType = t.kind === 'DECIMAL' ? ANY_DECIMAL : t;
    return {
      params: [param],
      paramNames: ['val'],
      literalCount: 0,
      description,
      returnDisplay: `ARRAY<${t.kind === 'DECIMAL' ? 'DECIMAL' : t.kind === 'INTEGER' ? 'INT' : t.kind === 'STRING' ? 'VARCHAR' : t.kind}>`,
      table: false,
      build,
    };
  });
  return defineAggregate({ style: 'builtin', name, description: factoryDescription, table: false, variants, build });
}

const BASE_TYPES: readonly SqlType[] = [SqlTypes.INTEGER, SqlTypes.BIGINT, SqlTypes.DOUBLE, SqlTypes.STRING];

export const TOPK = topKFactory('TOPK', BASE_TYPES, 'Calculates the TopK value for a column, per key.', 'Computes the top k values for a key.');
export const TOPKDISTINCT = topKFactory(
  'TOPKDISTINCT',
  [...BASE_TYPES, SqlTypes.decimal(2, 1)],
  'Calculates the Topk distinct values for a column, per key.',
  'Calculates the TopK distinct values for a column.',
);
