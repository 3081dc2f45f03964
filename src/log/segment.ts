/**
 * One segment of a partition: a file of framed records starting at `baseOffset`, plus a sparse
 * index (an entry every few KiB: offset → file position) kept in memory and saved beside it.
 *
 * Only bytes up to `size` are visible: the partition raises `size` once a write is complete
 * (and synced, under fsync 'always'), so readers never see half a write.
 */
import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptRecordError } from './errors.js';
import { checkFrame, decodeFrame, FRAME_HEADER_BYTES } from './record-codec.js';
import { writeFileAtomic } from './durable-file.js';
import type { LogRecord } from './topic-log.js';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
/** Kafka's index.interval.bytes default. */
export const INDEX_INTERVAL_BYTES = 4096;
/** Reads are done in chunks of this size, not a syscall per record. */
const READ_CHUNK_BYTES = 256 * 1024;
/** Recovery scans in larger chunks: it reads whole segments once. */
const SCAN_CHUNK_BYTES = 1024 * 1024;

const INDEX_MAGIC = 0x4b534958; // "KSIX"
const INDEX_VERSION = 1;
const INDEX_HEADER_BYTES = 4 + 4 + 8 + 8 + 8 + 4;
const INDEX_ENTRY_BYTES = 8;

/** Where a reader is in a segment; keeps the last chunk read so sequential reads reuse it. */
export interface SegmentCursor {
  position: number;
  chunk?: Buffer;
  chunkStart?: number;
}

