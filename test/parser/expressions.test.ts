import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/engine/errors.js';
import type { Expression } from '../../src/engine/parser/ast.js';
import { formatExpression } from '../../src/engine/parser/format.js';
import { parseExpression } from '../../src/engine/parser/parser.js';

/** The expression re-printed the way ksqlDB prints it: parentheses show the parse tree. */
function shape(text: string): string {
  return formatExpression(parseExpression(text));
}

/** Drops locations so trees can be compared structurally. */
function strip(e: unknown): unknown {
  return JSON.parse(JSON.stringify(e, (k, v: unknown) => (k === 'loc' ? undefined : typeof v === 'bigint' ? `${v}n` : v)));
}

describe('operator precedence', () => {
  it.each([
    ['a + b * c', '(A + (B * C))'],
    ['a * b + c', '((A * B) + C)'],
    ['a - b - c', '((A - B) - C)'],
    ['a / b % c', '((A / B) % C)'],
    ['-a * b', '(-A * B)'],
    ['a || b + c', 'CONCAT(A, (B + C))'],
    ['a = 1 AND b = 2 OR c = 3', '(((A = 1) AND (B = 2)) OR (C = 3))'],
    ['a = 1 OR b = 2 AND c = 3', '((A = 1) OR ((B = 2) AND (C = 3)))'],
    ['NOT a = 1 AND b', '((NOT (A = 1)) AND B)'],
    ['NOT NOT a', '(NOT (NOT A))'],
    ['a + 1 > b * 2', '((A + 1) > (B * 2))'],
    ['a BETWEEN 1 + 1 AND 5 AND b', '((A BETWEEN (1 + 1) AND 5) AND B)'],
    ['(a + b) * c', '((A + B) * C)'],
    ['a->b[1]->c', 'A->B[1]->C'],
    ['-a[1]', '-A[1]'],
  ])('%s', (input, expected) => {
    expect(shape(input)).toBe(expected);
  });

  it('rejects chained comparisons, as the grammar allows one predicate per value', () => {
    expect(() => parseExpression('a = b = c')).toThrow(ParseError);
  });
});

describe('predicates', () => {
  it.each([
    ["a LIKE 'x%'", "(A LIKE 'x%')"],
    ["a NOT LIKE 'x%' ESCAPE '!'", "(NOT (A LIKE 'x%' ESCAPE '!'))"],
    ['a NOT BETWEEN 1 AND 2', '(NOT (A BETWEEN 1 AND 2))'],
    ['a IN (1, 2, 3)', '(A IN (1, 2, 3))'],
    ['a NOT IN (1)', '(NOT (A IN (1)))'],
    ['a IS NULL', '(A IS NULL)'],
    ['a IS NOT NULL', '(A IS NOT NULL)'],
    ['a IS DISTINCT FROM b', '(A IS DISTINCT FROM B)'],
    ['a IS NOT DISTINCT FROM b', '(NOT (A IS DISTINCT FROM B))'],
    ['a != b', '(A <> B)'],
    ['a <> b', '(A <> B)'],
  ])('%s', (input, expected) => {
    expect(shape(input)).toBe(expected);
  });

  it('keeps negation on the predicate node', () => {
    const e = parseExpression('a NOT IN (1, 2)');
    expect(e.kind).toBe('InList');
    expect((e as Extract<Expression, { kind: 'InList' }>).negated).toBe(true);
  });

  it('rejects an ESCAPE of more than one character', () => {
    expect(() => parseExpression("a LIKE 'x' ESCAPE 'ab'")).toThrow(/Expected single character escape but got: ab/);
  });
});

describe('literals', () => {
  it('types integers by range like ksqlDB', () => {
    expect(strip(parseExpression('2147483647'))).toEqual({ kind: 'IntegerLiteral', value: 2147483647 });
    expect(strip(parseExpression('-2147483648'))).toEqual({ kind: 'IntegerLiteral', value: -2147483648 });
    expect(strip(parseExpression('2147483648'))).toEqual({ kind: 'BigintLiteral', value: '2147483648n' });
    expect(strip(parseExpression('9223372036854775807'))).toEqual({ kind: 'BigintLiteral', value: '9223372036854775807n' });
  });

  it('rejects integers outside the long range', () => {
    expect(() => parseExpression('9223372036854775808')).toThrow(/Invalid numeric literal: 9223372036854775808/);
  });

  it('keeps decimal text exact and parses exponents as DOUBLE', () => {
    expect(strip(parseExpression('1.50'))).toEqual({ kind: 'DecimalLiteral', text: '1.50' });
    expect(strip(parseExpression('.5'))).toEqual({ kind: 'DecimalLiteral', text: '.5' });
    expect(strip(parseExpression('-0.25'))).toEqual({ kind: 'DecimalLiteral', text: '-0.25' });
    expect(strip(parseExpression('1.5E3'))).toEqual({ kind: 'DoubleLiteral', value: 1500 });
    expect(strip(parseExpression('2e-3'))).toEqual({ kind: 'DoubleLiteral', value: 0.002 });
  });

  it('reads a minus before a number as part of the literal, before anything else as negation', () => {
    expect(parseExpression('-5').kind).toBe('IntegerLiteral');
    expect(parseExpression('-x').kind).toBe('Negation');
    expect(shape('1 - -5')).toBe('(1 - -5)');
    expect(shape('- -x')).toBe('- -X');
  });

  it('unescapes strings and reads booleans and null case-insensitively', () => {
    expect(strip(parseExpression("'it''s'"))).toEqual({ kind: 'StringLiteral', value: "it's" });
    expect(strip(parseExpression('true'))).toEqual({ kind: 'BooleanLiteral', value: true });
    expect(strip(parseExpression('False'))).toEqual({ kind: 'BooleanLiteral', value: false });
    expect(strip(parseExpression('null'))).toEqual({ kind: 'NullLiteral' });
  });

  it('supports DECIMAL type constructors only', () => {
    expect(() => parseExpression("DATE '2020-01-01'")).toThrow(/Unknown type: DATE/);
  });
});

