/** REGEXP_* functions with Java regex semantics (see ../java-regex.ts). */
import { SqlTypes } from '../../types.js';
import type { Value } from '../../values/value.js';
import { KsqlFunctionError } from '../../errors.js';
import { INTEGER, STRING, defineFunction, sig, type LibraryFunctionDefinition } from '../define.js';
import { compileJavaPattern, findAll, javaReplaceAll, javaSplit, type JavaPattern } from '../java-regex.js';

function pattern(text: Value | undefined): JavaPattern {
  try {
    return compileJavaPattern(text as string);
  } catch (e) {
    throw new KsqlFunctionError((e as Error).message, e);
  }
}

function group(m: RegExpExecArray, g: number, p: JavaPattern): string | null {
  if (g < 0 || g > p.groupCount) throw new KsqlFunctionError(`No group ${g}`);
  return m[g] ?? null;
}

function extract(patternText: Value | undefined, input: Value | undefined, g: number): Value {
  const p = pattern(patternText);
  const m = p.regex.exec(input as string);
  return m ? group(m, g, p) : null;
}

function extractAll(patternText: Value | undefined, input: Value | undefined, g: number): Value {
  const p = pattern(patternText);
  return findAll(p, input as string).map((m) => group(m, g, p));
}

const STRING_ARRAY = SqlTypes.array(SqlTypes.STRING);

export const REGEX_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  defineFunction('REGEXP_EXTRACT', 'REGULAR EXPRESSION', 'extract the first subtring matched by a regex pattern', [
    sig([STRING, STRING], STRING, ([p, s]) => extract(p, s, 0), { names: ['pattern', 'string'] }),
    sig([STRING, STRING, INTEGER], STRING, ([p, s, g]) => extract(p, s, g as number), { names: ['pattern', 'string', 'group'] }),
  ]),
  defineFunction('REGEXP_EXTRACT_ALL', 'REGULAR EXPRESSION', 'extract all subtrings matched by a regex pattern', [
    sig([STRING, STRING], STRING_ARRAY, ([p, s]) => extractAll(p, s, 0), { names: ['pattern', 'string'] }),
    sig([STRING, STRING, INTEGER], STRING_ARRAY, ([p, s, g]) => extractAll(p, s, g as number), { names: ['pattern', 'string', 'group'] }),
  ]),
  defineFunction('REGEXP_REPLACE', 'REGULAR EXPRESSION', 'Replaces all matches of a regexp in a string with a new string.', [
    sig([STRING, STRING, STRING], STRING, ([s, p, r]) => {
      const compiled = pattern(p);
      try {
        return javaReplaceAll(compiled, s as string, r as string);
      } catch (e) {
        throw new KsqlFunctionError((e as Error).message, e);
      }
    }, { names: ['str', 'regexp', 'replacement'] }),
  ]),
  defineFunction('REGEXP_SPLIT_TO_ARRAY', 'REGULAR EXPRESSION', 'Splits a string into an array of substrings based on a regexp. If the regexp is found at the beginning of the string, or at the end of the string, or there are contiguous matches in the string, then empty strings are added to the array. If the regexp is not found, then the original string is returned as the only element in the array. If the regexp is empty, then all characters in the string are split.', [
    sig([STRING, STRING], STRING_ARRAY, ([s, p]) => {
      if ((p as string) === '') return (s as string) === '' ? [''] : [...(s as string)];
      return javaSplit(pattern(p), s as string);
    }, { names: ['string', 'regexp'] }),
  ]),
];
