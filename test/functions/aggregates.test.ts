import { describe, expect, it } from 'vitest';
import { KsqlError, KsqlFunctionError, KsqlStatementError } from '../../src/engine/errors.js';
import { murmurHashBytes, murmurHashLong } from '../../src/engine/functions/aggregates/count-distinct.js';
import {
  isAggregateFunctionName,
  listAggregates,
  lookupAggregate,
  nonLiteralArgumentError,
  nonTableAggregateError,
  type AggregateFunction,
  type AggregateFunctionFactory,
} from '../../src/engine/functions/aggregates/types.js';
import { describeFunctionEntity, showFunctionsEntity } from '../../src/engine/functions/entities.js';
import { createFunctionRegistry } from '../../src/engine/functions/registry.js';
import { SqlTypes, type SqlType } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import type { Value } from '../../src/engine/values/value.js';

const { INTEGER, BIGINT, DOUBLE, STRING, BOOLEAN, BYTES, DATE, TIME, TIMESTAMP } = SqlTypes;

function factory(name: string): AggregateFunctionFactory {
  const f = lookupAggregate(name);
  if (!f) throw new Error(`no aggregate ${name}`);
  return f;
}

function make(name: string, argTypes: readonly SqlType[], literals: readonly Value[] = [], properties: Record<string, string> = {}) {
  return factory(name).create(argTypes, literals, { properties });
}

/** Feeds single-column rows; returns the result after each. */
function run(fn: AggregateFunction, values: readonly Value[], start: unknown = fn.initialize()): Value[] {
  let acc = start;
  return values.map((v) => {
    acc = fn.aggregate(acc, [v]);
    return fn.result(acc);
  });
}

function fold(fn: AggregateFunction, values: readonly Value[]): unknown {
  return values.reduce<unknown>((acc, v) => fn.aggregate(acc, [v]), fn.initialize());
}

