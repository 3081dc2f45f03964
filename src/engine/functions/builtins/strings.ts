/** String and bytes functions (ksqlDB's udf.string package), with Java String semantics. */
import { randomUUID } from 'node:crypto';
import { SqlTypes } from '../../types.js';
import type { Value } from '../../values/value.js';
import { KsqlFunctionError } from '../../errors.js';
import {
  BYTES,
  INTEGER,
  STRING,
  defineFunction,
  sig,
  type LibraryFunctionDefinition,
} from '../define.js';
import { bytesToString, requireEncoding, stringToBytes } from '../bytes-encoding.js';
import { MASKING_FUNCTIONS } from './masking.js';

const str = (v: Value | undefined): string => v as string;
const bytes = (v: Value | undefined): Buffer => v as Buffer;
const int = (v: Value | undefined): number => v as number;

/** String.trim() and friends: Java strips code units at or below U+0020, not Unicode spaces. */
const isJavaSpace = (s: string, i: number): boolean => s.charCodeAt(i) <= 0x20;

function trimStart(s: string): string {
  let i = 0;
  while (i < s.length && isJavaSpace(s, i)) i++;
  return s.slice(i);
}

function trimEnd(s: string): string {
  let j = s.length;
  while (j > 0 && isJavaSpace(s, j - 1)) j--;
  return s.slice(0, j);
}

const javaTrim = (s: string): string => trimEnd(trimStart(s));

const SUBSTRING_LEGACY = 'ksql.functions.substring.legacy.args';

/** Start index of SUBSTRING: 1-based; negative counts from the end; clamped to the value. */
function startIndex(length: number, pos: number): number {
  return pos < 0 ? Math.max(length + pos, 0) : Math.max(Math.min(pos - 1, length), 0);
}

function endIndex(length: number, start: number, len: number): number {
  return Math.max(Math.min(start + len, length), start);
}

function legacy(ctx: { properties: Readonly<Record<string, string>> }): boolean {
  return String(ctx.properties[SUBSTRING_LEGACY] ?? 'false').toLowerCase() === 'true';
}

/** Legacy mode (pre-5.1): Java's 0-based String.substring(start[, end]), errors out of range. */
function legacySubstring(length: number, start: number, end?: number): [number, number] {
  const e = end ?? length;
  if (start < 0 || e > length || start > e) {
    throw new KsqlFunctionError(`begin ${start}, end ${e}, length ${length}`);
  }
  return [start, e];
}

function substringRange(length: number, pos: number, len: number | undefined, isLegacy: boolean): [number, number] {
  if (isLegacy) return legacySubstring(length, pos, len);
  const start = startIndex(length, pos);
  return [start, len === undefined ? length : endIndex(length, start, len)];
}

/** String.replace(CharSequence, CharSequence): literal, all occurrences; "" inserts between chars. */
function javaReplace(s: string, target: string, replacement: string): string {
  if (target === '') {
    let out = replacement;
    for (const ch of s) out += ch + replacement;
    return out;
  }
  return s.split(target).join(replacement);
}

/** commons-lang StringUtils.substring(str, start): a negative start counts from the end. */
function commonsSubstring(str: string, start: number): string {
  let from = start < 0 ? str.length + start : start;
  if (from < 0) from = 0;
  return from > str.length ? '' : str.slice(from);
}

/** commons-lang StringUtils.ordinalIndexOf: index of the n-th (possibly overlapping) match. */
function ordinalIndexOf(str: string, search: string, ordinal: number): number {
  if (ordinal <= 0) return -1;
  if (search.length === 0) return 0;
  let index = -1;
  for (let found = 0; found < ordinal; found++) {
    index = str.indexOf(search, index + 1);
    if (index < 0) return -1;
  }
  return index;
}

/**
 * ksqlDB's Instr, ported as is (including its results for a missing substring when the
 * position is not 1, which come out of the same arithmetic in ksqlDB).
 */
