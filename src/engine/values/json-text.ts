/**
 * SQL values as JSON text, compiled once per SqlType into a writer closure, in two renderings:
 *  - 'topic': as ksqlDB's JSON serializer writes records into Kafka (TIMESTAMP/DATE/TIME as
 *    numbers, DOUBLE in Java's Double.toString form, NaN/Infinity as strings, DECIMAL in plain
 *    notation with its scale, BIGINT exact, BYTES base64, MAP/STRUCT as objects);
 *  - 'rest': as ksqlDB's REST API (ApiJsonMapper) writes row values (REST-API.md section 1.3):
 *    the same, except TIMESTAMP/DATE/TIME become ISO-like strings.
 * Reading JSON lives in ./json-parse.ts and ./json-coerce.ts.
 */
import type { SqlType } from '../types.js';
import { Decimal } from './decimal.js';
import { formatDateRest, formatTimeRest, formatTimestampRest, javaDoubleToString } from './java-format.js';
import type { Struct, Value } from './value.js';

export { parseJsonText } from './json-parse.js';
export { coerceJsonValue } from './json-coerce.js';

export type JsonRendering = 'topic' | 'rest';
export type JsonWriter = (v: Value) => string;

/** Java's rendering of a DOUBLE inside JSON: a number, or Jackson's quoted NaN/Infinity. */
export function doubleToJson(x: number): string {
  if (x - x === 0) return javaDoubleToString(x); // finite
  return x !== x ? '"NaN"' : x > 0 ? '"Infinity"' : '"-Infinity"';
}

const writeBoolean: JsonWriter = (v) => (v === null ? 'null' : v ? 'true' : 'false');
const writeIntegral: JsonWriter = (v) => (v === null ? 'null' : String(v));
const writeDouble: JsonWriter = (v) => (v === null ? 'null' : doubleToJson(v as number));
const writeDecimal: JsonWriter = (v) => (v === null ? 'null' : decimalText(v));
const writeString: JsonWriter = (v) => (v === null ? 'null' : JSON.stringify(v));
const writeBytes: JsonWriter = (v) => (v === null ? 'null' : '"' + (v as Buffer).toString('base64') + '"');
const writeTimestampRest: JsonWriter = (v) => (v === null ? 'null' : '"' + formatTimestampRest(v as number) + '"');
const writeDateRest: JsonWriter = (v) => (v === null ? 'null' : '"' + formatDateRest(v as number) + '"');
const writeTimeRest: JsonWriter = (v) => (v === null ? 'null' : '"' + formatTimeRest(v as number) + '"');

function decimalText(v: Value): string {
  return v instanceof Decimal ? v.toString() : typeof v === 'number' ? javaDoubleToString(v) : String(v);
}

/** Builds the JSON writer of one SQL type; call once per schema, not per value. */
export function compileJsonWriter(type: SqlType, rendering: JsonRendering): JsonWriter {
  switch (type.kind) {
    case 'BOOLEAN':
      return writeBoolean;
    case 'INTEGER':
    case 'BIGINT':
      return writeIntegral;
    case 'DOUBLE':
      return writeDouble;
    case 'DECIMAL':
      return writeDecimal;
    case 'STRING':
      return writeString;
    case 'BYTES':
      return writeBytes;
    case 'TIMESTAMP':
      return rendering === 'rest' ? writeTimestampRest : writeIntegral;
    case 'DATE':
      return rendering === 'rest' ? writeDateRest : writeIntegral;
    case 'TIME':
      return rendering === 'rest' ? writeTimeRest : writeIntegral;
    case 'NULL':
      return () => 'null';
    case 'ARRAY': {
      const item = compileJsonWriter(type.item, rendering);
      return (v) => {
        if (v === null) return 'null';
        const arr = v as Value[];
        let s = '[';
        for (let i = 0; i < arr.length; i++) s += (i === 0 ? '' : ',') + item(arr[i]!);
        return s + ']';
      };
    }
    case 'MAP': {
      const value = compileJsonWriter(type.value, rendering);
      const key = mapKeyText(type.key);
      return (v) => {
        if (v === null) return 'null';
        let s = '{';
        let first = true;
        for (const [k, val] of v as Map<Value, Value>) {
          s += (first ? '' : ',') + JSON.stringify(key(k)) + ':' + value(val);
          first = false;
        }
        return s + '}';
      };
    }
    case 'STRUCT': {
      const names = type.fields.map((f) => f.name);
      const prefixes = type.fields.map((f, i) => (i === 0 ? '' : ',') + JSON.stringify(f.name) + ':');
      const writers = type.fields.map((f) => compileJsonWriter(f.type, rendering));
      return (v) => {
        if (v === null) return 'null';
        const struct = v as Struct;
        let s = '{';
        for (let i = 0; i < names.length; i++) {
          const fieldValue = struct[names[i]!];
          s += prefixes[i]! + writers[i]!(fieldValue === undefined ? null : fieldValue);
        }
        return s + '}';
      };
    }
  }
}

/** JSON object keys are strings: map keys of other types are written as their text. */
function mapKeyText(type: SqlType): (k: Value) => string {
  if (type.kind === 'STRING') return (k) => (k === null ? 'null' : (k as string));
  if (type.kind === 'DOUBLE') return (k) => (k === null ? 'null' : javaDoubleToString(k as number));
  return (k) => (k === null ? 'null' : k instanceof Decimal ? k.toString() : String(k));
}

const restWriterCache = new WeakMap<SqlType, JsonWriter>();

function restWriter(type: SqlType): JsonWriter {
  let w = restWriterCache.get(type);
  if (w === undefined) {
    w = compileJsonWriter(type, 'rest');
    restWriterCache.set(type, w);
  }
  return w;
}

/** One SQL value as ksqlDB's REST API writes it in rows (REST-API.md section 1.3). */
export function renderRestValue(v: Value, type: SqlType): string {
  return restWriter(type)(v);
}

/** A row as the JSON array text of REST responses, e.g. `[1,"a",1.0E7]`. */
export function renderRestRow(values: readonly Value[], types: readonly SqlType[]): string {
  let s = '[';
  for (let i = 0; i < values.length; i++) {
    const type = types[i];
    s += (i === 0 ? '' : ',') + (type === undefined ? 'null' : restWriter(type)(values[i]!));
  }
  return s + ']';
}
