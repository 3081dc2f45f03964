/**
 * Records between the topic log's shape and kafkajs': buffers pass through untouched, offsets
 * and timestamps (strings in kafkajs, as they are 64-bit in Kafka) become numbers.
 */
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { LogRecord, ProduceRecord, RecordHeader } from '../topic-log.js';

/** A record for kafkajs, with the partition and timestamp already chosen. */
export function toKafkaMessage(record: ProduceRecord, partition: number, timestamp: number): Message {
  return {
    key: record.key,
    value: record.value,
    partition,
    timestamp: String(timestamp),
    headers: toKafkaHeaders(record.headers ?? []),
  };
}

/**
 * kafkajs takes headers as an object, repeated keys as arrays. It cannot write a null header
 * value: kafkajs 2.2.4 measures the value with Buffer.byteLength before its own null check and
 * fails. Such a record is refused here rather than written with a different value.
 */
function toKafkaHeaders(headers: readonly RecordHeader[]): IHeaders {
  const out: Record<string, Buffer[]> = {};
  for (const { key, value } of headers) {
    if (value === null) {
      throw new TypeError(`The Kafka log cannot write a null value for header '${key}' (a kafkajs limitation); use an empty value.`);
    }
    (out[key] ??= []).push(value);
  }
  const kafkaHeaders: IHeaders = {};
  for (const [key, values] of Object.entries(out)) {
    kafkaHeaders[key] = values.length === 1 ? values[0] : values;
  }
  return kafkaHeaders;
}

export function fromKafkaMessage(topic: string, partition: number, message: KafkaMessage): LogRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key,
    value: message.value,
    timestamp: Number(message.timestamp),
    headers: fromKafkaHeaders(message.headers ?? {}),
  };
}

/**
 * kafkajs decodes headers into an object: the values of a repeated key stay in order, but keys
 * come back in JavaScript's property order (first appearance, except that integer-like keys
 * such as '1' come first), not interleaved as written.
 */
function fromKafkaHeaders(headers: IHeaders): RecordHeader[] {
  const out: RecordHeader[] = [];
  for (const [key, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      out.push({ key, value: v === undefined || v === null ? null : typeof v === 'string' ? Buffer.from(v) : v });
    }
  }
  return out;
}

/**
 * What one produce request may carry. A broker refuses a record batch larger than its
 * message.max.bytes (1 MiB by default) and kafkajs puts all of a call's records for a
 * partition in one batch, so large appends are sent as several requests below that.
 */
export const MAX_REQUEST_BYTES = 900_000;
/** Per record, Kafka's record framing (varints, attributes, header framing) at most. */
const RECORD_OVERHEAD_BYTES = 64;

/** [start, end) ranges of `records`, in order, each within MAX_REQUEST_BYTES (a lone larger record stands alone). */
export function requestChunks(records: readonly ProduceRecord[], maxBytes = MAX_REQUEST_BYTES): [number, number][] {
  const chunks: [number, number][] = [];
  let start = 0;
  let bytes = 0;
  records.forEach((record, i) => {
    let size = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
    for (const h of record.headers ?? []) size += Buffer.byteLength(h.key) + (h.value?.length ?? 0) + 8;
    if (i > start && bytes + size > maxBytes) {
      chunks.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += size;
  });
  if (start < records.length) chunks.push([start, records.length]);
  return chunks;
}
