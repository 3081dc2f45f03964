/**
 * Records of a source's topic as the harness handles them: input records from a test file
 * become bytes in the topic's key and value formats, and stored records become Java-typed
 * values for the comparator. JSON, DELIMITED and KAFKA use the harness codec; other formats go
 * through the engine's serdes (where out-of-scope formats fail as Unsupported).
 */
import { isLosslessNumber } from 'lossless-json';
import type { DataSource } from '../metastore/types.js';
import type { Column } from '../types.js';
import type { Value } from '../values/value.js';
import type { LogRecord, ProduceRecord } from '../../log/topic-log.js';
import type { EngineBindings } from './engine-bindings.js';
import type { ActualRecord } from './expected-comparator.js';
import { errorMessage } from './expected-exception.js';
import type { JavaValue } from './java-values.js';
import type { JsonNode, QttRecord } from './qtt-model.js';
import {
  HARNESS_FORMATS,
  RecordCodecError,
  decodeHarness,
  encodeHarness,
  splitWindowedKey,
  windowKeyBytes,
  type RecordSide,
} from './record-codec.js';

function keySide(source: DataSource): RecordSide {
  const columns = source.schema.columns.filter((c) => c.namespace === 'KEY');
  return source.window ? { format: source.keyFormat, columns, window: source.window } : { format: source.keyFormat, columns };
}

function valueSide(source: DataSource): RecordSide {
  return { format: source.valueFormat, columns: source.schema.columns.filter((c) => c.namespace === 'VALUE') };
}

/** A column's field of a JSON record, matched as written then case-insensitively; a single column may be the bare value. */
function fieldOf(node: JsonNode, column: Column, single: boolean): JsonNode {
  if (typeof node === 'object' && node !== null && !Array.isArray(node) && !isLosslessNumber(node)) {
    const entries = Object.entries(node as Record<string, JsonNode>);
    const hit = entries.find(([k]) => k === column.name) ?? entries.find(([k]) => k.toUpperCase() === column.name.toUpperCase());
    if (hit) return hit[1];
    return single ? node : null;
  }
  return single ? node : null;
}

/** Formats outside the harness codec go through the engine's serdes (and fail as Unsupported there). */
function encodeWithEngine(
  bindings: EngineBindings,
  node: JsonNode,
  side: RecordSide,
  isKey: boolean,
  record: QttRecord,
): Buffer | null {
  const serdes = bindings.serdes;
  if (!serdes) throw new RecordCodecError(`No serde available for format ${side.format.format}`);
  if (node === null || node === undefined) return null;
  const single = side.columns.length === 1;
  const values: Value[] = side.columns.map((c) => serdes.coerceJsonValue(fieldOf(node, c, single), c.type));
  if (isKey) {
    const window = record.window ? { start: record.window.start, end: record.window.end } : undefined;
    return serdes.factory.keySerde(side.format, side.columns, side.window).serialize(values, window);
  }
  return serdes.factory.valueSerde(side.format, side.columns).serialize(values);
}

export function encodeInput(bindings: EngineBindings, record: QttRecord, source: DataSource): ProduceRecord {
  const ks = keySide(source);
  const vs = valueSide(source);
  let key: Buffer | null;
  if (HARNESS_FORMATS.has(ks.format.format)) {
    const inner = encodeHarness(record.key ?? null, ks);
    key = record.window ? windowKeyBytes(inner, record.window) : inner;
  } else {
    key = encodeWithEngine(bindings, record.key ?? null, ks, true, record);
  }
  const value = HARNESS_FORMATS.has(vs.format.format)
    ? encodeHarness(record.value ?? null, vs)
    : encodeWithEngine(bindings, record.value ?? null, vs, false, record);
  const headers = (record.headers ?? []).map((h) => ({ key: h.KEY, value: h.VALUE === null ? null : Buffer.from(h.VALUE, 'base64') }));
  return { key, value, timestamp: record.timestamp ?? 0, headers };
}

export function decodeActual(record: LogRecord, source: DataSource): ActualRecord {
  const ks = keySide(source);
  const vs = valueSide(source);
  for (const side of [ks, vs]) {
    if (!HARNESS_FORMATS.has(side.format.format)) throw new RecordCodecError(`The runner cannot read format ${side.format.format}`);
  }
  let key: JavaValue;
  let window: ActualRecord['window'];
  try {
    if (ks.window && record.key !== null) {
      const split = splitWindowedKey(record.key, ks.window);
      key = decodeHarness(split.inner, ks);
      window = split.window;
    } else {
      key = decodeHarness(record.key, ks);
    }
  } catch (err) {
    throw new RecordCodecError(`Failed to deserialize key: ${errorMessage(err)}`);
  }
  let value: JavaValue;
  try {
    value = decodeHarness(record.value, vs);
  } catch (err) {
    throw new RecordCodecError(`Failed to deserialize value: ${errorMessage(err)}`);
  }
  return { key, value, timestamp: record.timestamp, headers: record.headers, ...(window ? { window } : {}) };
}