describe('identifiers and references', () => {
  it('upper-cases unquoted names and keeps quoted ones', () => {
    expect(strip(parseExpression('col'))).toEqual({ kind: 'ColumnRef', name: 'COL' });
    expect(strip(parseExpression('`MixedCase`'))).toEqual({ kind: 'ColumnRef', name: 'MixedCase', quoted: true });
    expect(strip(parseExpression('"dq"'))).toEqual({ kind: 'ColumnRef', name: 'dq', quoted: true });
    expect(strip(parseExpression('s.`c`'))).toEqual({ kind: 'ColumnRef', source: 'S', name: 'c', quoted: true });
  });

  it('accepts non-reserved keywords as names', () => {
    expect(strip(parseExpression('key'))).toEqual({ kind: 'ColumnRef', name: 'KEY' });
    expect(strip(parseExpression('timestamp'))).toEqual({ kind: 'ColumnRef', name: 'TIMESTAMP' });
    expect(shape('map->key')).toBe('MAP->KEY');
  });

  it('rejects reserved keywords as names', () => {
    expect(() => parseExpression('select')).toThrow(ParseError);
  });
});

describe('constructors, functions, CASE, CAST, lambdas', () => {
  it.each([
    ['ARRAY[1, 2]', 'ARRAY[1, 2]'],
    ['ARRAY[]', 'ARRAY[]'],
    ["MAP('a' := 1, 'b' := 2)", "MAP('a':=1, 'b':=2)"],
    ['STRUCT(a := 1, `b` := x)', 'STRUCT(A:=1, b:=X)'],
    ['count(*)', 'COUNT(*)'],
    ['count()', 'COUNT(*)'],
    ['abs(-x)', 'ABS(-X)'],
    ['map(x)', 'MAP(X)'],
    ["CASE WHEN a > 1 THEN 'x' WHEN a < 0 THEN 'y' ELSE 'z' END", "(CASE WHEN (A > 1) THEN 'x' WHEN (A < 0) THEN 'y' ELSE 'z' END)"],
    ["CASE a WHEN 1 THEN 'one' END", "(CASE A WHEN 1 THEN 'one' END)"],
    ['CAST(a AS BIGINT)', 'CAST(A AS BIGINT)'],
    ['CAST(a AS STRUCT<f ARRAY<INT>>)', 'CAST(A AS STRUCT<F ARRAY<INTEGER>>)'],
    ['TIMESTAMPADD(SECONDS, 5, ts)', 'TIMESTAMPADD(SECONDS, 5, TS)'],
    ['TRANSFORM(arr, x => x + 1)', 'TRANSFORM(ARR, (X) => (X + 1))'],
    ['REDUCE(arr, 0, (s, x) => s + x)', 'REDUCE(ARR, 0, (S, X) => (S + X))'],
  ])('%s', (input, expected) => {
    expect(shape(input)).toBe(expected);
  });

  it('builds interval units, lambdas and lambda variables', () => {
    const call = parseExpression('TIMESTAMPADD(MILLISECOND, 5, ts)') as Extract<Expression, { kind: 'FunctionCall' }>;
    expect(strip(call.args[0])).toEqual({ kind: 'IntervalUnit', unit: 'MILLISECONDS' });
    const lambda = (parseExpression('FILTER(xs, v => v > y)') as Extract<Expression, { kind: 'FunctionCall' }>).args[1];
    expect(strip(lambda)).toEqual({
      kind: 'Lambda',
      params: ['V'],
      body: {
        kind: 'Comparison',
        op: '>',
        left: { kind: 'LambdaVariable', name: 'V' },
        right: { kind: 'ColumnRef', name: 'Y' },
      },
    });
  });

  it('treats DAY as a column but DAYS as a unit inside function arguments', () => {
    const call = parseExpression('F(DAY, DAYS)') as Extract<Expression, { kind: 'FunctionCall' }>;
    expect(call.args.map((a) => a.kind)).toEqual(['ColumnRef', 'IntervalUnit']);
  });
});
