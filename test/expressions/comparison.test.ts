import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/engine/values/decimal.js';
import { compileError, run, value, type TestColumn } from './helpers.js';

describe('comparisons', () => {
  it('compares numbers across INT/BIGINT/DOUBLE/DECIMAL', () => {
    const cols: TestColumn[] = [
      { name: 'I', type: 'INT', value: 10 },
      { name: 'L', type: 'BIGINT', value: 10n },
      { name: 'D', type: 'DOUBLE', value: 10.5 },
      { name: 'M', type: 'DECIMAL(4,2)', value: Decimal.parse('10.00') },
    ];
    expect(value('I = L', cols)).toBe(true);
    expect(value('I < D', cols)).toBe(true);
    expect(value('L >= M', cols)).toBe(true);
    expect(value('M = 10', cols)).toBe(true);
    expect(value('M < D', cols)).toBe(true);
    expect(value('D <> M', cols)).toBe(true);
    expect(value('10 + 4 > 11 - 2')).toBe(true);
    expect(value('NOT 4 > 11')).toBe(true);
  });

  it('compares big BIGINTs exactly', () => {
    const cols: TestColumn[] = [
      { name: 'A', type: 'BIGINT', value: 9007199254740993n },
      { name: 'B', type: 'BIGINT', value: 9007199254740992n },
    ];
    expect(value('A > B', cols)).toBe(true);
    expect(value('A = B', cols)).toBe(false);
  });

  it('treats NaN like Java primitives: unequal to everything, never ordered', () => {
    const cols: TestColumn[] = [{ name: 'D', type: 'DOUBLE', value: NaN }];
    expect(value('D = D', cols)).toBe(false);
    expect(value('D <> D', cols)).toBe(false);
    expect(value('D < 1', cols)).toBe(false);
  });

  it('compares strings by UTF-16 code units', () => {
    expect(value("'a' < 'b'")).toBe(true);
    expect(value("'B' < 'a'")).toBe(true);
    expect(value("'\uffff' > '\ud83d\ude00'")).toBe(true);
    expect(value("'abc' = 'abc'")).toBe(true);
  });

  it('is false when either side is null (not null)', () => {
    // null.json "null equals": ID = COL0 with a null side gives false.
    const cols: TestColumn[] = [
      { name: 'ID', type: 'INT', value: null },
      { name: 'COL0', type: 'BIGINT', value: 12344n },
    ];
    const r = run('ID = COL0', cols);
    expect(r.value).toBe(false);
    expect(r.errors).toEqual([]);
    expect(value('ID <> COL0', cols)).toBe(false);
    expect(value('ID < COL0', cols)).toBe(false);
  });

  it('implements IS [NOT] DISTINCT FROM with nulls (project-filter.json)', () => {
    const rows: [bigint | null, number | null, boolean][] = [
      [0n, 0, false],
      [0n, 1, true],
      [1n, 0, true],
      [0n, null, true],
      [null, 0, true],
      [null, null, false],
    ];
    for (const [c1, c2, distinct] of rows) {
      const cols: TestColumn[] = [
        { name: 'C1', type: 'BIGINT', value: c1 },
        { name: 'C2', type: 'INT', value: c2 },
      ];
      expect(value('C1 IS DISTINCT FROM C2', cols)).toBe(distinct);
      expect(value('C1 IS NOT DISTINCT FROM C2', cols)).toBe(!distinct);
    }
  });

  it('allows only equality for BOOLEAN, ARRAY, MAP and STRUCT', () => {
    const cols: TestColumn[] = [
      { name: 'A', type: 'ARRAY<INT>', value: [1, 2] },
      { name: 'B', type: 'ARRAY<INT>', value: [1, 2] },
      { name: 'M', type: 'MAP<STRING, INT>', value: new Map([['a', 1]]) },
      { name: 'N', type: 'MAP<STRING, INT>', value: new Map([['a', 1]]) },
      { name: 'S', type: 'STRUCT<ID INT>', value: { ID: 1 } },
      { name: 'T', type: 'STRUCT<ID INT>', value: { ID: 2 } },
    ];
    expect(value('A = B', cols)).toBe(true);
    expect(value('M = N', cols)).toBe(true);
    expect(value('S <> T', cols)).toBe(true);
    expect(value('true = true')).toBe(true);
    // binary-comparison.json
    expect(compileError('B < C', [
      { name: 'B', type: 'ARRAY<INT>' },
      { name: 'C', type: 'ARRAY<INT>' },
    ])).toBe('Cannot compare B (ARRAY<INTEGER>) to C (ARRAY<INTEGER>) with LESS_THAN.');
    expect(compileError('B < C', [
      { name: 'B', type: 'MAP<STRING, INT>' },
      { name: 'C', type: 'MAP<STRING, INT>' },
    ])).toBe('Cannot compare B (MAP<STRING, INTEGER>) to C (MAP<STRING, INTEGER>) with LESS_THAN.');
    expect(compileError('B < C', [
      { name: 'B', type: 'STRUCT<ID INT>' },
      { name: 'C', type: 'STRUCT<ID INT>' },
    ])).toBe('Cannot compare B (STRUCT<`ID` INTEGER>) to C (STRUCT<`ID` INTEGER>) with LESS_THAN.');
    expect(compileError('true > false')).toContain('with GREATER_THAN.');
  });

  it('rejects mismatched types with ksqlDB messages (comparison-expression.json)', () => {
    expect(compileError("ID >= 'not an int'", [{ name: 'ID', type: 'INT' }])).toBe(
      "Cannot compare ID (INTEGER) to 'not an int' (STRING) with GREATER_THAN_OR_EQUAL.",
    );
    expect(compileError('NULL <> NULL')).toContain('Comparison with NULL not supported: NULL <> NULL');
    expect(compileError('ID = NULL', [{ name: 'ID', type: 'INT' }])).toContain('Comparison with NULL not supported: INTEGER = NULL');
  });

  it('wraps compile errors like CodeGenRunner when given a prefix', () => {
    expect(compileError("ID >= 'x'", [{ name: 'ID', type: 'INT' }], { errorPrefix: 'Invalid Predicate' })).toBe(
      "Invalid Predicate: Cannot compare ID (INTEGER) to 'x' (STRING) with GREATER_THAN_OR_EQUAL..",
    );
  });

  it('converts string literals compared with ROWTIME/WINDOWSTART to epoch millis (magic-timestamp-conversion.json)', () => {
    const at = (ms: bigint) => [{ name: 'ROWTIME', type: 'BIGINT', value: ms }];
    expect(value("ROWTIME > '2018-01-01T00:00:00.001'", at(1514764800002n))).toBe(true);
    expect(value("ROWTIME > '2018-01-01T00:00:00.001'", at(1514764800001n))).toBe(false);
    expect(value("ROWTIME >= '2018'", at(1546300800000n))).toBe(true);
    expect(value("ROWTIME >= '2018'", at(0n))).toBe(false);
    expect(value("ROWTIME > '2019-01-01T00:00:00+0445'", at(1546300800000n))).toBe(true);
    expect(value("ROWTIME BETWEEN '2018-01-01T00:00:00.001' AND '2018-01-01T00:00:01'", at(1514764801000n))).toBe(true);
    expect(value("ROWTIME BETWEEN '2018-01-01T00:00:00.001' AND '2018-01-01T00:00:01'", at(1514764801001n))).toBe(false);
    const ws = [{ name: 'WINDOWSTART', type: 'BIGINT', value: 1581323504001n }];
    expect(value("'2020-02-10T08:31:44.001+0000' <= WINDOWSTART", ws)).toBe(true);
  });

  it('compares TIMESTAMP/DATE/TIME with each other and with strings', () => {
    const cols: TestColumn[] = [
      { name: 'TS', type: 'TIMESTAMP', value: 1651182287943 },
      { name: 'D', type: 'DATE', value: 19110 },
      { name: 'T', type: 'TIME', value: 3_600_000 },
    ];
    expect(value("TS = '2022-04-28T21:44:47.943'", cols)).toBe(true);
    expect(value('TS > D', cols)).toBe(true);
    expect(value("D = '2022-04-28'", cols)).toBe(true);
    expect(value("T < '01:00:01'", cols)).toBe(true);
    expect(compileError('T = TS', cols)).toContain('Cannot compare T (TIME) to TS (TIMESTAMP) with EQUAL.');
  });

  it('compares BYTES like ByteBuffer (signed bytes)', () => {
    const cols: TestColumn[] = [
      { name: 'A', type: 'BYTES', value: Buffer.from([0x7f]) },
      { name: 'B', type: 'BYTES', value: Buffer.from([0x80]) },
    ];
    expect(value('A > B', cols)).toBe(true);
    expect(value('A = A', cols)).toBe(true);
  });
});

