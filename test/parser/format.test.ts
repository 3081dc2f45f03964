import { describe, expect, it } from 'vitest';
import type { Expression } from '../../src/engine/parser/ast.js';
import { formatDecimalLiteral, formatDoubleLiteral, formatExpression, formatType } from '../../src/engine/parser/format.js';
import { needsQuotes } from '../../src/engine/parser/lexer.js';
import { parseExpression, parseSqlType } from '../../src/engine/parser/parser.js';
import { SqlTypes } from '../../src/engine/types.js';

describe('formatExpression', () => {
  it('prints column references plainly by default and back-quotes on request', () => {
    const e = parseExpression('`select` + s.`lower` + plain');
    expect(formatExpression(e)).toBe('((select + S.lower) + PLAIN)');
    expect(formatExpression(e, { quote: needsQuotes })).toBe('((`select` + S.`lower`) + PLAIN)');
  });

  it('escapes quotes in string literals', () => {
    expect(formatExpression({ kind: 'StringLiteral', value: "it's" })).toBe("'it''s'");
  });

  it('separates nested negations so they do not read as a comment', () => {
    const e: Expression = { kind: 'Negation', operand: { kind: 'Negation', operand: { kind: 'ColumnRef', name: 'A' } } };
    expect(formatExpression(e)).toBe('- -A');
  });

  it('prints literals as Java does', () => {
    expect(formatExpression(parseExpression('null'))).toBe('null');
    expect(formatExpression(parseExpression('TRUE'))).toBe('true');
    expect(formatExpression(parseExpression('10000000000'))).toBe('10000000000');
    expect(formatExpression(parseExpression('.5'))).toBe('0.5');
    expect(formatExpression(parseExpression('1.5E3'))).toBe('1.5E3');
  });

  it('prints struct fields and casts with the type spelling of SQL text', () => {
    expect(formatExpression(parseExpression("CAST(STRUCT(a := 1) AS STRUCT<A INT, `b` MAP<STRING, DECIMAL(3,1)>>)"))).toBe(
      'CAST(STRUCT(A:=1) AS STRUCT<A INTEGER, b MAP<STRING, DECIMAL(3, 1)>>)',
    );
  });
});

describe('number formatting helpers', () => {
  it.each([
    ['1.50', '1.50'],
    ['.5', '0.5'],
    ['1.', '1'],
    ['-0.25', '-0.25'],
    ['0.0000001', '1E-7'],
    ['0.000001', '0.000001'],
    ['00012.3', '12.3'],
  ])('decimal %s', (text, expected) => {
    expect(formatDecimalLiteral(text)).toBe(expected);
  });

  it.each([
    [1500, '1.5E3'],
    [100, '1E2'],
    [0.002, '2E-3'],
    [0, '0E0'],
    [1.7976931348623157e308, '1.7976931348623157E308'],
  ])('double %s', (value, expected) => {
    expect(formatDoubleLiteral(value)).toBe(expected);
  });
});

describe('formatType', () => {
  it('quotes struct fields only when asked', () => {
    const t = parseSqlType('STRUCT<a ARRAY<BIGINT>, `B c` BOOLEAN>');
    expect(formatType(t)).toBe('STRUCT<A ARRAY<BIGINT>, B c BOOLEAN>');
    expect(formatType(t, { quote: () => true })).toBe('STRUCT<`A` ARRAY<BIGINT>, `B c` BOOLEAN>');
    expect(formatType(SqlTypes.struct([]))).toBe('STRUCT< >');
  });
});

describe('needsQuotes', () => {
  it.each([
    ['ABC', false],
    ['A_1', false],
    ['abc', true],
    ['SELECT', true],
    ['KEY', false],
    ['1A', false],
    ['_X@Y', false],
    ['', true],
    ['A B', true],
  ])('%s', (name, expected) => {
    expect(needsQuotes(name)).toBe(expected);
  });
});
