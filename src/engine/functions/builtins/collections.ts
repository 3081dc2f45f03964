/** Array and map functions (the quick ones; lambda-based functions belong to the compiler). */
import { SqlTypes, type SqlType } from '../../types.js';
import type { Value } from '../../values/value.js';
import { KsqlFunctionError } from '../../errors.js';
import {
  INTEGER,
  BIGINT,
  BOOLEAN,
  STRING,
  K,
  T,
  V,
  arrayOf,
  defineFunction,
  itemOf,
  mapOf,
  sameAs,
  sig,
  type LibraryFunctionDefinition,
} from '../define.js';
import { compareValues } from '../java-numbers.js';
import { containsValue, distinctValues, javaEquals } from '../value-equality.js';
import { javaToString, javaToStringTyped } from '../java-strings.js';

const ARRAY_T = arrayOf(T);
const arr = (v: Value | undefined): Value[] => v as Value[];

function firstArrayType(types: readonly SqlType[]): SqlType {
  return types.find((t) => t.kind === 'ARRAY') ?? SqlTypes.array(SqlTypes.NULL);
}

function nonNullSorted(values: Value[]): Value[] {
  return values.filter((v) => v !== null).sort(compareValues);
}

function mapPart(part: 'key' | 'value'): (types: readonly SqlType[]) => SqlType {
  return (types) => {
    const t = types[0];
    return SqlTypes.array(t && t.kind === 'MAP' ? t[part] : SqlTypes.NULL);
  };
}

