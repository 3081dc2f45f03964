import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import { compileError, run, value, type TestColumn } from './helpers.js';

describe('struct dereference', () => {
  const person = (v: unknown): TestColumn[] => [{ name: 'COL1', type: 'STRUCT<Person STRUCT<Name STRING>>', value: v as never }];
  it('reads nested fields and is null-safe (null.json)', () => {
    expect(value('COL1->PERSON->NAME', person({ PERSON: { NAME: 'George' } }))).toBe('George');
    expect(value('COL1->PERSON->NAME', person({ PERSON: null }))).toBeNull();
    expect(value('COL1->PERSON->NAME', person(null))).toBeNull();
    expect(run('COL1->PERSON->NAME', person(null)).errors).toEqual([]);
    expect(value("IFNULL(COL1->PERSON->NAME, 'x')", person({ PERSON: null }))).toBe('x');
  });

  it('reports unknown fields and non-struct bases', () => {
    expect(compileError('COL1->NOPE', person(null))).toBe("Could not find field 'NOPE' in 'COL1'.");
    expect(compileError('X->A', [{ name: 'X', type: 'INT' }])).toBe('Expected STRUCT type, got: INTEGER');
  });
});

describe('subscripts', () => {
  const arr: TestColumn[] = [{ name: 'A', type: 'ARRAY<ARRAY<INT>>', value: [[0, 1], [2]] }];
  it('indexes arrays from 1, negative from the end, null out of range (null.json)', () => {
    expect(value('A[1][2]', arr)).toBe(1);
    expect(value('A[2][1]', arr)).toBe(2);
    expect(value('A[-1][1]', arr)).toBe(2);
    expect(value('A[-2][-1]', arr)).toBe(1);
    expect(value('A[0]', arr)).toBeNull();
    expect(value('A[3]', arr)).toBeNull();
    expect(value('A[2][5]', arr)).toBeNull();
    expect(value('A[1][2]', [{ name: 'A', type: 'ARRAY<ARRAY<INT>>', value: [null, [2]] }])).toBeNull();
    expect(value('IFNULL(A[1][2], -1)', [{ name: 'A', type: 'ARRAY<ARRAY<INT>>', value: null }])).toBe(-1);
    expect(run('A[1][2]', [{ name: 'A', type: 'ARRAY<ARRAY<INT>>', value: null }]).errors).toEqual([]);
  });

  it('looks maps up by key (null.json)', () => {
    const m: TestColumn[] = [{ name: 'A_MAP', type: 'MAP<STRING, INT>', value: new Map([['expected', 10]]) }];
    expect(value("A_MAP['expected']", m)).toBe(10);
    expect(value("A_MAP['missing']", m)).toBeNull();
    expect(value("IFNULL(A_MAP['missing'], -1)", m)).toBe(-1);
    expect(value("A_MAP['expected']", [{ name: 'A_MAP', type: 'MAP<STRING, INT>', value: null }])).toBeNull();
  });

  it('rejects subscripts on other types', () => {
    expect(compileError('X[1]', [{ name: 'X', type: 'STRING' }])).toBe('Subscript expression (X[1]) do not apply to STRING.');
  });
});

describe('constructors', () => {
  it('builds arrays with a common element type', () => {
    expect(run('ARRAY[10, 20]')).toMatchObject({ value: [10, 20], type: SqlTypes.array(SqlTypes.INTEGER) });
    const r = run("ARRAY[1, 2.5, '3']");
    expect(r.type).toEqual(SqlTypes.array(SqlTypes.decimal(11, 1)));
    expect((r.value as Decimal[]).map((d) => d.toString())).toEqual(['1.0', '2.5', '3.0']);
    expect(run('ARRAY[X, 1]', [{ name: 'X', type: 'BIGINT', value: 5n }]).value).toEqual([5n, 1n]);
    expect(run('ARRAY[NULL, 1]').value).toEqual([null, 1]);
  });

  it('isolates element errors to the element', () => {
    const r = run('ARRAY[1 / X, 2]', [{ name: 'X', type: 'INT', value: 0 }]);
    expect(r.value).toEqual([null, 2]);
    expect(r.errors).toHaveLength(1);
  });

  it('rejects empty and all-NULL constructors', () => {
    expect(compileError('ARRAY[NULL]')).toContain('Cannot construct an array with all NULL elements');
    expect(compileError("MAP('a' := NULL)")).toContain('Cannot construct a map with all NULL values');
  });

  it('builds maps and structs', () => {
    const m = run("MAP('a' := 1, 'b' := 2)");
    expect(m.type).toEqual(SqlTypes.map(SqlTypes.STRING, SqlTypes.INTEGER));
    expect(m.value).toEqual(new Map([['a', 1], ['b', 2]]));
    const s = run("STRUCT(A := 1, B := 'x')");
    expect(s.type).toEqual(SqlTypes.struct([{ name: 'A', type: SqlTypes.INTEGER }, { name: 'B', type: SqlTypes.STRING }]));
    expect(s.value).toEqual({ A: 1, B: 'x' });
    expect(value("STRUCT(A := 1, B := 'x')->B")).toBe('x');
  });
});

describe('functions', () => {
  it('converts arguments to the resolved parameter types', () => {
    expect(value('ABS(X)', [{ name: 'X', type: 'INT', value: -3 }])).toBe(3);
    expect(value("SUBSTRING('hello', 2, 3)")).toBe('ell');
    expect(value("COALESCE(A, B, 'x')", [
      { name: 'A', type: 'STRING', value: null },
      { name: 'B', type: 'STRING', value: 'b' },
    ])).toBe('b');
  });

  it('passes time units as strings', () => {
    expect(value('TIMESTAMPADD(SECONDS, 5, TS)', [{ name: 'TS', type: 'TIMESTAMP', value: 1000 }])).toBe(6000);
  });

  it('isolates errors of nested function calls to that argument (null.json coalesce with parse_date)', () => {
    const text = "COALESCE(PARSE_DATE(S, 'yyyy-MM-dd'), PARSE_DATE(CONCAT(S, '-01-01'), 'yyyy-MM-dd'))";
    const r = run(text, [{ name: 'S', type: 'STRING', value: '2004' }]);
    expect(r.value).toBe(12418);
    expect(r.errors.length).toBeGreaterThan(0);
  });

  it('reports unknown functions through the registry', () => {
    expect(compileError('WONT_FIND_ME(1)')).toContain("Can't find any functions with the name 'WONT_FIND_ME'");
  });

  it('does not support lambdas', () => {
    expect(compileError('TRANSFORM(A, x => x + 1)', [{ name: 'A', type: 'ARRAY<INT>' }])).toContain('Unsupported: lambda');
  });
});
