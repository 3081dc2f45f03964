/**
 * Wakes readers waiting for data on a partition. Waiters are one-shot so that a reader that
 * stopped waiting (timeout, abort, close) leaves nothing behind.
 */
export class AppendSignal {
  private readonly waiters = new Set<() => void>();

  /** Calls `wake` once, at the next notify(); the returned function cancels the wait. */
  subscribe(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => {
      this.waiters.delete(wake);
    };
  }

  notify(): void {
    if (this.waiters.size === 0) return;
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const wake of woken) wake();
  }
}
