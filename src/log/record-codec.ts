/**
 * The on-disk frame of one record in a segment file:
 *
 *   u32 bodyLength | u32 crc32(body) | body
 *   body = u8 version | f64 offset | f64 timestamp | i32 keyLength (-1 = null) | key
 *        | i32 valueLength (-1 = null) | value | u32 headerCount
 *        | per header: u32 keyLength | key (UTF-8) | i32 valueLength (-1 = null) | value
 *
 * Offsets and timestamps are stored as doubles: exact for every safe integer, no BigInt cost.
 * The CRC covers the whole body, so a torn or bit-flipped frame is never mistaken for a record.
 */
import { crc32 } from 'node:zlib';
import type { LogRecord, ProduceRecord, RecordHeader } from './topic-log.js';

export const FRAME_HEADER_BYTES = 8;
const FORMAT_VERSION = 1;
const MIN_BODY_BYTES = 1 + 8 + 8 + 4 + 4 + 4;
/** Refuses absurd lengths from corrupt bytes before allocating for them. */
export const MAX_BODY_BYTES = 1 << 30;

/** Bytes the framed record will take. */
export function frameSize(record: ProduceRecord): number {
  let size = FRAME_HEADER_BYTES + MIN_BODY_BYTES;
  size += record.key?.length ?? 0;
  size += record.value?.length ?? 0;
  for (const header of record.headers ?? []) {
    size += 4 + Buffer.byteLength(header.key, 'utf8') + 4 + (header.value?.length ?? 0);
  }
  return size;
}

/** Writes the frame at `at` in `out` (which has frameSize(record) bytes there); returns its end. */
export function encodeFrame(
  out: Buffer,
  at: number,
  record: ProduceRecord,
  offset: number,
  timestamp: number,
): number {
  const bodyStart = at + FRAME_HEADER_BYTES;
  let pos = bodyStart;
  pos = out.writeUInt8(FORMAT_VERSION, pos);
  pos = out.writeDoubleBE(offset, pos);
  pos = out.writeDoubleBE(timestamp, pos);
  pos = writeNullableBytes(out, pos, record.key);
  pos = writeNullableBytes(out, pos, record.value);
  const headers = record.headers ?? [];
  pos = out.writeUInt32BE(headers.length, pos);
  for (const header of headers) {
    const keyLength = out.write(header.key, pos + 4, 'utf8');
    out.writeUInt32BE(keyLength, pos);
    pos += 4 + keyLength;
    pos = writeNullableBytes(out, pos, header.value);
  }
  out.writeUInt32BE(pos - bodyStart, at);
  out.writeUInt32BE(crc32(out.subarray(bodyStart, pos)), at + 4);
  return pos;
}

function writeNullableBytes(out: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) return out.writeInt32BE(-1, pos);
  pos = out.writeInt32BE(bytes.length, pos);
  return pos + bytes.copy(out, pos);
}

export type FrameRead =
  | { readonly kind: 'record'; readonly record: LogRecord; readonly end: number }
  /** The buffer ends inside the frame; `needed` is the whole frame's size when known. */
  | { readonly kind: 'incomplete'; readonly needed: number | undefined }
  | { readonly kind: 'corrupt'; readonly reason: string };

/**
 * Decodes the frame starting at `at` (bytes beyond `limit` are not looked at). Keys, values and
 * headers are copied out, so records do not pin the read buffer in memory.
 */
export function decodeFrame(
  buf: Buffer,
  at: number,
  limit: number,
  topic: string,
  partition: number,
): FrameRead {
  const frame = checkFrame(buf, at, limit);
  if (frame.kind !== 'record') return frame;
  // version (1), offset (8) and timestamp (8) were read by checkFrame
  const body = new BodyReader(buf, at + FRAME_HEADER_BYTES + 17, frame.end);
  const key = body.nullableBytes();
  const value = body.nullableBytes();
  const headerCount = body.u32();
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount && body.ok; i++) {
    const headerKey = body.utf8();
    headers.push({ key: headerKey, value: body.nullableBytes() });
  }
  if (!body.ok || body.pos !== frame.end) return { kind: 'corrupt', reason: 'malformed record body' };
  const record: LogRecord = {
    topic,
    partition,
    offset: frame.offset,
    key,
    value,
    timestamp: frame.timestamp,
    headers,
  };
  return { kind: 'record', record, end: frame.end };
}

export type FrameCheck =
  | {
      readonly kind: 'record';
      readonly offset: number;
      readonly timestamp: number;
      readonly end: number;
    }
  | { readonly kind: 'incomplete'; readonly needed: number | undefined }
  | { readonly kind: 'corrupt'; readonly reason: string };

/** Validates the frame at `at` (length and checksum) and reads its offset and timestamp only. */
export function checkFrame(buf: Buffer, at: number, limit: number): FrameCheck {
  if (limit - at < FRAME_HEADER_BYTES) return { kind: 'incomplete', needed: undefined };
  const bodyLength = buf.readUInt32BE(at);
  if (bodyLength < MIN_BODY_BYTES || bodyLength > MAX_BODY_BYTES) {
    return { kind: 'corrupt', reason: `impossible record length ${bodyLength}` };
  }
  const bodyStart = at + FRAME_HEADER_BYTES;
  const end = bodyStart + bodyLength;
  if (end > limit) return { kind: 'incomplete', needed: FRAME_HEADER_BYTES + bodyLength };
  if (crc32(buf.subarray(bodyStart, end)) !== buf.readUInt32BE(at + 4)) {
    return { kind: 'corrupt', reason: 'checksum mismatch' };
  }
  if (buf.readUInt8(bodyStart) !== FORMAT_VERSION) return { kind: 'corrupt', reason: 'unknown format' };
  return {
    kind: 'record',
    offset: buf.readDoubleBE(bodyStart + 1),
    timestamp: buf.readDoubleBE(bodyStart + 9),
    end,
  };
}

/** Bounds-checked reads; a failed check clears `ok` instead of throwing mid-record. */
class BodyReader {
  ok = true;

  constructor(
    private readonly buf: Buffer,
    public pos: number,
    private readonly end: number,
  ) {}

  private take(n: number): number {
    const at = this.pos;
    if (!this.ok || n < 0 || at + n > this.end) {
      this.ok = false;
      return -1;
    }
    this.pos += n;
    return at;
  }

  u32(): number {
    const at = this.take(4);
    return at < 0 ? 0 : this.buf.readUInt32BE(at);
  }

  nullableBytes(): Buffer | null {
    const lengthAt = this.take(4);
    if (lengthAt < 0) return null;
    const length = this.buf.readInt32BE(lengthAt);
    if (length === -1) return null;
    const at = this.take(length);
    return at < 0 ? null : Buffer.from(this.buf.subarray(at, at + length));
  }

  utf8(): string {
    const length = this.u32();
    const at = this.take(length);
    return at < 0 ? '' : this.buf.toString('utf8', at, at + length);
  }
}
