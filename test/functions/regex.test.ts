import { describe, expect, it } from 'vitest';
import { compileJavaPattern, findAll, javaReplaceAll, javaSplit } from '../../src/engine/functions/java-regex.js';
import { SqlTypes as S } from '../../src/engine/types.js';
import { call } from './helpers.js';

const matches = (pattern: string, input: string): string[] => findAll(compileJavaPattern(pattern), input).map((m) => m[0]);
const fullMatch = (pattern: string, input: string): boolean => compileJavaPattern(`(?:${pattern})\\z`).regex.exec(input)?.index === 0;

describe('Java regex translation', () => {
  it('quotes \\Q...\\E literally', () => {
    expect(matches('\\Q.*+\\E', 'a.*+b.*+')).toEqual(['.*+', '.*+']);
    expect(matches('[\\Q]-\\E]+', 'a]-]b')).toEqual([']-]']);
  });

  it('supports POSIX and java character classes', () => {
    expect(matches('\\p{Alpha}+', 'ab1cd')).toEqual(['ab', 'cd']);
    expect(matches('\\p{Punct}', 'a,b!')).toEqual([',', '!']);
    expect(matches('[\\p{Digit}x]+', 'a12x3b')).toEqual(['12x3']);
    expect(matches('\\P{Lower}+', 'abCDef')).toEqual(['CD']);
    expect(matches('\\p{javaUpperCase}', 'aÄb')).toEqual(['Ä']);
    expect(matches('\\p{L}+', 'héllo wörld')).toEqual(['héllo', 'wörld']);
    expect(matches('\\p{IsLatin}+', 'abc αβγ')).toEqual(['abc']);
  });

  it("uses Java's \\s (ASCII whitespace only)", () => {
    expect(matches('\\s', 'a b\u00a0c')).toEqual([' ']);
  });

  it('applies inline flags', () => {
    expect(matches('(?i)abc', 'ABC abc')).toEqual(['ABC', 'abc']);
    expect(matches('(?i:x)y', 'XY')).toEqual(['XY']);
    expect(matches('(?s)a.b', 'a\nb')).toEqual(['a\nb']);
    expect(matches('(?m)^\\w', 'ab\ncd')).toEqual(['a', 'c']);
    expect(matches('(?x) a b # comment', 'ab')).toEqual(['ab']);
  });

  it('approximates possessive quantifiers and atomic groups', () => {
    expect(matches('a++b', 'aaab')).toEqual(['aaab']);
    expect(matches('(?>ab|a)c', 'abc')).toEqual(['abc']);
    expect(matches('x{2}+', 'xxxx')).toEqual(['xx', 'xx']);
  });

  it('translates anchors and escapes', () => {
    expect(fullMatch('abc', 'abc')).toBe(true);
    expect(matches('\\Aa', 'aa')).toEqual(['a']);
    expect(matches('a$', 'a\n')).toEqual(['a']);
    expect(matches('\\x{41}\\0101\\e', 'AA\u001b')).toEqual(['AA\u001b']);
    expect(matches('\\-\\#\\!', '-#!')).toEqual(['-#!']);
    expect(matches('[a[bc]]+', 'abcd')).toEqual(['abc']);
    expect(matches('\\h+', 'a \t b')).toEqual([' \t ']);
    expect(matches('\\R', 'a\r\nb\nc')).toEqual(['\r\n', '\n']);
  });

  it('rejects unsupported or invalid syntax', () => {
    expect(() => compileJavaPattern('\\Ga')).toThrow();
    expect(() => compileJavaPattern('[a-z&&[^aeiou]]')).toThrow();
    expect(() => compileJavaPattern('(ab')).toThrow();
    expect(() => compileJavaPattern('\\p{NoSuchClass}')).toThrow();
  });

  it("implements Matcher.replaceAll's replacement syntax", () => {
    const p = compileJavaPattern('(\\w)(\\w)');
    expect(javaReplaceAll(p, 'abcd', '$2$1')).toBe('badc');
    expect(javaReplaceAll(p, 'ab', '\\$1')).toBe('$1');
    expect(javaReplaceAll(p, 'ab', '$11')).toBe('a1');
    expect(javaReplaceAll(compileJavaPattern('(?<first>\\w)'), 'ab', '${first}!')).toBe('a!b!');
    expect(() => javaReplaceAll(p, 'ab', '$3')).toThrow('No group 3');
    expect(() => javaReplaceAll(p, 'ab', 'x\\')).toThrow();
    expect(javaReplaceAll(compileJavaPattern('x*'), 'abc', '-')).toBe('-a-b-c-');
  });

  it('splits like Pattern.split(input, -1)', () => {
    expect(javaSplit(compileJavaPattern(','), 'a,b,,c,')).toEqual(['a', 'b', '', 'c', '']);
    expect(javaSplit(compileJavaPattern(''), 'abc')).toEqual(['a', 'b', 'c', '']);
    expect(javaSplit(compileJavaPattern('-'), '-a')).toEqual(['', 'a']);
  });
});

