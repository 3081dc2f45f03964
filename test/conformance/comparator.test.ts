import { describe, expect, it } from 'vitest';
import { matchesExpected, recordMatches, type ActualRecord } from '../../src/engine/conformance/expected-comparator.js';
import {
  javaDecimalFromDouble,
  javaDoubleToString,
  javaInt,
  javaLong,
  javaValueFromJson,
  parseJavaDecimal,
  type JavaValue,
} from '../../src/engine/conformance/java-values.js';
import { parseLosslessJson } from '../../src/engine/conformance/qtt-loader.js';

/** An expected node as the loader produces it from file text. */
const exp = (json: string): unknown => parseLosslessJson(json);
/** An actual value as the harness's JSON deserializer produces it from record text. */
const actualJson = (json: string): JavaValue => javaValueFromJson(parseLosslessJson(json));

describe('number rules', () => {
  it('compares Integer and Long actuals with the expected integer value', () => {
    expect(matchesExpected(javaInt(5), exp('5'))).toBe(true);
    expect(matchesExpected(javaInt(5), exp('6'))).toBe(false);
    expect(matchesExpected(javaLong(9223372036854775807n), exp('9223372036854775807'))).toBe(true);
    expect(matchesExpected(javaLong(9223372036854775807n), exp('9223372036854775806'))).toBe(false);
  });

  it('narrows the expected value like Java intValue()/longValue()', () => {
    // Jackson's intValue() of a decimal node truncates, so 5.9 matches an Integer 5.
    expect(matchesExpected(javaInt(5), exp('5.9'))).toBe(true);
  });

  it('requires a decimal actual to equal an expected decimal including scale', () => {
    expect(matchesExpected(actualJson('1.50'), exp('1.50'))).toBe(true);
    expect(matchesExpected(actualJson('1.5'), exp('1.50'))).toBe(false);
    expect(matchesExpected(actualJson('1.0'), exp('1.0'))).toBe(true);
  });

  it('lets a decimal actual match an expected integer only without fraction digits', () => {
    expect(matchesExpected(actualJson('1.0'), exp('1'))).toBe(false);
    expect(matchesExpected({ t: 'decimal', unscaled: 10n, scale: -6 }, exp('10000000'))).toBe(true);
  });

  it('never matches a BigInteger actual', () => {
    expect(matchesExpected(actualJson('123456789012345678901234567890'), exp('123456789012345678901234567890'))).toBe(false);
  });

  it('compares decimals within 1e-6 when exact comparison is off', () => {
    const loose = { exactNumbers: false };
    expect(matchesExpected(actualJson('0.30000000000000004'), exp('0.3'), loose)).toBe(true);
    expect(matchesExpected(actualJson('0.3001'), exp('0.3'), loose)).toBe(false);
    expect(matchesExpected(actualJson('0.30000000000000004'), exp('0.3'))).toBe(false);
  });

  it('matches KAFKA DOUBLE values through Java Double.toString digits', () => {
    expect(matchesExpected(javaDecimalFromDouble(1), exp('1.0'))).toBe(true);
    expect(matchesExpected(javaDecimalFromDouble(1), exp('1'))).toBe(false);
    expect(matchesExpected(javaDecimalFromDouble(1e7), exp('1.0E7'))).toBe(true);
  });

  it('matches an expected string against a decimal actual by BigDecimal value and scale', () => {
    expect(matchesExpected(parseJavaDecimal('10.120'), exp('"10.120"'))).toBe(true);
    expect(matchesExpected(parseJavaDecimal('10.12'), exp('"10.120"'))).toBe(false);
  });
});

describe('strings, booleans and nulls', () => {
  it('compares DELIMITED lines as whole strings, so number spelling matters', () => {
    expect(matchesExpected('1,1.0,foo', exp('"1,1.0,foo"'))).toBe(true);
    expect(matchesExpected('1,1,foo', exp('"1,1.0,foo"'))).toBe(false);
  });

  it('does not match a string with a number or a boolean with a string', () => {
    expect(matchesExpected('5', exp('5'))).toBe(false);
    expect(matchesExpected(true, exp('"true"'))).toBe(false);
    expect(matchesExpected(true, exp('true'))).toBe(true);
  });

  it('matches null only with null', () => {
    expect(matchesExpected(null, exp('null'))).toBe(true);
    expect(matchesExpected(javaInt(0), exp('null'))).toBe(false);
    expect(matchesExpected(null, exp('0'))).toBe(false);
  });
});

