/**
 * Record bytes as ksqlDB's harness writes and reads them (SerdeUtil, ValueSpecJsonSerdeSupplier,
 * KafkaSerdeSupplier, StringSerdeSupplier): test data goes in and out independently of the
 * engine's own serdes, so an engine that writes the wrong bytes fails here.
 *
 * - JSON: the record's JSON text as written / Jackson-parsed with exact decimals.
 * - DELIMITED: the raw line as a string.
 * - KAFKA: big-endian INT/BIGINT/DOUBLE, UTF-8 STRING and BYTES (the harness passes BYTES as the
 *   UTF-8 text of the string), read back with BIGINT→Integer narrowing and DOUBLE→BigDecimal.
 * - Windowed keys: Kafka Streams layout, i.e. key bytes + 8-byte start (time windows) or
 *   key bytes + 8-byte end + 8-byte start (session windows).
 */
import { isLosslessNumber, stringify } from 'lossless-json';
import type { Column, SqlType, WindowInfo } from '../types.js';
import type { FormatInfo } from '../serde/types.js';
import { parseLosslessJson } from './qtt-loader.js';
import {
  javaDecimalFromDouble,
  javaNumberFromKafkaLong,
  javaValueFromJson,
  type JavaValue,
} from './java-values.js';
import type { JsonNode, QttWindow } from './qtt-model.js';

/** What the codec needs to know about one side (key or value) of a topic. */
export interface RecordSide {
  readonly format: FormatInfo;
  readonly columns: readonly Column[];
  /** Keys only: the source's window. */
  readonly window?: WindowInfo;
}

/** Formats this module encodes and decodes itself; others go through the engine's serdes. */
export const HARNESS_FORMATS: ReadonlySet<string> = new Set(['JSON', 'DELIMITED', 'KAFKA', 'NONE']);

export class RecordCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordCodecError';
  }
}

function jsonText(node: JsonNode): string {
  return stringify(node) ?? 'null';
}

function nodeText(node: JsonNode): string {
  if (typeof node === 'string') return node;
  if (isLosslessNumber(node)) return node.value;
  return jsonText(node);
}

function kafkaColumnType(side: RecordSide): SqlType | undefined {
  if (side.columns.length === 0) return undefined;
  if (side.columns.length !== 1) throw new RecordCodecError('KAFKA format only supports single column schemas.');
  return side.columns[0]!.type;
}

function encodeKafka(node: JsonNode, side: RecordSide): Buffer | null {
  if (node === null || node === undefined) return null;
  const type = kafkaColumnType(side);
  // Without columns the harness uses a String serde so tests can pass data that is ignored.
  if (type === undefined) return Buffer.from(nodeText(node), 'utf8');
  switch (type.kind) {
    case 'INTEGER': {
      const b = Buffer.alloc(4);
      b.writeInt32BE(Number(BigInt.asIntN(32, BigInt(Math.trunc(Number(nodeText(node)))))));
      return b;
    }
    case 'BIGINT': {
      const text = nodeText(node);
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt.asIntN(64, /^[+-]?\d+$/.test(text) ? BigInt(text) : BigInt(Math.trunc(Number(text)))));
      return b;
    }
    case 'DOUBLE': {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(Number(nodeText(node)));
      return b;
    }
    case 'STRING':
    case 'BYTES':
      return Buffer.from(nodeText(node), 'utf8');
    default:
      throw new RecordCodecError('Unsupported type for KAFKA format');
  }
}

function decodeKafka(bytes: Buffer, side: RecordSide): JavaValue {
  const type = kafkaColumnType(side);
  if (type === undefined) return bytes.toString('utf8');
  switch (type.kind) {
    case 'INTEGER':
      if (bytes.length !== 4) throw new RecordCodecError('Size of data received by IntegerDeserializer is not 4');
      return { t: 'int', v: bytes.readInt32BE(0) };
    case 'BIGINT':
      if (bytes.length !== 8) throw new RecordCodecError('Size of data received by LongDeserializer is not 8');
      return javaNumberFromKafkaLong(bytes.readBigInt64BE(0));
    case 'DOUBLE':
      if (bytes.length !== 8) throw new RecordCodecError('Size of data received by DoubleDeserializer is not 8');
      return javaDecimalFromDouble(bytes.readDoubleBE(0));
    case 'STRING':
    case 'BYTES':
      return bytes.toString('utf8');
    default:
      throw new RecordCodecError('Unsupported type for KAFKA format');
  }
}

/** Serialize the unwindowed part of a key or a value in a harness format. */
export function encodeHarness(node: JsonNode, side: RecordSide): Buffer | null {
  if (node === undefined || node === null) return null;
  switch (side.format.format) {
    case 'JSON':
      return Buffer.from(jsonText(node), 'utf8');
    case 'DELIMITED':
      return Buffer.from(nodeText(node), 'utf8');
    case 'KAFKA':
      return encodeKafka(node, side);
    case 'NONE':
      return null;
    default:
      throw new RecordCodecError(`The harness does not encode format ${side.format.format}`);
  }
}

export function decodeHarness(bytes: Buffer | null, side: RecordSide): JavaValue {
  if (bytes === null) return null;
  switch (side.format.format) {
    case 'JSON':
      try {
        return javaValueFromJson(parseLosslessJson(bytes.toString('utf8')));
      } catch (err) {
        throw new RecordCodecError(`Invalid JSON: ${(err as Error).message}: ${bytes.toString('utf8')}`);
      }
    case 'DELIMITED':
      return bytes.toString('utf8');
    case 'KAFKA':
      return decodeKafka(bytes, side);
    case 'NONE':
      return null;
    default:
      throw new RecordCodecError(`The harness does not decode format ${side.format.format}`);
  }
}

function longBytes(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(v));
  return b;
}

/** Appends the window the way Kafka Streams' windowed serializers do. */
export function windowKeyBytes(inner: Buffer | null, window: QttWindow): Buffer {
  const key = inner ?? Buffer.alloc(0);
  return window.type === 'session'
    ? Buffer.concat([key, longBytes(window.end), longBytes(window.start)])
    : Buffer.concat([key, longBytes(window.start)]);
}

/** Splits a windowed key into its key bytes and window (Kafka Streams layout). */
export function splitWindowedKey(bytes: Buffer, window: WindowInfo): { inner: Buffer; window: QttWindow } {
  if (window.type === 'SESSION') {
    if (bytes.length < 16) throw new RecordCodecError('Session-windowed key is shorter than 16 bytes');
    const end = Number(bytes.readBigInt64BE(bytes.length - 16));
    const start = Number(bytes.readBigInt64BE(bytes.length - 8));
    return { inner: bytes.subarray(0, bytes.length - 16), window: { start, end, type: 'session' } };
  }
  if (bytes.length < 8) throw new RecordCodecError('Time-windowed key is shorter than 8 bytes');
  const start = Number(bytes.readBigInt64BE(bytes.length - 8));
  const size = window.sizeMs ?? 0;
  return { inner: bytes.subarray(0, bytes.length - 8), window: { start, end: start + size, type: 'time' } };
}
