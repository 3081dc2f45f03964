/**
 * EMIT FINAL: ksqlDB 0.29 puts Kafka Streams' `suppress(Suppressed.untilWindowCloses(unbounded()))`
 * after the aggregation's HAVING and projection (TableSuppressBuilder). The suppression buffer
 * keeps each window's latest change and, once stream time reaches the window's end plus the
 * suppression duration, forwards it if it is a row (tombstones, e.g. a group that no longer
 * passes HAVING or a session merged into another, are dropped), stamped with that change's
 * timestamp. The suppression duration is the window's grace period, plus the inactivity gap for
 * session windows (GraphGraceSearchUtil), so a closed window can no longer change.
 *
 * Instead of a buffer, this reads the closing windows from the aggregate store itself: their
 * latest state is the latest change. A window is final in the batch in which its task's stream
 * time passes its close time; stream time is in the store's changelog and commits in the same
 * transaction as the final rows, so a restarted query emits exactly the windows that close
 * after the restored stream time: none twice, none missed.
 */
import type { WindowSpec } from '../../planner/aggregate-planner.js';
import type { WindowBounds } from '../../serde/types.js';
import type { StoreEntry } from '../state/key-value-store.js';
import type { Value } from '../../values/value.js';
import type { AggregateStore, GroupState } from './aggregate-store.js';

/** A closed window's final row. */
export interface FinalRow {
  readonly storeKey: Buffer;
  readonly state: GroupState;
  readonly values: Value[];
}

/** How long after its end a window's result is final (the suppression duration). */
export function suppressionMs(spec: WindowSpec): number {
  return spec.type === 'SESSION' ? spec.graceMs + spec.gapMs : spec.graceMs;
}

export class FinalResults {
  private readonly delayMs: number;
  private streamTimeBefore = new Map<number, number>();

  constructor(
    private readonly store: AggregateStore,
    spec: WindowSpec,
  ) {
    this.delayMs = suppressionMs(spec);
  }

  /** Remembers each task's stream time before a batch. */
  beginBatch(): void {
    this.streamTimeBefore = new Map(this.store.streamTime.entries());
  }

  /**
   * The rows of the windows that became final during the batch, by window end then key (the
   * order of the suppression buffer, which is sorted by buffer time, the window end); a window
   * whose final aggregate `project` rejects (HAVING) has none. Call before expire().
   */
  closedRows(project: (state: GroupState) => Value[] | null): FinalRow[] {
    // Windows close only as stream time advances: without that, none can have closed.
    if (this.store.streamTime.entries().every(([partition, time]) => this.streamTimeBefore.get(partition) === time)) return [];
    const closed: StoreEntry<GroupState>[] = [];
    for (const entry of this.store.inMemory()) {
      const window = entry.value.window;
      if (window && this.closedDuringBatch(window, entry.value.partition)) closed.push(entry);
    }
    closed.sort((a, b) => a.value.window!.end - b.value.window!.end || Buffer.compare(a.key, b.key));
    const rows: FinalRow[] = [];
    for (const { key, value: state } of closed) {
      const values = project(state);
      if (values !== null) rows.push({ storeKey: key, state, values });
    }
    return rows;
  }

  private closedDuringBatch(window: WindowBounds, partition: number): boolean {
    const before = this.streamTimeBefore.get(partition) ?? -1;
    const now = this.store.streamTime.get(partition);
    // KTableSuppressProcessor evicts while bufferTime <= streamTime - suppressDuration.
    return window.end <= now - this.delayMs && window.end > before - this.delayMs;
  }
}
