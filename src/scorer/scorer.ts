/**
 * The scoring loop: consume the preprocessed stream as a member of a consumer group, score in
 * micro-batches, and write scores and dead letters in one transaction per input partition
 * together with that partition's consumed offsets (consume-transform-produce, exactly once:
 * downstream readers are read_committed).
 *
 * A micro-batch ends at `maxRecords` or `maxWaitMs` after its first record. It is scored by a
 * single model (see ModelSlot), so a model swap falls between two batches. When a partition's
 * transaction fails (fenced by a new owner, broker error), its producer is dropped and the
 * partition rewinds to its committed offset, so nothing is lost or written twice.
 */
import type { Logger } from 'pino';
import type { Value } from '../engine/values/value.js';
import type { LogRecord, ProduceRecord, TopicLog, TopicPartition, TopicReader, TransactionalProducer } from '../log/topic-log.js';
import { inTransaction, ProducerFencedError } from '../log/topic-log.js';
import type { ScorerMetrics } from './metrics.js';
import type { ActiveModel, ModelSlot } from './model-slot.js';
import { deadLetterRecord, scoreRecord } from './output-records.js';
import { PartitionProducers } from './partition-producers.js';

export interface ScorerOptions {
  readonly log: TopicLog;
  readonly inputTopic: string;
  readonly scoresTopic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  readonly transactionalIdPrefix: string;
  readonly batch: { readonly maxRecords: number; readonly maxWaitMs: number };
  /** Features named in each score's explanation. */
  readonly explain: number;
  /** Where a group without committed offsets starts. */
  readonly startFrom: 'earliest' | 'latest';
  readonly models: ModelSlot;
  readonly metrics: ScorerMetrics;
  readonly logger: Logger;
}

export interface ScorerStats {
  readonly recordsIn: number;
  readonly scored: number;
  readonly alerts: number;
  readonly deadLetters: number;
  readonly batches: number;
  readonly failedTransactions: number;
}

/** How long an idle poll waits before checking for shutdown. */
const IDLE_POLL_MS = 200;
const RETRY_BACKOFF_MS = 500;
/** Spacing of the reads that wait for a committed offset to settle. */
const STABLE_OFFSET_READ_MS = 50;

export class Scorer {
  private reader: TopicReader | undefined;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly producers: PartitionProducers;
  private stopping = false;
  private lagTimer: NodeJS.Timeout | undefined;
  private lastLag = new Map<number, number>();
  /** The offset each partition's last transaction of ours committed. */
  private readonly committedByUs = new Map<number, number>();
  private counts = { recordsIn: 0, scored: 0, alerts: 0, deadLetters: 0, batches: 0, failedTransactions: 0 };
  /** Set when the loop stopped on an error it cannot recover from. */
  failure: unknown;

  constructor(private readonly opts: ScorerOptions) {
    this.producers = new PartitionProducers(opts.log, opts.inputTopic, opts.transactionalIdPrefix, opts.logger);
  }

  get stats(): ScorerStats {
    return { ...this.counts };
  }

  /** Input partitions currently assigned. */
  assignment(): TopicPartition[] {
    return this.reader?.assignment() ?? [];
  }

  /** Records not yet scored on the assigned partitions, as of the last lag check. */
  get lag(): number {
    let total = 0;
    for (const v of this.lastLag.values()) total += v;
    return total;
  }

  get running(): boolean {
    return this.loop !== undefined && !this.stopping && this.failure === undefined;
  }

