import { describe, expect, it } from 'vitest';
import { coerceLiteral } from '../../src/engine/expressions/coercion.js';
import {
  castDoubleToDecimal,
  castIntegerToDecimal,
  decimalArithmetic,
  decimalResultType,
  decimalTypeOfValue,
  exactDecimalOfDouble,
} from '../../src/engine/expressions/decimal-rules.js';
import { parseBooleanExact, parseJavaDouble, parseJavaInt, parseJavaLong } from '../../src/engine/expressions/java-text.js';
import { formatTimestampText, parseDateText, parseTimeText, parseTimestampText } from '../../src/engine/expressions/time-text.js';
import { SqlTypes } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import { parseExpression } from './helpers.js';

describe('timestamp text', () => {
  it('completes partial timestamps and applies offsets', () => {
    expect(parseTimestampText('2018')).toBe(1514764800000);
    expect(parseTimestampText('2018-01')).toBe(1514764800000);
    expect(parseTimestampText('2018-01-01T00:00:00.001')).toBe(1514764800001);
    expect(parseTimestampText('2018-01-01T00:00:01')).toBe(1514764801000);
    expect(parseTimestampText('2020-02-10T08:31:44.001+0000')).toBe(1581323504001);
    expect(parseTimestampText('2019-01-01T00:00:00+0445')).toBe(1546300800000 - (4 * 60 + 45) * 60_000);
    expect(parseTimestampText('2019-01-01T04:45:00+04:45')).toBe(1546300800000);
    expect(() => parseTimestampText('yesterday')).toThrow("Failed to parse timestamp 'yesterday'");
    expect(() => parseTimestampText('2019-13-01')).toThrow();
    expect(formatTimestampText(1651182287943)).toBe('2022-04-28T21:44:47.943');
    expect(formatTimestampText(0)).toBe('1970-01-01T00:00:00.000');
  });

  it('parses dates and times', () => {
    expect(parseDateText('1970-01-02')).toBe(1);
    expect(parseDateText('1969-12-31')).toBe(-1);
    expect(parseTimeText('00:00:00.001')).toBe(1);
    expect(parseTimeText('23:59')).toBe(86_340_000);
    expect(() => parseTimeText('24:00')).toThrow();
    expect(() => parseDateText('2021-02-29')).toThrow();
  });
});

describe('Java number text', () => {
  it('parses like Integer.parseInt / Long.parseLong / Double.parseDouble', () => {
    expect(parseJavaInt('+12')).toBe(12);
    expect(() => parseJavaInt('2147483648')).toThrow('For input string: "2147483648"');
    expect(() => parseJavaInt('1.0')).toThrow();
    expect(parseJavaLong('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(() => parseJavaLong('9223372036854775808')).toThrow();
    expect(parseJavaDouble('1e3')).toBe(1000);
    expect(parseJavaDouble('.5d')).toBe(0.5);
    expect(() => parseJavaDouble('Infinity')).toThrow();
  });

  it('reads ksqlDB boolean words', () => {
    expect(parseBooleanExact('TrUe')).toBe(true);
    expect(parseBooleanExact('y')).toBe(true);
    expect(parseBooleanExact('fal')).toBe(false);
    expect(parseBooleanExact('no')).toBe(false);
    expect(parseBooleanExact('nope')).toBeUndefined();
    expect(parseBooleanExact('')).toBeUndefined();
  });
});

describe('decimal rules', () => {
  it('gives exact values of doubles', () => {
    expect(exactDecimalOfDouble(0.5).toString()).toBe('0.5');
    expect(exactDecimalOfDouble(0.1).toString()).toBe('0.1000000000000000055511151231257827021181583404541015625');
    expect(exactDecimalOfDouble(-3).toString()).toBe('-3');
    expect(exactDecimalOfDouble(2 ** 70).toString()).toBe((2n ** 70n).toString());
  });

  it('casts with MathContext rounding then overflow check', () => {
    expect(castIntegerToDecimal(123n, { precision: 3, scale: 0 }).toString()).toBe('123');
    expect(() => castIntegerToDecimal(123n, { precision: 2, scale: 0 })).toThrow('Numeric field overflow');
    expect(castDoubleToDecimal(1.25, { precision: 3, scale: 1 }).toString()).toBe('1.3');
    expect(() => castDoubleToDecimal(NaN, { precision: 3, scale: 1 })).toThrow();
  });

  it('types literals and results', () => {
    expect(decimalTypeOfValue(Decimal.parse('123.45'))).toEqual({ precision: 5, scale: 2 });
    expect(decimalTypeOfValue(Decimal.parse('-0.5'))).toEqual({ precision: 2, scale: 1 });
    expect(decimalResultType('/', { precision: 10, scale: 0 }, { precision: 10, scale: 0 })).toEqual({ precision: 21, scale: 11 });
  });

  it('fails modulus when the integral quotient exceeds the result precision (Java MathContext)', () => {
    const l = Decimal.parse('12345678.00');
    const r = Decimal.parse('1.00');
    const type = decimalResultType('%', { precision: 10, scale: 2 }, { precision: 3, scale: 2 });
    expect(() => decimalArithmetic('%', l, r, type)).toThrow();
    expect(decimalArithmetic('%', Decimal.parse('5.50'), Decimal.parse('2.00'), type).toString()).toBe('1.50');
  });
});

describe('coerceLiteral', () => {
  it('coerces literal expressions for INSERT VALUES', () => {
    expect(coerceLiteral(parseExpression("'12'"), SqlTypes.BIGINT)).toEqual({ ok: true, value: 12n });
    expect(coerceLiteral(parseExpression('1.5'), SqlTypes.DOUBLE)).toEqual({ ok: true, value: 1.5 });
    expect(coerceLiteral(parseExpression('1.5'), SqlTypes.INTEGER)).toEqual({ ok: false });
    expect(coerceLiteral(parseExpression('X'), SqlTypes.INTEGER)).toBeUndefined();
    expect(coerceLiteral(parseExpression("'2020-01-01'"), SqlTypes.DATE)).toEqual({ ok: true, value: 18262 });
  });
});

describe('decimal modulus precision', () => {
  it('accepts integral quotients whose significant digits fit', () => {
    const type = decimalResultType('%', { precision: 10, scale: 2 }, { precision: 3, scale: 2 });
    expect(decimalArithmetic('%', Decimal.parse('12300000.50'), Decimal.parse('1.00'), type).toString()).toBe('0.50');
  });
});
