/**
 * One partition of the file log: its segments, the append path and reads.
 *
 * Appends are serialised per partition and grouped: every append waiting when the writer gets
 * its turn is framed into one buffer and written with one write (and, under fsync 'always', one
 * fsync) before any of them resolves. Records become visible to readers only then.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { AppendSignal } from './append-signal.js';
import { syncDirectory, TEMP_PREFIX } from './durable-file.js';
import { LogClosedError } from './errors.js';
import { encodeFrame, FRAME_HEADER_BYTES, frameSize, MAX_BODY_BYTES } from './record-codec.js';
import type { ReadablePartition, ReadResult } from './reader.js';
import { INDEX_SUFFIX, LOG_SUFFIX, Segment, type SegmentCursor } from './segment.js';
import type { LogRecord, ProduceRecord } from './topic-log.js';

/**
 * 'always': fsync before an append resolves; { intervalMs }: fsync dirty partitions that often;
 * 'never': leave it to the OS (Kafka's default, which relies on replication instead).
 */
export type FsyncPolicy = 'always' | 'never' | { readonly intervalMs: number };

export interface PartitionSettings {
  readonly fsync: FsyncPolicy;
  /** Roll to a new segment once the active one would grow beyond this (Kafka: segment.bytes). */
  readonly segmentBytes: number;
  /** Delete the oldest segments while the rest still hold this much (Kafka: retention.bytes). */
  readonly retentionBytes?: number;
  /** Delete segments whose newest record is older than this (Kafka: retention.ms). */
  readonly retentionMs?: number;
}

interface PendingAppend {
  readonly records: readonly ProduceRecord[];
  readonly timestamps: readonly number[];
  /** Framed size of the records. */
  readonly bytes: number;
  resolve(firstOffset: number): void;
  reject(err: unknown): void;
}

/** Where a reader stopped, so its next read continues without an index lookup. */
interface FileReadHint {
  readonly segment: Segment;
  readonly cursor: SegmentCursor;
  readonly offset: number;
}

