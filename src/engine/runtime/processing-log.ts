/**
 * ksqlDB's processing log: records that could not be processed (bad bytes, failing
 * expressions, unusable timestamps) are skipped and reported. Reports are rate-limited per
 * query, so a topic full of bad records cannot turn logging into the bottleneck: the first
 * entries are logged in full, later ones as periodic summaries with the running count.
 */
import type { Logger } from 'pino';
import type { LogRecord } from '../../log/topic-log.js';

const FULL_ENTRIES = 20;
const SUMMARY_EVERY = 10_000;

export class ProcessingLog {
  private count = 0;

  constructor(
    private readonly logger: Logger,
    private readonly queryId: string,
  ) {}

  get errors(): number {
    return this.count;
  }

  report(error: unknown, record: LogRecord, stage: string): void {
    this.count++;
    if (this.count > FULL_ENTRIES && this.count % SUMMARY_EVERY !== 0) return;
    this.logger.warn(
      {
        queryId: this.queryId,
        stage,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        err: error instanceof Error ? error.message : String(error),
        errorsSoFar: this.count,
      },
      this.count === FULL_ENTRIES ? 'processing log: record skipped (further entries summarised)' : 'processing log: record skipped',
    );
  }
}
