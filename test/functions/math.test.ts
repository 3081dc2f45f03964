import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SqlTypes as S, type SqlType } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import type { Value } from '../../src/engine/values/value.js';
import { call } from './helpers.js';

interface QttTest {
  name: string;
  statements: string[];
  inputs?: { value: Record<string, unknown> | null }[];
  outputs?: { value: Record<string, unknown> | null }[];
}

const MATH = JSON.parse(readFileSync('/work/shared/ksqldb/qtt/math.json', 'utf8')) as { tests: QttTest[] };

/** math.json writes NaN and infinities as strings. */
function expectedDouble(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v as number;
}

function input(row: Record<string, unknown>, column: string): unknown {
  const key = Object.keys(row).find((k) => k.toLowerCase() === column.toLowerCase());
  return key === undefined ? null : row[key];
}

const COLUMN_TYPES: Record<string, SqlType> = { i: S.INTEGER, l: S.BIGINT, d: S.DOUBLE };

function toValue(v: unknown, type: SqlType): Value {
  if (v === null || v === undefined) return null;
  return type.kind === 'BIGINT' ? BigInt(v as number) : (v as number);
}

function asNumber(v: Value): number | null {
  return v === null ? null : typeof v === 'bigint' ? Number(v) : (v as number);
}

/**
 * Runs the math.json cases of the form `SELECT K, f(i) i, f(l) l, f(d) d` and
 * `round(f(i), n) i, ...` against the registry, row by row.
 */
describe('math.json single-argument functions', () => {
  const simple = /SELECT K, (\w+)\(i\) i, \1\(l\) l, \1\(d\) d FROM INPUT/i;
  const rounded = /SELECT K, round\((\w+)\(i\), (\d+)\) i, round\(\1\(l\), \2\) l, round\(\1\(d\), \2\) d FROM INPUT/i;
  for (const test of MATH.tests) {
    const stmt = test.statements[1] ?? '';
    const m = simple.exec(stmt) ?? rounded.exec(stmt);
    if (!m) continue;
    const fn = m[1]!;
    const places = m[2] === undefined ? undefined : Number(m[2]);
    it(`${test.name}`, () => {
      test.inputs!.forEach((inputRecord, row) => {
        const expected = test.outputs![row]!.value!;
        for (const col of ['i', 'l', 'd']) {
          const type = COLUMN_TYPES[col]!;
          const arg = toValue(input(inputRecord.value!, col), type);
          let result = call(fn, [type], [arg]);
          if (places !== undefined) {
            const resultType = typeof result === 'bigint' ? S.BIGINT : S.DOUBLE;
            result = call('ROUND', [resultType, S.INTEGER], [result, places]);
          }
          const want = expectedDouble(input(expected, col));
          if (want === null) expect(result).toBeNull();
          else expect(asNumber(result)).toBe(want);
        }
      });
    });
  }
});

