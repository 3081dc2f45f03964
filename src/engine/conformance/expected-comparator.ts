/**
 * ksqlDB's ExpectedRecordComparator: does an actual (Java-typed) value match an expected JSON
 * node from a QTT file? Objects: same field count, each expected field looked up as written and
 * then upper-cased. Numbers: by the actual value's Java class (Integer/Long compare with the
 * expected's integer value, BigDecimal must match scale, ...). Strings exactly.
 */
import { isLosslessNumber } from 'lossless-json';
import {
  isJavaMap,
  isJavaNumber,
  javaNumberFromJsonText,
  parseJavaDecimal,
  type JavaDecimal,
  type JavaNumber,
  type JavaValue,
} from './java-values.js';
import type { JsonNode, QttWindow } from './qtt-model.js';

export interface CompareOptions {
  /**
   * The harness property `use.exact.numeric.comparison` (default true). false compares
   * numbers as doubles within 1e-6.
   */
  readonly exactNumbers: boolean;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { exactNumbers: true };

const DOUBLE_TOLERANCE = 1e-6;

function isPlainObject(node: JsonNode): node is Record<string, JsonNode> {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !isLosslessNumber(node);
}

/** Java's (int)/(long) narrowing of a Jackson number node's value. */
function integerValueOf(expected: JavaNumber, bits: 32 | 64): bigint {
  switch (expected.t) {
    case 'int':
      return BigInt(expected.v);
    case 'long':
    case 'biginteger':
      return BigInt.asIntN(bits, expected.v);
    case 'double':
      return BigInt.asIntN(bits, BigInt(Math.trunc(expected.v)));
    case 'decimal':
      return BigInt.asIntN(bits, truncateDecimal(expected));
  }
}

function truncateDecimal(d: JavaDecimal): bigint {
  if (d.scale <= 0) return d.unscaled * 10n ** BigInt(-d.scale);
  return d.unscaled / 10n ** BigInt(d.scale);
}

function toDouble(n: JavaNumber): number {
  switch (n.t) {
    case 'int':
    case 'double':
      return n.v;
    case 'long':
    case 'biginteger':
      return Number(n.v);
    case 'decimal':
      return Number(`${n.unscaled}e${-n.scale}`);
  }
}

function decimalsEqual(a: JavaDecimal, b: JavaDecimal): boolean {
  return a.scale === b.scale && a.unscaled === b.unscaled;
}

function compareNumber(actual: JavaValue, expectedText: string, opts: CompareOptions): boolean {
  if (!isJavaNumber(actual)) return false;
  const expected = javaNumberFromJsonText(expectedText);
  if (!opts.exactNumbers) {
    if ((actual.t === 'int' || actual.t === 'long') && (expected.t === 'int' || expected.t === 'long')) {
      return BigInt(actual.v) === BigInt(expected.v);
    }
    return Math.abs(toDouble(actual) - toDouble(expected)) <= DOUBLE_TOLERANCE;
  }
  switch (actual.t) {
    case 'int':
      return integerValueOf(expected, 32) === BigInt(actual.v);
    case 'long':
      return integerValueOf(expected, 64) === actual.v;
    case 'double':
      return toDouble(expected) === actual.v;
    case 'decimal':
      if (expected.t === 'int' || expected.t === 'long') {
        // An expected integer only matches a decimal without fraction digits.
        if (actual.scale > 0) return false;
        return truncateDecimal(actual) === BigInt(expected.v);
      }
      if (expected.t !== 'decimal') return false;
      return decimalsEqual(expected, actual);
    case 'biginteger':
      return false;
  }
}

function compareText(actual: JavaValue, expected: string): boolean {
  if (typeof actual === 'string') return actual === expected;
  if (isJavaNumber(actual) && actual.t === 'decimal') {
    try {
      return decimalsEqual(parseJavaDecimal(expected), actual);
    } catch {
      return false;
    }
  }
  return false;
}

function compareObject(actual: JavaValue, expected: Record<string, JsonNode>, opts: CompareOptions): boolean {
  if (!isJavaMap(actual)) return false;
  const fields = Object.entries(expected);
  if (actual.entries.size !== fields.length) return false;
  for (const [name, expectedField] of fields) {
    let actualField = actual.entries.get(name) ?? null;
    if (actualField === null) actualField = actual.entries.get(name.toUpperCase()) ?? null;
    if (!matchesExpected(actualField, expectedField, opts)) return false;
  }
  return true;
}

function compareArray(actual: JavaValue, expected: readonly JsonNode[], opts: CompareOptions): boolean {
  if (!Array.isArray(actual)) return false;
  const list = actual as readonly JavaValue[];
  if (list.length !== expected.length) return false;
  return expected.every((e, i) => matchesExpected(list[i] ?? null, e, opts));
}

export function matchesExpected(actual: JavaValue, expected: JsonNode, opts: CompareOptions = DEFAULT_COMPARE_OPTIONS): boolean {
  if (expected === null || expected === undefined) return actual === null;
  if (isLosslessNumber(expected)) return compareNumber(actual, expected.value, opts);
  if (typeof expected === 'number') return compareNumber(actual, String(expected), opts);
  if (typeof expected === 'string') return compareText(actual, expected);
  if (typeof expected === 'boolean') return actual === expected;
  if (Array.isArray(expected)) return compareArray(actual, expected, opts);
  if (isPlainObject(expected)) return compareObject(actual, expected, opts);
  return false;
}

export interface ActualRecord {
  readonly key: JavaValue;
  readonly value: JavaValue;
  readonly timestamp: number;
  readonly window?: QttWindow;
  readonly headers: readonly { readonly key: string; readonly value: Buffer | null }[];
}

/**
 * TestExecutor.validateCreatedMessage: window, key, value, headers and timestamp. Without
 * `inputs` (data from INSERT VALUES, wall-clock timestamps) an expected timestamp of 0 matches
 * any timestamp.
 */
export function recordMatches(
  actual: ActualRecord,
  expected: {
    readonly key?: JsonNode;
    readonly value?: JsonNode;
    readonly timestamp?: number;
    readonly window?: QttWindow;
    readonly headers?: readonly { readonly KEY: string; readonly VALUE: string | null }[];
  },
  ranWithInsertStatements: boolean,
  opts: CompareOptions = DEFAULT_COMPARE_OPTIONS,
): boolean {
  if (expected.window) {
    const w = actual.window;
    if (!w || w.start !== expected.window.start || w.end !== expected.window.end || w.type !== expected.window.type) return false;
  } else if (actual.window) {
    // The harness compares a Windowed<K> object with the expected key, which never matches.
    return false;
  }
  if (!matchesExpected(actual.key, expected.key ?? null, opts)) return false;
  if (!matchesExpected(actual.value, expected.value ?? null, opts)) return false;
  const expectedHeaders = expected.headers ?? [];
  if (actual.headers.length !== expectedHeaders.length) return false;
  for (let i = 0; i < expectedHeaders.length; i++) {
    const a = actual.headers[i]!;
    const e = expectedHeaders[i]!;
    const eValue = e.VALUE === null ? null : Buffer.from(e.VALUE, 'base64');
    if (a.key !== e.KEY) return false;
    if ((a.value === null) !== (eValue === null)) return false;
    if (a.value !== null && eValue !== null && !a.value.equals(eValue)) return false;
  }
  const expectedTimestamp = expected.timestamp ?? actual.timestamp;
  if (actual.timestamp !== expectedTimestamp && (!ranWithInsertStatements || expectedTimestamp !== 0)) return false;
  return true;
}
