/**
 * MASK, MASK_LEFT, MASK_RIGHT, MASK_KEEP_LEFT, MASK_KEEP_RIGHT: replace upper-case letters,
 * lower-case letters, digits and other characters with X, x, n and '-' by default; explicit
 * replacement arguments override them, and a NULL replacement leaves that class unmasked.
 */
import type { Value } from '../../values/value.js';
import { KsqlFunctionError } from '../../errors.js';
import { INTEGER, STRING, defineFunction, sig, type LibraryFunctionDefinition, type NamedSignature } from '../define.js';

interface Replacements {
  upper: string | null;
  lower: string | null;
  digit: string | null;
  other: string | null;
}

const DEFAULTS: Replacements = { upper: 'X', lower: 'x', digit: 'n', other: '-' };

function replacementsFrom(args: readonly Value[]): Replacements {
  const first = (v: Value | undefined): string | null => {
    if (v === null || v === undefined) return null;
    const s = v as string;
    return s.length === 0 ? null : String.fromCodePoint(s.codePointAt(0)!);
  };
  return { upper: first(args[0]), lower: first(args[1]), digit: first(args[2]), other: first(args[3]) };
}

function maskChar(ch: string, r: Replacements): string {
  let replacement: string | null;
  if (/\p{Lu}/u.test(ch)) replacement = r.upper;
  else if (/\p{Ll}/u.test(ch)) replacement = r.lower;
  else if (/\p{Nd}/u.test(ch)) replacement = r.digit;
  else replacement = r.other;
  return replacement ?? ch;
}

/** Masks code points [from, to) of the input. */
function maskRange(input: string, from: number, to: number, r: Replacements): string {
  const chars = [...input];
  return chars.map((ch, i) => (i >= from && i < to ? maskChar(ch, r) : ch)).join('');
}

type RangeOf = (length: number, n: number) => [number, number];

function maskingFunction(name: string, description: string, range: RangeOf | undefined): LibraryFunctionDefinition {
  const signatures: NamedSignature[] = [];
  const run = (input: Value, n: number | undefined, r: Replacements): Value => {
    if (input === null) return null;
    const s = input as string;
    const length = [...s].length;
    if (range === undefined || n === undefined) return maskRange(s, 0, length, r);
    if (n < 0) {
      throw new KsqlFunctionError(`function ${name.toLowerCase()} requires a non-negative number of characters to mask or keep`);
    }
    const [from, to] = range(length, n);
    return maskRange(s, from, to, r);
  };
  const replacementParams = [STRING, STRING, STRING, STRING];
  const replacementNames = ['upper', 'lower', 'digit', 'other'];
  if (range === undefined) {
    signatures.push(sig([STRING], STRING, ([s]) => run(s!, undefined, DEFAULTS), { names: ['input'] }));
    signatures.push(
      sig([STRING, ...replacementParams], STRING, ([s, ...rest]) => run(s!, undefined, replacementsFrom(rest)), {
        acceptsNulls: true,
        names: ['input', ...replacementNames],
      }),
    );
  } else {
    signatures.push(sig([STRING, INTEGER], STRING, ([s, n]) => run(s!, n as number, DEFAULTS), { names: ['input', 'numChars'] }));
    signatures.push(
      sig([STRING, INTEGER, ...replacementParams], STRING, ([s, n, ...rest]) => (n === null ? null : run(s!, n as number, replacementsFrom(rest))), {
        acceptsNulls: true,
        names: ['input', 'numChars', ...replacementNames],
      }),
    );
  }
  return defineFunction(name, 'STRING', description, signatures);
}

export const MASKING_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  maskingFunction('MASK', 'Returns a masked version of the input string. All characters of the input will be replaced according to the default masking rules.', undefined),
  maskingFunction('MASK_LEFT', 'Returns a masked version of the input string. The first n characters will be replaced according to the default masking rules.', (len, n) => [0, Math.min(n, len)]),
  maskingFunction('MASK_RIGHT', 'Returns a masked version of the input string. The last n characters will be replaced according to the default masking rules.', (len, n) => [Math.max(len - n, 0), len]),
  maskingFunction('MASK_KEEP_LEFT', 'Returns a masked version of the input string. All characters except for the first n will be replaced according to the default masking rules.', (len, n) => [Math.min(n, len), len]),
  maskingFunction('MASK_KEEP_RIGHT', 'Returns a masked version of the input string. All characters except for the last n will be replaced according to the default masking rules.', (len, n) => [0, Math.max(len - n, 0)]),
];
