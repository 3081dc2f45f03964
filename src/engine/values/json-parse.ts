/**
 * JSON text to JS values, keeping numbers exact only when it matters: plain JSON.parse on the
 * hot path, lossless-json (numbers as `LosslessNumber` holding their literal text) when the
 * target schema holds a DECIMAL or a coercion meets a number whose literal text matters.
 */
import { LosslessNumber, isLosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import type { SqlType } from '../types.js';

/**
 * Thrown (one shared instance) by coercions that meet a JS number whose literal text matters
 * (beyond 2^53, fractional into an integer or STRING column) while `strictNumbers` is on: the
 * document reader then parses the text again, losslessly. Keeps the common path on JSON.parse.
 */
export const NEED_EXACT_NUMBERS = new Error('JSON number needs exact parsing');
let strictNumbers = false;

/** True while a fast-path (JSON.parse) document is being coerced; see NEED_EXACT_NUMBERS. */
export function numbersMustBeExact(): boolean {
  return strictNumbers;
}

/** True when parsing values of this type must keep JSON numbers exact (DECIMAL anywhere). */
export function typeNeedsExactNumbers(type: SqlType): boolean {
  switch (type.kind) {
    case 'DECIMAL':
      return true;
    case 'ARRAY':
      return typeNeedsExactNumbers(type.item);
    case 'MAP':
      return typeNeedsExactNumbers(type.key) || typeNeedsExactNumbers(type.value);
    case 'STRUCT':
      return type.fields.some((f) => typeNeedsExactNumbers(f.type));
    default:
      return false;
  }
}

/**
 * An integer part of 16+ digits may exceed 2^53, where JSON.parse would round it. Fraction
 * digits (after '.') are excluded: doubles routinely carry 16-17 of them and parse exactly.
 */
const LONG_INTEGER_PART = /(?:^|[^.\d])\d{16}/;

/**
 * Parses JSON text. Numbers come back as JS numbers, except when exactness is at stake (the
 * target needs exact numbers, or the text holds a run of 16+ digits): then every number is a
 * lossless-json `LosslessNumber` holding its literal text. Throws SyntaxError on bad JSON.
 */
export function parseJsonText(text: string, needsExactNumbers: boolean): unknown {
  if (!needsExactNumbers && !LONG_INTEGER_PART.test(text)) return JSON.parse(text);
  return parseExact(text);
}

function parseExact(text: string): unknown {
  try {
    return parseLossless(text);
  } catch (e) {
    // lossless-json refuses duplicate keys; Jackson (and JSON.parse) keep the last one.
    if (e instanceof Error && e.message.startsWith('Duplicate key')) return parseExactAllowingDuplicates(text);
    throw e;
  }
}

const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
/** Prefix of a marked number after parsing (NUL cannot appear unescaped in JSON text). */
const NUMBER_MARK = '\u0000#';
/** The same prefix as it is written inside a JSON string literal. */
const NUMBER_MARK_ESCAPED = '\\u0000#';

/** Exact parse through JSON.parse: number literals travel as marked strings, then revive. */
function parseExactAllowingDuplicates(text: string): unknown {
  const marked = text.replace(STRING_OR_NUMBER, (token) => (token.charCodeAt(0) === 34 ? token : `"${NUMBER_MARK_ESCAPED}${token}"`));
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(NUMBER_MARK) ? new LosslessNumber(value.slice(NUMBER_MARK.length)) : value,
  );
}

/**
 * Parses a JSON document and coerces it with `coerce`, on the fast path (JSON.parse) unless
 * `needsExactNumbers`; a coercion that meets a number whose exact text matters makes it parse
 * again losslessly. Parse failures propagate as thrown by the parsers (SyntaxError).
 */
export function readJsonDocument<T>(text: string, needsExactNumbers: boolean, coerce: (json: unknown) => T): T {
  if (needsExactNumbers) return coerce(parseExact(text));
  const json: unknown = JSON.parse(text);
  strictNumbers = true;
  try {
    return coerce(json);
  } catch (e) {
    if (e !== NEED_EXACT_NUMBERS) throw e;
  } finally {
    strictNumbers = false;
  }
  return coerce(parseExact(text));
}

/** Writes parsed JSON (possibly holding LosslessNumbers) back as compact JSON text. */
export function stringifyParsedJson(json: unknown): string {
  return stringifyLossless(json) ?? 'null';
}

export { LosslessNumber, isLosslessNumber };
