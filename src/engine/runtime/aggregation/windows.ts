/**
 * Windows as Kafka Streams assigns them, and the stream time that decides when they close:
 *
 * - time windows (TimeWindows): aligned to the epoch, `end` exclusive (start + size), a hopping
 *   window never starting below 0; a window is open while its end is after stream time minus
 *   grace;
 * - session windows (SessionWindows): `end` inclusive, a record alone makes the session
 *   [timestamp, timestamp]; a record joins (and so merges) every session of its key that ends
 *   at least `timestamp - gap` and starts at most `timestamp + gap`; a session is open while
 *   its end is not before stream time minus grace.
 */
import type { WindowBounds } from '../../serde/types.js';
import type { SessionWindowSpec, TimeWindowSpec, WindowSpec } from '../../planner/aggregate-planner.js';

/** TimeWindows.windowsFor: every window containing `timestamp`, in increasing start order. */
export function windowsFor(spec: TimeWindowSpec, timestamp: number): WindowBounds[] {
  const { sizeMs, advanceMs } = spec;
  let start = Math.floor(Math.max(0, timestamp - sizeMs + advanceMs) / advanceMs) * advanceMs;
  const out: WindowBounds[] = [];
  while (start <= timestamp) {
    out.push({ start, end: start + sizeMs });
    start += advanceMs;
  }
  return out;
}

/** KStreamSessionWindowAggregate's findSessions range: the session is within the gap of `timestamp`. */
export function sessionAccepts(spec: SessionWindowSpec, session: WindowBounds, timestamp: number): boolean {
  return session.end >= timestamp - spec.gapMs && session.start <= timestamp + spec.gapMs;
}

/** The smallest session covering both. */
export function mergeSessionWindows(a: WindowBounds, b: WindowBounds): WindowBounds {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/**
 * The time by which a window store ages a window (its segment timestamp): the start of a time
 * window, the end of a session (SessionKeySchema segments sessions by their end).
 */
export function windowStoreTime(spec: WindowSpec, window: WindowBounds): number {
  return spec.type === 'SESSION' ? window.end : window.start;
}

/**
 * The highest timestamp seen per task (Kafka Streams' observed stream time), which closes
 * windows (minus the grace period) and ages them out of the store (minus the retention).
 */
export class StreamTime {
  private readonly byPartition = new Map<number, number>();

  get(partition: number): number {
    return this.byPartition.get(partition) ?? -1;
  }

  /** Advances the partition's stream time; returns the new value. */
  observe(partition: number, timestamp: number): number {
    const next = Math.max(this.get(partition), timestamp);
    this.byPartition.set(partition, next);
    return next;
  }

  entries(): [number, number][] {
    return [...this.byPartition.entries()];
  }
}
