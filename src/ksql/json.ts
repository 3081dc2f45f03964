import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * Parses ksqlDB response JSON without losing BIGINT digits: integers beyond 2^53 become
 * bigint, every other number a JS number.
 */
const LONG_INTEGER = /(?<![\d.])-?\d{16,}(?![\d.eE])/;

export function parseKsqlJson(text: string): unknown {
  // Only integer literals of 16+ digits can exceed 2^53 (fraction digits don't count); without
  // one, the native parser is exact and many times faster (rows arrive by the hundred thousand).
  if (!LONG_INTEGER.test(text)) return JSON.parse(text);
  return parse(text, null, (digits: string) =>
    isInteger(digits) && !isSafeNumber(digits) ? BigInt(digits) : Number(digits),
  );
}

/** JSON.stringify that writes bigint values as plain JSON integers. */
export function stringifyKsqlJson(value: unknown): string {
  const marked = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `__bigint__${v.toString()}` : v));
  return marked.replace(/"__bigint__(-?\d+)"/g, '$1');
}