/** toJson -> JSON text -> fromJson, as the durable store does. */
function roundTrip(fn: AggregateFunction, acc: unknown): unknown {
  return fn.fromJson(JSON.parse(JSON.stringify(fn.toJson(acc))));
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const dec = (s: string) => Decimal.parse(s);

describe('COUNT', () => {
  it('counts non-null values as BIGINT, and every row without a column argument (COUNT(*))', () => {
    const count = make('COUNT', [STRING]);
    expect(count.returnType).toEqual(BIGINT);
    expect(run(count, ['a', null, 'b'])).toEqual([1n, 1n, 2n]);
    const star = make('count', []);
    let acc = star.initialize();
    acc = star.aggregate(acc, []);
    acc = star.aggregate(acc, []);
    expect(star.result(acc)).toBe(2n);
  });

  it('counts a table back to zero through undo (count.json "count table")', () => {
    const count = make('COUNT', [STRING]);
    let bob = count.initialize();
    let john = count.initialize();
    bob = count.aggregate(bob, ['bob']);
    expect(count.result(bob)).toBe(1n);
    // key 0 changes from bob to john
    bob = count.undo!(bob, ['bob']);
    john = count.aggregate(john, ['john']);
    expect([count.result(bob), count.result(john)]).toEqual([0n, 1n]);
    john = count.aggregate(john, ['john']);
    expect(count.result(john)).toBe(2n);
    john = count.undo!(john, ['john']);
    expect(count.result(john)).toBe(1n);
    expect(count.undo!(john, [null])).toBe(john);
  });

  it('treats every argument after the first as a literal init argument, as ksqlDB built-ins do', () => {
    expect(factory('COUNT').literalArgCount([INTEGER])).toBe(0);
    expect(factory('COUNT').literalArgCount([])).toBe(0);
    expect(factory('COUNT').literalArgCount([STRING, INTEGER])).toBe(1);
  });
});

describe('SUM', () => {
  it('keeps the column type and wraps like Java int and long', () => {
    const ints = make('SUM', [INTEGER]);
    expect(ints.returnType).toEqual(INTEGER);
    expect(run(ints, [0, 100, null])).toEqual([0, 100, 100]);
    expect(run(ints, [2147483647, 1])).toEqual([2147483647, -2147483648]);
    const longs = make('SUM', [BIGINT]);
    expect(longs.returnType).toEqual(BIGINT);
    expect(run(longs, [2147483648n, 100n])).toEqual([2147483648n, 2147483748n]);
    expect(run(longs, [9223372036854775807n, 1n])).toEqual([9223372036854775807n, -9223372036854775808n]);
    const doubles = make('SUM', [DOUBLE]);
    expect(run(doubles, [5.4, 100.1])).toEqual([5.4, 105.5]);
    expect(run(doubles, [500.9, 300.8])).toEqual([500.9, 801.7]);
  });

  it('sums to 0 over nulls only', () => {
    expect(run(make('SUM', [INTEGER]), [null])).toEqual([0]);
    expect(make('SUM', [BIGINT]).result(make('SUM', [BIGINT]).initialize())).toBe(0n);
  });

  it('sums DECIMAL(p, s) into DECIMAL(p, s) and overflows with ksqlDB\'s message (sum.json)', () => {
    const sum = make('SUM', [SqlTypes.decimal(4, 1)]);
    expect(sum.returnType).toEqual(SqlTypes.decimal(4, 1));
    expect(run(sum, [dec('5.4'), dec('100.1')]).map(String)).toEqual(['5.4', '105.5']);
    const acc = fold(sum, [dec('500.9'), dec('300.8')]);
    expect(String(sum.result(acc))).toBe('801.7');
    const e = errorOf(() => sum.aggregate(acc, [dec('400.8')]));
    expect(e).toBeInstanceOf(KsqlFunctionError);
    // 1202.5 rounded to MathContext(4) is 1.203E+3
    expect(e.message).toBe(
      'Numeric field overflow: A field with precision 4 and scale 1 must round to an absolute value less than 10^3. Got 1203',
    );
    const wide = make('SUM', [SqlTypes.decimal(6, 2)]);
    expect(String(wide.result(wide.initialize()))).toBe('0.00');
    expect(run(wide, [dec('5.40'), dec('100.10'), dec('395.40'), dec('300.80'), dec('400.80')]).map(String)).toEqual([
      '5.40',
      '105.50',
      '500.90',
      '801.70',
      '1202.50',
    ]);
    const narrow = make('SUM', [SqlTypes.decimal(3, 1)]);
    expect(errorOf(() => fold(narrow, [dec('50.9'), dec('55.5')])).message).toMatch(/^Numeric field overflow: .* less than 10\^2\. Got 106$/);
  });

  it('undoes back to the previous sum', () => {
    for (const [type, values] of [
      [INTEGER, [3, -7, 2147483647]],
      [BIGINT, [3n, 9223372036854775807n]],
      [DOUBLE, [0.5, 0.25]],
      [SqlTypes.decimal(5, 2), [dec('1.25'), dec('-3.50')]],
    ] as const) {
      const sum = make('SUM', [type]);
      let acc = sum.initialize();
      for (const v of values) {
        const before = sum.result(acc);
        const after = sum.aggregate(acc, [v]);
        expect(String(sum.result(sum.undo!(after, [v])))).toBe(String(before));
        acc = after;
      }
    }
  });

  it('rejects other types with UdfIndex\'s message', () => {
    const e = errorOf(() => factory('SUM').literalArgCount([STRING]));
    expect(e).toBeInstanceOf(KsqlStatementError);
    expect(e.message).toBe(
      "Function 'sum' does not accept parameters (STRING).\n" +
        'Valid alternatives are:\n' +
        'sum(DECIMAL val1)\nsum(DOUBLE val1)\nsum(BIGINT val1)\nsum(INT val1)\n' +
        'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
    );
  });

  it('sums lists with SUM_LIST', () => {
    const sumList = make('SUM_LIST', [SqlTypes.array(INTEGER)]);
    expect(sumList.returnType).toEqual(INTEGER);
    expect(run(sumList, [[1, 1], [2, null, 2], null, [100, 100]])).toEqual([2, 6, 6, 206]);
  });
});

describe('AVG', () => {
  it('averages INT as DOUBLE (average-udaf.json "average int")', () => {
    const avg = make('AVG', [INTEGER]);
    expect(avg.returnType).toEqual(DOUBLE);
    expect(run(avg, [1, 2, 2, null])).toEqual([1, 1.5, 1.6666666666666667, 1.6666666666666667]);
    expect(run(avg, [2, 2, 0])).toEqual([2, 2, 1.3333333333333333]);
  });

  it('wraps the BIGINT sum like Java (average-udaf.json "average long")', () => {
    const avg = make('AVG', [BIGINT]);
    expect(run(avg, [-1n, 9223372036854775807n, 1n, null])).toEqual([-1, 4.611686018427388e18, 3.0744573456182584e18, 3.0744573456182584e18]);
    expect(run(avg, [2n, -2n, 0n])).toEqual([2, 0, 0]);
  });

  it('averages DOUBLE (average-udaf.json "average double")', () => {
    const avg = make('AVG', [DOUBLE]);
    expect(run(avg, [-1.8, 9223372036854.775, 100.2])).toEqual([-1.8, 4611686018426.487, 3074457345651.058]);
    expect(run(avg, [2.3, -200000.6, 0])).toEqual([2.3, -99999.15000000001, -66666.1]);
  });

  it('is 0.0 over no values and follows table updates through undo ("average udaf with table")', () => {
    const avg = make('AVG', [INTEGER]);
    expect(avg.result(avg.initialize())).toBe(0);
    const out: Value[] = [];
    let acc = avg.initialize();
    const add = (v: Value) => {
      acc = avg.aggregate(acc, [v]);
      out.push(avg.result(acc));
    };
    const remove = (v: Value) => {
      acc = avg.undo!(acc, [v]);
      out.push(avg.result(acc));
    };
    add(1); // alice -> 1
    add(2); // bob -> 2
    remove(1); // alice: 1 -> null
    add(null);
    remove(null); // alice: null -> 4
    add(4);
    expect(out).toEqual([1, 1.5, 2, 2, 2, 3]);
  });

  it('has no DECIMAL variant in ksqlDB 0.29', () => {
    expect(errorOf(() => make('AVG', [SqlTypes.decimal(4, 1)])).message).toMatch(
      /^Function 'avg' does not accept parameters \(DECIMAL\(4, 1\)\)\.\nValid alternatives are:\navg\(BIGINT val1\)\navg\(INT val1\)\navg\(DOUBLE val1\)\n/,
    );
  });

  it('declares the intermediate STRUCT ksqlDB stores (which DELIMITED cannot hold)', () => {
    expect(make('AVG', [INTEGER]).aggregateType).toEqual(
      SqlTypes.struct([
        { name: 'SUM', type: INTEGER },
        { name: 'COUNT', type: BIGINT },
      ]),
    );
    expect(make('COUNT', [INTEGER]).aggregateType).toEqual(BIGINT);
  });
});

describe('MIN and MAX', () => {
  it('skip nulls, keep the column type and are null for an empty group', () => {
    const min = make('MIN', [INTEGER]);
    const max = make('MAX', [INTEGER]);
    expect(min.result(min.initialize())).toBeNull();
    expect(run(min, [null, 5, 3, null, 4])).toEqual([null, 5, 3, 3, 3]);
    expect(run(max, [5, 3, 9, null])).toEqual([5, 5, 9, 9]);
    expect(make('MAX', [BIGINT]).returnType).toEqual(BIGINT);
  });

  it('order like Java compareTo: NaN above everything, -0.0 below 0.0, BYTES signed, strings by UTF-16', () => {
    expect(run(make('MAX', [DOUBLE]), [1, NaN, Infinity]).map(String)).toEqual(['1', 'NaN', 'NaN']);
    expect(Object.is(fold2('MIN', DOUBLE, [0, -0]), -0)).toBe(true);
    const bytes = fold2('MIN', BYTES, [Buffer.from([0x01]), Buffer.from([0x80])]) as Buffer;
    expect([...bytes]).toEqual([0x80]);
    expect(fold2('MAX', STRING, ['Z', 'a', 'B'])).toBe('a');
    expect(fold2('MIN', STRING, ['\u{1F600}', '\uFFFF'])).toBe('\u{1F600}');
    expect(String(fold2('MAX', SqlTypes.decimal(4, 2), [dec('1.50'), dec('10.25'), dec('-3.00')]))).toBe('10.25');
    expect(fold2('MIN', TIMESTAMP, [1000, 5])).toBe(5);
    expect(fold2('MAX', DATE, [3, 19000])).toBe(19000);
    expect(fold2('MAX', TIME, [3, 1])).toBe(3);
  });

  it('reject other column types with the built-in factories\' message and cannot aggregate tables', () => {
    expect(errorOf(() => make('MIN', [BOOLEAN])).message).toBe('No MIN aggregate function with BOOLEAN argument type exists!');
    expect(errorOf(() => make('MAX', [SqlTypes.array(INTEGER)])).message).toBe(
      'No MAX aggregate function with ARRAY<INTEGER> argument type exists!',
    );
    expect(factory('MIN').supportsTables).toBe(false);
    expect(make('MAX', [INTEGER]).undo).toBeUndefined();
  });
});

function fold2(name: string, type: SqlType, values: readonly Value[]): Value {
  const fn = make(name, [type]);
  return fn.result(fold(fn, values));
}

describe('LATEST_BY_OFFSET and EARLIEST_BY_OFFSET', () => {
  it('resolve on all argument types and report how many trailing ones are literals', () => {
    const latest = factory('LATEST_BY_OFFSET');
    expect(latest.literalArgCount([INTEGER])).toBe(0);
    expect(latest.literalArgCount([INTEGER, BOOLEAN])).toBe(1);
    expect(latest.literalArgCount([INTEGER, INTEGER])).toBe(1);
    expect(latest.literalArgCount([STRING, INTEGER, BOOLEAN])).toBe(2);
    expect(factory('earliest_by_offset').literalArgCount([INTEGER, INTEGER, BOOLEAN])).toBe(2);
    expect(errorOf(() => latest.literalArgCount([INTEGER, STRING])).message).toBe(
      "Function 'LATEST_BY_OFFSET' does not accept parameters (INTEGER, STRING).\n" +
        'Valid alternatives are:\n' +
        'LATEST_BY_OFFSET(T val1)\n' +
        'LATEST_BY_OFFSET(T val1, BOOLEAN ignoreNulls)\n' +
        'LATEST_BY_OFFSET(T val1, INT latestN)\n' +
        'LATEST_BY_OFFSET(T val1, INT latestN, BOOLEAN ignoreNulls)\n' +
        'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;',
    );
  });

  it('LATEST_BY_OFFSET: nulls ignored by default, kept with ignoreNulls = false (latest-offset-udaf.json)', () => {
    expect(run(make('LATEST_BY_OFFSET', [INTEGER]), [null, null])).toEqual([null, null]);
    expect(run(make('LATEST_BY_OFFSET', [INTEGER], [true]), [12, null, 13])).toEqual([12, 12, 13]);
    expect(run(make('LATEST_BY_OFFSET', [INTEGER], [false]), [12, null, 13])).toEqual([12, null, 13]);
    expect(run(make('LATEST_BY_OFFSET', [INTEGER], [2, true]), [12, null, 13])).toEqual([[12], [12], [12, 13]]);
    expect(run(make('LATEST_BY_OFFSET', [INTEGER], [2, false]), [12, null, 13])).toEqual([[12], [12, null], [null, 13]]);
    expect(run(make('LATEST_BY_OFFSET', [INTEGER], [2]), [null, null])).toEqual([[], []]);
    expect(run(make('LATEST_BY_OFFSET', [STRING], [2]), ['foo', 'bar', 'baz'])).toEqual([['foo'], ['foo', 'bar'], ['bar', 'baz']]);
    expect(make('LATEST_BY_OFFSET', [INTEGER], [2]).returnType).toEqual(SqlTypes.array(INTEGER));
  });

  it('EARLIEST_BY_OFFSET keeps the first value(s) (udaf.json "support more than one literal param")', () => {
    expect(run(make('EARLIEST_BY_OFFSET', [INTEGER]), [null, 1, 2])).toEqual([null, 1, 1]);
    expect(run(make('EARLIEST_BY_OFFSET', [INTEGER], [false]), [null, 1, 2])).toEqual([null, null, null]);
    expect(run(make('EARLIEST_BY_OFFSET', [INTEGER], [2, true]), [1, null, 2, 3])).toEqual([[1], [1], [1, 2], [1, 2]]);
    expect(run(make('EARLIEST_BY_OFFSET', [INTEGER], [2, false]), [1, null, 2])).toEqual([[1], [1, null], [1, null]]);
  });

  it('carry any type: STRUCT, ARRAY, MAP, DECIMAL, BYTES', () => {
    const type = SqlTypes.array(
      SqlTypes.struct([
        { name: 'A', type: STRING },
        { name: 'M', type: SqlTypes.map(STRING, DOUBLE) },
      ]),
    );
    const latest = make('LATEST_BY_OFFSET', [type]);
    expect(latest.returnType).toEqual(type);
    const v1 = [{ A: 'Early0', M: new Map<Value, Value>([['Early0', 1.234]]) }];
    const v2 = [{ A: 'Later0', M: new Map<Value, Value>([['Early0', 3.45]]) }];
    expect(run(latest, [v1, v2])).toEqual([v1, v2]);
    const decimals = make('LATEST_BY_OFFSET', [SqlTypes.decimal(3, 2)], [true]);
    expect(run(decimals, [dec('3.40'), dec('8.90')]).map(String)).toEqual(['3.40', '8.90']);
  });

  it('store sequence numbers, so their accumulators survive JSON and session merges order by them', () => {
    const latest = make('LATEST_BY_OFFSET', [INTEGER]);
    // merging session windows: 1@0, 3@1500, then 2@700 bridges them
    const s1 = latest.aggregate(latest.initialize(), [1]);
    const s2 = latest.aggregate(latest.initialize(), [3]);
    const bridged = latest.aggregate(latest.merge!(latest.merge!(latest.initialize(), roundTrip(latest, s1)), roundTrip(latest, s2)), [2]);
    expect(latest.result(bridged)).toBe(2);
    // nulls ignored when merging: the bridging session's own initial null loses to 1
    const withNull = latest.aggregate(latest.merge!(latest.initialize(), s1), [null]);
    expect(latest.result(withNull)).toBe(1);
    // not ignored: the newer initial null wins, then the null row keeps it null
    const keep = make('LATEST_BY_OFFSET', [INTEGER], [false]);
    const k1 = keep.aggregate(keep.initialize(), [1]);
    expect(keep.result(keep.aggregate(keep.merge!(keep.initialize(), k1), [null]))).toBeNull();
    // N form: [1] + [null] then 2 -> latest two are [null, 2]
    const n = make('LATEST_BY_OFFSET', [INTEGER], [2, false]);
    const a = n.aggregate(n.initialize(), [1]);
    const b = n.aggregate(n.initialize(), [null]);
    expect(n.result(n.aggregate(n.merge!(n.merge!(n.initialize(), a), b), [2]))).toEqual([null, 2]);
    const json = latest.toJson(s1) as { SEQ: number; VAL: unknown };
    expect(Object.keys(json)).toEqual(['SEQ', 'VAL']);
    expect(latest.aggregateType).toEqual(
      SqlTypes.struct([
        { name: 'SEQ', type: BIGINT },
        { name: 'VAL', type: INTEGER },
      ]),
    );
  });

  it('reject N below 1 and cannot aggregate tables', () => {
    expect(errorOf(() => make('LATEST_BY_OFFSET', [INTEGER], [0])).message).toBe('latestN must be 1 or greater');
    expect(errorOf(() => make('EARLIEST_BY_OFFSET', [INTEGER], [-1, true])).message).toBe('earliestN must be 1 or greater');
    expect(factory('LATEST_BY_OFFSET').supportsTables).toBe(false);
    expect(factory('EARLIEST_BY_OFFSET').supportsTables).toBe(false);
    expect(make('LATEST_BY_OFFSET', [INTEGER]).undo).toBeUndefined();
  });

  it('tell a wrong split of column and literal arguments apart', () => {
    expect(errorOf(() => factory('LATEST_BY_OFFSET').create([INTEGER, INTEGER], [])).message).toMatch(/takes 1 literal argument/);
    expect(() => factory('LATEST_BY_OFFSET').create([INTEGER], [3], { literalTypes: [INTEGER] })).not.toThrow();
  });
});

describe('COLLECT_LIST and COLLECT_SET', () => {
  it('COLLECT_LIST collects every value, nulls included, up to ksql.functions.collect_list.limit', () => {
    const list = make('COLLECT_LIST', [INTEGER]);
    expect(list.returnType).toEqual(SqlTypes.array(INTEGER));
    expect(run(list, [1, null, 1])).toEqual([[1], [1, null], [1, null, 1]]);
    const limited = make('COLLECT_LIST', [INTEGER], [], { 'ksql.functions.collect_list.limit': '2' });
    expect(run(limited, [1, 2, 3])).toEqual([[1], [1, 2], [1, 2]]);
    const unlimited = make('COLLECT_LIST', [INTEGER], [], { 'ksql.functions.collect_list.limit': '-1' });
    expect(run(unlimited, [1, 2, 3]).at(-1)).toEqual([1, 2, 3]);
    expect(() => make('COLLECT_LIST', [INTEGER], [], { 'ksql.functions.collect_list.limit': 'x' })).toThrow(KsqlError);
  });

  it('COLLECT_LIST undoes by removing the last equal entry', () => {
    const list = make('COLLECT_LIST', [STRING]);
    const acc = fold(list, ['a', 'b', 'a', 'c']);
    expect(list.result(list.undo!(acc, ['a']))).toEqual(['a', 'b', 'c']);
    expect(list.result(list.undo!(acc, ['zzz']))).toEqual(['a', 'b', 'a', 'c']);
    expect(list.result(list.undo!(list.aggregate(acc, ['d']), ['d']))).toEqual(list.result(acc));
    expect(factory('COLLECT_LIST').supportsTables).toBe(true);
  });

  it('COLLECT_SET keeps distinct values by Java equals, in first-seen order, with its own limit', () => {
    const set = make('COLLECT_SET', [DOUBLE]);
    expect(run(set, [1, NaN, 1, NaN, null, null, -0, 0]).at(-1)).toEqual([1, NaN, null, -0, 0]);
    const decimals = make('COLLECT_SET', [SqlTypes.decimal(3, 1)]);
    expect((decimals.result(fold(decimals, [dec('1.0'), dec('1.0'), dec('2.0')])) as Decimal[]).map(String)).toEqual(['1.0', '2.0']);
    const limited = make('COLLECT_SET', [STRING], [], { 'ksql.functions.collect_set.limit': '2' });
    expect(limited.result(fold(limited, ['a', 'b', 'a', 'c']))).toEqual(['a', 'b']);
    expect(factory('COLLECT_SET').supportsTables).toBe(false);
    expect(set.undo).toBeUndefined();
  });
});

describe('COUNT_DISTINCT', () => {
  it('estimates distinct non-null values (exact for small groups) as BIGINT', () => {
    const cd = make('COUNT_DISTINCT', [STRING]);
    expect(cd.returnType).toEqual(BIGINT);
    expect(cd.result(cd.initialize())).toBe(0n);
    expect(run(cd, ['a', 'b', 'a', null, 'c'])).toEqual([1n, 2n, 2n, 2n, 3n]);
    const ints = make('COUNT_DISTINCT', [INTEGER]);
    expect(ints.result(fold(ints, [1, 2, 3, 1, 2, 3, 4]))).toBe(4n);
    expect(factory('COUNT_DISTINCT').supportsTables).toBe(false);
  });

  it('stays within HyperLogLog\'s error for large groups and merges register sets', () => {
    const cd = make('COUNT_DISTINCT', [BIGINT]);
    const values = Array.from({ length: 20000 }, (_, i) => BigInt(i));
    const estimate = Number(cd.result(fold(cd, values)));
    expect(Math.abs(estimate - 20000) / 20000).toBeLessThan(0.03);
    const half1 = fold(cd, values.slice(0, 10000));
    const half2 = fold(cd, values.slice(10000));
    expect(Number(cd.result(cd.merge!(half1, half2)))).toBe(estimate);
    expect(cd.result(roundTrip(cd, half1))).toBe(cd.result(half1));
  });

  it('hashes with stream-lib\'s MurmurHash2 (seed -1, sign-extended tail bytes)', () => {
    // Golden values from an independent big-integer implementation of stream-lib's algorithm.
    const bytes: [string | number[], number][] = [
      ['', -1285986640],
      ['a', 713507990],
      ['ab', -1797532438],
      ['abc', -1465591341],
      ['abcd', 1555318719],
      ['hello world', 1964480955],
      [[0x80], -493635967],
      [[0xff, 0xfe, 0x80], 1104027498],
    ];
    for (const [input, hash] of bytes) {
      const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : Uint8Array.from(input);
      expect(murmurHashBytes(data)).toBe(hash);
    }
    const longs: [bigint, number][] = [
      [0n, 0],
      [1n, 1527037976],
      [2n, -2031987566],
      [-1n, -2037786185],
      [9223372036854775807n, 310834921],
    ];
    for (const [input, hash] of longs) expect(murmurHashLong(input)).toBe(hash);
  });
});

describe('STDDEV_SAMPLE and STDDEV_SAMP', () => {
  const values = [2, 4, 4, 4, 5, 5, 7, 9];

  it('STDDEV_SAMPLE is the sample standard deviation (n - 1), 0.0 below two values', () => {
    const sd = make('STDDEV_SAMPLE', [INTEGER]);
    expect(sd.returnType).toEqual(DOUBLE);
    expect(run(sd, [5])).toEqual([0]);
    expect(sd.result(fold(sd, values))).toBeCloseTo(Math.sqrt(32 / 7), 12);
    const dbl = make('STDDEV_SAMPLE', [DOUBLE]);
    expect(dbl.result(fold(dbl, values))).toBeCloseTo(Math.sqrt(32 / 7), 12);
    const lng = make('STDDEV_SAMPLE', [BIGINT]);
    expect(lng.result(fold(lng, values.map(BigInt)))).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('STDDEV_SAMP returns the sample variance, as ksqlDB 0.29 does', () => {
    const samp = make('STDDEV_SAMP', [INTEGER]);
    expect(samp.result(fold(samp, values))).toBeCloseTo(32 / 7, 12);
  });

  it('undo gives the previous result back and supports tables', () => {
    const sd = make('STDDEV_SAMPLE', [INTEGER]);
    let acc = sd.initialize();
    for (const v of values) {
      const before = sd.result(acc);
      const after = sd.aggregate(acc, [v]);
      expect(sd.result(sd.undo!(after, [v]))).toBeCloseTo(before as number, 12);
      acc = after;
    }
    expect(sd.result(sd.undo!(acc, [null]))).toBe(sd.result(acc));
    expect(factory('STDDEV_SAMPLE').supportsTables).toBe(true);
    expect(factory('STDDEV_SAMP').supportsTables).toBe(true);
  });

  it('merges partial aggregates', () => {
    const sd = make('STDDEV_SAMPLE', [DOUBLE]);
    const merged = sd.merge!(fold(sd, values.slice(0, 3)), fold(sd, values.slice(3)));
    expect(sd.result(merged)).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('accept INT, BIGINT and DOUBLE only', () => {
    expect(errorOf(() => make('STDDEV_SAMPLE', [SqlTypes.decimal(2, 1)])).message).toMatch(
      /^Function 'STDDEV_SAMPLE' does not accept parameters \(DECIMAL\(2, 1\)\)/,
    );
  });
});

describe('HISTOGRAM, CORRELATION, TOPK, TOPKDISTINCT', () => {
  it('HISTOGRAM counts strings, undoes, and emits java.util.HashMap order', () => {
    const h = make('HISTOGRAM', [STRING]);
    expect(h.returnType).toEqual(SqlTypes.map(STRING, BIGINT));
    const acc = fold(h, ['c', 'a', 'c', 'b']);
    expect([...(h.result(acc) as Map<Value, Value>)]).toEqual([
      ['a', 1n],
      ['b', 1n],
      ['c', 2n],
    ]);
    expect([...(h.result(h.undo!(acc, ['b'])) as Map<Value, Value>)]).toEqual([
      ['a', 1n],
      ['c', 2n],
    ]);
    expect(h.result(roundTrip(h, acc))).toEqual(h.result(acc));
  });

  it('CORRELATION is Pearson\'s r of two DOUBLE columns', () => {
    const c = make('CORRELATION', [DOUBLE, DOUBLE]);
    let acc = c.initialize();
    for (const [x, y] of [
      [1, 2],
      [2, 4],
      [3, 6.5],
    ]) {
      acc = c.aggregate(acc, [x!, y!]);
    }
    // deviations from the means: x (-1, 0, 1), y (-13/6, -1/6, 7/3): r = 4.5 / sqrt(2 * 61/6)
    expect(c.result(acc)).toBeCloseTo(4.5 / Math.sqrt((2 * 61) / 6), 12);
    expect(c.result(c.aggregate(c.aggregate(c.initialize(), [1, -1]), [2, -2]))).toBeCloseTo(-1, 12);
    expect(c.result(c.aggregate(acc, [null, 1]))).toBe(c.result(acc));
    expect(factory('CORRELATION').literalArgCount([DOUBLE, DOUBLE])).toBe(0);
    expect(() => make('CORRELATION', [INTEGER, DOUBLE])).toThrow(/does not accept parameters \(INTEGER, DOUBLE\)/);
  });

  it('TOPK / TOPKDISTINCT keep the k largest values in descending order', () => {
    const top = make('TOPK', [INTEGER], [2]);
    expect(top.returnType).toEqual(SqlTypes.array(INTEGER));
    expect(run(top, [3, 1, 5, null, 5])).toEqual([[3], [3, 1], [5, 3], [5, 3], [5, 5]]);
    const distinct = make('TOPKDISTINCT', [STRING], [2]);
    expect(distinct.result(fold(distinct, ['b', 'c', 'c', 'a']))).toEqual(['c', 'b']);
    expect(errorOf(() => make('TOPK', [SqlTypes.decimal(2, 1)], [2])).message).toBe(
      'No TOPK aggregate function with DECIMAL(2, 1) argument type exists!',
    );
    expect(factory('TOPK').literalArgCount([INTEGER, INTEGER])).toBe(1);
  });
});

describe('every aggregate', () => {
  const cases: [name: string, types: SqlType[], literals: Value[], rows: Value[]][] = [
    ['COUNT', [STRING], [], ['a', null, 'b']],
    ['SUM', [SqlTypes.decimal(6, 2)], [], [dec('1.25'), null, dec('2.50')]],
    ['SUM', [BIGINT], [], [1n, 9223372036854775807n]],
    ['AVG', [DOUBLE], [], [1.5, NaN, -0]],
    ['MIN', [BYTES], [], [Buffer.from('b'), Buffer.from('a')]],
    ['MAX', [DOUBLE], [], [-Infinity, 1]],
    ['LATEST_BY_OFFSET', [SqlTypes.map(STRING, SqlTypes.decimal(3, 1))], [2, false], [new Map<Value, Value>([['k', dec('1.5')]]), null]],
    ['EARLIEST_BY_OFFSET', [SqlTypes.struct([{ name: 'B', type: BYTES }])], [], [{ B: Buffer.from([1, 2]) }]],
    ['COLLECT_LIST', [BIGINT], [], [1n, null, 2n]],
    ['COLLECT_SET', [SqlTypes.array(BIGINT)], [], [[1n], [1n], [2n]]],
    ['COUNT_DISTINCT', [STRING], [], ['x', 'y']],
    ['STDDEV_SAMPLE', [BIGINT], [], [1n, 5n, 9n]],
    ['STDDEV_SAMP', [DOUBLE], [], [1, Infinity]],
    ['HISTOGRAM', [STRING], [], ['x', null, 'x']],
    ['TOPKDISTINCT', [SqlTypes.decimal(3, 1)], [2], [dec('1.0'), dec('3.0')]],
  ];

  it.each(cases)('%s: toJson is JSON-safe and fromJson continues identically', (name, types, literals, rows) => {
    const fn = make(name, types, literals);
    let acc = fn.initialize();
    for (const row of rows) {
      acc = fn.aggregate(acc, [row]);
      const restored = roundTrip(fn, acc);
      expect(fn.toJson(restored)).toEqual(JSON.parse(JSON.stringify(fn.toJson(acc))));
      expect(fn.result(restored)).toEqual(fn.result(acc));
      acc = restored;
    }
  });

  it.each(cases)('%s: aggregate does not mutate the accumulator it is given', (name, types, literals, rows) => {
    const fn = make(name, types, literals);
    let acc = fn.initialize();
    for (const row of rows) {
      const before = JSON.stringify(fn.toJson(acc));
      const next = fn.aggregate(acc, [row]);
      expect(JSON.stringify(fn.toJson(acc))).toBe(before);
      if (fn.undo) {
        const afterNext = JSON.stringify(fn.toJson(next));
        fn.undo(next, [row]);
        expect(JSON.stringify(fn.toJson(next))).toBe(afterNext);
      }
      acc = next;
    }
  });

  it('support tables exactly where ksqlDB implements TableUdaf / TableAggregationFunction', () => {
    const tables = listAggregates()
      .filter((f) => f.supportsTables)
      .map((f) => f.name);
    expect(tables).toEqual(['AVG', 'COLLECT_LIST', 'CORRELATION', 'COUNT', 'HISTOGRAM', 'STDDEV_SAMP', 'STDDEV_SAMPLE', 'SUM', 'SUM_LIST']);
    for (const [name, types, literals] of cases) {
      expect(make(name, types, literals).undo !== undefined).toBe(factory(name).supportsTables);
    }
  });

  it('are recognised by name, case-insensitively', () => {
    expect(isAggregateFunctionName('latest_by_offset')).toBe(true);
    expect(isAggregateFunctionName('Sum')).toBe(true);
    expect(isAggregateFunctionName('ABS')).toBe(false);
    expect(lookupAggregate('abs')).toBeUndefined();
    expect(lookupAggregate('collect_list')?.name).toBe('COLLECT_LIST');
  });
});

describe('errors the core raises around aggregates', () => {
  it('non-literal init argument (udaf.json)', () => {
    const e = nonLiteralArgumentError('EARLIEST_BY_OFFSET', 2, 'F0');
    expect(e).toBeInstanceOf(KsqlStatementError);
    expect(e.message).toBe("Parameter 2 passed to function EARLIEST_BY_OFFSET must be a literal constant, but was expression: 'F0'");
  });

  it('non-table aggregates on a table source (group-by.json)', () => {
    expect(nonTableAggregateError(['LATEST_BY_OFFSET', 'MIN', 'MAX', 'MIN']).message).toBe(
      'The aggregation functions LATEST_BY_OFFSET, MIN and MAX cannot be applied to a table source, only to a stream source.',
    );
    expect(nonTableAggregateError(['collect_set']).message).toBe(
      'The aggregation function COLLECT_SET cannot be applied to a table source, only to a stream source.',
    );
  });
});

describe('SHOW FUNCTIONS and DESCRIBE FUNCTION', () => {
  const registry = createFunctionRegistry();

  it('list every aggregate with type AGGREGATE', () => {
    const listed = showFunctionsEntity(registry, 'SHOW FUNCTIONS;').functions;
    for (const f of listAggregates()) {
      expect(listed).toContainEqual({ name: f.name, type: 'AGGREGATE', category: 'AGGREGATE' });
    }
    expect(registry.isAggregate('sum_list')).toBe(true);
  });

  it('describe an aggregate\'s variants', () => {
    const d = describeFunctionEntity(registry, 'latest_by_offset', 'DESCRIBE FUNCTION latest_by_offset;');
    expect(d.type).toBe('AGGREGATE');
    expect(d.name).toBe('LATEST_BY_OFFSET');
    expect(d.author).toBe('Confluent');
    expect(d.functions.map((f) => f.argumentTypes)).toEqual([['T'], ['T', 'BOOLEAN'], ['T', 'INT'], ['T', 'INT', 'BOOLEAN']]);
    expect(d.functions[2]).toEqual({
      arguments: [
        { name: 'val1', type: 'T', description: '', isVariadic: false },
        { name: 'latestN', type: 'INT', description: '', isVariadic: false },
      ],
      returnType: 'ARRAY<T>',
      description: 'return the latest N values of a column',
      argumentTypes: ['T', 'INT'],
    });
    const min = describeFunctionEntity(registry, 'MIN', '');
    expect(min.functions.map((f) => f.description)).toContain('Computes the minimum DECIMAL(2, 1) value for a key.');
  });
});