export const COLLECTION_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  defineFunction('ARRAY_LENGTH', 'ARRAY', 'Returns the length on an array.', [
    sig([ARRAY_T], INTEGER, ([a]) => arr(a).length, { names: ['input'] }),
  ]),
  defineFunction('ARRAY_CONTAINS', 'ARRAY', 'Returns true if the array is non-null and contains the supplied value.', [
    sig([ARRAY_T, T], BOOLEAN, ([a, v]) => a !== null && containsValue(arr(a), v!), { acceptsNulls: true, names: ['array', 'val'] }),
  ]),
  defineFunction('ARRAY_DISTINCT', 'ARRAY', 'Returns an array of all the distinct values, including NULL if present, from the input array. The output array elements are in order of their first occurrence in the input.', [
    sig([ARRAY_T], sameAs(0), ([a]) => distinctValues(arr(a)), { names: ['input'] }),
  ]),
  defineFunction('ARRAY_MAX', 'ARRAY', 'Return the maximum value from within an array of primitive values, according to their natural sort order. If the array is NULL, or contains only NULLs, return NULL.', [
    sig([ARRAY_T], itemOf(0), ([a]) => nonNullSorted(arr(a)).at(-1) ?? null, { names: ['input'] }),
  ]),
  defineFunction('ARRAY_MIN', 'ARRAY', 'Return the minimum value from within an array of primitive values, according to their natural sort order. If the array is NULL, or contains only NULLs, return NULL.', [
    sig([ARRAY_T], itemOf(0), ([a]) => nonNullSorted(arr(a))[0] ?? null, { names: ['input'] }),
  ]),
  defineFunction('ARRAY_SORT', 'ARRAY', 'Sort an array of primitive values, according to their natural sort order. Any NULLs in the array will be placed at the end.', [
    sig([ARRAY_T], sameAs(0), ([a]) => sortArray(arr(a), 'ASC'), { names: ['input'] }),
    sig([ARRAY_T, STRING], sameAs(0), ([a, d]) => sortArray(arr(a), d as string), { names: ['input', 'direction'] }),
  ]),
  defineFunction('ARRAY_JOIN', 'ARRAY', 'Creates a flat string representation of all the elements contained in the given array. The elements in the resulting string are separated by the chosen delimiter, which is an optional parameter that falls back to a comma.', [
    sig([ARRAY_T], STRING, ([a]) => joinArray(arr(a), ',', SqlTypes.NULL), {
      names: ['array'],
      specialize: (types) => ([a]) => joinArray(arr(a), ',', elementType(types[0])),
    }),
    sig([ARRAY_T, STRING], STRING, ([a, d]) => (a === null ? null : joinArray(arr(a), d === null ? '' : (d as string), SqlTypes.NULL)), {
      acceptsNulls: true,
      names: ['array', 'delimiter'],
      specialize: (types) => ([a, d]) => (a === null ? null : joinArray(arr(a), d === null ? '' : (d as string), elementType(types[0]))),
    }),
  ]),
  defineFunction('ARRAY_REMOVE', 'ARRAY', 'Removes all elements from the input array equal to element.', [
    sig([ARRAY_T, T], sameAs(0), ([a, v]) => (a === null ? null : arr(a).filter((x) => !javaEquals(x, v!))), {
      acceptsNulls: true,
      names: ['array', 'victim'],
    }),
  ]),
  defineFunction('ARRAY_UNION', 'ARRAY', 'Returns an array of all the distinct elements from both input arrays, in the order they are encountered.', [
    sig([ARRAY_T, ARRAY_T], firstArrayType, ([a, b]) => distinctValues([...arr(a), ...arr(b)]), { names: ['left', 'right'] }),
  ]),
  defineFunction('ARRAY_INTERSECT', 'ARRAY', 'Returns an array of all the distinct elements from the intersection of both input arrays. The order of entries in the output is the same as in the first input array.', [
    sig([ARRAY_T, ARRAY_T], firstArrayType, ([a, b]) => distinctValues(arr(a).filter((x) => containsValue(arr(b), x))), { names: ['left', 'right'] }),
  ]),
  defineFunction('ARRAY_EXCEPT', 'ARRAY', 'Returns an array of all the distinct elements from an array, except for those also present in a second array. The order of entries in the first array is preserved but duplicates are removed.', [
    sig([ARRAY_T, ARRAY_T], firstArrayType, ([a, b]) => distinctValues(arr(a).filter((x) => !containsValue(arr(b), x))), { names: ['left', 'right'] }),
  ]),
  defineFunction('SLICE', 'ARRAY', 'Slices a list based on the supplied indices. The indices start at 1 and include both endpoints.', [
    sig([ARRAY_T, INTEGER, INTEGER], sameAs(0), ([a, from, to]) => slice(arr(a), from as number | null, to as number | null), {
      acceptsNulls: true,
      names: ['list', 'from', 'to'],
    }),
  ]),
  defineFunction('MAP_KEYS', 'MAP', 'Returns an array that contains all of the keys from the specified map.', [
    sig([mapOf(K, V)], mapPart('key'), ([m]) => [...(m as Map<Value, Value>).keys()], { names: ['input'] }),
  ]),
  defineFunction('MAP_VALUES', 'MAP', 'Returns an array that contains all of the values from the specified map.', [
    sig([mapOf(K, V)], mapPart('value'), ([m]) => [...(m as Map<Value, Value>).values()], { names: ['input'] }),
  ]),
  defineFunction('MAP_UNION', 'MAP', 'Returns a new map containing the union of all entries from both input maps. If a key is present in both input maps, the corresponding value from map2 is returned.', [
    sig([mapOf(STRING, V), mapOf(STRING, V)], (types) => types.find((t) => t.kind === 'MAP') ?? SqlTypes.map(SqlTypes.STRING, SqlTypes.NULL), ([a, b]) => {
      if (a === null && b === null) return null;
      return new Map<Value, Value>([...((a as Map<Value, Value> | null) ?? []), ...((b as Map<Value, Value> | null) ?? [])]);
    }, { acceptsNulls: true, names: ['map1', 'map2'] }),
  ]),
  defineFunction('ENTRIES', 'MAP', 'Construct an array from the entries in a map. The array can be optionally sorted on the keys.', [
    sig(
      [mapOf(STRING, T), BOOLEAN],
      (types) =>
        SqlTypes.array(
          SqlTypes.struct([
            { name: 'K', type: SqlTypes.STRING },
            { name: 'V', type: types[0]?.kind === 'MAP' ? types[0].value : SqlTypes.NULL },
          ]),
        ),
      ([m, sorted]) => {
        const entries = [...(m as Map<Value, Value>)];
        if (sorted === true) entries.sort(([a], [b]) => compareValues(a, b));
        return entries.map(([k, v]) => ({ K: k, V: v }));
      },
      { names: ['map', 'sorted'] },
    ),
  ]),
  defineFunction('GENERATE_SERIES', 'ARRAY', 'Construct an array of a range of values', [
    sig([INTEGER, INTEGER], arrayOfType(SqlTypes.INTEGER), ([a, b]) => series(a as number, b as number, undefined), { names: ['start', 'end'] }),
    sig([INTEGER, INTEGER, INTEGER], arrayOfType(SqlTypes.INTEGER), ([a, b, s]) => series(a as number, b as number, s as number), {
      names: ['start', 'end', 'step'],
    }),
    sig([BIGINT, BIGINT], arrayOfType(SqlTypes.BIGINT), ([a, b]) => seriesBig(a as bigint, b as bigint, undefined), { names: ['start', 'end'] }),
    sig([BIGINT, BIGINT, INTEGER], arrayOfType(SqlTypes.BIGINT), ([a, b, s]) => seriesBig(a as bigint, b as bigint, s as number), {
      names: ['start', 'end', 'step'],
    }),
  ]),
  defineFunction('AS_MAP', 'MAP', 'Construct a map from a list of keys and a list of values.', [
    sig(
      [arrayOf(STRING), ARRAY_T],
      (types) => SqlTypes.map(SqlTypes.STRING, types[1]?.kind === 'ARRAY' ? types[1].item : SqlTypes.NULL),
      ([keys, values]) => {
        const out = new Map<Value, Value>();
        arr(keys).forEach((k, i) => out.set(k, i < arr(values).length ? arr(values)[i]! : null));
        return out;
      },
      { names: ['keys', 'values'] },
    ),
  ]),
];

