/**
 * The record formats of the local engine: `serdeFactory` builds key and value serdes for
 * JSON, DELIMITED, KAFKA and NONE (Schema-Registry formats are recognised by name but refused
 * with an UnsupportedError); `resolveFormats` turns WITH properties into FormatInfo.
 */
import { SerdeError, UnsupportedError } from '../errors.js';
import type { Column, WindowInfo } from '../types.js';
import type { Value } from '../values/value.js';
import { delimitedRowCodec } from './delimited.js';
import { SCHEMA_REGISTRY_FORMATS, checkFormatSupportsSchema } from './formats.js';
import { jsonRowCodec } from './json.js';
import { kafkaRowCodec } from './kafka.js';
import type { FormatInfo, KeySerde, SerdeFactory, ValueSerde } from './types.js';
import { windowedKeySerde } from './windowed.js';

export {
  resolveFormats,
  parseFormatName,
  parseDelimiter,
  validateValueWrapping,
  checkFormatSupportsSchema,
  unsupportedSchemaReason,
  serdeFeatures,
  SCHEMA_REGISTRY_FORMATS,
  type ResolvedFormats,
  type ResolveFormatsOptions,
} from './formats.js';
export { coerceJsonValue } from '../values/json-coerce.js';
export { renderRestRow, renderRestValue } from '../values/json-text.js';

/** Row codec shared by keys and values: text or bytes of one row of `columns`. */
interface RowCodec {
  write(values: readonly Value[]): Buffer | null;
  /** null when the payload is a null document (JSON `null`). */
  read(bytes: Buffer): Value[] | null;
}

function refuseSchemaRegistryFormat(format: FormatInfo): void {
  if (SCHEMA_REGISTRY_FORMATS.has(format.format)) {
    throw new UnsupportedError(`${format.format} format (needs Schema Registry, not available in the local engine)`);
  }
}

function rowCodec(format: FormatInfo, columns: readonly Column[], isKey: boolean): RowCodec {
  refuseSchemaRegistryFormat(format);
  checkFormatSupportsSchema(format, columns, isKey);
  switch (format.format) {
    case 'JSON': {
      // Keys with one column are always the bare value; values unless WRAP_SINGLE_VALUE=false.
      const wrapped = isKey ? columns.length !== 1 : format.wrapSingleValue !== false || columns.length !== 1;
      const codec = jsonRowCodec(columns, wrapped);
      return { write: (values) => Buffer.from(codec.write(values), 'utf8'), read: (bytes) => codec.read(bytes) };
    }
    case 'DELIMITED': {
      const codec = delimitedRowCodec(columns, format.delimiter ?? ',');
      return { write: (values) => Buffer.from(codec.write(values), 'utf8'), read: (bytes) => codec.read(bytes) };
    }
    case 'KAFKA': {
      const codec = kafkaRowCodec(columns);
      if (codec === undefined) return voidCodec();
      return {
        write: (values) => {
          const v = values[0] ?? null;
          return v === null ? null : codec.write(v);
        },
        read: (bytes) => [codec.read(bytes)],
      };
    }
    case 'NONE':
      return voidCodec();
    default:
      throw new UnsupportedError(`${format.format} format`);
  }
}

/** No columns: writes null, reads nothing. */
function voidCodec(): RowCodec {
  return { write: () => null, read: () => [] };
}

function valueSerde(format: FormatInfo, columns: readonly Column[]): ValueSerde {
  const codec = rowCodec(format, columns, false);
  return {
    serialize(values) {
      if (values === null) return null;
      return codec.write(values) ?? null;
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      return codec.read(bytes);
    },
  };
}

function plainKeySerde(format: FormatInfo, columns: readonly Column[]): KeySerde {
  if (columns.length === 0) {
    refuseSchemaRegistryFormat(format);
    // Keyless: whatever key the record carries is ignored, and none is written.
    return { serialize: () => null, deserialize: () => ({ values: [] }) };
  }
  const codec = rowCodec(format, columns, true);
  const nulls = (): Value[] => columns.map(() => null);
  return {
    serialize(values) {
      // A key whose columns are all null is a null Kafka key (e.g. PARTITION BY a null).
      if (values.every((v) => v === null)) return null;
      return codec.write(values);
    },
    deserialize(bytes) {
      if (bytes === null) return { values: nulls() };
      const values = codec.read(bytes);
      return { values: values ?? nulls() };
    },
  };
}

function keySerde(format: FormatInfo, columns: readonly Column[], window?: WindowInfo): KeySerde {
  const inner = plainKeySerde(format, columns);
  return window === undefined ? inner : windowedKeySerde(inner, window);
}

export const serdeFactory: SerdeFactory = { valueSerde, keySerde };

/** Message prefix ksqlDB's processing log uses for a record it could not read. */
export function deserializationFailureMessage(target: 'key' | 'value', topic: string, err: SerdeError): string {
  return `Failed to deserialize ${target} from topic: ${topic}. ${err.message}`;
}
