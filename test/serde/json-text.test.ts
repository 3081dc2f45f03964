import { describe, expect, it } from 'vitest';
import { SerdeError } from '../../src/engine/errors.js';
import { SqlTypes, type SqlType } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import { bigDecimalToString, coerceJsonValue } from '../../src/engine/values/json-coerce.js';
import { isLosslessNumber, parseJsonText } from '../../src/engine/values/json-parse.js';
import { compileJsonWriter, renderRestRow, renderRestValue } from '../../src/engine/values/json-text.js';
import type { Value } from '../../src/engine/values/value.js';

const S = SqlTypes;

function coerceText(text: string, type: SqlType): Value {
  return coerceJsonValue(parseJsonText(text, true), type);
}

function coercionMessage(text: string, type: SqlType): string {
  try {
    coerceText(text, type);
  } catch (e) {
    expect(e).toBeInstanceOf(SerdeError);
    return (e as Error).message;
  }
  throw new Error(`expected ${text} to fail as ${type.kind}`);
}

describe('topic JSON writer', () => {
  const write = (v: Value, t: SqlType) => compileJsonWriter(t, 'topic')(v);

  it('writes DOUBLE like Java and NaN/Infinity as strings', () => {
    expect(write(1, S.DOUBLE)).toBe('1.0');
    expect(write(1e7, S.DOUBLE)).toBe('1.0E7');
    expect(write(NaN, S.DOUBLE)).toBe('"NaN"');
    expect(write(-Infinity, S.DOUBLE)).toBe('"-Infinity"');
  });

  it('writes temporal types as numbers and BIGINT exactly', () => {
    expect(write(1234, S.TIMESTAMP)).toBe('1234');
    expect(write(10, S.DATE)).toBe('10');
    expect(write(9223372036854775807n, S.BIGINT)).toBe('9223372036854775807');
  });

  it('writes DECIMAL in plain notation with its scale, BYTES as base64', () => {
    expect(write(new Decimal(12300n, 3), S.decimal(5, 3))).toBe('12.300');
    expect(write(Buffer.from([0x7b]), S.BYTES)).toBe('"ew=="');
  });

  it('writes nested collections with declared struct field names', () => {
    const type = S.struct([
      { name: 'a', type: S.array(S.INTEGER) },
      { name: 'M', type: S.map(S.STRING, S.DOUBLE) },
    ]);
    const v = { a: [1, null], M: new Map<Value, Value>([['x', 2.5]]) };
    expect(write(v, type)).toBe('{"a":[1,null],"M":{"x":2.5}}');
  });
});

describe('REST rendering (REST-API.md 1.3)', () => {
  it('renders temporal types as strings', () => {
    expect(renderRestValue(943959600000, S.TIMESTAMP)).toBe('"1999-11-30T11:00:00.000"');
    expect(renderRestValue(10, S.DATE)).toBe('"1970-01-11"');
    expect(renderRestValue(600000, S.TIME)).toBe('"00:10"');
    expect(renderRestValue(10000, S.TIME)).toBe('"00:00:10"');
  });

  it('renders a row as a JSON array', () => {
    const types = [S.INTEGER, S.STRING, S.DOUBLE, S.BIGINT, S.decimal(4, 2), S.BYTES, S.BOOLEAN];
    const row: Value[] = [1, 'a"b', 4.9e-324, 2n ** 62n, new Decimal(150n, 2), Buffer.from('{'), null];
    expect(renderRestRow(row, types)).toBe('[1,"a\\"b",4.9E-324,4611686018427387904,1.50,"ew==",null]');
    expect(JSON.parse(renderRestRow([NaN], [S.DOUBLE]))).toEqual(['NaN']);
  });
});

describe('parseJsonText', () => {
  it('uses plain numbers when nothing needs exactness', () => {
    expect(parseJsonText('{"a":1.5}', false)).toEqual({ a: 1.5 });
  });

  it('keeps long integers and decimals exact when needed', () => {
    const big = parseJsonText('{"a":9223372036854775807}', false) as { a: unknown };
    expect(isLosslessNumber(big.a)).toBe(true);
    expect(coerceJsonValue(big.a, S.BIGINT)).toBe(9223372036854775807n);
    const dec = parseJsonText('{"d":0.10}', true) as { d: unknown };
    expect(coerceJsonValue(dec.d, S.decimal(3, 2))).toEqual(new Decimal(10n, 2));
  });
});