describe('DECIMAL against DOUBLE', () => {
  it('compares through BigDecimal.valueOf(double), exactly at ties', () => {
    const d = (v: number): TestColumn[] => [{ name: 'D', type: 'DOUBLE', value: v }];
    expect(value('D = 0.1', d(0.1))).toBe(true);
    expect(value('D > 0.3', d(0.1 + 0.2))).toBe(true);
    expect(value('D <= 10.5', d(10.5))).toBe(true);
    expect(value('D < 10.5', d(10.5))).toBe(false);
    const nan = run('D > 1.5', d(NaN));
    expect(nan.value).toBeNull();
    expect(nan.errors).toHaveLength(1);
  });
});

describe('error prefixes', () => {
  it('reads like the analyzer for typeOf and like code generation for compileExpression', async () => {
    const { typeOf } = await import('../../src/engine/expressions/compiler.js');
    const { parseExpression, registry, scopeOf } = await import('./helpers.js');
    const cols: TestColumn[] = [{ name: 'ID', type: 'INT' }];
    expect(() => typeOf(parseExpression("ID >= 'x'"), scopeOf(cols), registry, { errorPrefix: 'Error in WHERE expression' })).toThrow(
      /^Error in WHERE expression: Cannot compare ID \(INTEGER\) to 'x' \(STRING\) with GREATER_THAN_OR_EQUAL\.$/,
    );
  });
});
