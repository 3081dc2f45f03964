/**
 * Time windows as Kafka Streams' TimeWindows assigns them: aligned to the epoch, `end` exclusive
 * (start + size), a hopping window never starting below 0; and the stream time that decides
 * when a window closes (window end + grace) per task.
 */
import type { WindowBounds } from '../../serde/types.js';
import type { WindowSpec } from '../../planner/aggregate-planner.js';

/** TimeWindows.windowsFor: every window containing `timestamp`, in increasing start order. */
export function windowsFor(spec: WindowSpec, timestamp: number): WindowBounds[] {
  const { sizeMs, advanceMs } = spec;
  let start = Math.floor(Math.max(0, timestamp - sizeMs + advanceMs) / advanceMs) * advanceMs;
  const out: WindowBounds[] = [];
  while (start <= timestamp) {
    out.push({ start, end: start + sizeMs });
    start += advanceMs;
  }
  return out;
}

/**
 * The highest timestamp seen per task (Kafka Streams' observed stream time). A window is still
 * open while its end is after stream time minus the grace period.
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
