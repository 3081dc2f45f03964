/**
 * The consumer side shared by every TopicLog: assignment, start positions, positions/seek,
 * commit, and poll's wait for data. Storage specifics stay behind ReadablePartition.
 */
import type { AppendSignal } from './append-signal.js';
import { LogClosedError, UnknownPartitionError } from './errors.js';
import { pollRecordLimit } from './poll-options.js';
import type {
  LogRecord,
  PollOptions,
  ReaderOptions,
  StartPosition,
  TopicPartition,
  TopicPartitionOffset,
  TopicReader,
} from './topic-log.js';


export interface ReadResult {
  readonly records: LogRecord[];
  /** The offset to read next: after the last record, or past a gap or deleted records. */
  readonly nextOffset: number;
  /** Opaque storage state that makes the next sequential read cheap (e.g. a file position). */
  readonly hint?: unknown;
}

/** One partition as a reader sees it. */
export interface ReadablePartition {
  readonly topic: string;
  readonly partition: number;
  /** First offset still stored. */
  beginningOffset(): number;
  /** Next offset to be written; records below it are readable. */
  endOffset(): number;
  /**
   * Up to `maxRecords` records from `offset` on, in order. When `offset` is below the
   * beginning (retention removed it), reading starts at the beginning, like
   * auto.offset.reset=earliest. Returns [] only when there is nothing at or after `offset`.
   */
  read(offset: number, maxRecords: number, hint: unknown): Promise<ReadResult>;
  /** Fires after each append that made records readable (and when the partition goes away). */
  readonly appended: AppendSignal;
}

/** What a reader needs from the log that opened it. */
export interface ReaderHost {
  readonly description: string;
  /** The partitions of a topic; throws UnknownTopicError. */
  partitionsOf(topic: string): readonly ReadablePartition[];
  committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]>;
  commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  readerClosed(reader: LogReader): void;
}

interface Assignment {
  readonly source: ReadablePartition;
  position: number;
  hint: unknown;
  /** Bumped by seek so that a read started before the seek does not move the position. */
  version: number;
}

type WaitOutcome = 'data' | 'timeout' | 'closed';

export async function openLogReader(host: ReaderHost, opts: ReaderOptions): Promise<LogReader> {
  if (opts.membership === 'shared' && opts.groupId === undefined) {
    throw new Error("A reader with 'shared' membership needs a groupId.");
  }
  const sources = assignedPartitions(host, opts);
  const positions = await startPositions(host, sources, opts.start, opts.groupId);
  const reader = new LogReader(
    host,
    opts.groupId,
    sources.map((source, i) => ({ source, position: positions[i]!, hint: undefined, version: 0 })),
  );
  // A single-process log never rebalances: the first assignment is the only one.
  await opts.onAssignmentChange?.({ assigned: reader.assignment(), revoked: [] });
  return reader;
}

function assignedPartitions(host: ReaderHost, opts: ReaderOptions): ReadablePartition[] {
  const byTopic = new Map<string, readonly ReadablePartition[]>();
  for (const topic of opts.topics) {
    if (!byTopic.has(topic)) byTopic.set(topic, host.partitionsOf(topic));
  }
  if (opts.partitions === undefined) return [...byTopic.values()].flat();
  const chosen: ReadablePartition[] = [];
  for (const { topic, partition } of opts.partitions) {
    const partitions = byTopic.get(topic) ?? host.partitionsOf(topic);
    const source = partitions[partition];
    if (source === undefined) throw new UnknownPartitionError(topic, partition);
    if (!chosen.includes(source)) chosen.push(source);
  }
  return chosen;
}

async function startPositions(
  host: ReaderHost,
  sources: readonly ReadablePartition[],
  start: StartPosition,
  groupId: string | undefined,
): Promise<number[]> {
  if (start === 'earliest') return sources.map((s) => s.beginningOffset());
  if (start === 'latest') return sources.map((s) => s.endOffset());
  if ('committed' in start) {
    if (groupId === undefined) throw new Error("A reader starting at 'committed' needs a groupId.");
    const committed = new Map<string, number>();
    for (const topic of new Set(sources.map((s) => s.topic))) {
      for (const c of await host.committedOffsets(groupId, topic)) {
        committed.set(partitionKey(c.topic, c.partition), c.offset);
      }
    }
    const reset = start.resetTo ?? 'latest';
    return sources.map((s) => {
      const offset = committed.get(partitionKey(s.topic, s.partition));
      if (offset !== undefined) return clampToLog(s, offset);
      return reset === 'earliest' ? s.beginningOffset() : s.endOffset();
    });
  }
  const explicit = new Map<string, number>();
  for (const o of start.offsets) explicit.set(partitionKey(o.topic, o.partition), o.offset);
  return sources.map((s) => {
    const offset = explicit.get(partitionKey(s.topic, s.partition));
    return offset === undefined ? s.beginningOffset() : clampToLog(s, offset);
  });
}

