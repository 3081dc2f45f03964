/**
 * One reader over several inputs (topics) that hands their records over in timestamp order, as
 * a Kafka Streams task does with its input partitions (PartitionGroup): the partition whose next
 * record has the smallest timestamp goes first, ties go to the input with the lower priority
 * number, and records of one partition keep their offset order.
 *
 * The order is only decided when every input is either buffered or caught up: while an input
 * has nothing buffered but the log holds records it has not fetched yet (its position is below
 * the end offsets), the reader fetches them before it hands anything over, so a stream record is
 * never processed ahead of a table update with a smaller timestamp that is already in the log
 * (Kafka Streams' max.task.idle.ms=0 behaviour). "Caught up" must be judged after the record to
 * hand over was fetched: a table update appended before a stream record is then always seen
 * first, even while producers keep appending. Like Kafka Streams, the reader waits as long as
 * records it knows of are still to be fetched; only an input that stays behind without yielding
 * anything for `maxLagWaitMs` (a minute by default) is treated as caught up, with a warning, so
 * a stalled input cannot stop the other for good.
 *
 * Positions and commits are those of the records handed over, not of what was fetched.
 */
import type { LogRecord, PollOptions, TopicLog, TopicPartition, TopicPartitionOffset, TopicReader } from '../../log/topic-log.js';

export interface OrderedInput {
  readonly reader: TopicReader;
  readonly topic: string;
  /** The event time a record is ordered by. */
  readonly timestampOf: (record: LogRecord) => number;
  /** Lower wins ties between inputs (a stream-table join puts the table first). */
  readonly priority: number;
}

interface Buffered {
  readonly record: LogRecord;
  readonly timestamp: number;
  /** The reader's clock when the record was fetched. */
  readonly fetchedAt: number;
}

interface InputState {
  readonly input: OrderedInput;
  /** Fetched records not handed over yet, per partition, in offset order. */
  readonly buffers: Map<number, Buffered[]>;
  buffered: number;
  /** The next offset to hand over, per partition. */
  readonly positions: Map<number, number>;
  /** The outstanding poll of the underlying reader, if any. */
  pending?: Promise<void>;
  failure?: unknown;
  /** Since when the input has been behind without yielding records (for maxLagWaitMs). */
  lagSince?: number;
}

const FETCH_SIZE = 1000;
/** Polls in flight stay short, so waiting for one to settle the order never takes long. */
const LAG_POLL_MS = 20;
const IDLE_POLL_MS = 50;

export class TimestampOrderedReader implements TopicReader {
  private readonly states: InputState[];
  private closed = false;
  /** Orders fetches and end-offset reads: a check made at clock c covers fetches before c. */
  private clock = 0;

  constructor(
    private readonly log: TopicLog,
    inputs: readonly OrderedInput[],
    private readonly maxLagWaitMs = 60_000,
    /** Told when an input is passed over although it is behind (after maxLagWaitMs). */
    private readonly onLagTimeout: (topic: string) => void = () => {},
  ) {
    this.states = inputs.map((input) => ({
      input,
      buffers: new Map(),
      buffered: 0,
      positions: new Map(input.reader.positions().map((p) => [p.partition, p.offset])),
    }));
  }

  assignment(): TopicPartition[] {
    return this.states.flatMap((s) => s.input.reader.assignment());
  }

  positions(): TopicPartitionOffset[] {
    return this.states.flatMap((s) => [...s.positions].map(([partition, offset]) => ({ topic: s.input.topic, partition, offset })));
  }

  seek(): void {
    throw new Error('A timestamp-ordered reader cannot seek.');
  }