describe('objects and arrays', () => {
  it('looks an expected field up as written, then upper-cased', () => {
    expect(matchesExpected(actualJson('{"NAME":"a","ID":1}'), exp('{"name":"a","id":1}'))).toBe(true);
    expect(matchesExpected(actualJson('{"name":"a"}'), exp('{"name":"a"}'))).toBe(true);
    expect(matchesExpected(actualJson('{"Name":"a"}'), exp('{"name":"a"}'))).toBe(false);
  });

  it('requires the same number of fields', () => {
    expect(matchesExpected(actualJson('{"A":1,"B":2}'), exp('{"A":1}'))).toBe(false);
    expect(matchesExpected(actualJson('{"A":1}'), exp('{"A":1,"B":null}'))).toBe(false);
  });

  it('treats a missing expected-null field as null only when counts agree', () => {
    expect(matchesExpected(actualJson('{"A":1,"C":null}'), exp('{"A":1,"B":null}'))).toBe(true);
  });

  it('compares arrays element-wise and by length', () => {
    expect(matchesExpected(actualJson('[1,[2,3]]'), exp('[1,[2,3]]'))).toBe(true);
    expect(matchesExpected(actualJson('[1,2]'), exp('[1,2,3]'))).toBe(false);
    expect(matchesExpected(actualJson('{"A":[1]}'), exp('[1]'))).toBe(false);
  });
});

describe('records', () => {
  const actual = (over: Partial<ActualRecord> = {}): ActualRecord => ({
    key: javaInt(1),
    value: actualJson('{"V":2}'),
    timestamp: 10,
    headers: [],
    ...over,
  });
  const key = exp('1');
  const value = exp('{"V":2}');

  it('matches window start, end and type and then the unwindowed key', () => {
    const window = { start: 0, end: 1000, type: 'time' as const };
    expect(recordMatches(actual({ window }), { key, value, window }, false)).toBe(true);
    expect(recordMatches(actual({ window: { ...window, end: 2000 } }), { key, value, window }, false)).toBe(false);
    expect(recordMatches(actual({ window: { ...window, type: 'session' } }), { key, value, window }, false)).toBe(false);
  });

  it('fails a windowed actual against an expected record without a window', () => {
    expect(recordMatches(actual({ window: { start: 0, end: 1, type: 'time' } }), { key, value }, false)).toBe(false);
  });

  it('checks timestamps only when expected, and lets 0 match anything without inputs', () => {
    expect(recordMatches(actual(), { key, value }, false)).toBe(true);
    expect(recordMatches(actual(), { key, value, timestamp: 11 }, false)).toBe(false);
    expect(recordMatches(actual(), { key, value, timestamp: 0 }, false)).toBe(false);
    expect(recordMatches(actual(), { key, value, timestamp: 0 }, true)).toBe(true);
  });

  it('expects no headers when the expected record has none', () => {
    expect(recordMatches(actual({ headers: [{ key: 'h', value: Buffer.from('x') }] }), { key, value }, false)).toBe(false);
    expect(
      recordMatches(actual({ headers: [{ key: 'h', value: Buffer.from('x') }] }), { key, value, headers: [{ KEY: 'h', VALUE: 'eA==' }] }, false),
    ).toBe(true);
  });
});

describe('Java Double.toString', () => {
  it('always writes a fraction and switches to exponent form outside [1e-3, 1e7)', () => {
    expect(javaDoubleToString(1)).toBe('1.0');
    expect(javaDoubleToString(0)).toBe('0.0');
    expect(javaDoubleToString(123.45)).toBe('123.45');
    expect(javaDoubleToString(0.001)).toBe('0.001');
    expect(javaDoubleToString(0.0001)).toBe('1.0E-4');
    expect(javaDoubleToString(1e7)).toBe('1.0E7');
    expect(javaDoubleToString(-12345678.9)).toBe('-1.23456789E7');
    expect(javaDoubleToString(Number.MIN_VALUE)).toBe('4.9E-324');
    expect(javaDoubleToString(Number.MAX_VALUE)).toBe('1.7976931348623157E308');
    expect(javaDoubleToString(NaN)).toBe('NaN');
  });
});
