import { describe, expect, it } from 'vitest';
import { castSupported, castValue } from '../../src/engine/expressions/cast.js';
import { SqlTypes } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import type { Value } from '../../src/engine/values/value.js';
import { compileError, parseSqlType, run, value } from './helpers.js';

function cast(v: Value, from: string, to: string): Value {
  return value(`CAST(F AS ${to})`, [{ name: 'F', type: from, value: v }]);
}

const decText = (v: Value) => (v === null ? null : (v as Decimal).toString());

describe('CAST between primitives', () => {
  it('keeps values of the same type (cast.json "no op")', () => {
    expect(cast(true, 'BOOLEAN', 'BOOLEAN')).toBe(true);
    expect(cast(10, 'INT', 'INT')).toBe(10);
    expect(cast(101n, 'BIGINT', 'BIGINT')).toBe(101n);
    expect(cast(10.3, 'DOUBLE', 'DOUBLE')).toBe(10.3);
    expect(cast('bob', 'STRING', 'STRING')).toBe('bob');
  });

  it('converts numbers like Java', () => {
    expect(cast(2147483648n, 'BIGINT', 'INT')).toBe(-2147483648);
    expect(cast(-1, 'INT', 'BIGINT')).toBe(-1n);
    expect(cast(1.2, 'DOUBLE', 'INT')).toBe(1);
    expect(cast(-1.9, 'DOUBLE', 'BIGINT')).toBe(-1n);
    expect(cast(1e20, 'DOUBLE', 'INT')).toBe(2147483647);
    expect(cast(NaN, 'DOUBLE', 'INT')).toBe(0);
    expect(value('CAST((C0 - C1) AS INT)', [
      { name: 'C0', type: 'DOUBLE', value: 3.3 },
      { name: 'C1', type: 'DOUBLE', value: 2.1 },
    ])).toBe(1);
  });

  it('formats numbers and booleans as Java does', () => {
    expect(cast(-1, 'INT', 'STRING')).toBe('-1');
    expect(cast(2147483648n, 'BIGINT', 'STRING')).toBe('2147483648');
    expect(cast(10.0, 'DOUBLE', 'STRING')).toBe('10.0');
    expect(cast(1e7, 'DOUBLE', 'STRING')).toBe('1.0E7');
    expect(cast(0.0001, 'DOUBLE', 'STRING')).toBe('1.0E-4');
    expect(cast(true, 'BOOLEAN', 'STRING')).toBe('true');
    expect(cast(null, 'DOUBLE', 'STRING')).toBeNull();
  });

  it('parses strings like Java and ksqlDB', () => {
    expect(cast(' 42 ', 'STRING', 'INT')).toBe(42);
    expect(cast('9223372036854775807', 'STRING', 'BIGINT')).toBe(9223372036854775807n);
    expect(cast('1.5e3', 'STRING', 'DOUBLE')).toBe(1500);
    expect(cast('yes', 'STRING', 'BOOLEAN')).toBe(true);
    expect(cast('F', 'STRING', 'BOOLEAN')).toBe(false);
    const bad = run('CAST(F AS INT)', [{ name: 'F', type: 'STRING', value: '1.5' }]);
    expect(bad.value).toBeNull();
    expect(bad.errors).toHaveLength(1);
    expect(cast('2147483648', 'STRING', 'INT')).toBeNull();
    expect(cast('NaN', 'STRING', 'DOUBLE')).toBeNull();
  });

  it('turns errors inside a CAST into null (cast.json "cast function with error to null")', () => {
    const text = "IFNULL(CAST(PARSE_DATE(F, 'yyyy-MM-dd') AS STRING), '1900-01-01')";
    expect(value(text, [{ name: 'F', type: 'STRING', value: '2022-02-02' }])).toBe('2022-02-02');
    expect(value(text, [{ name: 'F', type: 'STRING', value: 'abcd' }])).toBe('1900-01-01');
    expect(value(text, [{ name: 'F', type: 'STRING', value: null }])).toBe('1900-01-01');
  });
});