  /** Waits for a model, makes sure the output topics exist, joins the group and starts the loop. */
  async start(): Promise<void> {
    const { log, inputTopic, scoresTopic, deadLetterTopic } = this.opts;
    const input = await log.describeTopic(inputTopic);
    if (input === undefined) throw new Error(`The scorer's input topic '${inputTopic}' does not exist; deploy sql/ first.`);
    // Normally created by sql/ (the scores stream); created here too so the scorer can run alone.
    await log.ensureTopic(scoresTopic, { partitions: input.partitions, replicas: -1 });
    await log.ensureTopic(deadLetterTopic, { partitions: 1, replicas: -1 });
    await this.opts.models.whenLoaded(this.abort.signal);
    this.opts.models.markStarted();
    this.reader = await log.openReader({
      topics: [inputTopic],
      groupId: this.opts.groupId,
      membership: 'shared',
      start: { committed: true, resetTo: this.opts.startFrom },
      onAssignmentChange: async ({ assigned, revoked }) => {
        for (const tp of revoked) {
          this.lastLag.delete(tp.partition);
          this.committedByUs.delete(tp.partition);
          this.opts.metrics.consumerLag.remove({ topic: tp.topic, partition: String(tp.partition) });
          await this.producers.drop(tp.partition);
        }
        // The first call comes while the reader is being opened, with the whole assignment.
        this.opts.metrics.assignedPartitions.set(this.reader?.assignment().length ?? assigned.length);
        this.opts.logger.info({ assigned, revoked }, 'input partitions assignment changed');
      },
    });
    this.opts.metrics.assignedPartitions.set(this.reader.assignment().length);
    await this.updateLag();
    this.lagTimer = setInterval(() => void this.updateLag().catch(() => undefined), 5000).unref();
    this.loop = this.run();
  }

  /** True when the group has committed every record appended to the input so far. */
  async caughtUp(): Promise<boolean> {
    const ends = await this.opts.log.endOffsets(this.opts.inputTopic);
    const committed = await this.opts.log.committedOffsets(this.opts.groupId, this.opts.inputTopic);
    return ends.every((end, p) => end === 0 || (committed.find((c) => c.partition === p)?.offset ?? 0) >= end);
  }

