import { describe, expect, it } from 'vitest';
import { SqlTypes as S } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import { call, registry } from './helpers.js';

describe('JSON functions', () => {
  const doc = '{"log":{"cloud":"gcp","n":12345678901234567890,"tags":["a","b"]},"x":null}';
  it('EXTRACTJSONFIELD follows a JSONPath and keeps big numbers', () => {
    const f = (path: string) => call('EXTRACTJSONFIELD', [S.STRING, S.STRING], [doc, path]);
    expect(f('$.log.cloud')).toBe('gcp');
    expect(f('$.log.n')).toBe('12345678901234567890');
    expect(f('$.log.tags[1]')).toBe('b');
    expect(f("$['log']['tags']")).toBe('["a","b"]');
    expect(f('$.missing')).toBeNull();
    expect(f('$.x')).toBeNull();
    expect(call('EXTRACTJSONFIELD', [S.STRING, S.STRING], ['not json', '$.a'])).toBeNull();
  });

  it('IS_JSON_STRING, JSON_ARRAY_LENGTH, JSON_KEYS, JSON_RECORDS, JSON_CONCAT', () => {
    expect(call('IS_JSON_STRING', [S.STRING], ['[1, 2]'])).toBe(true);
    expect(call('IS_JSON_STRING', [S.STRING], ['abc'])).toBe(false);
    expect(call('IS_JSON_STRING', [S.STRING], [null])).toBe(false);
    expect(call('JSON_ARRAY_LENGTH', [S.STRING], ['[1, [2], 3]'])).toBe(3);
    expect(call('JSON_ARRAY_LENGTH', [S.STRING], ['{}'])).toBeNull();
    expect(call('JSON_KEYS', [S.STRING], ['{"a": 1, "b": {"c": 2}}'])).toEqual(['a', 'b']);
    expect(call('JSON_RECORDS', [S.STRING], ['{"a": 1.50, "b": {"c": "d"}}'])).toEqual(
      new Map([
        ['a', '1.50'],
        ['b', '{"c":"d"}'],
      ]),
    );
    expect(call('JSON_CONCAT', [S.STRING, S.STRING], ['{"a": 1}', '{"b": 2, "a": 3}'])).toBe('{"a":3,"b":2}');
    expect(call('JSON_CONCAT', [S.STRING, S.STRING, S.STRING], ['[1, 2]', '3', '{"a": 1}'])).toBe('[1,2,3,{"a":1}]');
    expect(call('JSON_CONCAT', [S.STRING, S.STRING], ['[1]', null])).toBeNull();
  });
});

describe('TO_JSON_STRING', () => {
  it('writes values the way the JSON format does', () => {
    expect(call('TO_JSON_STRING', [S.STRING], ['a"b'])).toBe('"a\\"b"');
    expect(call('TO_JSON_STRING', [S.DOUBLE], [1])).toBe('1.0');
    expect(call('TO_JSON_STRING', [S.BIGINT], [12345678901234567890n])).toBe('12345678901234567890');
    expect(call('TO_JSON_STRING', [S.decimal(4, 2)], [Decimal.parse('1.50')])).toBe('1.50');
    expect(call('TO_JSON_STRING', [S.BYTES], [Buffer.from('hi')])).toBe('"aGk="');
    expect(call('TO_JSON_STRING', [S.NULL], [null])).toBe('null');
    const type = S.struct([
      { name: 'A', type: S.array(S.INTEGER) },
      { name: 'M', type: S.map(S.STRING, S.BOOLEAN) },
    ]);
    expect(call('TO_JSON_STRING', [type], [{ A: [1, null], M: new Map([['k', true]]) }])).toBe('{"A":[1,null],"M":{"k":true}}');
  });
});