export class FilePartition implements ReadablePartition {
  readonly appended = new AppendSignal();
  private pending: PendingAppend[] = [];
  private writerScheduled = false;
  /** The serial queue: writes, rolls, syncs, retention and close run one at a time. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Written but not yet fsynced (for the interval policy). */
  private dirty = false;
  private closedBecause: Error | undefined;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly dir: string,
    private readonly settings: PartitionSettings,
    private readonly segments: Segment[],
  ) {}

  static async create(
    dir: string,
    topic: string,
    partition: number,
    settings: PartitionSettings,
  ): Promise<FilePartition> {
    await mkdir(dir, { recursive: true });
    const segment = await Segment.create(dir, 0);
    return new FilePartition(topic, partition, dir, settings, [segment]);
  }

  /** Opens the partition's segments, recovering the last one (see Segment.load). */
  static async open(
    dir: string,
    topic: string,
    partition: number,
    settings: PartitionSettings,
  ): Promise<{ partition: FilePartition; truncatedBytes: number }> {
    const names = await readdir(dir);
    const bases = names
      .filter((n) => n.endsWith(LOG_SUFFIX) && !n.startsWith(TEMP_PREFIX))
      .map((n) => Number(n.slice(0, -LOG_SUFFIX.length)))
      .filter((n) => Number.isSafeInteger(n) && n >= 0)
      .sort((a, b) => a - b);
    const baseNames = new Set(bases.map((b) => String(b).padStart(20, '0')));
    // Leftovers of a crash: temporary files, and indexes whose segment retention already deleted.
    for (const name of names) {
      const orphanIndex =
        name.endsWith(INDEX_SUFFIX) && !baseNames.has(name.slice(0, -INDEX_SUFFIX.length));
      if (name.startsWith(TEMP_PREFIX) || orphanIndex) await rm(`${dir}/${name}`, { force: true });
    }
    const sync = settings.fsync !== 'never';
    const segments: Segment[] = [];
    let truncatedBytes = 0;
    for (let i = 0; i < bases.length; i++) {
      const loaded = await Segment.load(dir, bases[i]!, { last: i === bases.length - 1, sync });
      segments.push(loaded.segment);
      truncatedBytes += loaded.truncatedBytes;
    }
    if (segments.length === 0) segments.push(await Segment.create(dir, 0));
    return { partition: new FilePartition(topic, partition, dir, settings, segments), truncatedBytes };
  }

  beginningOffset(): number {
    return this.segments[0]!.baseOffset;
  }

  endOffset(): number {
    return this.active.nextOffset;
  }

  /** Total bytes in the partition's segments. */
  sizeBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.size, 0);
  }

  /**
   * Appends records (all for this partition); resolves with the first one's offset once they
   * are durable per the fsync policy.
   */
  append(records: readonly ProduceRecord[], timestamps: readonly number[]): Promise<number> {
    if (this.closedBecause !== undefined) return Promise.reject(this.closedBecause);
    let bytes = 0;
    for (const record of records) {
      const size = frameSize(record);
      // Checked here, not in the grouped write, so that it fails this append alone.
      if (size - FRAME_HEADER_BYTES > MAX_BODY_BYTES) {
        return Promise.reject(new RangeError(`A record of ${size} bytes is larger than the log accepts.`));
      }
      bytes += size;
    }
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ records, timestamps, bytes, resolve, reject });
      if (!this.writerScheduled) {
        this.writerScheduled = true;
        void this.serial(() => {
          this.writerScheduled = false;
          return this.writePending();
        });
      }
    });
  }

  async read(offset: number, maxRecords: number, hint: unknown): Promise<ReadResult> {
    const end = this.endOffset();
    // A closed (deleted) partition has nothing more to give: skip to its end so readers settle.
    if (this.closedBecause !== undefined) return { records: [], nextOffset: Math.max(offset, end) };
    let from = Math.max(offset, this.beginningOffset());
    if (from >= end) return { records: [], nextOffset: from };
    let segment: Segment;
    let cursor: SegmentCursor;
    const previous = hint as FileReadHint | undefined;
    if (previous !== undefined && previous.offset === from && !previous.segment.isRetired) {
      segment = previous.segment;
      cursor = previous.cursor;
    } else {
      segment = this.segmentFor(from);
      cursor = { position: segment.positionFor(from) };
    }
    const records: LogRecord[] = [];
    while (records.length < maxRecords) {
      const wanted = maxRecords - records.length;
      const found = await segment.readRecords(cursor, from, wanted, this.topic, this.partition);
      if (found === undefined) {
        // Retention deleted the segment under us: continue from wherever the log now begins.
        from = Math.max(from, this.beginningOffset());
        segment = this.segmentFor(from);
        cursor = { position: segment.positionFor(from) };
        continue;
      }
      for (const record of found) records.push(record);
      if (records.length > 0) from = records[records.length - 1]!.offset + 1;
      if (records.length >= maxRecords || cursor.position < segment.size) break;
      const next = this.segments[this.segments.indexOf(segment) + 1];
      if (next === undefined) break;
      segment.releaseIdleHandle().catch(() => undefined);
      segment = next;
      cursor = { position: 0 };
      from = Math.max(from, next.baseOffset);
    }
    const nextOffset = records.length > 0 ? from : Math.max(from, end);
    return { records, nextOffset, hint: { segment, cursor, offset: nextOffset } satisfies FileReadHint };
  }

  /** Fsyncs what was written since the last sync (the interval policy's tick). */
  flush(): Promise<void> {
    return this.serial(async () => {
      if (!this.dirty || this.closedBecause !== undefined) return;
      this.dirty = false;
      await this.active.sync();
    });
  }

  /** Deletes whole old segments beyond retention.bytes / retention.ms; never the active one. */
  enforceRetention(now = Date.now()): Promise<number> {
    return this.serial(() => this.deleteExpiredSegments(now));
  }

  /** Syncs, saves the active segment's index and closes the files. */
  close(): Promise<void> {
    return this.shutDown(new LogClosedError(`Partition ${this.topic}-${this.partition}`), true);
  }

  /** Stops the partition for deletion: pending appends fail, files are closed, not saved. */
  closeForDeletion(reason: Error): Promise<void> {
    return this.shutDown(reason, false);
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  private async shutDown(reason: Error, save: boolean): Promise<void> {
    // A deleted partition refuses appends at once; a closing one first writes those already
    // queued (they were accepted before close was called).
    if (!save) this.closedBecause ??= reason;
    await this.serial(async () => {
      this.closedBecause ??= reason;
      for (const p of this.pending.splice(0)) p.reject(reason);
      if (save) {
        const sync = this.settings.fsync !== 'never';
        if (sync && this.dirty) await this.active.sync();
        await this.active.saveIndex(sync);
      }
      for (const segment of this.segments) await segment.close();
    });
    this.appended.notify();
  }

  /** The segment holding `offset` (or the first one after a gap). */
  private segmentFor(offset: number): Segment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo]!;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async writePending(): Promise<void> {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    if (this.closedBecause !== undefined) {
      for (const p of batch) p.reject(this.closedBecause);
      return;
    }
    try {
      const firstOffsets = await this.writeBatch(batch);
      batch.forEach((p, i) => p.resolve(firstOffsets[i]!));
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    this.appended.notify();
  }

  private async writeBatch(batch: readonly PendingAppend[]): Promise<number[]> {
    let bytes = 0;
    for (const p of batch) bytes += p.bytes;
    if (this.active.size > 0 && this.active.size + bytes > this.settings.segmentBytes) await this.roll();
    const segment = this.active;
    const buffer = Buffer.allocUnsafe(bytes);
    const frameStarts: number[] = [];
    const firstOffsets: number[] = [];
    let offset = segment.nextOffset;
    let position = 0;
    let maxTimestamp = Number.NEGATIVE_INFINITY;
    for (const p of batch) {
      firstOffsets.push(offset);
      p.records.forEach((record, i) => {
        const timestamp = p.timestamps[i]!;
        frameStarts.push(position);
        position = encodeFrame(buffer, position, record, offset++, timestamp);
        if (timestamp > maxTimestamp) maxTimestamp = timestamp;
      });
    }
    try {
      await segment.write(buffer);
    } catch (err) {
      await this.discardFailedWrite(segment, err);
      throw err;
    }
    if (this.settings.fsync === 'always') {
      try {
        await segment.sync();
      } catch (err) {
        // After a failed fsync the kernel may have dropped the dirty pages: what the file holds
        // is unknown, so the partition stops rather than acknowledge anything on top of it.
        this.stopAfterFailure(err);
        await this.discardFailedWrite(segment, err);
        throw err;
      }
    } else {
      this.dirty = true;
    }
    segment.commitAppend(bytes, frameStarts, firstOffsets[0]!, maxTimestamp);
    return firstOffsets;
  }

  /** Cuts off what a failed write may have left, so the file ends at the last acknowledged record. */
  private async discardFailedWrite(segment: Segment, err: unknown): Promise<void> {
    try {
      await segment.discardUncommitted();
    } catch {
      this.stopAfterFailure(err);
    }
  }

  private stopAfterFailure(err: unknown): void {
    this.closedBecause ??= new Error(
      `Partition ${this.topic}-${this.partition} stopped after a failed write: ${String(err)}`,
    );
  }

  private async roll(): Promise<void> {
    const sync = this.settings.fsync !== 'never';
    const sealed = this.active;
    if (sync) await sealed.sync();
    this.dirty = false;
    await sealed.saveIndex(sync);
    const next = await Segment.create(this.dir, sealed.nextOffset);
    if (sync) await syncDirectory(this.dir);
    this.segments.push(next);
    await this.deleteExpiredSegments(Date.now());
  }

  private async deleteExpiredSegments(now: number): Promise<number> {
    const { retentionBytes, retentionMs } = this.settings;
    let excessBytes = retentionBytes === undefined ? 0 : this.sizeBytes() - retentionBytes;
    const expired: Segment[] = [];
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const tooOld = retentionMs !== undefined && oldest.maxTimestamp < now - retentionMs;
      const tooBig = retentionBytes !== undefined && excessBytes - oldest.size >= 0;
      if (!tooOld && !tooBig) break;
      excessBytes -= oldest.size;
      expired.push(this.segments.shift()!);
    }
    for (const segment of expired) await segment.retire();
    return expired.length;
  }
}