describe('math.json two-argument functions', () => {
  const two = /SELECT K, (?:round\()?(\w+)\(ib, i\w\)/i;
  for (const test of MATH.tests) {
    const m = two.exec(test.statements[1] ?? '');
    if (!m) continue;
    const fn = m[1]!;
    const roundTo = /round\(\w+\(iy, ix\), (\d+)\)/i.exec(test.statements[1]!)?.[1];
    it(test.name, () => {
      test.inputs!.forEach((inputRecord, row) => {
        const v = inputRecord.value!;
        const expected = test.outputs![row]!.value!;
        const keys = Object.keys(v);
        const pairs: [string, SqlType, string, string][] = [
          ['I', S.INTEGER, keys[0]!, keys[1]!],
          ['L', S.BIGINT, keys[2]!, keys[3]!],
          ['D', S.DOUBLE, keys[4]!, keys[5]!],
        ];
        for (const [out, type, a, b] of pairs) {
          let result = call(fn, [type, type], [toValue(v[a], type), toValue(v[b], type)]);
          if (roundTo !== undefined) result = call('ROUND', [S.DOUBLE, S.INTEGER], [result, Number(roundTo)]);
          const want = expectedDouble(expected[out]);
          if (want === null) expect(result).toBeNull();
          else expect(asNumber(result)).toBe(want);
        }
      });
    });
  }

  it('atan2 (round to 13 places)', () => {
    expect(call('ROUND', [S.DOUBLE, S.INTEGER], [call('ATAN2', [S.INTEGER, S.INTEGER], [-2, -3]), 13])).toBe(-2.5535900500422);
    expect(call('ROUND', [S.DOUBLE, S.INTEGER], [call('ATAN2', [S.DOUBLE, S.DOUBLE], [1.1, -0.24]), 13])).toBe(1.7856117271966);
  });
});

describe('ROUND and TRUNC', () => {
  const cases: [number, number, number, number, number, number][] = [
    // v, ROUND(v), ROUND(v,1), ROUND(v,2), ROUND(v,-1), ROUND(v,-2)
    [1.5, 2, 1.5, 1.5, 0, 0],
    [-1.5, -1, -1.5, -1.5, 0, 0],
    [-1.7, -2, -1.7, -1.7, 0, 0],
    [1.234567, 1, 1.2, 1.23, 0, 0],
    [12345.678, 12346, 12345.7, 12345.68, 12350, 12300],
    [-12345.678, -12346, -12345.7, -12345.68, -12350, -12300],
  ];
  it.each(cases)('ROUND(%d) as in math.json', (v, r0, r1, r2, rm1, rm2) => {
    expect(call('ROUND', [S.DOUBLE], [v])).toBe(BigInt(r0));
    expect(call('ROUND', [S.DOUBLE, S.INTEGER], [v, 0])).toBe(r0);
    expect(call('ROUND', [S.DOUBLE, S.INTEGER], [v, 1])).toBe(r1);
    expect(call('ROUND', [S.DOUBLE, S.INTEGER], [v, 2])).toBe(r2);
    expect(call('ROUND', [S.DOUBLE, S.INTEGER], [v, -1])).toBe(rm1);
    expect(call('ROUND', [S.DOUBLE, S.INTEGER], [v, -2])).toBe(rm2);
  });

  it('ROUND keeps a DECIMAL argument scale (math.json large DECIMAL values)', () => {
    const t = S.decimal(33, 16);
    const v = Decimal.parse('12345678987654321.2345678987654321');
    const r = (places?: number): string =>
      String(places === undefined ? call('ROUND', [t], [v]) : call('ROUND', [t, S.INTEGER], [v, places]));
    expect(r()).toBe('12345678987654321');
    expect(r(0)).toBe('12345678987654321.0000000000000000');
    expect(r(1)).toBe('12345678987654321.2000000000000000');
    expect(r(2)).toBe('12345678987654321.2300000000000000');
    expect(r(10)).toBe('12345678987654321.2345678988000000');
    expect(r(-1)).toBe('12345678987654320.0000000000000000');
    expect(r(-2)).toBe('12345678987654300.0000000000000000');
  });

  it('TRUNC over DOUBLE, DECIMAL, INTEGER and BIGINT', () => {
    expect(call('TRUNC', [S.DOUBLE], [-12345.678])).toBe(-12345n);
    expect(call('TRUNC', [S.DOUBLE, S.INTEGER], [-12345.678, 2])).toBe(-12345.67);
    expect(call('TRUNC', [S.DOUBLE, S.INTEGER], [-12345.678, -1])).toBe(-12340);
    const t = S.decimal(12, 7);
    expect(String(call('TRUNC', [t], [Decimal.parse('-1.7000000')]))).toBe('-1');
    expect(String(call('TRUNC', [t, S.INTEGER], [Decimal.parse('12345.6780000'), -2]))).toBe('12300.0000000');
    expect(String(call('TRUNC', [t, S.INTEGER], [Decimal.parse('12345.6780000'), 1]))).toBe('12345.6000000');
    expect(call('TRUNC', [S.INTEGER], [-1])).toBe(-1n);
    expect(call('TRUNC', [S.BIGINT], [2147483648n])).toBe(2147483648n);
  });

  it('CEIL and FLOOR', () => {
    expect(call('CEIL', [S.DOUBLE], [-1.5])).toBe(-1);
    expect(call('FLOOR', [S.DOUBLE], [-1.5])).toBe(-2);
    expect(String(call('FLOOR', [S.decimal(2, 1)], [Decimal.parse('-1.1')]))).toBe('-2.0');
    expect(String(call('CEIL', [S.decimal(2, 1)], [Decimal.parse('1.1')]))).toBe('2.0');
  });
});

describe('other math functions', () => {
  it('ABS wraps like Java and keeps DECIMAL scale', () => {
    expect(call('ABS', [S.INTEGER], [-2147483648])).toBe(-2147483648);
    expect(call('ABS', [S.BIGINT], [-(2n ** 63n)])).toBe(-(2n ** 63n));
    expect(String(call('ABS', [S.decimal(2, 1)], [Decimal.parse('-3.2')]))).toBe('3.2');
  });

  it('PI, RANDOM and LOG with a base', () => {
    expect(call('PI', [], [])).toBe(3.141592653589793);
    const r = call('RANDOM', [], []) as number;
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(1);
  });

  it('GREATEST and LEAST per greatest.json', () => {
    expect(call('GREATEST', [S.INTEGER, S.INTEGER, S.INTEGER, S.NULL, S.INTEGER], [2147483647, -2147483648, null, null, 5])).toBe(2147483647);
    expect(call('GREATEST', [S.BIGINT, S.BIGINT, S.BIGINT, S.NULL], [2n ** 63n - 1n, -(2n ** 63n), null, null])).toBe(2n ** 63n - 1n);
    expect(call('GREATEST', [S.STRING, S.STRING, S.STRING, S.STRING, S.NULL, S.NULL, S.STRING], ['apple', 'banana', 'aardvark', null, null, null, 'hello'])).toBe('hello');
    expect(call('GREATEST', [S.STRING, S.STRING, S.STRING, S.STRING, S.NULL, S.NULL, S.STRING], ['!', 'zebra', 'aardvark', null, null, null, 'hello'])).toBe('zebra');
    const dec = call('GREATEST', [S.decimal(9, 3), S.decimal(9, 3), S.decimal(9, 3), S.NULL], [Decimal.parse('123456.789'), Decimal.parse('-987654.321'), null, null]);
    expect(String(dec)).toBe('123456.789');
    const bytes = call('GREATEST', [S.BYTES, S.BYTES, S.BYTES], [Buffer.from('!'), Buffer.from('zebra'), Buffer.from('aardvark')]) as Buffer;
    expect(bytes.toString()).toBe('zebra');
    expect(call('LEAST', [S.DOUBLE, S.DOUBLE, S.NULL], [50000.555, -99999.555, null])).toBe(-99999.555);
    expect(call('GREATEST', [S.DATE, S.DATE, S.DATE], [19071, 18824, -5883])).toBe(19071);
  });

  it('SIGN returns INTEGER for every numeric type', () => {
    expect(call('SIGN', [S.DOUBLE], [-3.0])).toBe(-1);
    expect(call('SIGN', [S.BIGINT], [2n])).toBe(1);
    expect(call('SIGN', [S.DOUBLE], [NaN])).toBe(0);
  });
});