  /** Commits the handed-over positions (or the given offsets) through each input's own reader. */
  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    const all = offsets ?? this.positions();
    for (const s of this.states) {
      const own = all.filter((o) => o.topic === s.input.topic);
      if (own.length > 0) await s.input.reader.commit(own);
    }
  }

  /** True when every input has handed over everything its topic held when asked. */
  async caughtUp(): Promise<boolean> {
    for (const s of this.states) {
      if (s.buffered > 0) return false;
      const ends = await this.log.endOffsets(s.input.topic);
      if (!s.input.reader.positions().every((p) => p.offset >= (ends[p.partition] ?? 0))) return false;
    }
    return true;
  }

  async poll(opts: PollOptions = {}): Promise<LogRecord[]> {
    const maxRecords = opts.maxRecords ?? 500;
    const deadline = Date.now() + (opts.maxWaitMs ?? 0);
    // Empty inputs found caught up, with the clock of the end offsets that showed it: they are
    // not asked again unless a record fetched later is to be handed over.
    const settled = new Map<InputState, number>();
    const out: LogRecord[] = [];
    while (!this.closed && out.length < maxRecords) {
      opts.signal?.throwIfAborted();
      const lagging: InputState[] = [];
      for (const s of this.states) {
        if (s.failure !== undefined) throw s.failure;
        if (s.buffered > 0 || settled.has(s)) continue;
        // A poll in flight may hold the records that decide the order: wait for it (it is short).
        await (s.pending ?? this.fetch(s, 0));
        if (s.buffered > 0) continue;
        const checkedAt = await this.settledEmpty(s);
        if (checkedAt !== undefined) settled.set(s, checkedAt);
        else lagging.push(s);
      }
      if (lagging.length > 0) {
        // Nothing is handed over while an input may still hold earlier records: fetch them first.
        if (out.length > 0) return out;
        await withAbort(Promise.race(lagging.map((s) => s.pending ?? this.fetch(s, LAG_POLL_MS))), opts.signal);
        continue;
      }
      const next = this.earliestHead();
      if (next) {
        const stale = [...settled].filter(([s, checkedAt]) => s.buffered === 0 && checkedAt <= next.entry.fetchedAt);
        if (stale.length > 0) {
          // Judged before this record was fetched: records appended to them since may come first.
          for (const [s] of stale) settled.delete(s);
          continue;
        }
        out.push(this.take(next.state, next.partition));
        continue;
      }
      // Everything is handed over: wait for new records on any input until the deadline.
      if (out.length > 0) return out;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return out;
      await withAbort(Promise.race(this.states.map((s) => s.pending ?? this.fetch(s, Math.min(remaining, IDLE_POLL_MS)))), opts.signal);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.states.map((s) => s.input.reader.close().catch(() => undefined)));
  }

  /**
   * The clock of an end-offsets read showing that the empty input has fetched everything, or
   * (after it has been behind for longer than maxLagWaitMs) of now; undefined while it is behind.
   */
  private async settledEmpty(s: InputState): Promise<number | undefined> {
    const checkedAt = ++this.clock;
    const ends = await this.log.endOffsets(s.input.topic);
    if (s.input.reader.positions().every((p) => p.offset >= (ends[p.partition] ?? 0))) {
      delete s.lagSince;
      return checkedAt;
    }
    const now = Date.now();
    s.lagSince ??= now;
    if (now - s.lagSince < this.maxLagWaitMs) return undefined;
    this.onLagTimeout(s.input.topic);
    delete s.lagSince;
    return checkedAt;
  }

  /** Polls the input's reader (one poll at a time per reader) and buffers what it returns. */
  private fetch(s: InputState, waitMs: number): Promise<void> {
    s.pending ??= s.input.reader
      .poll({ maxRecords: FETCH_SIZE, maxWaitMs: waitMs })
      .then((records) => {
        if (records.length === 0) return;
        delete s.lagSince;
        const fetchedAt = ++this.clock;
        for (const record of records) {
          let buffer = s.buffers.get(record.partition);
          if (!buffer) s.buffers.set(record.partition, (buffer = []));
          buffer.push({ record, timestamp: s.input.timestampOf(record), fetchedAt });
        }
        s.buffered += records.length;
      })
      .catch((err: unknown) => {
        if (!this.closed) s.failure = err;
      })
      .finally(() => delete s.pending);
    return s.pending;
  }

  /** The buffered partition head with the smallest timestamp (ties: input priority, then partition). */
  private earliestHead(): { state: InputState; partition: number; entry: Buffered } | undefined {
    let best: { state: InputState; partition: number; entry: Buffered } | undefined;
    for (const state of this.states) {
      for (const [partition, buffer] of state.buffers) {
        const entry = buffer[0];
        if (!entry) continue;
        const better =
          !best ||
          entry.timestamp < best.entry.timestamp ||
          (entry.timestamp === best.entry.timestamp &&
            (state.input.priority < best.state.input.priority || (state.input.priority === best.state.input.priority && partition < best.partition)));
        if (better) best = { state, partition, entry };
      }
    }
    return best;
  }

  private take(state: InputState, partition: number): LogRecord {
    const { record } = state.buffers.get(partition)!.shift()!;
    state.buffered--;
    state.positions.set(record.partition, record.offset + 1);
    return record;
  }
}

/** Waits for `work` unless the signal aborts first (then rejects with its reason). */
async function withAbort(work: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) {
    await work;
    return;
  }
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}
