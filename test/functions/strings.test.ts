import { describe, expect, it } from 'vitest';
import { SqlTypes as S } from '../../src/engine/types.js';
import { call, registry } from './helpers.js';

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

describe('SUBSTRING (substring.json, string.json)', () => {
  const sub = (s: string | null, pos: number | null, len?: number | null) =>
    len === undefined ? call('SUBSTRING', [S.STRING, S.INTEGER], [s, pos]) : call('SUBSTRING', [S.STRING, S.INTEGER, S.INTEGER], [s, pos, len]);

  it('uses 1-based positions and clamps', () => {
    expect(sub('some_string', 6)).toBe('string');
    expect(sub('another', 6)).toBe('er');
    expect(sub('short', 6)).toBe('');
    expect(sub('some_string', 6, 3)).toBe('str');
    expect(sub('short', 6, 3)).toBe('');
    expect(sub('some string', 0, 2)).toBe('so');
    expect(sub(' \t with white space \t', 2, 5)).toBe('\t wit');
    expect(sub('s', 2, 5)).toBe('');
    expect(sub('long enough', 2, 5)).toBe('ong e');
  });

  it('counts negative positions from the end', () => {
    expect(sub('abcdef', -2)).toBe('ef');
    expect(sub('abcdef', -10, 3)).toBe('abc');
  });

  it('returns null for null arguments', () => {
    expect(sub(null, 1)).toBeNull();
    expect(sub('x', null)).toBeNull();
    expect(sub('some_string', 6, null)).toBeNull();
  });

  it('works on bytes', () => {
    const r = call('SUBSTRING', [S.BYTES, S.INTEGER], [b64('c29tZV9zdHJpbmc='), 6]) as Buffer;
    expect(r.toString('base64')).toBe('c3RyaW5n');
    const r2 = call('SUBSTRING', [S.BYTES, S.INTEGER, S.INTEGER], [b64('YW5vdGhlcg=='), 6, 3]) as Buffer;
    expect(r2.toString('base64')).toBe('ZXI=');
  });

  it('follows ksql.functions.substring.legacy.args', () => {
    const legacy = { properties: { 'ksql.functions.substring.legacy.args': 'true' } };
    expect(call('SUBSTRING', [S.STRING, S.INTEGER], ['some_string', 5], legacy)).toBe('string');
    expect(call('SUBSTRING', [S.STRING, S.INTEGER, S.INTEGER], ['some_string', 5, 8], legacy)).toBe('str');
    expect(() => call('SUBSTRING', [S.STRING, S.INTEGER, S.INTEGER], ['abc', 2, 10], legacy)).toThrow();
  });
});