describe('coerceJsonValue (KsqlJsonDeserializer rules)', () => {
  it('coerces numeric strings into numeric columns', () => {
    expect(coerceText('"12"', S.INTEGER)).toBe(12);
    expect(coerceText('"-9223372036854775808"', S.BIGINT)).toBe(-9223372036854775808n);
    expect(coerceText('"1.5e3"', S.DOUBLE)).toBe(1500);
    expect(coerceText('"NaN"', S.DOUBLE)).toBeNaN();
    expect(coerceText('"1.25"', S.decimal(4, 2))).toEqual(new Decimal(125n, 2));
  });

  it('truncates fractional numbers into integer columns', () => {
    expect(coerceText('1.9', S.INTEGER)).toBe(1);
    expect(coerceText('-1.9', S.BIGINT)).toBe(-1n);
    expect(coerceText('4294967297', S.INTEGER)).toBe(1);
  });

  it('turns any scalar into STRING text and objects into JSON text', () => {
    expect(coerceText('12', S.STRING)).toBe('12');
    expect(coerceText('1.50', S.STRING)).toBe('1.50');
    expect(coerceText('true', S.STRING)).toBe('true');
    expect(coerceText('{"a": [1, 2]}', S.STRING)).toBe('{"a":[1,2]}');
    expect(coerceText('["a", 1, null]', S.STRING)).toBe('[a, 1, null]');
  });

  it('refuses what ksqlDB refuses, with its messages and paths', () => {
    expect(coercionMessage('"true"', S.BOOLEAN)).toBe("Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: $");
    expect(coercionMessage('"abc"', S.INTEGER)).toBe("Can't coerce string to type. targetType: INTEGER, path: $");
    expect(coercionMessage('1', S.BOOLEAN)).toBe("Can't convert type. sourceType: IntNode, requiredType: BOOLEAN, path: $");
    const nested = S.struct([{ name: 'S', type: S.struct([{ name: 'L', type: S.array(S.INTEGER) }]) }]);
    expect(coercionMessage('{"s": {"l": [1, true]}}', nested)).toBe(
      "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER, path: $.S.L[1]",
    );
  });

  it('checks DECIMAL digits without rounding', () => {
    expect(coercionMessage('1.234', S.decimal(4, 2))).toContain("Cannot fit decimal '1.234' into DECIMAL(4, 2) without rounding.");
    expect(coercionMessage('123.4', S.decimal(4, 2))).toContain(
      'Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10^2. Got 123.4',
    );
    expect(coerceText('1.2', S.decimal(4, 2))).toEqual(new Decimal(120n, 2));
    expect(coerceText('1.200', S.decimal(4, 2))).toEqual(new Decimal(120n, 2));
  });

  it('reads BYTES from base64 and temporal types from numbers', () => {
    expect(coerceText('"ew=="', S.BYTES)).toEqual(Buffer.from('{'));
    expect(coercionMessage('"@@"', S.BYTES)).toContain('Value is not a valid Base64 encoded string: @@');
    expect(coercionMessage('"ew"', S.BYTES)).toContain('Value is not a valid Base64 encoded string: ew');
    expect(coerceText('1000', S.TIMESTAMP)).toBe(1000);
    expect(coerceText('3', S.DATE)).toBe(3);
  });

  it('matches struct fields exactly first, then case-insensitively', () => {
    const t = S.struct([
      { name: 'ID', type: S.INTEGER },
      { name: 'name', type: S.STRING },
    ]);
    expect(coerceText('{"id": 1, "name": "x", "extra": 2}', t)).toEqual({ ID: 1, name: 'x' });
    expect(coerceText('{"ID": null, "id": 3}', t)).toEqual({ ID: null, name: null });
    expect(coerceText('{"toString": 1}', S.struct([{ name: 'toString', type: S.INTEGER }]))).toEqual({ toString: 1 });
    expect(coerceText('{}', S.struct([{ name: 'toString', type: S.INTEGER }]))).toEqual({ toString: null });
  });

  it('reads MAP values into a Map', () => {
    const m = coerceText('{"a": 1, "b": null}', S.map(S.STRING, S.BIGINT)) as Map<Value, Value>;
    expect([...m.entries()]).toEqual([
      ['a', 1n],
      ['b', null],
    ]);
  });
});

describe('bigDecimalToString', () => {
  it.each([
    [123n, 2, '1.23'],
    [1n, -3, '1E+3'],
    [1n, 7, '1E-7'],
    [1n, 6, '0.000001'],
    [-15n, 1, '-1.5'],
  ])('%s scale %s -> %s', (u, s, expected) => {
    expect(bigDecimalToString(u, s)).toBe(expected);
  });
});

describe('exact parsing edge cases', () => {
  it('keeps the last of duplicate keys, like Jackson', () => {
    const parsed = parseJsonText('{"a": 1, "s": "x\\"1,2", "a": 12345678901234567890}', true) as Record<string, unknown>;
    expect(coerceJsonValue(parsed.a, S.decimal(20, 0))).toEqual(new Decimal(12345678901234567890n, 0));
    expect(parsed.s).toBe('x"1,2');
  });

  it('throws SyntaxError-like errors on malformed text in both modes', () => {
    expect(() => parseJsonText('{"a": }', false)).toThrow();
    expect(() => parseJsonText('{"a": }', true)).toThrow();
  });
});
