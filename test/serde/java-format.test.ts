import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatDateRest,
  formatTimeRest,
  formatTimestampRest,
  javaDoubleToString,
} from '../../src/engine/values/java-format.js';

/** Lines "<IEEE-754 bits in hex> <Double.toString under JDK 17>", produced by a Java program. */
function loadJavaVectors(): Array<[number, string]> {
  const text = readFileSync(new URL('./java-double-vectors.txt', import.meta.url), 'utf8');
  const view = new DataView(new ArrayBuffer(8));
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [hex, expected] = line.split(' ') as [string, string];
      view.setBigUint64(0, BigInt('0x' + hex));
      return [view.getFloat64(0), expected];
    });
}

describe('javaDoubleToString', () => {
  it.each([
    [1, '1.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [100, '100.0'],
    [1e7, '1.0E7'],
    [1e-4, '1.0E-4'],
    [0.001, '0.001'],
    [5e-324, '4.9E-324'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [2 ** 62, '4.6116860184273879E18'],
    [1e23, '9.999999999999999E22'],
    [-1234567.5, '-1234567.5'],
    [9999999, '9999999.0'],
    [0.1 + 0.2, '0.30000000000000004'],
  ])('%s -> %s', (x, expected) => {
    expect(javaDoubleToString(x)).toBe(expected);
  });

  it('matches JDK 17 Double.toString on every reference vector', () => {
    const vectors = loadJavaVectors();
    expect(vectors.length).toBeGreaterThan(1000);
    const mismatches = vectors.filter(([x, expected]) => javaDoubleToString(x) !== expected);
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('negates exactly', () => {
    for (const [x, expected] of loadJavaVectors()) {
      if (!(x > 0)) continue;
      expect(javaDoubleToString(-x)).toBe('-' + expected);
    }
  });
});

describe('REST temporal renderings', () => {
  it.each([
    [0, '1970-01-01T00:00:00.000'],
    [943959600000, '1999-11-30T11:00:00.000'],
    [-1, '1969-12-31T23:59:59.999'],
    [1234567890123, '2009-02-13T23:31:30.123'],
    [-62135596800001, '0001-12-31T23:59:59.999'],
    [253402300800000, '+10000-01-01T00:00:00.000'],
  ])('timestamp %s -> %s', (ms, expected) => {
    expect(formatTimestampRest(ms)).toBe(expected);
  });

  it.each([
    [0, '1970-01-01'],
    [10, '1970-01-11'],
    [-1, '1969-12-31'],
    [19000, '2022-01-08'],
    [2932897, '+10000-01-01'],
    [-719529, '-0001-12-31'],
  ])('date %s -> %s', (days, expected) => {
    expect(formatDateRest(days)).toBe(expected);
  });

  it.each([
    [0, '00:00'],
    [10000, '00:00:10'],
    [600000, '00:10'],
    [3723000, '01:02:03'],
    [3723456, '01:02:03'],
    [86399999, '23:59:59'],
  ])('time %s -> %s', (ms, expected) => {
    expect(formatTimeRest(ms)).toBe(expected);
  });
});
