import { describe, expect, it } from 'vitest';
import { SqlTypes as S } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import { call, registry } from './helpers.js';

const INT_ARRAY = S.array(S.INTEGER);

describe('null functions (null.json)', () => {
  it('COALESCE returns the first non-null argument', () => {
    const t = [S.INTEGER, S.INTEGER, S.INTEGER, S.INTEGER];
    expect(call('COALESCE', t, [null, 2, null, 4])).toBe(2);
    expect(call('COALESCE', t, [null, null, null, null])).toBeNull();
    expect(call('COALESCE', [INT_ARRAY, INT_ARRAY], [null, [10, 20]])).toEqual([10, 20]);
    expect(call('COALESCE', [S.STRING], ['only'])).toBe('only');
  });

  it('IFNULL', () => {
    expect(call('IFNULL', [S.INTEGER, S.INTEGER], [null, 10])).toBe(10);
    expect(call('IFNULL', [S.STRING, S.STRING], ['a', 'x'])).toBe('a');
    expect(call('IFNULL', [INT_ARRAY, INT_ARRAY], [null, [10, 20]])).toEqual([10, 20]);
  });

  it('NULLIF compares with Java equals', () => {
    expect(call('NULLIF', [S.INTEGER, S.INTEGER], [10, 10])).toBeNull();
    expect(call('NULLIF', [S.INTEGER, S.INTEGER], [11, 10])).toBe(11);
    expect(call('NULLIF', [S.STRING, S.STRING], [null, 'x'])).toBeNull();
    expect(call('NULLIF', [INT_ARRAY, INT_ARRAY], [[1, 2, 3], [1, 2, 3]])).toBeNull();
    expect(call('NULLIF', [INT_ARRAY, INT_ARRAY], [[1, 2], [1, 2, 3]])).toEqual([1, 2]);
    // BigDecimal.equals is scale-sensitive
    const d = S.decimal(4, 2);
    expect(call('NULLIF', [d, d], [Decimal.parse('1.00'), Decimal.parse('1.0')])).not.toBeNull();
  });

  it('AS_VALUE is the identity', () => {
    expect(call('AS_VALUE', [S.STRING], ['k'])).toBe('k');
    expect(registry.resolve('AS_VALUE', [S.BIGINT]).returnType).toEqual(S.BIGINT);
  });
});

describe('array and map functions', () => {
  it('ARRAY_LENGTH (null.json uses it on ARRAY<NULL>)', () => {
    expect(call('ARRAY_LENGTH', [INT_ARRAY], [[1, 2, null]])).toBe(3);
    expect(call('ARRAY_LENGTH', [S.array(S.NULL)], [[null]])).toBe(1);
    expect(call('ARRAY_LENGTH', [INT_ARRAY], [null])).toBeNull();
  });

  it('ARRAY_CONTAINS treats a null array as not containing', () => {
    expect(call('ARRAY_CONTAINS', [INT_ARRAY, S.INTEGER], [[1, 2], 2])).toBe(true);
    expect(call('ARRAY_CONTAINS', [INT_ARRAY, S.INTEGER], [[1, null], null])).toBe(true);
    expect(call('ARRAY_CONTAINS', [INT_ARRAY, S.INTEGER], [null, 1])).toBe(false);
  });

  it('ARRAY_DISTINCT, ARRAY_UNION, ARRAY_INTERSECT, ARRAY_EXCEPT, ARRAY_REMOVE', () => {
    expect(call('ARRAY_DISTINCT', [INT_ARRAY], [[1, 1, null, 2, null]])).toEqual([1, null, 2]);
    expect(call('ARRAY_UNION', [INT_ARRAY, INT_ARRAY], [[1, 2, 2], [3, 1]])).toEqual([1, 2, 3]);
    expect(call('ARRAY_INTERSECT', [INT_ARRAY, INT_ARRAY], [[3, 1, 2, 1], [1, 3]])).toEqual([3, 1]);
    expect(call('ARRAY_EXCEPT', [INT_ARRAY, INT_ARRAY], [[1, 2, 2, 3], [3]])).toEqual([1, 2]);
    expect(call('ARRAY_REMOVE', [INT_ARRAY, S.INTEGER], [[1, 2, 1, null], 1])).toEqual([2, null]);
    expect(call('ARRAY_REMOVE', [INT_ARRAY, S.INTEGER], [[1, null], null])).toEqual([1]);
  });

  it('ARRAY_MAX, ARRAY_MIN, ARRAY_SORT ignore or trail nulls', () => {
    expect(call('ARRAY_MAX', [INT_ARRAY], [[1, null, 5, 3]])).toBe(5);
    expect(call('ARRAY_MIN', [S.array(S.STRING)], [['b', 'a', null]])).toBe('a');
    expect(call('ARRAY_MAX', [INT_ARRAY], [[null]])).toBeNull();
    expect(call('ARRAY_SORT', [INT_ARRAY], [[3, null, 1, 2]])).toEqual([1, 2, 3, null]);
    expect(call('ARRAY_SORT', [INT_ARRAY, S.STRING], [[3, null, 1, 2], 'desc'])).toEqual([3, 2, 1, null]);
    expect(call('ARRAY_SORT', [S.array(S.BIGINT)], [[3n, -1n]])).toEqual([-1n, 3n]);
  });

  it('ARRAY_JOIN and SLICE', () => {
    expect(call('ARRAY_JOIN', [INT_ARRAY], [[1, 2, 3]])).toBe('1,2,3');
    expect(call('ARRAY_JOIN', [S.array(S.STRING), S.STRING], [['a', 'b'], '|'])).toBe('a|b');
    expect(call('SLICE', [INT_ARRAY, S.INTEGER, S.INTEGER], [[1, 2, 3, 4], 2, 3])).toEqual([2, 3]);
    expect(call('SLICE', [INT_ARRAY, S.INTEGER, S.INTEGER], [[1, 2, 3, 4], null, 2])).toEqual([1, 2]);
  });

  it('MAP_KEYS, MAP_VALUES, AS_MAP', () => {
    const m = new Map<string, number>([
      ['a', 1],
      ['b', 2],
    ]);
    expect(call('MAP_KEYS', [S.map(S.STRING, S.INTEGER)], [m])).toEqual(['a', 'b']);
    expect(call('MAP_VALUES', [S.map(S.STRING, S.INTEGER)], [m])).toEqual([1, 2]);
    expect(call('AS_MAP', [S.array(S.STRING), INT_ARRAY], [['x', 'y'], [1, 2]])).toEqual(
      new Map([
        ['x', 1],
        ['y', 2],
      ]),
    );
    expect(registry.resolve('AS_MAP', [S.array(S.STRING), INT_ARRAY]).returnType).toEqual(S.map(S.STRING, S.INTEGER));
  });
});