export function segmentFileStem(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

export class Segment {
  readonly logPath: string;
  readonly indexPath: string;
  /** Bytes of complete, acknowledged frames. */
  size = 0;
  /** Offset after the last record. */
  nextOffset: number;
  /** Largest record timestamp, for retention.ms (like Kafka's time index). */
  maxTimestamp = Number.NEGATIVE_INFINITY;
  /** True when the in-memory index has entries the index file lacks. */
  private indexDirty = false;
  private readonly indexOffsets: number[] = [];
  private readonly indexPositions: number[] = [];
  private handle: Promise<FileHandle> | undefined;
  private activeReads = 0;
  private retired = false;

  private constructor(
    dir: string,
    readonly baseOffset: number,
  ) {
    const stem = segmentFileStem(baseOffset);
    this.logPath = join(dir, stem + LOG_SUFFIX);
    this.indexPath = join(dir, stem + INDEX_SUFFIX);
    this.nextOffset = baseOffset;
  }

  static async create(dir: string, baseOffset: number): Promise<Segment> {
    const segment = new Segment(dir, baseOffset);
    const handle = await open(segment.logPath, 'wx+');
    segment.handle = Promise.resolve(handle);
    segment.indexDirty = true;
    return segment;
  }

  /**
   * Opens an existing segment. A sealed segment (not the partition's last) trusts its index file
   * when it matches the file; otherwise, and always for the last segment, the file is scanned:
   * frames are checked one by one and the file is cut at the first torn or corrupt one.
   */
  static async load(
    dir: string,
    baseOffset: number,
    opts: { readonly last: boolean; readonly sync: boolean },
  ): Promise<{ segment: Segment; truncatedBytes: number }> {
    const segment = new Segment(dir, baseOffset);
    const handle = await open(segment.logPath, 'r+');
    let truncatedBytes = 0;
    try {
      truncatedBytes = await segment.recover(handle, opts);
    } catch (err) {
      await handle.close();
      throw err;
    }
    // Sealed segments open their file when first read, so a long log holds few descriptors.
    if (opts.last) segment.handle = Promise.resolve(handle);
    else await handle.close();
    return { segment, truncatedBytes };
  }

  /** Loads the index or scans the file, cutting a damaged tail; returns the bytes cut. */
  private async recover(
    handle: FileHandle,
    opts: { readonly last: boolean; readonly sync: boolean },
  ): Promise<number> {
    const fileSize = (await handle.stat()).size;
    if (!opts.last && (await this.loadIndex(fileSize))) return 0;
    const validBytes = await this.scan(handle, fileSize);
    if (validBytes < fileSize) {
      await handle.truncate(validBytes);
      if (opts.sync) await handle.sync();
    }
    this.indexDirty = true;
    if (!opts.last) await this.saveIndex(opts.sync);
    return fileSize - validBytes;
  }

  get isRetired(): boolean {
    return this.retired;
  }

  /** Writes `bytes` right after the visible end; the caller makes them visible with commitAppend. */
  async write(bytes: Buffer): Promise<void> {
    const handle = await this.openHandle();
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(
        bytes,
        written,
        bytes.length - written,
        this.size + written,
      );
      written += bytesWritten;
    }
  }

  /** Drops bytes written past the visible end (after a failed write). */
  async discardUncommitted(): Promise<void> {
    const handle = await this.openHandle();
    await handle.truncate(this.size);
  }

  async sync(): Promise<void> {
    const handle = await this.openHandle();
    await handle.sync();
  }

  /**
   * Makes a written batch visible. `frameStarts` are the frames' positions inside the batch;
   * their offsets run from `firstOffset` on.
   */
  commitAppend(
    batchBytes: number,
    frameStarts: readonly number[],
    firstOffset: number,
    maxTimestamp: number,
  ): void {
    const batchStart = this.size;
    let lastIndexed = this.indexPositions.at(-1) ?? 0;
    for (let i = 0; i < frameStarts.length; i++) {
      const position = batchStart + frameStarts[i]!;
      if (position - lastIndexed >= INDEX_INTERVAL_BYTES) {
        this.addIndexEntry(firstOffset + i, position);
        lastIndexed = position;
      }
    }
    this.size += batchBytes;
    this.nextOffset = firstOffset + frameStarts.length;
    this.maxTimestamp = Math.max(this.maxTimestamp, maxTimestamp);
  }

  /** The file position to start scanning from to find `offset`. */
  positionFor(offset: number): number {
    let lo = 0;
    let hi = this.indexOffsets.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.indexOffsets[mid]! <= offset) {
        found = this.indexPositions[mid]!;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * Up to `maxRecords` records at `cursor` with offset ≥ `minOffset`, advancing the cursor.
   * Returns undefined when the segment was deleted (by retention) before the read began.
   */
  async readRecords(
    cursor: SegmentCursor,
    minOffset: number,
    maxRecords: number,
    topic: string,
    partition: number,
  ): Promise<LogRecord[] | undefined> {
    if (this.retired) return undefined;
    this.activeReads++;
    try {
      const records: LogRecord[] = [];
      const limit = this.size;
      let chunk = cursor.chunk;
      let chunkStart = cursor.chunkStart ?? 0;
      while (records.length < maxRecords && cursor.position < limit) {
        const at = cursor.position;
        if (chunk === undefined || !covers(chunk, chunkStart, at, FRAME_HEADER_BYTES)) {
          chunk = await this.readChunk(at, Math.min(READ_CHUNK_BYTES, limit - at));
          chunkStart = at;
        }
        let frame = decodeFrame(chunk, at - chunkStart, chunk.length, topic, partition);
        if (frame.kind === 'incomplete') {
          // The frame runs past the chunk: read again from its start, big enough to hold it.
          const needed = frame.needed ?? FRAME_HEADER_BYTES;
          if (at + needed > limit) throw this.corruption(at, 'record cut short');
          chunk = await this.readChunk(at, Math.min(Math.max(READ_CHUNK_BYTES, needed), limit - at));
          chunkStart = at;
          frame = decodeFrame(chunk, 0, chunk.length, topic, partition);
        }
        if (frame.kind === 'corrupt') throw this.corruption(at, frame.reason);
        if (frame.kind === 'incomplete') throw this.corruption(at, 'record cut short');
        if (frame.record.offset >= minOffset) records.push(frame.record);
        cursor.position = chunkStart + frame.end;
      }
      cursor.chunk = chunk;
      cursor.chunkStart = chunkStart;
      return records;
    } catch (err) {
      // Retention may delete the file between the check above and a lazy open or read.
      if (this.retired) return undefined;
      throw err;
    } finally {
      this.activeReads--;
      if (this.retired && this.activeReads === 0) await this.closeHandle();
    }
  }

  /** Saves the index with this segment's size, so a later open can trust it. */
  async saveIndex(sync: boolean): Promise<void> {
    if (!this.indexDirty) return;
    const count = this.indexOffsets.length;
    const out = Buffer.alloc(INDEX_HEADER_BYTES + count * INDEX_ENTRY_BYTES);
    let pos = out.writeUInt32BE(INDEX_MAGIC, 0);
    pos = out.writeUInt32BE(INDEX_VERSION, pos);
    pos = out.writeDoubleBE(this.size, pos);
    pos = out.writeDoubleBE(this.nextOffset, pos);
    pos = out.writeDoubleBE(this.maxTimestamp, pos);
    pos = out.writeUInt32BE(count, pos);
    for (let i = 0; i < count; i++) {
      pos = out.writeUInt32BE(this.indexOffsets[i]! - this.baseOffset, pos);
      pos = out.writeUInt32BE(this.indexPositions[i]!, pos);
    }
    await writeFileAtomic(this.indexPath, out, sync);
    this.indexDirty = false;
  }

  async close(): Promise<void> {
    await this.closeHandle();
  }

  /**
   * Closes the file of a sealed segment that nobody is reading, so that reading a long log
   * does not hold a descriptor per segment; the next read opens it again.
   */
  async releaseIdleHandle(): Promise<void> {
    if (this.activeReads === 0) await this.closeHandle();
  }

  /** Deletes the segment's files; reads in progress finish first, later ones find it retired. */
  async retire(): Promise<void> {
    this.retired = true;
    if (this.activeReads === 0) await this.closeHandle();
    await rm(this.logPath, { force: true });
    await rm(this.indexPath, { force: true });
  }

  private addIndexEntry(offset: number, position: number): void {
    this.indexOffsets.push(offset);
    this.indexPositions.push(position);
    this.indexDirty = true;
  }

  private async loadIndex(fileSize: number): Promise<boolean> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.indexPath);
    } catch {
      return false;
    }
    if (bytes.length < INDEX_HEADER_BYTES) return false;
    if (bytes.readUInt32BE(0) !== INDEX_MAGIC || bytes.readUInt32BE(4) !== INDEX_VERSION) return false;
    const size = bytes.readDoubleBE(8);
    const nextOffset = bytes.readDoubleBE(16);
    const maxTimestamp = bytes.readDoubleBE(24);
    const count = bytes.readUInt32BE(32);
    if (size !== fileSize) return false;
    if (bytes.length !== INDEX_HEADER_BYTES + count * INDEX_ENTRY_BYTES) return false;
    if (!Number.isSafeInteger(nextOffset) || nextOffset < this.baseOffset) return false;
    let previousPosition = 0;
    for (let i = 0; i < count; i++) {
      const offset = this.baseOffset + bytes.readUInt32BE(INDEX_HEADER_BYTES + i * INDEX_ENTRY_BYTES);
      const position = bytes.readUInt32BE(INDEX_HEADER_BYTES + i * INDEX_ENTRY_BYTES + 4);
      if (position <= previousPosition || position >= size || offset >= nextOffset) return false;
      previousPosition = position;
      this.indexOffsets.push(offset);
      this.indexPositions.push(position);
    }
    this.size = size;
    this.nextOffset = nextOffset;
    this.maxTimestamp = maxTimestamp;
    return true;
  }

  /**
   * Checks every frame from the start, rebuilding the index; returns the length of the valid
   * prefix. Offsets must run on from baseOffset without gaps, as the partition writes them.
   */
  private async scan(handle: FileHandle, fileSize: number): Promise<number> {
    let position = 0;
    let expectedOffset = this.baseOffset;
    let lastIndexed = 0;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    // Makes sure the `length` bytes at `position` are in the chunk, as far as the file has them.
    const load = async (length: number): Promise<void> => {
      if (position + length <= chunkStart + chunk.length) return;
      const readLength = Math.min(Math.max(SCAN_CHUNK_BYTES, length), fileSize - position);
      chunk = await readExactly(handle, position, readLength);
      chunkStart = position;
    };
    while (position < fileSize) {
      await load(FRAME_HEADER_BYTES);
      let frame = checkFrame(chunk, position - chunkStart, chunk.length);
      if (frame.kind === 'incomplete') {
        const needed = frame.needed ?? FRAME_HEADER_BYTES;
        if (position + needed > fileSize) break; // a torn tail
        await load(needed);
        frame = checkFrame(chunk, position - chunkStart, chunk.length);
      }
      if (frame.kind !== 'record' || frame.offset !== expectedOffset) break;
      this.maxTimestamp = Math.max(this.maxTimestamp, frame.timestamp);
      if (position - lastIndexed >= INDEX_INTERVAL_BYTES) {
        this.addIndexEntry(frame.offset, position);
        lastIndexed = position;
      }
      expectedOffset++;
      position = chunkStart + frame.end;
    }
    this.size = position;
    this.nextOffset = expectedOffset;
    return position;
  }

  private corruption(position: number, reason: string): CorruptRecordError {
    return new CorruptRecordError(`Corrupt record in ${this.logPath} at byte ${position} (${reason}).`);
  }

  private openHandle(): Promise<FileHandle> {
    this.handle ??= open(this.logPath, 'r+');
    return this.handle;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle !== undefined) await (await handle).close();
  }

  private async readChunk(position: number, length: number): Promise<Buffer> {
    return readExactly(await this.openHandle(), position, length);
  }
}

/** Whether a chunk read from `chunkStart` holds the `length` bytes at `position`. */
function covers(chunk: Buffer, chunkStart: number, position: number, length: number): boolean {
  return position >= chunkStart && position + length <= chunkStart + chunk.length;
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}