describe('CAST to and from DECIMAL', () => {
  it('rescales decimals (cast.json "decimal to decimal")', () => {
    expect(decText(cast(Decimal.parse('10.12'), 'DECIMAL(4,2)', 'DECIMAL(5,3)'))).toBe('10.120');
    expect(decText(cast(Decimal.parse('1.00'), 'DECIMAL(4,2)', 'DECIMAL(5,3)'))).toBe('1.000');
    expect(decText(cast(Decimal.parse('0.00'), 'DECIMAL(4,2)', 'DECIMAL(5,3)'))).toBe('0.000');
  });

  it('casts integers with an overflow check (cast.json "integer to decimal")', () => {
    expect(decText(cast(1, 'INT', 'DECIMAL(2,1)'))).toBe('1.0');
    expect(decText(cast(-1, 'INT', 'DECIMAL(2,1)'))).toBe('-1.0');
    const r = run('CAST(F AS DECIMAL(2,1))', [{ name: 'F', type: 'INT', value: 10 }]);
    expect(r.value).toBeNull();
    expect(r.errors[0]!.message).toContain('Numeric field overflow');
  });

  it('rounds doubles and strings HALF_UP (cast.json "double to decimal", "string to decimal")', () => {
    const doubles: [number, string][] = [[0.1, '0.1'], [1.1, '1.1'], [0, '0.0'], [0.99, '1.0'], [0.01, '0.0'], [0.05, '0.1']];
    for (const [d, expected] of doubles) expect(decText(cast(d, 'DOUBLE', 'DECIMAL(2,1)')), String(d)).toBe(expected);
    const strings: [string, string][] = [['0.1', '0.1'], ['1.1', '1.1'], ['0.0', '0.0'], ['0.99', '1.0'], ['0.10', '0.1'], ['0.01', '0.0']];
    for (const [s, expected] of strings) expect(decText(cast(s, 'STRING', 'DECIMAL(2,1)')), s).toBe(expected);
    expect(cast('abc', 'STRING', 'DECIMAL(2,1)')).toBeNull();
  });

  it('converts decimals to other types (cast.json "decimal to other")', () => {
    const rows: [string, number, bigint, number, string][] = [
      ['00.00', 0, 0n, 0, '0.00'],
      ['00.01', 0, 0n, 0.01, '0.01'],
      ['10.00', 10, 10n, 10, '10.00'],
      ['10.01', 10, 10n, 10.01, '10.01'],
    ];
    for (const [text, i, l, d, s] of rows) {
      const v = Decimal.parse(text);
      expect(cast(v, 'DECIMAL(4,2)', 'INT')).toBe(i);
      expect(cast(v, 'DECIMAL(4,2)', 'BIGINT')).toBe(l);
      expect(cast(v, 'DECIMAL(4,2)', 'DOUBLE')).toBe(d);
      expect(cast(v, 'DECIMAL(4,2)', 'STRING')).toBe(s);
    }
  });
});

describe('CAST of times', () => {
  it('parses and formats TIMESTAMP, DATE and TIME', () => {
    // cast.json "string to timestamp"
    expect(cast('2022-04-28T21:44:47.943', 'STRING', 'TIMESTAMP')).toBe(1651182287943);
    expect(cast('2022-04-28T21:44:47.943Z', 'STRING', 'TIMESTAMP')).toBe(1651182287943);
    expect(cast(1651182287943, 'TIMESTAMP', 'STRING')).toBe('2022-04-28T21:44:47.943');
    expect(cast(1651182287943, 'TIMESTAMP', 'DATE')).toBe(19110);
    expect(cast(1651182287943, 'TIMESTAMP', 'TIME')).toBe(78287943);
    expect(cast(19110, 'DATE', 'TIMESTAMP')).toBe(1651104000000);
    expect(cast(19110, 'DATE', 'STRING')).toBe('2022-04-28');
    expect(cast('2022-04', 'STRING', 'DATE')).toBe(19083);
    expect(cast('01:02:03', 'STRING', 'TIME')).toBe(3723000);
    expect(cast(3723000, 'TIME', 'STRING')).toBe('01:02:03');
    expect(cast(3720000, 'TIME', 'STRING')).toBe('01:02');
    expect(cast('not a time', 'STRING', 'TIMESTAMP')).toBeNull();
  });
});