/** Out-of-range positions reset like Kafka's auto.offset.reset: below → earliest, above → latest. */
function clampToLog(source: ReadablePartition, offset: number): number {
  return Math.min(Math.max(offset, source.beginningOffset()), source.endOffset());
}

function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

export class LogReader implements TopicReader {
  private closed = false;
  private polling = false;
  /** Which partition a fetch starts with, rotated so that no partition starves the others. */
  private rotation = 0;
  private wakeWaiterForClose: (() => void) | undefined;

  constructor(
    private readonly host: ReaderHost,
    private readonly groupId: string | undefined,
    private readonly assignments: Assignment[],
  ) {}

  async poll(opts: PollOptions = {}): Promise<LogRecord[]> {
    if (this.closed) throw new LogClosedError('The reader');
    if (this.polling) throw new Error('poll() is already in progress on this reader.');
    const maxRecords = pollRecordLimit(opts);
    const deadline = performance.now() + Math.max(0, opts.maxWaitMs ?? 0);
    this.polling = true;
    try {
      while (true) {
        const hadData = this.assignments.some((a) => this.hasData(a));
        const before = this.assignments.map((a) => a.position);
        const records = await this.fetch(maxRecords);
        if (records.length > 0 || this.closed) return records;
        const remaining = deadline - performance.now();
        if (remaining <= 0) return records;
        // If the fetch found nothing where data seemed to be and moved no position, waiting
        // for "data available" would return at once and spin: wait for the next append instead.
        const stuck = hadData && this.assignments.every((a, i) => a.position === before[i]);
        const outcome = await this.waitForData(remaining, opts.signal, stuck);
        if (outcome === 'closed') return [];
        if (outcome === 'timeout') return this.fetch(maxRecords);
      }
    } finally {
      this.polling = false;
    }
  }

  assignment(): TopicPartition[] {
    return this.assignments.map((a) => ({ topic: a.source.topic, partition: a.source.partition }));
  }

  positions(): TopicPartitionOffset[] {
    return this.assignments.map((a) => ({
      topic: a.source.topic,
      partition: a.source.partition,
      offset: a.position,
    }));
  }

  seek(topic: string, partition: number, offset: number): void {
    if (!Number.isInteger(offset) || offset < 0) {
      throw new RangeError(`Cannot seek to offset ${offset}: offsets are non-negative integers.`);
    }
    const assignment = this.assignments.find(
      (a) => a.source.topic === topic && a.source.partition === partition,
    );
    if (assignment === undefined) {
      throw new Error(`Partition ${topic}-${partition} is not assigned to this reader.`);
    }
    assignment.position = offset;
    assignment.hint = undefined;
    assignment.version++;
  }

  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.groupId === undefined) throw new Error('commit() needs a reader opened with a groupId.');
    await this.host.commitOffsets(this.groupId, offsets ?? this.positions());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeWaiterForClose?.();
    this.host.readerClosed(this);
  }

  private hasData(a: Assignment): boolean {
    return a.position < a.source.endOffset() || a.position < a.source.beginningOffset();
  }

  private async fetch(maxRecords: number): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    const count = this.assignments.length;
    for (let i = 0; i < count && out.length < maxRecords && !this.closed; i++) {
      const a = this.assignments[(this.rotation + i) % count]!;
      if (!this.hasData(a)) continue;
      const version = a.version;
      const result = await a.source.read(a.position, maxRecords - out.length, a.hint);
      if (a.version !== version) continue;
      a.position = result.nextOffset;
      a.hint = result.hint;
      for (const record of result.records) out.push(record);
    }
    if (count > 0) this.rotation = (this.rotation + 1) % count;
    return out;
  }

  /**
   * Resolves when an assigned partition has data, the time is up or the reader closes; rejects
   * with the signal's reason on abort. Checks for data synchronously before subscribing, so an
   * append cannot slip in between (unless told to wait for a new append regardless).
   */
  private waitForData(
    ms: number,
    signal: AbortSignal | undefined,
    onlyNewAppends: boolean,
  ): Promise<WaitOutcome> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!onlyNewAppends && this.assignments.some((a) => this.hasData(a))) return Promise.resolve('data');
    return new Promise<WaitOutcome>((resolve, reject) => {
      let settled = false;
      const cleanups: (() => void)[] = [];
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        for (const cleanup of cleanups) cleanup();
        this.wakeWaiterForClose = undefined;
        finish();
      };
      for (const a of this.assignments) {
        cleanups.push(a.source.appended.subscribe(() => settle(() => resolve('data'))));
      }
      const timer = setTimeout(() => settle(() => resolve('timeout')), ms);
      cleanups.push(() => clearTimeout(timer));
      if (signal !== undefined) {
        const onAbort = (): void => settle(() => reject(signal.reason));
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
      this.wakeWaiterForClose = () => settle(() => resolve('closed'));
    });
  }
}
