/**
 * The contract of record formats (serdes): turning key and value bytes of a topic record into
 * rows of SQL values and back, in ksqlDB's formats (JSON, DELIMITED, KAFKA; NONE for keyless).
 */
import type { Column, WindowInfo } from '../types.js';
import type { Value } from '../values/value.js';

export type FormatName = 'JSON' | 'DELIMITED' | 'KAFKA' | 'NONE' | 'AVRO' | 'PROTOBUF' | 'PROTOBUF_NOSR' | 'JSON_SR';

export interface FormatInfo {
  readonly format: FormatName;
  /** DELIMITED: VALUE_DELIMITER / KEY_DELIMITER resolved to one character (default ','). */
  readonly delimiter?: string;
  /**
   * JSON (and other wrapping formats) with exactly one column: false writes/reads the bare
   * value (WRAP_SINGLE_VALUE=false / UNWRAP_SINGLES); true or undefined wraps it in an object.
   * Keys are never wrapped for JSON (a single JSON key column is always the bare value).
   */
  readonly wrapSingleValue?: boolean;
}

/** A record's window, for windowed keys (tumbling/hopping: end = start + size). */
export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

export interface ValueSerde {
  /** null values (tombstones) serialize to null. Throws SerdeError on values it cannot write. */
  serialize(values: readonly Value[] | null): Buffer | null;
  /**
   * Bytes to one value per column, coerced to the column types; null bytes give null.
   * Throws SerdeError for malformed data (the caller skips the record and logs it).
   */
  deserialize(bytes: Buffer | null): Value[] | null;
}

export interface KeySerde {
  serialize(values: readonly Value[], window?: WindowBounds): Buffer | null;
  /** For keyless schemas returns []. For windowed keys also returns the window. */
  deserialize(bytes: Buffer | null): { values: Value[]; window?: WindowBounds };
}

export interface SerdeFactory {
  valueSerde(format: FormatInfo, columns: readonly Column[]): ValueSerde;
  keySerde(format: FormatInfo, columns: readonly Column[], window?: WindowInfo): KeySerde;
}
