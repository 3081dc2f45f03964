/**
 * Windowed keys as Kafka Streams writes them: TimeWindowedSerializer appends the 8-byte
 * big-endian window start to the inner key bytes (the end is start + window size);
 * SessionWindowedSerializer (SessionKeySchema) appends the 8-byte end, then the 8-byte start.
 */
import { SerdeError } from '../errors.js';
import type { WindowInfo, WindowType } from '../types.js';
import type { KeySerde, WindowBounds } from './types.js';

const LONG = 8;

/** How many bytes a windowed key adds after the inner key's: the window start, or end and start. */
export function windowSuffixLength(type: WindowType): number {
  return type === 'SESSION' ? 2 * LONG : LONG;
}

export function windowedKeySerde(inner: KeySerde, window: WindowInfo): KeySerde {
  const session = window.type === 'SESSION';
  const sizeMs = window.sizeMs ?? 0;
  const suffix = windowSuffixLength(window.type);
  return {
    serialize(values, bounds) {
      if (bounds === undefined) throw new SerdeError('Windowed key serialized without a window');
      const key = inner.serialize(values) ?? Buffer.alloc(0);
      const out = Buffer.allocUnsafe(key.length + suffix);
      key.copy(out, 0);
      if (session) {
        out.writeBigInt64BE(BigInt(bounds.end), key.length);
        out.writeBigInt64BE(BigInt(bounds.start), key.length + LONG);
      } else {
        out.writeBigInt64BE(BigInt(bounds.start), key.length);
      }
      return out;
    },
    deserialize(bytes) {
      if (bytes === null) return inner.deserialize(null);
      if (bytes.length < suffix) {
        throw new SerdeError(`Windowed key too short: ${bytes.length} bytes, needs at least ${suffix}`);
      }
      const keyLength = bytes.length - suffix;
      let windowBounds: WindowBounds;
      if (session) {
        const end = Number(bytes.readBigInt64BE(keyLength));
        const start = Number(bytes.readBigInt64BE(keyLength + LONG));
        windowBounds = { start, end };
      } else {
        const start = Number(bytes.readBigInt64BE(keyLength));
        windowBounds = { start, end: start + sizeMs };
      }
      const { values } = inner.deserialize(bytes.subarray(0, keyLength));
      return { values, window: windowBounds };
    },
  };
}
