import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/engine/values/decimal.js';
import type { Value } from '../../src/engine/values/value.js';
import { compileError, value, type TestColumn } from './helpers.js';

/** Evaluates `text` over columns named and typed as in one of in.json's CREATE STREAM statements. */
function over(schema: Record<string, string>, values: Record<string, Value>, text: string): Value {
  const cols: TestColumn[] = Object.entries(schema).map(([name, type]) => ({ name, type, value: values[name] ?? null }));
  return value(text, cols);
}

function errorOf(schema: Record<string, string>, text: string): string | undefined {
  const cols: TestColumn[] = Object.entries(schema).map(([name, type]) => ({ name, type }));
  return compileError(text, cols, { errorPrefix: 'Invalid Predicate' });
}

describe('IN lists (in.json)', () => {
  it('matches expressions, skips nulls and negates', () => {
    const s = { ID: 'INT', VAL: 'INT' };
    expect(over(s, { ID: 10, VAL: 10 }, 'ID IN (VAL, VAL * 2)')).toBe(true);
    expect(over(s, { ID: 20, VAL: 10 }, 'ID IN (VAL, VAL * 2)')).toBe(true);
    expect(over(s, { ID: 30, VAL: 10 }, 'ID IN (VAL, VAL * 2)')).toBe(false);
    expect(over(s, { ID: 10, VAL: 10 }, 'ID IN (11, NULL, VAL)')).toBe(true);
    expect(over(s, { ID: 10, VAL: null }, 'ID IN (11, NULL, VAL)')).toBe(false);
    expect(over(s, { ID: null, VAL: 10 }, 'ID IN (11, NULL, VAL)')).toBe(false);
    expect(over(s, { ID: 12 }, 'ID NOT IN (11, 20, 10)')).toBe(true);
    expect(over(s, { ID: 11 }, 'ID NOT IN (11, 20, 10)')).toBe(false);
  });

  it('coerces boolean string literals', () => {
    const s = { ID: 'BOOLEAN', VAL: 'BOOLEAN' };
    const text = "ID IN (true, 'TrUe', 'tr', 'Y', VAL)";
    expect(over(s, { ID: true, VAL: false }, text)).toBe(true);
    expect(over(s, { ID: false, VAL: false }, text)).toBe(true);
    expect(over(s, { ID: false, VAL: true }, text)).toBe(false);
    expect(errorOf(s, "ID IN (true, 'Not a boolean')")).toBe('Invalid Predicate: invalid input syntax for type BOOLEAN: "Not a boolean"..');
    expect(errorOf(s, 'ID IN (true, 10)')).toContain(
      'Invalid Predicate: operator does not exist: BOOLEAN = INTEGER (10)\nHint: You might need to add explicit type casts.',
    );
    expect(errorOf({ ID: 'BOOLEAN', VAL: 'STRING' }, 'ID IN (true, VAL)')).toContain('operator does not exist: BOOLEAN = STRING (VAL)');
  });

  it('widens numbers to a common type', () => {
    const s = { VAL0: 'INT', VAL1: 'BIGINT', VAL2: 'DOUBLE', VAL3: 'DECIMAL(4, 2)' };
    const where = "VAL0 IN (1, 2.0, 3.00, '4.000', 5.10, VAl1, VAL2, VAL3)";
    const row = (v0: number, v1: bigint, v2: number, v3: string) => ({ VAL0: v0, VAL1: v1, VAL2: v2, VAL3: Decimal.parse(v3) });
    expect(over(s, row(1, 0n, 0, '0'), where)).toBe(true);
    expect(over(s, row(2, 0n, 0, '0'), where)).toBe(true);
    expect(over(s, row(4, 0n, 0, '0'), where)).toBe(true);
    expect(over(s, row(5, 0n, 0, '0'), where)).toBe(false);
    expect(over(s, row(11, 11n, 11.01, '11.01'), where)).toBe(true);
    expect(over(s, row(11, 11n, 11.01, '11.01'), 'VAL0 IN (VAL2)')).toBe(false);
    expect(over(s, row(-2147483648, 2147483648n, 10, '10'), where)).toBe(false);
    expect(over({ VAL0: 'INT' }, { VAL0: -2147483648 }, "VAL0 IN (1, '2147483648')")).toBe(false);
    expect(over({ VAL0: 'INT' }, { VAL0: 1 }, "VAL0 IN (1, '2147483648')")).toBe(true);
  });

  it('compares DOUBLE and DECIMAL through the common type', () => {
    const s = { VAL0: 'INT', VAL1: 'BIGINT', VAL2: 'DOUBLE', VAL3: 'DECIMAL(12, 2)' };
    const row = { VAL0: 11, VAL1: 11n, VAL2: 11.01, VAL3: Decimal.parse('11.01') };
    expect(over(s, row, 'VAL3 IN (VAL2)')).toBe(true);
    expect(over(s, row, 'VAL3 IN (VAL0)')).toBe(false);
    expect(over(s, row, "VAL3 IN (1, 2.0, 3.00, '4.000', 5.10, VAl0, VAL1, VAL2)")).toBe(true);
  });

  it('reports bad numeric literals with the type they should have', () => {
    expect(errorOf({ ID: 'INT' }, "ID IN (10, '10 - not a number')")).toContain(
      'invalid input syntax for type INTEGER: "10 - not a number".',
    );
    expect(errorOf({ ID: 'BIGINT' }, "ID IN (10, '10 - not a number')")).toContain('invalid input syntax for type BIGINT');
    expect(errorOf({ ID: 'DOUBLE' }, "ID IN (10.0, '10.0 - not a number')")).toContain('invalid input syntax for type DOUBLE');
    expect(errorOf({ ID: 'DECIMAL(4,2)' }, "ID IN (10.0, '10.0 - not a number')")).toContain('invalid input syntax for type DECIMAL');
    expect(errorOf({ ID: 'INT' }, 'ID IN (10, true)')).toContain('operator does not exist: INTEGER = BOOLEAN (true)');
    expect(errorOf({ ID: 'DECIMAL(12,2)' }, 'ID IN (10, true)')).toContain('operator does not exist: DECIMAL(12, 2) = BOOLEAN (true)');
    expect(errorOf({ ID: 'DECIMAL(4,2)', VAL0: 'STRING' }, 'ID IN (10, VAL0)')).toContain(
      'operator does not exist: DECIMAL(12, 2) = STRING (VAL0)',
    );
    expect(errorOf({ ID: 'STRING', VAL0: 'DOUBLE' }, 'ID IN (10, VAL0)')).toContain('operator does not exist: STRING = DOUBLE (VAL0)');
  });

  it('turns literals into strings for STRING values', () => {
    const s = { VAL0: 'STRING', VAL1: 'STRING' };
    const where = "VAL0 IN (true, 10, '10.1', 10.30, VAL1)";
    expect(over(s, { VAL0: 'true' }, where)).toBe(true);
    expect(over(s, { VAL0: '10' }, where)).toBe(true);
    expect(over(s, { VAL0: '10.3' }, where)).toBe(false);
    expect(over(s, { VAL0: '10.30' }, where)).toBe(true);
    expect(over(s, { VAL0: 'hello', VAL1: 'hello' }, where)).toBe(true);
  });

  it('handles arrays, maps and structs', () => {
    const arrays = { VAL0: 'ARRAY<BIGINT>', VAL1: 'ARRAY<BIGINT>', VAL2: 'ARRAY<INT>' };
    const where = "VAL0 IN (ARRAY[1,2],ARRAY[5,123456789000],ARRAY['3',null], VAL1, VAL2)";
    expect(over(arrays, { VAL0: [1n, 2n] }, where)).toBe(true);
    expect(over(arrays, { VAL0: [1n] }, where)).toBe(false);
    expect(over(arrays, { VAL0: [3n, null] }, where)).toBe(true);
    expect(over(arrays, { VAL0: [5n, 123456789000n] }, where)).toBe(true);
    expect(over(arrays, { VAL0: [4n, 5n], VAL1: [4n, 5n] }, where)).toBe(true);
    expect(over({ VAL0: 'ARRAY<BIGINT>', VAL1: 'ARRAY<INT>' }, { VAL0: [2147483648n], VAL1: [-2147483648] }, 'VAL0 IN (VAL1)')).toBe(false);
    expect(over({ VAL0: 'ARRAY<BIGINT>', VAL1: 'ARRAY<INT>' }, { VAL0: [1n, 2n], VAL1: [1, 2] }, 'VAL1 IN (VAL0)')).toBe(true);

    const maps = { ID: 'MAP<STRING, BIGINT>' };
    const mapWhere = "ID IN (MAP('a':=1), MAP('b':=5,'c':=123456789000), MAP('c':=CAST(null AS BIGINT)))";
    expect(over(maps, { ID: new Map([['a', 1n]]) }, mapWhere)).toBe(true);
    expect(over(maps, { ID: new Map([['a', 1n], ['b', 2n]]) }, mapWhere)).toBe(false);
    expect(over(maps, { ID: new Map() }, mapWhere)).toBe(false);
    expect(over(maps, { ID: new Map([['c', null]]) }, mapWhere)).toBe(true);

    const structs = { VAL0: 'STRUCT<A BIGINT, B BIGINT>', VAL1: 'STRUCT<A BIGINT, B BIGINT>' };
    const structWhere =
      "VAL0 IN (STRUCT(A:=1,B:=2),STRUCT(A:=3,B:=2,C:=4),STRUCT(B:=2,A:=4),STRUCT(A:=5),STRUCT(A:=6,B:=CAST(null AS BIGINT)),STRUCT(A:='7',B:=2),VAL1)";
    const s = (a: bigint, b: bigint | null) => ({ A: a, B: b });
    expect(over(structs, { VAL0: s(1n, 2n) }, structWhere)).toBe(true);
    expect(over(structs, { VAL0: s(2n, 2n) }, structWhere)).toBe(false);
    expect(over(structs, { VAL0: s(3n, 2n) }, structWhere)).toBe(false);
    expect(over(structs, { VAL0: s(4n, 2n) }, structWhere)).toBe(true);
    expect(over(structs, { VAL0: s(5n, null) }, structWhere)).toBe(true);
    expect(over(structs, { VAL0: s(7n, 2n) }, structWhere)).toBe(true);
    expect(over(structs, { VAL0: s(8n, 2n), VAL1: s(8n, 2n) }, structWhere)).toBe(true);
    expect(over({ VAL0: 'STRUCT<F0 BIGINT>' }, { VAL0: { F0: 20n } }, 'VAL0 IN (STRUCT(F0 := 10), STRUCT(`f0` := 20))')).toBe(false);
  });

  it('rejects incompatible structured elements with ksqlDB messages', () => {
    expect(errorOf({ VAL0: 'ARRAY<BIGINT>', VAL1: 'BOOLEAN' }, 'VAL0 IN (VAL0, ARRAY[VAL1])')).toContain(
      'operator does not exist: ARRAY<BIGINT> = ARRAY<BOOLEAN> (ARRAY[VAL1])',
    );
    expect(errorOf({ VAL0: 'ARRAY<BIGINT>' }, "VAL0 IN (VAL0, ARRAY['10', 'not 10'])")).toContain(
      'invalid input syntax for type BIGINT: "not 10"',
    );
    expect(errorOf({ VAL0: 'ARRAY<BIGINT>' }, 'VAL0 IN (ARRAY[1,2], ARRAY_LENGTH(VAL0))')).toContain(
      'operator does not exist: ARRAY<BIGINT> = INTEGER (ARRAY_LENGTH(VAL0))',
    );
    expect(errorOf({ VAL0: 'MAP<STRING, BIGINT>', VAL1: 'BOOLEAN' }, "VAL0 IN (VAL0, MAP('a' := VAL1))")).toContain(
      "operator does not exist: MAP<STRING, BIGINT> = MAP<STRING, BOOLEAN> (MAP('a':=VAL1))",
    );
    expect(errorOf({ VAL0: 'MAP<STRING, BIGINT>' }, 'VAL0 IN (10)')).toContain('operator does not exist: MAP<STRING, BIGINT> = INTEGER (10)');
    expect(errorOf({ VAL0: 'STRUCT<F0 BIGINT>', VAL1: 'BOOLEAN' }, 'VAL0 IN (VAL0, STRUCT(F0 := VAL1))')).toContain(
      'operator does not exist: STRUCT<`F0` BIGINT> = STRUCT<`F0` BOOLEAN> (STRUCT(F0:=VAL1))',
    );
    expect(errorOf({ VAL0: 'STRUCT<F0 BIGINT>' }, "VAL0 IN (STRUCT(F0 := 'not 10'))")).toContain(
      'invalid input syntax for type BIGINT: "not 10"',
    );
    expect(errorOf({ VAL0: 'STRUCT<F0 BIGINT>' }, 'VAL0 IN (STRUCT(F0 := 10), ARRAY[10])')).toContain(
      'operator does not exist: STRUCT<`F0` BIGINT> = ARRAY<INTEGER> (ARRAY[10])',
    );
  });
});