function instr(str: string | null, sub: string | null, position: number, occurrence: number): number {
  if (str === null || sub === null) return 0;
  if (Math.abs(position) > str.length) return 0;
  const find = (s: string, search: string, pos: number, reversed: boolean): number => {
    const i = ordinalIndexOf(commonsSubstring(s, pos - 1), search, occurrence);
    return reversed ? s.length - pos - i : i + pos;
  };
  if (position < 0) return find([...str].reverse().join(''), [...sub].reverse().join(''), -position, true);
  return find(str, sub, position, false);
}

function pad(input: string, length: number, padding: string, left: boolean): string | null {
  if (padding === '' || length < 0) return null;
  if (length <= input.length) return input.slice(0, length);
  const needed = length - input.length;
  const fill = padding.repeat(Math.ceil(needed / padding.length)).slice(0, needed);
  return left ? fill + input : input + fill;
}

function padBytes(input: Buffer, length: number, padding: Buffer, left: boolean): Buffer | null {
  if (padding.length === 0 || length < 0) return null;
  if (length <= input.length) return input.subarray(0, length);
  const needed = length - input.length;
  const fill = Buffer.alloc(needed);
  for (let i = 0; i < needed; i++) fill[i] = padding[i % padding.length]!;
  return left ? Buffer.concat([fill, input]) : Buffer.concat([input, fill]);
}

/**
 * ksqlDB's InitCap: lower-cases the input, then upper-cases the first character of every
 * "non-space run plus trailing spaces" match, so leading whitespace is dropped.
 */
function initcap(s: string): string {
  let out = '';
  for (const m of s.toLowerCase().matchAll(/[^ \t\n\v\f\r]+[ \t\n\v\f\r]*/g)) {
    out += m[0].charAt(0).toUpperCase() + m[0].slice(1);
  }
  return out;
}

/** Splitter.on(delimiter): literal; an empty delimiter splits into single characters. */
function split(s: string, delimiter: string): string[] {
  if (delimiter === '') return s === '' ? [''] : [...s];
  return s.split(delimiter);
}

function splitBytes(b: Buffer, delimiter: Buffer): Buffer[] {
  if (delimiter.length === 0) return [...b].map((x) => Buffer.from([x]));
  const out: Buffer[] = [];
  let start = 0;
  let idx: number;
  while ((idx = b.indexOf(delimiter, start)) >= 0) {
    out.push(b.subarray(start, idx));
    start = idx + delimiter.length;
  }
  out.push(b.subarray(start));
  return out;
}

function splitToMap(input: string, entryDelimiter: string, kvDelimiter: string): Map<Value, Value> | null {
  if (entryDelimiter === '' || kvDelimiter === '' || entryDelimiter === kvDelimiter) return null;
  const out = new Map<Value, Value>();
  for (const entry of input.split(entryDelimiter)) {
    if (entry === '' || !entry.includes(kvDelimiter)) continue;
    // Like ksqlDB, the value is the text up to the next key-value delimiter, and later keys win.
    const [key, value] = entry.split(kvDelimiter) as [string, string];
    out.set(key, value);
  }
  return out;
}

const JAVA_ESCAPES: Record<string, string> = { n: '\n', t: '\t', b: '\b', f: '\f', r: '\r', '"': '"', "'": "'", '\\': '\\' };

/** CHR('\\u004b'): ksqlDB applies StringEscapeUtils.unescapeJava to text starting with \\u. */
function chrFromHex(text: string): string | null {
  if (text.length < 6 || !text.startsWith('\\u')) return null;
  return text.replace(/\\(u+([0-9a-fA-F]{0,4})|[0-7]{1,3}|.)/gs, (whole, esc: string, hex: string | undefined) => {
    if (esc.startsWith('u')) {
      if (hex === undefined || hex.length !== 4) throw new KsqlFunctionError(`Unable to parse unicode value: ${whole}`);
      return String.fromCharCode(parseInt(hex, 16));
    }
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return JAVA_ESCAPES[esc] ?? esc;
  });
}