  /** Graceful stop: the batch in progress is finished and committed, then the group is left. */
  async stop(): Promise<void> {
    if (this.stopping) return this.loop;
    this.stopping = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.abort.abort(new Error('scorer stopping'));
    await this.loop;
    await this.producers.closeAll();
    await this.reader?.close();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let records: LogRecord[];
      try {
        records = await this.collectBatch();
      } catch (err) {
        if (this.stopping) break;
        this.opts.logger.error({ err }, 'polling the input failed; retrying');
        await this.sleep(RETRY_BACKOFF_MS);
        continue;
      }
      if (records.length === 0) continue;
      try {
        await this.processBatch(records);
      } catch (err) {
        // Only a bug gets here (transaction failures are handled per partition).
        this.failure = err;
        this.opts.logger.fatal({ err }, 'the scoring loop stopped');
        return;
      }
    }
  }

  /** Up to maxRecords; waits maxWaitMs at most once the first record is there. */
  private async collectBatch(): Promise<LogRecord[]> {
    const { maxRecords, maxWaitMs } = this.opts.batch;
    const reader = this.reader!;
    const first = await reader.poll({ maxRecords, maxWaitMs: IDLE_POLL_MS, signal: this.abort.signal });
    if (first.length === 0 || first.length >= maxRecords || maxWaitMs <= 0) return first;
    const batch = first;
    const deadline = performance.now() + maxWaitMs;
    while (batch.length < maxRecords && !this.stopping) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      let more: LogRecord[];
      try {
        more = await reader.poll({ maxRecords: maxRecords - batch.length, maxWaitMs: remaining, signal: this.abort.signal });
      } catch (err) {
        // Shutting down mid-batch: what was collected is still processed and committed.
        if (this.stopping) break;
        throw err;
      }
      if (more.length === 0) break;
      for (const r of more) batch.push(r);
    }
    return batch;
  }

  private async processBatch(batch: LogRecord[]): Promise<void> {
    const model = this.opts.models.current();
    if (model === undefined) throw new Error('no model is loaded');
    const byPartition = new Map<number, LogRecord[]>();
    for (const r of batch) {
      const list = byPartition.get(r.partition);
      if (list === undefined) byPartition.set(r.partition, [r]);
      else list.push(r);
    }
    // A partition taken over since the last batch: fence first, then resume from what the
    // group has committed (a predecessor may have committed beyond what we read). The producer
    // got here is the one the batch commits with: if a revocation closes it meanwhile, the
    // commit fails rather than a new producer fencing the partition's new owner.
    const producers = new Map<number, TransactionalProducer>();
    for (const [partition, partitionRecords] of byPartition) {
      const { producer, kept } = await this.prepare(partition, partitionRecords);
      if (kept.length === 0) byPartition.delete(partition);
      else {
        byPartition.set(partition, kept);
        producers.set(partition, producer);
      }
    }
    const records = [...byPartition.values()].flat();
    if (records.length === 0) return;
    this.opts.metrics.batchSize.observe(records.length);
    this.opts.metrics.recordsIn.inc(records.length);
    this.counts.recordsIn += records.length;

    const started = performance.now();
    const outputs = this.score(records, model);
    this.opts.metrics.scoringSeconds.observe((performance.now() - started) / 1000);

    await Promise.all(
      [...byPartition].map(async ([partition, partitionRecords]) => {
        const out = outputs.get(partition)!;
        const committed = await this.commitPartition(producers.get(partition)!, partition, partitionRecords, out.scores, out.deadLetters);
        if (!committed) return;
        const now = Date.now();
        for (const r of partitionRecords) this.opts.metrics.endToEndSeconds.observe(Math.max(0, now - r.timestamp) / 1000);
        this.opts.metrics.recordsOut.inc(out.scores.length);
        this.opts.metrics.alerts.inc(out.alerts);
        for (const [reason, n] of out.reasons) this.opts.metrics.deadLetters.inc({ reason }, n);
        this.counts.scored += out.scores.length;
        this.counts.alerts += out.alerts;
        this.counts.deadLetters += out.deadLetters.length;
      }),
    );
    this.counts.batches++;
    await this.updateLag().catch(() => undefined);
  }

  /** Decodes and scores the batch with one model call; per partition, its scores and dead letters. */
  private score(records: readonly LogRecord[], model: ActiveModel) {
    const outputs = new Map<number, { scores: ProduceRecord[]; deadLetters: ProduceRecord[]; alerts: number; reasons: Map<string, number> }>();
    const forPartition = (p: number) => {
      let out = outputs.get(p);
      if (out === undefined) outputs.set(p, (out = { scores: [], deadLetters: [], alerts: 0, reasons: new Map() }));
      return out;
    };
    const good: { record: LogRecord; features: number[]; passthrough: Value[] }[] = [];
    for (const record of records) {
      const out = forPartition(record.partition);
      const decoded = model.decoder.decode(record);
      if (decoded.ok) {
        good.push({ record, features: decoded.features, passthrough: decoded.passthrough });
      } else {
        out.deadLetters.push(deadLetterRecord(record, decoded.reason, decoded.message, model.version));
        out.reasons.set(decoded.reason, (out.reasons.get(decoded.reason) ?? 0) + 1);
      }
    }
    if (good.length > 0) {
      const scores = model.bundle.score(
        good.map((g) => g.features),
        { threshold: model.threshold, explain: this.opts.explain },
      );
      const ctx = { threshold: model.threshold, modelVersion: model.version, scoredAt: Date.now() };
      good.forEach((g, i) => {
        const s = scores[i]!;
        const out = forPartition(g.record.partition);
        out.scores.push(scoreRecord(g.record, g.passthrough, s, ctx));
        if (s.alert) out.alerts++;
      });
    }
    return outputs;
  }

  /**
   * The partition's producer, and the records the group has not committed yet. A producer
   * opened now has just fenced any previous owner, whose last commit may have moved the
   * group's offset beyond the records we hold.
   */
  private async prepare(partition: number, records: LogRecord[]): Promise<{ producer: TransactionalProducer; kept: LogRecord[] }> {
    const { producer, fresh } = await this.producers.get(partition);
    if (!fresh) return { producer, kept: records };
    const committed = await this.stableCommittedOffset(partition);
    if (committed === undefined || committed <= records[0]!.offset) return { producer, kept: records };
    const last = records[records.length - 1]!.offset;
    if (committed > last + 1) this.reader!.seek(this.opts.inputTopic, partition, committed);
    this.opts.logger.info({ partition, committed, first: records[0]!.offset }, 'skipping records a previous owner already scored');
    return { producer, kept: records.filter((r) => r.offset >= committed) };
  }

  private async commitPartition(
    producer: TransactionalProducer,
    partition: number,
    records: readonly LogRecord[],
    scores: ProduceRecord[],
    deadLetters: ProduceRecord[],
  ): Promise<boolean> {
    const nextOffset = records[records.length - 1]!.offset + 1;
    try {
      await inTransaction(producer, async (tx) => {
        if (scores.length > 0) await tx.send(this.opts.scoresTopic, scores);
        if (deadLetters.length > 0) await tx.send(this.opts.deadLetterTopic, deadLetters);
        await tx.sendOffsets(this.opts.groupId, [{ topic: this.opts.inputTopic, partition, offset: nextOffset }]);
      });
      this.committedByUs.set(partition, nextOffset);
      this.opts.metrics.transactions.inc({ outcome: 'committed' });
      return true;
    } catch (err) {
      this.counts.failedTransactions++;
      this.opts.metrics.transactions.inc({ outcome: 'failed' });
      const fenced = err instanceof ProducerFencedError;
      this.opts.logger[fenced ? 'warn' : 'error'](
        { err, partition, records: records.length },
        fenced ? 'another scorer took this partition over; its records are left to it' : 'the transaction failed; the partition rewinds to its committed offset',
      );
      await this.producers.drop(partition);
      await this.rewind(partition);
      if (!fenced) await this.sleep(RETRY_BACKOFF_MS);
      return false;
    }
  }

  /** Back to the group's committed offset, if the partition is still ours. */
  private async rewind(partition: number): Promise<void> {
    const reader = this.reader!;
    if (!reader.assignment().some((tp) => tp.partition === partition)) return;
    try {
      const committed = await this.stableCommittedOffset(partition);
      const beginning = (await this.opts.log.beginningOffsets(this.opts.inputTopic))[partition] ?? 0;
      reader.seek(this.opts.inputTopic, partition, committed ?? (this.opts.startFrom === 'earliest' ? beginning : (await this.opts.log.endOffsets(this.opts.inputTopic))[partition]!));
    } catch (err) {
      this.opts.logger.error({ err, partition }, 'cannot rewind the partition');
    }
  }

  private async committedOffset(partition: number): Promise<number | undefined> {
    const committed = await this.opts.log.committedOffsets(this.opts.groupId, this.opts.inputTopic);
    return committed.find((c) => c.partition === partition)?.offset;
  }

  /**
   * The group's committed offset once it has settled. Kafka makes a transaction's offsets
   * visible a little after the commit returns, and kafkajs cannot ask for stable offsets
   * (KIP-447's require_stable), so an offset read right after a takeover or our own commit may
   * be older than the truth: it is read until two reads agree, and never taken below what this
   * scorer itself committed.
   */
  private async stableCommittedOffset(partition: number): Promise<number | undefined> {
    let previous = await this.committedOffset(partition);
    for (let i = 0; i < 10; i++) {
      await this.sleep(STABLE_OFFSET_READ_MS);
      const current = await this.committedOffset(partition);
      if (current === previous) break;
      previous = current;
    }
    const ours = this.committedByUs.get(partition);
    if (ours === undefined) return previous;
    return previous === undefined ? ours : Math.max(previous, ours);
  }

  private async updateLag(): Promise<void> {
    if (this.reader === undefined) return;
    const ends = await this.opts.log.endOffsets(this.opts.inputTopic);
    for (const p of this.reader.positions()) {
      const lag = Math.max(0, (ends[p.partition] ?? 0) - p.offset);
      this.lastLag.set(p.partition, lag);
      this.opts.metrics.consumerLag.set({ topic: p.topic, partition: String(p.partition) }, lag);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
