import { describe, expect, it } from 'vitest';
import { compileError, run, value, type TestColumn } from './helpers.js';

const bools = (a: boolean | null, b: boolean | null): TestColumn[] => [
  { name: 'A', type: 'BOOLEAN', value: a },
  { name: 'B', type: 'BOOLEAN', value: b },
];

describe('AND / OR / NOT', () => {
  it('evaluates two-valued logic with precedence (operators.json)', () => {
    expect(value('true OR false AND true')).toBe(true);
    expect(value('NOT false AND NOT false')).toBe(true);
    expect(value('false AND true OR false')).toBe(false);
  });

  it('short-circuits like Java before looking at a null right operand', () => {
    expect(value('A AND B', bools(false, null))).toBe(false);
    expect(value('A OR B', bools(true, null))).toBe(true);
  });

  it('treats an unboxed null as an error: the whole expression is null and reported', () => {
    for (const [text, a, b] of [
      ['A AND B', true, null],
      ['A AND B', null, false],
      ['A OR B', false, null],
      ['A OR B', null, true],
    ] as const) {
      const r = run(text, bools(a, b));
      expect(r.value, text).toBeNull();
      expect(r.errors, text).toHaveLength(1);
    }
    const r = run('(A AND B) IS NULL', bools(true, null));
    expect(r.value).toBeNull();
    expect(run('NOT A', bools(null, null)).value).toBeNull();
  });

  it('rejects non-boolean operands', () => {
    expect(compileError('1 AND true')).toBeDefined();
    expect(compileError("NOT 'x'")).toBeDefined();
  });
});

describe('IS [NOT] NULL', () => {
  it('tests values, including results of expressions (null.json)', () => {
    const cols: TestColumn[] = [
      { name: 'ID', type: 'INT', value: 0 },
      { name: 'NAME', type: 'STRING', value: null },
    ];
    expect(value('ID IS NULL', cols)).toBe(false);
    expect(value('NAME IS NULL', cols)).toBe(true);
    expect(value('NAME IS NOT NULL', cols)).toBe(false);
    expect(value('NULL IS NULL')).toBe(true);
  });
});

describe('BETWEEN', () => {
  const c1 = (v: bigint | null): TestColumn[] => [{ name: 'C1', type: 'BIGINT', value: v }];
  it('is inclusive (project-filter.json)', () => {
    expect(value('C1 BETWEEN 1 AND 3', c1(1n))).toBe(true);
    expect(value('C1 BETWEEN 1 AND 3', c1(2n))).toBe(true);
    expect(value('C1 BETWEEN 1 AND 3', c1(4n))).toBe(false);
    expect(value('C1 NOT BETWEEN 1 AND 3', c1(4n))).toBe(true);
    expect(value('C1 NOT BETWEEN 1 AND 3', c1(2n))).toBe(false);
  });

  it('compares strings and mixes with AND (operators.json)', () => {
    expect(value("1 BETWEEN 0 AND 2 AND 'b' BETWEEN 'a' AND 'c'")).toBe(true);
  });

  it('is false for null, so NOT BETWEEN is true (ksqlDB builds NOT around two comparisons)', () => {
    expect(value('C1 BETWEEN 1 AND 3', c1(null))).toBe(false);
    expect(value('C1 NOT BETWEEN 1 AND 3', c1(null))).toBe(true);
  });

  it('checks the operand types', () => {
    expect(compileError("C1 BETWEEN 'a' AND 3", c1(null))).toContain('Cannot compare C1 (BIGINT)');
  });
});

describe('LIKE', () => {
  const c3 = (v: string | null): TestColumn[] => [{ name: 'C3', type: 'STRING', value: v }];
  it('matches % and _ over the whole string (project-filter.json)', () => {
    expect(value("C3 LIKE 'f%'", c3('foo'))).toBe(true);
    expect(value("C3 LIKE 'f%'", c3('bar'))).toBe(false);
    expect(value("C3 LIKE 'f'", c3('foo'))).toBe(false);
    expect(value("C3 LIKE 'f'", c3('f'))).toBe(true);
    expect(value("C3 NOT LIKE 'f%'", c3('bar'))).toBe(true);
    expect(value("C3 LIKE 'b_r'", c3('bar'))).toBe(true);
    expect(value("C3 LIKE 'b_r'", c3('baar'))).toBe(false);
    expect(value("'this' LIKE '%hi%' AND true")).toBe(true);
  });

  it('treats regex characters literally and honours ESCAPE', () => {
    expect(value("C3 LIKE 'a.c'", c3('abc'))).toBe(false);
    expect(value("C3 LIKE 'a.c'", c3('a.c'))).toBe(true);
    expect(value("C3 LIKE '100!%' ESCAPE '!'", c3('100%'))).toBe(true);
    expect(value("C3 LIKE '100!%' ESCAPE '!'", c3('1000'))).toBe(false);
    expect(value("C3 LIKE 'a!_b' ESCAPE '!'", c3('a_b'))).toBe(true);
    expect(value("C3 LIKE 'a!_b' ESCAPE '!'", c3('axb'))).toBe(false);
    const r = run("C3 LIKE 'ab!' ESCAPE '!'", c3('ab'));
    expect(r.value).toBeNull();
    expect(r.errors[0]!.message).toBe('LIKE pattern must not end with escape character');
  });

  it('fails on a null value like Java (null result, reported)', () => {
    const r = run("C3 LIKE 'f%'", c3(null));
    expect(r.value).toBeNull();
    expect(r.errors).toHaveLength(1);
  });

  it('takes patterns from columns', () => {
    const cols: TestColumn[] = [
      { name: 'V', type: 'STRING', value: 'hello' },
      { name: 'P', type: 'STRING', value: 'h%o' },
    ];
    expect(value('V LIKE P', cols)).toBe(true);
  });
});

describe('BETWEEN with NULL literals', () => {
  it('is false (and NOT BETWEEN true), as ksqlDB generates two null-guarded comparisons', () => {
    expect(value('NULL BETWEEN 1 AND 3')).toBe(false);
    expect(value('2 BETWEEN NULL AND 3')).toBe(false);
    expect(value('2 NOT BETWEEN 1 AND NULL')).toBe(true);
  });
});