function chrFromCode(code: number): string | null {
  if (code < 0 || code > 0x10ffff) return null;
  return String.fromCodePoint(code);
}

function uuidFromBytes(b: Buffer): string | null {
  if (b.length !== 16) return null;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const ENCODE_ERROR = 'Supported input and output encodings are: hex, utf8, ascii and base64';

export const STRING_FUNCTIONS: readonly LibraryFunctionDefinition[] = [
  defineFunction('CONCAT', 'STRING', 'Concatenate an arbitrary number of string or bytes fields together', [
    sig([STRING], STRING, (args) => args.filter((a) => a !== null && a !== undefined).join(''), {
      variadic: true,
      acceptsNulls: true,
      names: ['inputs'],
    }),
    sig([BYTES], BYTES, (args) => Buffer.concat(args.filter((a) => a !== null && a !== undefined).map(bytes)), {
      variadic: true,
      acceptsNulls: true,
      names: ['inputs'],
    }),
  ]),
  defineFunction('CONCAT_WS', 'STRING', 'Concatenates two or more string or bytes expressions, inserting a separator string or bytes between each.', [
    sig([STRING, STRING], STRING, ([sep, ...rest]) => {
      if (sep === null) return null;
      if (rest.length === 0) throw new KsqlFunctionError('Function Concat_WS expects at least two input arguments.');
      return rest.filter((a) => a !== null && a !== undefined).join(str(sep));
    }, { variadic: true, acceptsNulls: true, names: ['separator', 'args'] }),
    sig([BYTES, BYTES], BYTES, ([sep, ...rest]) => {
      if (sep === null) return null;
      if (rest.length === 0) throw new KsqlFunctionError('Function Concat_WS expects at least two input arguments.');
      const parts = rest.filter((a) => a !== null && a !== undefined).map(bytes);
      const out: Buffer[] = [];
      parts.forEach((p, i) => {
        if (i > 0) out.push(bytes(sep));
        out.push(p);
      });
      return Buffer.concat(out);
    }, { variadic: true, acceptsNulls: true, names: ['separator', 'args'] }),
  ]),
  defineFunction('LCASE', 'STRING', 'Returns the input string with all characters converted to lower case.', [
    sig([STRING], STRING, ([s]) => str(s).toLowerCase(), { names: ['input'] }),
  ]),
  defineFunction('UCASE', 'STRING', 'Returns the input string with all characters converted to upper case.', [
    sig([STRING], STRING, ([s]) => str(s).toUpperCase(), { names: ['input'] }),
  ]),
  defineFunction('TRIM', 'STRING', 'Returns the input string with all leading and trailing whitespace removed.', [
    sig([STRING], STRING, ([s]) => javaTrim(str(s)), { names: ['input'] }),
  ]),
  defineFunction('LTRIM', 'STRING', 'Returns the input string with all leading whitespace removed.', [
    sig([STRING], STRING, ([s]) => trimStart(str(s)), { names: ['input'] }),
  ]),
  defineFunction('RTRIM', 'STRING', 'Returns the input string with all trailing whitespace removed.', [
    sig([STRING], STRING, ([s]) => trimEnd(str(s)), { names: ['input'] }),
  ]),
  defineFunction('SUBSTRING', 'STRING', 'Returns the portion of the string or bytes passed in value.', [
    sig([STRING, INTEGER], STRING, ([s, pos], ctx) => {
      const [a, b] = substringRange(str(s).length, int(pos), undefined, legacy(ctx));
      return str(s).slice(a, b);
    }, { names: ['str', 'pos'] }),
    sig([STRING, INTEGER, INTEGER], STRING, ([s, pos, len], ctx) => {
      const [a, b] = substringRange(str(s).length, int(pos), int(len), legacy(ctx));
      return str(s).slice(a, b);
    }, { names: ['str', 'pos', 'length'] }),
    sig([BYTES, INTEGER], BYTES, ([s, pos], ctx) => {
      const [a, b] = substringRange(bytes(s).length, int(pos), undefined, legacy(ctx));
      return Buffer.from(bytes(s).subarray(a, b));
    }, { names: ['bytes', 'pos'] }),
    sig([BYTES, INTEGER, INTEGER], BYTES, ([s, pos, len], ctx) => {
      const [a, b] = substringRange(bytes(s).length, int(pos), int(len), legacy(ctx));
      return Buffer.from(bytes(s).subarray(a, b));
    }, { names: ['bytes', 'pos', 'length'] }),
  ]),
  defineFunction('REPLACE', 'STRING', 'Replaces all occurances of a substring in a string with a new substring.', [
    sig([STRING, STRING, STRING], STRING, ([s, a, b]) => javaReplace(str(s), str(a), str(b)), { names: ['str', 'substring', 'replacement'] }),
  ]),
  defineFunction('INSTR', 'STRING', 'Returns the position of substring in string. The first character is at position 1. If position is negative, the search starts from the end. Returns 0 if not found.', [
    sig([STRING, STRING], INTEGER, ([s, sub]) => instr(s as string | null, sub as string | null, 1, 1), {
      acceptsNulls: true,
      names: ['str', 'substring'],
    }),
    sig([STRING, STRING, INTEGER], INTEGER, ([s, sub, p]) => (p === null ? null : instr(s as string | null, sub as string | null, int(p), 1)), {
      acceptsNulls: true,
      names: ['str', 'substring', 'position'],
    }),
    sig([STRING, STRING, INTEGER, INTEGER], INTEGER, ([s, sub, p, n]) =>
      p === null || n === null ? null : instr(s as string | null, sub as string | null, int(p), int(n)), {
      acceptsNulls: true,
      names: ['str', 'substring', 'position', 'occurrence'],
    }),
  ], { declaredName: 'instr' }),
  defineFunction('LEN', 'STRING', 'Returns the length of a STRING or BYTES value.', [
    sig([STRING], INTEGER, ([s]) => str(s).length, { names: ['input'] }),
    sig([BYTES], INTEGER, ([b]) => bytes(b).length, { names: ['input'] }),
  ]),
  defineFunction('LPAD', 'STRING', 'Pads the input string or bytes, beginning from the left, with the specified padding of the same type, until the target length is reached. If the input is longer than the target length, it will be truncated.', [
    sig([STRING, INTEGER, STRING], STRING, ([s, n, p]) => pad(str(s), int(n), str(p), true), { names: ['input', 'length', 'padding'] }),
    sig([BYTES, INTEGER, BYTES], BYTES, ([s, n, p]) => padBytes(bytes(s), int(n), bytes(p), true), { names: ['input', 'length', 'padding'] }),
  ]),
  defineFunction('RPAD', 'STRING', 'Pads the input string or bytes, starting from the end, with the specified padding of the same type, until the target length is reached. If the input is longer than the target length, it will be truncated.', [
    sig([STRING, INTEGER, STRING], STRING, ([s, n, p]) => pad(str(s), int(n), str(p), false), { names: ['input', 'length', 'padding'] }),
    sig([BYTES, INTEGER, BYTES], BYTES, ([s, n, p]) => padBytes(bytes(s), int(n), bytes(p), false), { names: ['input', 'length', 'padding'] }),
  ]),
  defineFunction('INITCAP', 'STRING', 'Capitalizes the first letter in each word and converts all other letters to lowercase. Words are delimited by whitespace.', [
    sig([STRING], STRING, ([s]) => initcap(str(s)), { names: ['input'] }),
  ], { declaredName: 'initcap' }),
  defineFunction('CHR', 'STRING', 'Returns a single-character string corresponding to the input character code.', [
    sig([INTEGER], STRING, ([c]) => chrFromCode(int(c)), { names: ['decimalCode'] }),
    sig([STRING], STRING, ([s]) => chrFromHex(str(s)), { names: ['utf16Hex'] }),
  ], { declaredName: 'Chr' }),
  defineFunction('ENCODE', 'STRING', 'Takes an input string s, which is encoded as input_encoding, and encodes it as output_encoding. The accepted input and output encodings are: hex, utf8, ascii and base64. Throws exception if provided encodings are not supported.', [
    sig([STRING, STRING, STRING], STRING, ([s, from, to]) => {
      const input = requireEncoding(str(from), ENCODE_ERROR);
      const output = requireEncoding(str(to), ENCODE_ERROR);
      return bytesToString(stringToBytes(str(s), input), output);
    }, { names: ['str', 'inputEncoding', 'outputEncoding'] }),
  ]),
  defineFunction('TO_BYTES', 'CONVERSIONS', 'Converts a STRING value in the specified encoding to BYTES. The accepted encoders are \'hex\', \'utf8\', \'ascii\', and \'base64\'.', [
    sig([STRING, STRING], BYTES, ([s, enc]) =>
      stringToBytes(str(s), requireEncoding(str(enc), `Supported encoding types are: hex, utf8, ascii and base64`)), { names: ['str', 'encoding'] }),
  ]),
  defineFunction('FROM_BYTES', 'CONVERSIONS', 'Converts a BYTES value to STRING in the specified encoding. The accepted encoders are \'hex\', \'utf8\', \'ascii\', and \'base64\'.', [
    sig([BYTES, STRING], STRING, ([b, enc]) =>
      bytesToString(bytes(b), requireEncoding(str(enc), `Supported encoding types are: hex, utf8, ascii and base64`)), { names: ['bytes', 'encoding'] }),
  ]),
  defineFunction('UUID', 'STRING', 'Create a Universally Unique Identifier (UUID) generated according to RFC 4122. A call to UUID() returns a value conforming to UUID version 4, sometimes called "random UUID", as described in RFC 4122. A call to UUID(bytes) returns a value conforming to UUID. The value is a 128-bit number represented as a string of five hexadecimal numbers aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.', [
    sig([], STRING, () => randomUUID()),
    sig([BYTES], STRING, ([b]) => uuidFromBytes(bytes(b)), { names: ['bytes'] }),
  ]),
  defineFunction('ELT', 'STRING', 'ELT(n, args...) returns element n in args, or null if n is out of range. n is 1-based.', [
    sig([INTEGER, STRING], STRING, ([n, ...args]) => {
      if (n === null) return null;
      const i = int(n);
      return i < 1 || i > args.length ? null : (args[i - 1] ?? null);
    }, { variadic: true, acceptsNulls: true, names: ['n', 'args'] }),
  ]),
  defineFunction('FIELD', 'STRING', 'FIELD(str, args...) returns the 1-indexed position of str in args, or 0 if not found. If str is NULL, the return value is 0.', [
    sig([STRING, STRING], INTEGER, ([s, ...args]) => (s === null ? 0 : args.indexOf(str(s)) + 1), {
      variadic: true,
      acceptsNulls: true,
      names: ['str', 'args'],
    }),
  ]),
  defineFunction('SPLIT', 'STRING', 'Splits a string into an array of substrings based on a delimiter. If the delimiter is not found, then the original string is returned as the only element in the array. If the delimiter is empty, then all characters in the string are split. If either, string or delimiter, are NULL, then a NULL value is returned.', [
    sig([STRING, STRING], SqlTypes.array(SqlTypes.STRING), ([s, d]) => split(str(s), str(d)), { names: ['string', 'delimiter'] }),
    sig([BYTES, BYTES], SqlTypes.array(SqlTypes.BYTES), ([s, d]) => splitBytes(bytes(s), bytes(d)), { names: ['bytes', 'delimiter'] }),
  ]),
  defineFunction('SPLIT_TO_MAP', 'STRING', 'Splits a string into key-value pairs and creates a map from them.', [
    sig([STRING, STRING, STRING], SqlTypes.map(SqlTypes.STRING, SqlTypes.STRING), ([s, e, kv]) => splitToMap(str(s), str(e), str(kv)), {
      names: ['input', 'entryDelimiter', 'kvDelimiter'],
    }),
  ]),
  ...MASKING_FUNCTIONS,
];
