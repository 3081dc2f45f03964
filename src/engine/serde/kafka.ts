/**
 * ksqlDB's KAFKA format: exactly one column in Kafka's own primitive serdes (big-endian
 * IntegerSerializer / LongSerializer / DoubleSerializer, UTF-8 StringSerializer, raw bytes), or
 * no column at all (Void: always null). TIMESTAMP/DATE/TIME are refused, as in ksqlDB.
 */
import { KsqlError, SerdeError } from '../errors.js';
import type { Column, SqlType } from '../types.js';
import type { Value } from '../values/value.js';

export interface KafkaCodec {
  write(v: Value): Buffer;
  read(bytes: Buffer): Value;
}

function sizeCheck(bytes: Buffer, size: number, deserializer: string): void {
  if (bytes.length !== size) {
    throw new SerdeError(`Size of data received by ${deserializer} is not ${size}`);
  }
}

const int32Codec: KafkaCodec = {
  write: (v) => {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE((v as number) | 0);
    return b;
  },
  read: (bytes) => {
    sizeCheck(bytes, 4, 'IntegerDeserializer');
    return bytes.readInt32BE(0);
  },
};

const int64Codec: KafkaCodec = {
  write: (v) => {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(v as number)));
    return b;
  },
  read: (bytes) => {
    sizeCheck(bytes, 8, 'LongDeserializer');
    return bytes.readBigInt64BE(0);
  },
};

const doubleCodec: KafkaCodec = {
  write: (v) => {
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleBE(v as number);
    return b;
  },
  read: (bytes) => {
    sizeCheck(bytes, 8, 'Deserializer');
    return bytes.readDoubleBE(0);
  },
};

const stringCodec: KafkaCodec = {
  write: (v) => Buffer.from(v as string, 'utf8'),
  read: (bytes) => bytes.toString('utf8'),
};

const bytesCodec: KafkaCodec = {
  write: (v) => Buffer.from(v as Buffer),
  read: (bytes) => Buffer.from(bytes),
};

export function kafkaCodec(type: SqlType): KafkaCodec {
  switch (type.kind) {
    case 'INTEGER':
      return int32Codec;
    case 'BIGINT':
      return int64Codec;
    case 'DOUBLE':
      return doubleCodec;
    case 'STRING':
      return stringCodec;
    case 'BYTES':
      return bytesCodec;
    default:
      throw new KsqlError(`The 'KAFKA' format does not support type '${type.kind}'`);
  }
}

/** The codec for a KAFKA-format schema; undefined for zero columns (Void). */
export function kafkaRowCodec(columns: readonly Column[]): KafkaCodec | undefined {
  if (columns.length === 0) return undefined;
  if (columns.length > 1) {
    throw new KsqlError(`The 'KAFKA' format only supports a single field. Got: ${columns.length} columns`);
  }
  return kafkaCodec(columns[0]!.type);
}