describe('REGEXP functions (regex.json, replace.json)', () => {
  const extract = (p: string, s: string | null, g?: number) =>
    g === undefined ? call('REGEXP_EXTRACT', [S.STRING, S.STRING], [p, s]) : call('REGEXP_EXTRACT', [S.STRING, S.STRING, S.INTEGER], [p, s, g]);
  const extractAll = (p: string, s: string | null, g?: number) =>
    g === undefined ? call('REGEXP_EXTRACT_ALL', [S.STRING, S.STRING], [p, s]) : call('REGEXP_EXTRACT_ALL', [S.STRING, S.STRING, S.INTEGER], [p, s, g]);

  it('REGEXP_EXTRACT', () => {
    expect(extract('test.', 'some_test_string')).toBe('test_');
    expect(extract('test.', 'anothertest')).toBeNull();
    expect(extract('test.', 'testa')).toBe('testa');
    expect(extract('test.', null)).toBeNull();
    expect(extract('(.*) (.*)', 'steven zhang', 2)).toBe('zhang');
    expect(extract('(.*) (.*)', 'agavra', 2)).toBeNull();
    expect(extract('.*', extract('(.*) (.*)', 'andy coates', 2) as string)).toBe('coates');
  });

  it('REGEXP_EXTRACT_ALL', () => {
    expect(extractAll('test.', 'some_test_string_testabab')).toEqual(['test_', 'testa']);
    expect(extractAll('test.', 'nothing')).toEqual([]);
    expect(extractAll('(\\w+) (\\w*)', 'steven zhang andy coates', 2)).toEqual(['zhang', 'coates']);
    expect(extractAll('(\\w+) (\\w*)', 'apurva mehta agavra ', 2)).toEqual(['mehta', '']);
    expect(extractAll('(\\w+) (\\w*)', null, 2)).toBeNull();
  });

  it('REGEXP_REPLACE', () => {
    const r = (s: string | null, p: string | null, rep: string) => call('REGEXP_REPLACE', [S.STRING, S.STRING, S.STRING], [s, p, rep]);
    expect(r('baababaa', '(ab)+', 'cat')).toBe('bacataa');
    expect(r('baabbabaa', '(ab)+', 'cat')).toBe('bacatbcataa');
    expect(r(null, '(ab)+', 'cat')).toBeNull();
    expect(r('baababaa', null, 'cat')).toBeNull();
    expect(r('John Smith', '(\\w+) (\\w+)', '$2, $1')).toBe('Smith, John');
  });

  it('REGEXP_SPLIT_TO_ARRAY', () => {
    const split = (s: string, p: string) => call('REGEXP_SPLIT_TO_ARRAY', [S.STRING, S.STRING], [s, p]);
    expect(split('aabcda', '(bc|a)')).toEqual(['', '', '', 'd', '']);
    expect(split('a.b.c', '\\.')).toEqual(['a', 'b', 'c']);
    expect(split('abc', '')).toEqual(['a', 'b', 'c']);
  });
});