describe('case, trim, concat, len', () => {
  it('LCASE, UCASE, TRIM (string.json)', () => {
    expect(call('LCASE', [S.STRING], ['MiXeD'])).toBe('mixed');
    expect(call('UCASE', [S.STRING], [' \t with white space \t'])).toBe(' \t WITH WHITE SPACE \t');
    expect(call('TRIM', [S.STRING], [' \t with white space \t'])).toBe('with white space');
    expect(call('LTRIM', [S.STRING], ['  a  '])).toBe('a  ');
    expect(call('RTRIM', [S.STRING], ['  a  '])).toBe('  a');
  });

  it('CONCAT and CONCAT_WS skip nulls (concat.json)', () => {
    expect(call('CONCAT', [S.STRING, S.STRING, S.STRING], ['prefix-', 's1', '-postfix'])).toBe('prefix-s1-postfix');
    expect(call('CONCAT', [S.STRING, S.STRING], ['"', 'foo\\'])).toBe('"foo\\');
    const ws = [S.STRING, S.STRING, S.STRING, S.STRING, S.NULL, S.STRING];
    expect(call('CONCAT_WS', ws, ['SEP', 'foo', 'bar', 'baz', null, 'literal'])).toBe('fooSEPbarSEPbazSEPliteral');
    expect(call('CONCAT_WS', ws, ['SEP', 'foo', null, 'baz', null, 'literal'])).toBe('fooSEPbazSEPliteral');
    expect(call('CONCAT_WS', ws, ['SEP', null, null, null, null, 'literal'])).toBe('literal');
    expect(call('CONCAT_WS', ws, [null, 'foo', 'bar', 'baz', null, 'literal'])).toBeNull();
    const bytesWs = [S.BYTES, S.BYTES, S.BYTES, S.NULL, S.BYTES];
    expect((call('CONCAT_WS', bytesWs, [b64('YQ=='), b64('Yg=='), b64('eWVz'), null, b64('bm8=')]) as Buffer).toString('base64')).toBe('YmF5ZXNhbm8=');
    expect((call('CONCAT_WS', bytesWs, [b64('YQ=='), null, null, null, null]) as Buffer).toString('base64')).toBe('');
    expect((call('CONCAT', [S.BYTES, S.NULL, S.BYTES], [b64('eWVz'), null, b64('bm8=')]) as Buffer).toString('base64')).toBe('eWVzbm8=');
  });

  it('LEN of strings and bytes (len.json)', () => {
    expect(call('LEN', [S.STRING], ['ABC'])).toBe(3);
    expect(call('LEN', [S.BYTES], [b64('YWJj')])).toBe(3);
    expect(call('LEN', [S.STRING], [''])).toBe(0);
    expect(call('LEN', [S.STRING], [null])).toBeNull();
  });

  it('REPLACE is literal (replace.json)', () => {
    expect(call('REPLACE', [S.STRING, S.STRING, S.STRING], ['anaconda', 'a', 'o'])).toBe('onocondo');
    expect(call('REPLACE', [S.STRING, S.STRING, S.STRING], ['a$b', '$', '$1'])).toBe('a$1b');
    expect(call('REPLACE', [S.STRING, S.NULL, S.STRING], ['anaconda', null, 'o'])).toBeNull();
    const msg = '{"messageID": "x","text": "{\\"widget\\": 10}"}';
    const step1 = call('REPLACE', [S.STRING, S.STRING, S.STRING], [msg, '"text": "{', '"text": {']) as string;
    const step2 = call('REPLACE', [S.STRING, S.STRING, S.STRING], [step1, '\\"', '"']) as string;
    expect(call('REPLACE', [S.STRING, S.STRING, S.STRING], [step2, '"}', '}'])).toBe('{"messageID": "x","text": {"widget": 10}}');
  });

  it('INITCAP (initcap.json)', () => {
    expect(call('INITCAP', [S.STRING], ['some_string'])).toBe('Some_string');
    expect(call('INITCAP', [S.STRING], ['the   Quick br0wn fOx'])).toBe('The   Quick Br0wn Fox');
    expect(call('INITCAP', [S.STRING], ['  leading space'])).toBe('Leading Space');
  });

  it('INSTR, LPAD, RPAD, CHR, ELT, FIELD, SPLIT, SPLIT_TO_MAP, UUID', () => {
    expect(call('INSTR', [S.STRING, S.STRING], ['CORPORATE FLOOR', 'OR'])).toBe(2);
    expect(call('INSTR', [S.STRING, S.STRING, S.INTEGER], ['CORPORATE FLOOR', 'OR', 3])).toBe(5);
    expect(call('INSTR', [S.STRING, S.STRING, S.INTEGER, S.INTEGER], ['CORPORATE FLOOR', 'OR', 3, 2])).toBe(14);
    expect(call('INSTR', [S.STRING, S.STRING, S.INTEGER], ['CORPORATE FLOOR', 'OR', -3])).toBe(5);
    expect(call('INSTR', [S.STRING, S.STRING], ['CORPORATE FLOOR', 'MISSING'])).toBe(0);
    expect(call('INSTR', [S.STRING, S.STRING], [null, 'OR'])).toBe(0);
    expect(call('INSTR', [S.STRING, S.STRING, S.INTEGER], ['CORPORATE FLOOR', 'OR', 30])).toBe(0);
    expect(call('INSTR', [S.STRING, S.STRING, S.INTEGER, S.INTEGER], ['CORPORATE FLOOR', 'OR', -3, 2])).toBe(2);
    expect(call('LPAD', [S.STRING, S.INTEGER, S.STRING], ['Foo', 7, 'Bar'])).toBe('BarBFoo');
    expect(call('RPAD', [S.STRING, S.INTEGER, S.STRING], ['Foo', 7, 'Bar'])).toBe('FooBarB');
    expect(call('LPAD', [S.STRING, S.INTEGER, S.STRING], ['FooBar', 2, 'x'])).toBe('Fo');
    expect(call('LPAD', [S.STRING, S.INTEGER, S.STRING], ['Foo', 5, ''])).toBeNull();
    expect(call('CHR', [S.INTEGER], [75])).toBe('K');
    expect(call('CHR', [S.STRING], ['\\u004b'])).toBe('K');
    expect(call('CHR', [S.STRING], ['\\ud835\\udc00'])).toBe('\u{1D400}');
    expect(call('CHR', [S.STRING], ['\\u004bxyz'])).toBe('Kxyz');
    expect(call('CHR', [S.STRING], ['004b'])).toBeNull();
    expect(call('CHR', [S.INTEGER], [0x110000])).toBeNull();
    expect(call('ELT', [S.INTEGER, S.STRING, S.STRING], [2, 'a', 'b'])).toBe('b');
    expect(call('ELT', [S.INTEGER, S.STRING, S.STRING], [3, 'a', 'b'])).toBeNull();
    expect(call('FIELD', [S.STRING, S.STRING, S.STRING], ['b', 'a', 'b'])).toBe(2);
    expect(call('FIELD', [S.STRING, S.STRING, S.STRING], [null, 'a', 'b'])).toBe(0);
    expect(call('SPLIT', [S.STRING, S.STRING], ['a,b,,c', ','])).toEqual(['a', 'b', '', 'c']);
    expect(call('SPLIT', [S.STRING, S.STRING], ['abc', ''])).toEqual(['a', 'b', 'c']);
    expect(call('SPLIT', [S.STRING, S.STRING], ['', ''])).toEqual(['']);
    expect(call('SPLIT_TO_MAP', [S.STRING, S.STRING, S.STRING], ['a=1=2;a=3', ';', '='])).toEqual(new Map([['a', '3']]));
    expect(call('SPLIT_TO_MAP', [S.STRING, S.STRING, S.STRING], ['apple:green/banana:yellow/:empty/nokey', '/', ':'])).toEqual(
      new Map([
        ['apple', 'green'],
        ['banana', 'yellow'],
        ['', 'empty'],
      ]),
    );
    expect(call('UUID', [], [])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('ENCODE, TO_BYTES, FROM_BYTES (encode.json)', () => {
  const encode = (s: string | null, from: string, to: string) => call('ENCODE', [S.STRING, S.STRING, S.STRING], [s, from, to]);

  it('decodes hex in its plain, 0x and X\'\' forms', () => {
    expect(encode('4578616d706C6521', 'hex', 'ascii')).toBe('Example!');
    expect(encode('4578616d706C6521', 'hex', 'base64')).toBe('RXhhbXBsZSE=');
    expect(encode('ce95cebbcebbceacceb4ceb1', 'hex', 'utf8')).toBe('Ελλάδα');
    expect(encode('ce95cebbcebbceacceb4ceb1', 'hex', 'ascii')).toBe('\uFFFD'.repeat(12));
    expect(encode('c39c6265726d656e736368', 'hex', 'ascii')).toBe('\uFFFD\uFFFDbermensch');
    expect(encode('0x4578616d706C6521', 'hex', 'utf8')).toBe('Example!');
    expect(encode("X'4578616d706C6521'", 'hex', 'utf8')).toBe('Example!');
    expect(encode("x''", 'hex', 'utf8')).toBe('');
    expect(encode('0x', 'hex', 'base64')).toBe('');
    expect(encode('0x578616d706C6521', 'hex', 'base64')).toBe('BXhhbXBsZSE=');
  });

  it('fails (null after error handling) on malformed hex', () => {
    for (const bad of ['0x0x', "X'", "x'4578616d706C6521", "x'578616d706C6521'", '578616d706C6521']) {
      expect(() => encode(bad, 'hex', 'ascii'), bad).toThrow();
    }
  });

  it('encodes ascii with ? for unmappable characters', () => {
    expect(encode('Example!', 'ascii', 'hex')).toBe('4578616d706c6521');
    expect(encode('Ελλάδα', 'ascii', 'hex')).toBe('3f3f3f3f3f3f');
    expect(encode('Ελλάδα', 'ascii', 'base64')).toBe('Pz8/Pz8/');
    expect(encode('zpXOu867zqzOtM6x', 'base64', 'hex')).toBe('ce95cebbcebbceacceb4ceb1');
  });

  it('rejects unknown encodings', () => {
    expect(() => encode('RXhhbXBsZSE=', 'base64', 'null')).toThrow('Supported input and output encodings are: hex, utf8, ascii and base64');
    expect(encode(null, 'base64', 'null')).toBeNull();
  });

  it('TO_BYTES and FROM_BYTES', () => {
    expect((call('TO_BYTES', [S.STRING, S.STRING], ['hello', 'ascii']) as Buffer).toString('base64')).toBe('aGVsbG8=');
    expect(call('FROM_BYTES', [S.BYTES, S.STRING], [Buffer.from('hello'), 'hex'])).toBe('68656c6c6f');
  });
});

describe('masking functions', () => {
  const s4 = [S.STRING, S.STRING, S.STRING, S.STRING, S.STRING];
  it('MASK uses X, x, n and - by default', () => {
    expect(call('MASK', [S.STRING], ['AbCd#$123xy Z'])).toBe('XxXx--nnnxx-X');
    expect(call('MASK', s4, ['AbCd#$123xy Z', 'U', 'l', 'd', 'o'])).toBe('UlUloodddllo' + 'U');
  });

  it('a NULL replacement leaves that class unmasked', () => {
    expect(call('MASK', s4, ['AbCd#$123xy Z', null, 'l', null, null])).toBe('AlCl#$123ll Z');
  });

  it('MASK_LEFT/RIGHT and MASK_KEEP_LEFT/RIGHT', () => {
    expect(call('MASK_LEFT', [S.STRING, S.INTEGER], ['AbCd#$123xy Z', 5])).toBe('XxXx-$123xy Z');
    expect(call('MASK_RIGHT', [S.STRING, S.INTEGER], ['AbCd#$123xy Z', 5])).toBe('AbCd#$12nxx-X');
    expect(call('MASK_KEEP_LEFT', [S.STRING, S.INTEGER], ['AbCd#$123xy Z', 5])).toBe('AbCd#-nnnxx-X');
    expect(call('MASK_KEEP_RIGHT', [S.STRING, S.INTEGER], ['AbCd#$123xy Z', 5])).toBe('XxXx--nn3xy Z');
    expect(call('MASK_LEFT', [S.STRING, S.INTEGER], ['ab', 10])).toBe('xx');
    expect(() => call('MASK_LEFT', [S.STRING, S.INTEGER], ['ab', -1])).toThrow('non-negative');
  });

  it('are registered as string functions', () => {
    expect(registry.get('MASK_KEEP_RIGHT')?.category).toBe('STRING');
  });
});
