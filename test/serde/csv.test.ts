import { describe, expect, it } from 'vitest';
import { parseCsvRecord, writeCsvRecord } from '../../src/engine/serde/delimited.js';

describe('parseCsvRecord (commons-csv DEFAULT)', () => {
  it('reads only the first record and skips leading empty lines', () => {
    expect(parseCsvRecord('\r\n\na,b\r\nc,d', ',')).toEqual(['a', 'b']);
    expect(parseCsvRecord('', ',')).toEqual([]);
  });

  it('keeps quotes in the middle of unquoted fields and spaces around fields', () => {
    expect(parseCsvRecord('a"b, c ,d', ',')).toEqual(['a"b', ' c ', 'd']);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    expect(parseCsvRecord('"x,y","say ""hi""","l1\nl2"', ',')).toEqual(['x,y', 'say "hi"', 'l1\nl2']);
    expect(parseCsvRecord('"",', ',')).toEqual(['', '']);
  });

  it('refuses text after a closing quote and unterminated quotes', () => {
    expect(() => parseCsvRecord('"a"b,c', ',')).toThrow('invalid char between encapsulated token and delimiter');
    expect(() => parseCsvRecord('"abc', ',')).toThrow('EOF reached before encapsulated token finished');
  });
});

describe('writeCsvRecord (commons-csv QuoteMode.MINIMAL)', () => {
  it('quotes a record that starts with anything but an ASCII letter or digit', () => {
    expect(writeCsvRecord(['-1', 'a'], ',')).toBe('"-1",a');
    expect(writeCsvRecord(['.5', '-1'], ',')).toBe('".5",-1');
    expect(writeCsvRecord(['é', 'é'], ',')).toBe('"é",é');
  });

  it('quotes later fields starting with # or below, or holding delimiter, quote or newline', () => {
    expect(writeCsvRecord(['a', '#x', '!', 'a|b', 'l1\nl2'], '|')).toBe('a|"#x"|"!"|"a|b"|"l1\nl2"');
    expect(writeCsvRecord(['a', 'x,y'], '|')).toBe('a|x,y');
  });

  it('writes nulls as empty fields and an empty first string quoted', () => {
    expect(writeCsvRecord([null, '', null], ',')).toBe(',,');
    expect(writeCsvRecord(['', null], ',')).toBe('"",');
  });
});
