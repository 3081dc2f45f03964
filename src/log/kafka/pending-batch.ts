/**
 * One fetched batch of one partition waiting to be handed out by poll(). kafkajs' eachBatch
 * handler waits on `settled` before it returns, which is the reader's backpressure: kafkajs
 * fetches the partition again only after the handler returned.
 */
import type { LogRecord } from '../topic-log.js';

/** Why a batch stopped waiting: all records handed out, or dropped (and by what). */
export type BatchOutcome = 'drained' | 'seek' | 'dropped';

export class PendingBatch {
  private next = 0;
  private outcomeValue: BatchOutcome | undefined;
  private settle!: () => void;
  readonly settled = new Promise<void>((resolve) => {
    this.settle = resolve;
  });

  constructor(
    private readonly records: readonly LogRecord[],
    /** The offset after the batch, past any control or aborted records that end it. */
    readonly endOffset: number,
  ) {}

  get outcome(): BatchOutcome | undefined {
    return this.outcomeValue;
  }

  get remaining(): number {
    return this.outcomeValue === undefined ? this.records.length - this.next : 0;
  }

  /** Offset of the last record handed out, if any. */
  get lastTakenOffset(): number | undefined {
    return this.next === 0 ? undefined : this.records[this.next - 1]!.offset;
  }

  /** Hands out up to `max` records; the batch is drained when the last one goes. */
  take(max: number): LogRecord[] {
    if (this.outcomeValue !== undefined) return [];
    const taken = this.records.slice(this.next, this.next + max);
    this.next += taken.length;
    if (this.next >= this.records.length) this.finish('drained');
    return taken;
  }

  finish(outcome: BatchOutcome): void {
    if (this.outcomeValue !== undefined) return;
    this.outcomeValue = outcome;
    this.settle();
  }
}
