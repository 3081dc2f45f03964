/** What every TopicReader checks of poll()'s options before it reads. */
import type { PollOptions } from './topic-log.js';

/** Kafka's max.poll.records default. */
export const DEFAULT_MAX_POLL_RECORDS = 500;

/** The poll's record limit; throws the abort reason, or RangeError for a bad maxRecords. */
export function pollRecordLimit(opts: PollOptions): number {
  opts.signal?.throwIfAborted();
  const maxRecords = opts.maxRecords ?? DEFAULT_MAX_POLL_RECORDS;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) {
    throw new RangeError(`maxRecords must be a positive integer, got ${maxRecords}.`);
  }
  return maxRecords;
}
