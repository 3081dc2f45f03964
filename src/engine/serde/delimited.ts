/**
 * ksqlDB's DELIMITED format: one CSV record per Kafka record, as Apache commons-csv
 * (CSVFormat.DEFAULT with a custom delimiter) prints and parses it in
 * KsqlDelimitedSerializer / KsqlDelimitedDeserializer.
 *
 * Hand-written rather than csv-parse/csv-stringify: the quoting rule is commons-csv's own
 * (QuoteMode.MINIMAL of the version ksqlDB ships, which also quotes a record whose first
 * character is not an ASCII letter or digit, e.g. `"-1",a`), and records are one line.
 */
import { KsqlError, SerdeError } from '../errors.js';
import type { Column, SqlType } from '../types.js';
import { Decimal } from '../values/decimal.js';
import { javaDoubleToString } from '../values/java-format.js';
import { ensureDecimalFits, parseJavaDouble } from '../values/json-coerce.js';
import type { Value } from '../values/value.js';

const QUOTE = '"';

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** commons-csv MINIMAL quoting decision for one non-null field. */
function needsQuotes(text: string, delimiter: string, firstInRecord: boolean): boolean {
  if (text.length === 0) return firstInRecord; // an empty first field would read as an empty line
  const first = text.charCodeAt(0);
  if (firstInRecord && !isAsciiAlphanumeric(first)) return true;
  if (first <= 35) return true; // '#' and below (comment char, space, controls)
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n' || ch === '\r' || ch === QUOTE || ch === delimiter) return true;
  }
  return text.charCodeAt(text.length - 1) <= 32;
}

/** Writes one CSV record (without line terminator); null fields are empty and unquoted. */
export function writeCsvRecord(fields: readonly (string | null)[], delimiter: string): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += delimiter;
    const f = fields[i];
    if (f === null || f === undefined) continue;
    out += needsQuotes(f, delimiter, i === 0) ? QUOTE + f.replaceAll(QUOTE, QUOTE + QUOTE) + QUOTE : f;
  }
  return out;
}

/**
 * Parses the first CSV record of `text` (commons-csv DEFAULT: `"` quotes, doubled quotes
 * inside, CR/LF end a record, empty lines skipped). Returns [] when there is no record.
 */
export function parseCsvRecord(text: string, delimiter: string): string[] {
  let pos = 0;
  const n = text.length;
  // Skip empty lines.
  while (pos < n && (text[pos] === '\n' || text[pos] === '\r')) pos++;
  if (pos >= n) return [];
  const fields: string[] = [];
  for (;;) {
    if (text[pos] === QUOTE) {
      pos++;
      let value = '';
      for (;;) {
        if (pos >= n) throw new Error('EOF reached before encapsulated token finished');
        const ch = text[pos]!;
        if (ch === QUOTE) {
          if (text[pos + 1] === QUOTE) {
            value += QUOTE;
            pos += 2;
            continue;
          }
          pos++;
          break;
        }
        value += ch;
        pos++;
      }
      // Only whitespace may follow the closing quote before the delimiter or end of line.
      while (pos < n && text[pos] !== delimiter && text[pos] !== '\n' && text[pos] !== '\r') {
        if (text[pos] !== ' ' && text[pos] !== '\t') {
          throw new Error('invalid char between encapsulated token and delimiter');
        }
        pos++;
      }
      fields.push(value);
    } else {
      let end = pos;
      while (end < n && text[end] !== delimiter && text[end] !== '\n' && text[end] !== '\r') end++;
      fields.push(text.slice(pos, end));
      pos = end;
    }
    if (pos < n && text[pos] === delimiter) {
      pos++;
      if (pos >= n || text[pos] === '\n' || text[pos] === '\r') {
        fields.push('');
        return fields;
      }
      continue;
    }
    return fields;
  }
}

type FieldWriter = (v: Value) => string | null;
type FieldReader = (text: string) => Value;

function fieldWriter(type: SqlType): FieldWriter {
  switch (type.kind) {
    case 'BOOLEAN':
      return (v) => (v === null ? null : v ? 'true' : 'false');
    case 'DOUBLE':
      return (v) => (v === null ? null : javaDoubleToString(v as number));
    case 'DECIMAL':
      return (v) => (v === null ? null : v instanceof Decimal ? v.toString() : String(v));
    case 'BYTES':
      return (v) => (v === null ? null : (v as Buffer).toString('base64'));
    default:
      return (v) => (v === null ? null : String(v));
  }
}

const JAVA_INTEGER_TEXT = /^[+-]?\d+$/;

function numberFormatError(text: string): Error {
  return new Error(`For input string: "${text}"`);
}

function parseIntegral(text: string, bits: 32 | 64): bigint {
  if (!JAVA_INTEGER_TEXT.test(text)) throw numberFormatError(text);
  const n = BigInt(text);
  if (BigInt.asIntN(bits, n) !== n) throw numberFormatError(text);
  return n;
}

function fieldReader(type: SqlType): FieldReader {
  switch (type.kind) {
    case 'BOOLEAN':
      // Boolean.parseBoolean: anything but "true" (any case) is false.
      return (t) => t.toLowerCase() === 'true';
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return (t) => Number(parseIntegral(t, 32));
    case 'BIGINT':
      return (t) => parseIntegral(t, 64);
    case 'TIMESTAMP':
      return (t) => Number(parseIntegral(t, 64));
    case 'DOUBLE':
      return (t) => {
        const d = parseJavaDouble(t);
        if (d === undefined) throw numberFormatError(t);
        return d;
      };
    case 'STRING':
      return (t) => t;
    case 'BYTES':
      return (t) => Buffer.from(t, 'base64');
    case 'DECIMAL': {
      const { precision, scale } = type;
      return (t) => {
        let d: Decimal;
        try {
          d = Decimal.parse(t);
        } catch {
          throw new Error(`Character array is missing "exponent" mark 'e' or 'E'.`);
        }
        return ensureDecimalFits(d, precision, scale);
      };
    }
    default:
      throw new KsqlError(`The 'DELIMITED' format does not support type '${type.kind}'`);
  }
}

/** Row codec for DELIMITED keys or values with the given delimiter. */
export function delimitedRowCodec(columns: readonly Column[], delimiter: string) {
  const writers = columns.map((c) => fieldWriter(c.type));
  const readers = columns.map((c) => fieldReader(c.type));
  const n = columns.length;
  return {
    write(values: readonly Value[]): string {
      const fields: (string | null)[] = new Array(n);
      for (let i = 0; i < n; i++) fields[i] = writers[i]!(values[i] ?? null);
      return writeCsvRecord(fields, delimiter);
    },
    read(bytes: Buffer): Value[] {
      if (n === 0) return []; // nothing to read: a value-less row is written as an empty line
      try {
        const fields = parseCsvRecord(bytes.toString('utf8'), delimiter);
        if (fields.length === 0) throw new Error('No fields in record');
        if (fields.length !== n) throw new Error(`Unexpected field count, csvFields:${fields.length} schemaFields:${n}`);
        const out: Value[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const f = fields[i]!;
          out[i] = f.length === 0 ? null : readers[i]!(f);
        }
        return out;
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new SerdeError(`Error deserializing delimited row: ${reason}`, e);
      }
    },
  };
}
