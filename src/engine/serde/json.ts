/**
 * ksqlDB's JSON format (KsqlJsonSerializer / KsqlJsonDeserializer): a value is an object keyed
 * by column name (read case-insensitively, written with the declared names), or the bare value
 * of a single column when unwrapped; a single key column is always the bare value.
 * All per-schema work (writers, coercers) happens once, when the serde is built.
 */
import { SerdeError } from '../errors.js';
import type { Column, SqlType } from '../types.js';
import { compileJsonCoercer, compileJsonRowCoercer } from '../values/json-coerce.js';
import { readJsonDocument, typeNeedsExactNumbers } from '../values/json-parse.js';
import { compileJsonWriter, type JsonWriter } from '../values/json-text.js';
import type { Value } from '../values/value.js';

/**
 * Bytes to a coerced document; malformed JSON becomes a SerdeError, coercion failures are
 * already SerdeErrors. An empty payload reads as null.
 */
function readBytes<T>(bytes: Buffer, exact: boolean, coerce: (json: unknown) => T): T | null {
  const text = bytes.toString('utf8');
  try {
    return readJsonDocument(text, exact, (json) => (json === null ? null : coerce(json)));
  } catch (e) {
    if (e instanceof SerdeError) throw e;
    if (text.trim() === '') return null;
    throw new SerdeError(`Failed to deserialize JSON: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/** Encodes one row of `columns` as a JSON object (wrapped) or the bare single value. */
export interface JsonRowCodec {
  write(values: readonly Value[]): string;
  /** Parsed row, or null when the document is JSON null. */
  read(bytes: Buffer): Value[] | null;
}

export function jsonRowCodec(columns: readonly Column[], wrapped: boolean): JsonRowCodec {
  const exact = columns.some((c) => typeNeedsExactNumbers(c.type));
  if (!wrapped && columns.length === 1) return bareCodec(columns[0]!.type, exact);
  return objectCodec(columns, exact);
}

function bareCodec(type: SqlType, exact: boolean): JsonRowCodec {
  const writer = compileJsonWriter(type, 'topic');
  const coercer = compileJsonCoercer(type);
  return {
    write: (values) => writer(values[0] ?? null),
    read: (bytes) => readBytes(bytes, exact, (json) => [coercer(json)]),
  };
}

function objectCodec(columns: readonly Column[], exact: boolean): JsonRowCodec {
  const prefixes = columns.map((c, i) => (i === 0 ? '{' : ',') + JSON.stringify(c.name) + ':');
  const writers: JsonWriter[] = columns.map((c) => compileJsonWriter(c.type, 'topic'));
  const coerceRow = compileJsonRowCoercer(columns);
  const n = columns.length;
  return {
    write: (values) => {
      if (n === 0) return '{}';
      let s = '';
      for (let i = 0; i < n; i++) s += prefixes[i]! + writers[i]!(values[i] ?? null);
      return s + '}';
    },
    read: (bytes) => readBytes(bytes, exact, coerceRow),
  };
}