describe('CAST of structured types', () => {
  it('casts arrays and maps element-wise (cast.json)', () => {
    expect(cast([1n, 3n, 2147483648n], 'ARRAY<BIGINT>', 'ARRAY<INT>')).toEqual([1, 3, -2147483648]);
    expect(cast([1n, 3n, 2147483648n], 'ARRAY<BIGINT>', 'ARRAY<STRING>')).toEqual(['1', '3', '2147483648']);
    expect(cast([[1n, null], [-1n]], 'ARRAY<ARRAY<BIGINT>>', 'ARRAY<ARRAY<STRING>>')).toEqual([['1', null], ['-1']]);
    expect(cast(new Map([['this', 2147483648n]]), 'MAP<STRING, BIGINT>', 'MAP<STRING, INT>')).toEqual(new Map([['this', -2147483648]]));
    expect(cast(new Map([['k1', new Map([['k2', '10']])]]), 'MAP<STRING, MAP<STRING, STRING>>', 'MAP<STRING, MAP<STRING, INT>>')).toEqual(
      new Map([['k1', new Map([['k2', 10]])]]),
    );
  });

  it('casts structs field by field, filling missing fields with null', () => {
    expect(cast({ F0: 1n, F1: '3' }, 'STRUCT<F0 BIGINT, F1 STRING>', 'STRUCT<F0 STRING, F3 STRING>')).toEqual({ F0: '1', F3: null });
  });

  it('prints collections like Java toString', () => {
    expect(cast([1, 3], 'ARRAY<INT>', 'STRING')).toBe('[1, 3]');
    expect(cast(new Map([['this', 1]]), 'MAP<STRING, INT>', 'STRING')).toBe('{this=1}');
    expect(cast({ F0: 1, f1: 3 }, 'STRUCT<F0 INT, `f1` INT>', 'STRING')).toBe('Struct{F0=1,f1=3}');
    expect(cast({ F0: null, f1: 3 }, 'STRUCT<F0 INT, `f1` INT>', 'STRING')).toBe('Struct{f1=3}');
  });

  it('rejects unsupported casts with ksqlDB messages', () => {
    const f = [{ name: 'F0', type: 'STRING' }];
    expect(compileError('CAST(F0 AS ARRAY<INTEGER>)', f, { errorPrefix: 'Invalid Select' })).toBe(
      'Invalid Select: Cast of STRING to ARRAY<INTEGER> is not supported.',
    );
    expect(compileError('CAST(F0 AS MAP<VARCHAR, INTEGER>)', f)).toBe('Cast of STRING to MAP<STRING, INTEGER> is not supported');
    expect(compileError('CAST(F0 AS STRUCT<F0 VARCHAR, F1 INTEGER>)', f)).toBe(
      'Cast of STRING to STRUCT<`F0` STRING, `F1` INTEGER> is not supported',
    );
    expect(compileError('CAST(true AS INT)')).toBe('Cast of BOOLEAN to INTEGER is not supported');
    expect(compileError('CAST(ARRAY[true] AS ARRAY<INT>)')).toBe('Cast of ARRAY<BOOLEAN> to ARRAY<INTEGER> is not supported');
  });

  it('casts NULL to any type (cast.json "of nulls")', () => {
    for (const t of ['BOOLEAN', 'INT', 'BIGINT', 'DOUBLE', 'STRING', 'ARRAY<INT>', 'MAP<STRING, INT>', 'STRUCT<F0 INT>']) {
      const r = run(`CAST(null AS ${t})`);
      expect(r.value).toBeNull();
      expect(r.type).toEqual(parseSqlType(t));
    }
  });
});

describe('castValue / castSupported', () => {
  it('serves other modules', () => {
    expect(castValue(5, SqlTypes.INTEGER, SqlTypes.STRING)).toBe('5');
    expect(castValue(null, SqlTypes.INTEGER, SqlTypes.STRING)).toBeNull();
    expect(castSupported(SqlTypes.INTEGER, SqlTypes.BOOLEAN)).toBe(false);
    expect(castSupported(SqlTypes.STRING, SqlTypes.BYTES)).toBe(true);
    expect(() => castValue('x', SqlTypes.STRING, SqlTypes.INTEGER)).toThrow();
  });
});
