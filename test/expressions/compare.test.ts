import { describe, expect, it } from 'vitest';
import { compareValues, keyString, valuesEqual } from '../../src/engine/values/compare.js';
import { Decimal } from '../../src/engine/values/decimal.js';

describe('valuesEqual', () => {
  it('compares scalars, decimals by value and bytes by content', () => {
    expect(valuesEqual(1, 1)).toBe(true);
    expect(valuesEqual(NaN, NaN)).toBe(true);
    expect(valuesEqual(1n, 1n)).toBe(true);
    expect(valuesEqual(Decimal.parse('1.0'), Decimal.parse('1.00'))).toBe(true);
    expect(valuesEqual(Decimal.parse('1.0'), Decimal.parse('1.01'))).toBe(false);
    expect(valuesEqual(Buffer.from('ab'), Buffer.from('ab'))).toBe(true);
    expect(valuesEqual('a', 'b')).toBe(false);
    expect(valuesEqual(null, null)).toBe(true);
    expect(valuesEqual(null, 0)).toBe(false);
  });

  it('compares collections deeply, nested nulls equal', () => {
    expect(valuesEqual([1, null, [2]], [1, null, [2]])).toBe(true);
    expect(valuesEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(valuesEqual(new Map([['a', 1], ['b', null]]), new Map([['b', null], ['a', 1]]))).toBe(true);
    expect(valuesEqual(new Map([['a', 1]]), new Map([['a', 2]]))).toBe(false);
    expect(valuesEqual({ A: 1, B: null }, { B: null, A: 1 })).toBe(true);
    expect(valuesEqual({ A: 1 }, { A: 1, B: 2 })).toBe(false);
    expect(valuesEqual(new Map([[Decimal.parse('1.0'), 'x']]), new Map([[Decimal.parse('1.00'), 'x']]))).toBe(true);
  });
});

describe('compareValues', () => {
  it('orders like Java compareTo', () => {
    expect(compareValues(1, 2)).toBeLessThan(0);
    expect(compareValues(2n, 1n)).toBeGreaterThan(0);
    expect(compareValues(NaN, Infinity)).toBeGreaterThan(0);
    expect(compareValues('B', 'a')).toBeLessThan(0);
    expect(compareValues('\uffff', '\ud83d\ude00')).toBeGreaterThan(0);
    expect(compareValues(false, true)).toBeLessThan(0);
    expect(compareValues(Decimal.parse('1.5'), Decimal.parse('1.50'))).toBe(0);
    expect(compareValues(Buffer.from([0x7f]), Buffer.from([0x80]))).toBeGreaterThan(0);
    expect(compareValues([1, 2], [1, 3])).toBeLessThan(0);
    expect(compareValues([1, 2], [1])).toBeGreaterThan(0);
    expect(compareValues(null, 1)).toBeLessThan(0);
    expect(compareValues(9007199254740993n, 9007199254740992n)).toBeGreaterThan(0);
  });
});

describe('keyString', () => {
  it('is equal for equal tuples and distinct otherwise', () => {
    expect(keyString(['a', 1])).toBe(keyString(['a', 1]));
    expect(keyString(['a', 1])).not.toBe(keyString(['a', 2]));
    expect(keyString(['a,1'])).not.toBe(keyString(['a', 1]));
    expect(keyString([null])).not.toBe(keyString(['null']));
    expect(keyString(['1'])).not.toBe(keyString([1]));
    expect(keyString([Decimal.parse('1.0')])).toBe(keyString([Decimal.parse('1.00')]));
    expect(keyString([{ A: 1, B: [1, 2] }])).toBe(keyString([{ A: 1, B: [1, 2] }]));
    expect(keyString([new Map([['a', 1], ['b', 2]])])).toBe(keyString([new Map([['b', 2], ['a', 1]])]));
    expect(keyString([true])).not.toBe(keyString(['true']));
  });
});