describe('URL functions', () => {
  const u = 'http://user@test.com:8080/nested/p%20ath?query=a%26b&other=x+y#frag%20ment';
  it('extracts components like java.net.URI', () => {
    expect(call('URL_EXTRACT_PROTOCOL', [S.STRING], [u])).toBe('http');
    expect(call('URL_EXTRACT_HOST', [S.STRING], [u])).toBe('test.com');
    expect(call('URL_EXTRACT_PORT', [S.STRING], [u])).toBe(8080);
    expect(call('URL_EXTRACT_PORT', [S.STRING], ['http://test.com/x'])).toBeNull();
    expect(call('URL_EXTRACT_PATH', [S.STRING], [u])).toBe('/nested/p ath');
    expect(call('URL_EXTRACT_PATH', [S.STRING], ['http://test.com'])).toBe('');
    expect(call('URL_EXTRACT_QUERY', [S.STRING], [u])).toBe('query=a&b&other=x+y');
    expect(call('URL_EXTRACT_FRAGMENT', [S.STRING], [u])).toBe('frag ment');
    expect(call('URL_EXTRACT_PARAMETER', [S.STRING, S.STRING], [u, 'query'])).toBe('a&b');
    expect(call('URL_EXTRACT_PARAMETER', [S.STRING, S.STRING], [u, 'other'])).toBe('x y');
    expect(call('URL_EXTRACT_PARAMETER', [S.STRING, S.STRING], [u, 'none'])).toBeNull();
  });

  it('encodes and decodes parameters as application/x-www-form-urlencoded', () => {
    expect(call('URL_ENCODE_PARAM', [S.STRING], ["a b&c=d/é*~'"])).toBe('a+b%26c%3Dd%2F%C3%A9*%7E%27');
    expect(call('URL_DECODE_PARAM', [S.STRING], ['a+b%26c%3Dd%2F%C3%A9'])).toBe('a b&c=d/é');
  });
});

describe('other collection and math functions', () => {
  it('ENTRIES, MAP_UNION, GENERATE_SERIES', () => {
    const m = new Map<string, number>([
      ['b', 2],
      ['a', 1],
    ]);
    expect(call('ENTRIES', [S.map(S.STRING, S.INTEGER), S.BOOLEAN], [m, true])).toEqual([
      { K: 'a', V: 1 },
      { K: 'b', V: 2 },
    ]);
    expect(registry.resolve('ENTRIES', [S.map(S.STRING, S.INTEGER), S.BOOLEAN]).returnType).toEqual(
      S.array(
        S.struct([
          { name: 'K', type: S.STRING },
          { name: 'V', type: S.INTEGER },
        ]),
      ),
    );
    expect(call('MAP_UNION', [S.map(S.STRING, S.INTEGER), S.map(S.STRING, S.INTEGER)], [m, new Map([['a', 9]])])).toEqual(
      new Map([
        ['b', 2],
        ['a', 9],
      ]),
    );
    expect(call('GENERATE_SERIES', [S.INTEGER, S.INTEGER], [1, 4])).toEqual([1, 2, 3, 4]);
    expect(call('GENERATE_SERIES', [S.INTEGER, S.INTEGER], [3, 1])).toEqual([3, 2, 1]);
    expect(call('GENERATE_SERIES', [S.INTEGER, S.INTEGER, S.INTEGER], [0, 9, 4])).toEqual([0, 4, 8]);
    expect(call('GENERATE_SERIES', [S.BIGINT, S.BIGINT, S.INTEGER], [10n, 4n, -3])).toEqual([10n, 7n, 4n]);
    expect(() => call('GENERATE_SERIES', [S.INTEGER, S.INTEGER, S.INTEGER], [0, 9, -1])).toThrow('wrong sign');
    expect(() => call('GENERATE_SERIES', [S.INTEGER, S.INTEGER, S.INTEGER], [0, 9, 0])).toThrow('cannot be zero');
  });

  it('ARRAY_JOIN writes DOUBLE and DECIMAL elements like Java', () => {
    expect(call('ARRAY_JOIN', [S.array(S.DOUBLE)], [[1, 2.5, 1e-5]])).toBe('1.0,2.5,1.0E-5');
    expect(call('ARRAY_JOIN', [S.array(S.decimal(4, 2)), S.STRING], [[Decimal.parse('1.50'), null], ';'])).toBe('1.50;null');
  });

  it('GEO_DISTANCE', () => {
    // London to Paris is about 343.5 km (213.5 miles) along a great circle.
    const km = call('GEO_DISTANCE', [S.DOUBLE, S.DOUBLE, S.DOUBLE, S.DOUBLE], [51.5074, -0.1278, 48.8566, 2.3522]) as number;
    expect(Math.abs(km - 343.5)).toBeLessThan(0.5);
    const miles = call('GEO_DISTANCE', [S.DOUBLE, S.DOUBLE, S.DOUBLE, S.DOUBLE, S.STRING], [51.5074, -0.1278, 48.8566, 2.3522, 'mi']) as number;
    expect(Math.abs(miles - 213.5)).toBeLessThan(0.5);
    expect(() => call('GEO_DISTANCE', [S.DOUBLE, S.DOUBLE, S.DOUBLE, S.DOUBLE], [91, 0, 0, 0])).toThrow('latitude');
  });
});