function arrayOfType(item: SqlType): SqlType {
  return SqlTypes.array(item);
}

/** ksqlDB's GenerateSeries: a zero step or one pointing away from `end` is an error. */
function checkStep(diff: number, step: number): void {
  if (step === 0) throw new KsqlFunctionError('GENERATE_SERIES step cannot be zero');
  if ((diff > 0 && step < 0) || (diff < 0 && step > 0)) throw new KsqlFunctionError('GENERATE_SERIES step has wrong sign');
}

function series(start: number, end: number, step: number | undefined): Value[] {
  const s = step ?? (end >= start ? 1 : -1);
  checkStep(end - start, s);
  const out: Value[] = [];
  for (let v = start; s > 0 ? v <= end : v >= end; v += s) out.push(v);
  return out;
}

function seriesBig(start: bigint, end: bigint, step: number | undefined): Value[] {
  const s = BigInt(step ?? (end >= start ? 1 : -1));
  checkStep(Number(end - start), Number(s));
  const out: Value[] = [];
  for (let v = start; s > 0n ? v <= end : v >= end; v += s) out.push(v);
  return out;
}

function sortArray(values: Value[], direction: string): Value[] {
  const d = direction.toUpperCase();
  if (d !== 'ASC' && d !== 'DESC') throw new KsqlFunctionError(`Invalid sort direction: ${direction}`);
  const sorted = nonNullSorted(values);
  if (d === 'DESC') sorted.reverse();
  return [...sorted, ...values.filter((v) => v === null)];
}

function elementType(t: SqlType | undefined): SqlType {
  return t && t.kind === 'ARRAY' ? t.item : SqlTypes.NULL;
}

function joinArray(values: Value[], delimiter: string, itemType: SqlType): string {
  return values.map((v) => (itemType.kind === 'NULL' ? javaToString(v) : javaToStringTyped(v, itemType))).join(delimiter);
}

/** ksqlDB's Slice: 1-based inclusive bounds; a null bound means the array's start or end. */
function slice(values: Value[] | null, from: number | null, to: number | null): Value[] | null {
  if (values === null) return null;
  const start = from === null ? 0 : from - 1;
  const end = to === null ? values.length : to;
  if (start < 0 || start > values.length || end > values.length || end < start) return null;
  return values.slice(start, end);
}
