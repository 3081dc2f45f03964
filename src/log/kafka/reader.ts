/**
 * TopicReader over a kafkajs consumer, always read_committed.
 *
 * - 'exclusive' readers emulate Kafka's assign(): the consumer is the only member of a group
 *   of its own (the reader's groupId, else a generated one) whose assigner hands it every
 *   requested partition. Start positions are computed before the consumer joins and applied by
 *   seeking when it does.
 * - 'shared' readers are ordinary members of the group (kafkajs' round-robin assigner).
 *   Partitions assigned by a rebalance are paused until their start position is known and
 *   onAssignmentChange has returned; revoked ones are forgotten with their buffered records.
 *
 * kafkajs pushes batches (consumer.run with eachBatch); poll() pulls. Each batch waits in a
 * PendingBatch until poll() has handed its records out, its handler heartbeating meanwhile,
 * so the consumer fetches no further than the reader reads. The reader keeps its own
 * positions, which poll() moves past what it hands out, past the control markers and aborted
 * records that end a batch, and past batches that kafkajs found to hold nothing else. After
 * every (re)join, partitions still assigned are sought to those positions, because kafkajs
 * would otherwise restart them from the group's committed offsets.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import kafkajs from 'kafkajs';
import type { Logger } from 'pino';
import { LogClosedError, UnknownPartitionError } from '../errors.js';
import { pollRecordLimit } from '../poll-options.js';
import {
  UnknownTopicError,
  type AssignmentChange,
  type LogRecord,
  type PollOptions,
  type ReaderOptions,
  type TopicPartition,
  type TopicPartitionOffset,
  type TopicReader,
} from '../topic-log.js';
import type { KafkaTopicAdmin } from './admin.js';
import { topicOperationError } from './errors.js';
import { exclusiveAssigner } from './exclusive-assigner.js';
import type { ResolvedKafkaOptions } from './options.js';
import { PendingBatch } from './pending-batch.js';
import { fromKafkaMessage } from './records.js';
import { key, startPositions } from './start-positions.js';

/**
 * How long poll() waits for records that are known to exist (below the end offsets seen when
 * the partition's start was computed) but not fetched yet, even with maxWaitMs 0: with the
 * embedded logs such records are simply there, and callers that read "until caught up" with
 * maxWaitMs 0 rely on that.
 */
const KNOWN_DATA_WAIT_MS = 5_000;
/** Prefix of the generated groups of exclusive readers without a groupId. */
export const PRIVATE_GROUP_PREFIX = 'ksml-reader-';

export interface KafkaReaderHost {
  readonly kafka: Kafka;
  readonly admin: KafkaTopicAdmin;
  readonly options: ResolvedKafkaOptions;
  readonly logger: Logger;
  readerClosed(reader: KafkaTopicReader): void;
}

interface PartitionState {
  readonly tp: TopicPartition;
  /** Start position known and applied; only ready partitions are assigned to the reader's callers. */
  ready: boolean;
  position: number;
  /** End offset when the start was computed: records below it exist. */
  knownEnd: number;
  pending: PendingBatch | undefined;
  /** Sought since the last fetch started: a batch event from that fetch is stale. */
  soughtSinceFetch: boolean;
}

type WaitOutcome = 'wake' | 'timeout' | 'closed';

export async function openKafkaReader(host: KafkaReaderHost, opts: ReaderOptions): Promise<KafkaTopicReader> {
  const shared = opts.membership === 'shared';
  if (shared && opts.groupId === undefined) throw new Error("A reader with 'shared' membership needs a groupId.");
  if (shared && opts.partitions !== undefined) {
    throw new Error("A 'shared' reader is assigned partitions by its group; 'partitions' is for exclusive readers.");
  }
  const topics = [...new Set(opts.topics)];
  const partitionCounts = new Map<string, number>();
  for (const topic of new Set([...topics, ...(opts.partitions ?? []).map((p) => p.topic)])) {
    const partitions = await host.admin.partitionsOf(topic);
    if (partitions === undefined) throw new UnknownTopicError(topic);
    partitionCounts.set(topic, partitions.length);
  }
  const requested = requestedPartitions(topics, partitionCounts, opts.partitions);
  const starts = shared ? [] : await startPositions(host.admin, requested, opts.start, opts.groupId);
  const reader = new KafkaTopicReader(host, opts, {
    groupId: opts.groupId ?? `${PRIVATE_GROUP_PREFIX}${randomUUID()}`,
    privateGroup: opts.groupId === undefined,
    subscribed: shared ? topics : [...new Set(requested.map((p) => p.topic))],
    requested,
    concurrency: Math.max(1, shared ? [...partitionCounts.values()].reduce((a, b) => a + b, 0) : requested.length),
  });
  for (const start of starts) reader.preassign(start, start.offset, start.knownEnd);
  await reader.start();
  return reader;
}

function requestedPartitions(
  topics: readonly string[],
  counts: ReadonlyMap<string, number>,
  partitions: readonly TopicPartition[] | undefined,
): TopicPartition[] {
  if (partitions === undefined) {
    return topics.flatMap((topic) => Array.from({ length: counts.get(topic)! }, (_, partition) => ({ topic, partition })));
  }
  const chosen = new Map<string, TopicPartition>();
  for (const { topic, partition } of partitions) {
    if (!Number.isInteger(partition) || partition < 0 || partition >= counts.get(topic)!) {
      throw new UnknownPartitionError(topic, partition);
    }
    chosen.set(key({ topic, partition }), { topic, partition });
  }
  return [...chosen.values()];
}

interface ReaderSetup {
  readonly groupId: string;
  /** A generated group: commit() is refused and the group is deleted on close. */
  readonly privateGroup: boolean;
  readonly subscribed: readonly string[];
  readonly requested: readonly TopicPartition[];
  /** How many batches kafkajs hands over at once (one per partition that can be read). */
  readonly concurrency: number;
}

export class KafkaTopicReader implements TopicReader {
  private readonly consumer: Consumer;
  private readonly states = new Map<string, PartitionState>();
  /** What onAssignmentChange last said was assigned. */
  private notified = new Set<string>();
  private generation = 0;
  private assignmentChanges: Promise<void> = Promise.resolve();
  private firstAssignment: { resolve: () => void; reject: (err: unknown) => void; done: boolean } | undefined;
  private closed = false;
  private polling = false;
  private rotation = 0;
  private wakeWaiter: ((outcome: WaitOutcome) => void) | undefined;
  private readonly topicOrder: Map<string, number>;

  constructor(
    private readonly host: KafkaReaderHost,
    private readonly opts: ReaderOptions,
    private readonly setup: ReaderSetup,
  ) {
    this.topicOrder = new Map(opts.topics.map((t, i) => [t, i]));
    const options = host.options;
    this.consumer = host.kafka.consumer({
      groupId: setup.groupId,
      partitionAssigners: opts.membership === 'shared' ? [kafkajs.PartitionAssigners.roundRobin] : [exclusiveAssigner(setup.requested)],
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      maxWaitTimeInMs: options.fetchMaxWaitMs,
      allowAutoTopicCreation: false,
      readUncommitted: false,
    });
    const events = this.consumer.events;
    this.consumer.on(events.GROUP_JOIN, (e) => this.joined(e.payload.memberAssignment));
    this.consumer.on(events.FETCH_START, () => {
      for (const state of this.states.values()) state.soughtSinceFetch = false;
    });
    this.consumer.on(events.START_BATCH_PROCESS, (e) => {
      // kafkajs skips eachBatch for a batch of only control or aborted records and just moves
      // its own offset past it; batchSize 0 tells those apart.
      if (e.payload.batchSize === 0) this.skippedBatch(e.payload.topic, e.payload.partition, e.payload.firstOffset, e.payload.lastOffset);
    });
    this.consumer.on(events.CRASH, (e) => {
      this.host.logger.warn({ err: e.payload.error, groupId: setup.groupId, restart: e.payload.restart }, 'Kafka consumer crashed');
      if (!e.payload.restart) this.firstAssignment?.reject(e.payload.error);
    });
  }

  /** Before start(): an exclusive reader's partition with its start already known. */
  preassign(tp: TopicPartition, position: number, knownEnd: number): void {
    this.states.set(key(tp), { tp: { topic: tp.topic, partition: tp.partition }, ready: true, position, knownEnd, pending: undefined, soughtSinceFetch: false });
  }

  /** Joins the group; resolves once the first assignment is applied (and announced). */
  async start(): Promise<void> {
    const assigned = new Promise<void>((resolve, reject) => {
      this.firstAssignment = { resolve, reject, done: false };
    });
    // A crash or close after start() has given up must not become an unhandled rejection.
    assigned.catch(() => undefined);
    const timeoutMs = this.host.options.rebalanceTimeoutMs + this.host.options.sessionTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms joining consumer group '${this.setup.groupId}'.`)), timeoutMs);
    });
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [...this.setup.subscribed], fromBeginning: false });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.setup.concurrency,
        eachBatch: (payload) => this.eachBatch(payload),
      });
      await Promise.race([assigned, timeout]);
    } catch (err) {
      this.closed = true;
      await this.consumer.disconnect().catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  assignment(): TopicPartition[] {
    return this.readyStates().map((s) => ({ topic: s.tp.topic, partition: s.tp.partition }));
  }

  positions(): TopicPartitionOffset[] {
    return this.readyStates().map((s) => ({ topic: s.tp.topic, partition: s.tp.partition, offset: s.position }));
  }

  async poll(opts: PollOptions = {}): Promise<LogRecord[]> {
    if (this.closed) throw new LogClosedError('The reader');
    if (this.polling) throw new Error('poll() is already in progress on this reader.');
    const maxRecords = pollRecordLimit(opts);
    const started = performance.now();
    const deadline = started + Math.max(0, opts.maxWaitMs ?? 0);
    this.polling = true;
    try {
      while (true) {
        const records = this.take(maxRecords);
        if (records.length > 0 || this.closed) return records;
        const until = this.hasUnfetchedData() ? Math.max(deadline, started + KNOWN_DATA_WAIT_MS) : deadline;
        const remaining = until - performance.now();
        if (remaining <= 0) return [];
        if ((await this.waitForWake(remaining, opts.signal)) === 'closed') return [];
      }
    } finally {
      this.polling = false;
    }
  }

  seek(topic: string, partition: number, offset: number): void {
    if (!Number.isInteger(offset) || offset < 0) {
      throw new RangeError(`Cannot seek to offset ${offset}: offsets are non-negative integers.`);
    }
    const state = this.states.get(key({ topic, partition }));
    if (state === undefined || !state.ready) throw new Error(`Partition ${topic}-${partition} is not assigned to this reader.`);
    state.position = offset;
    state.soughtSinceFetch = true;
    state.pending?.finish('seek');
    state.pending = undefined;
    this.seekConsumer(state);
  }

  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.closed) throw new LogClosedError('The reader');
    if (this.setup.privateGroup) throw new Error('commit() needs a reader opened with a groupId.');
    const toCommit = offsets ?? this.positions();
    for (const o of toCommit) {
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
        throw new RangeError(`Cannot commit offset ${o.offset} for ${o.topic}-${o.partition}.`);
      }
    }
    if (toCommit.length === 0) return;
    try {
      await this.consumer.commitOffsets(toCommit.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })));
    } catch (err) {
      const first = toCommit[0]!;
      throw topicOperationError(err, first.topic, first.partition);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeWaiter?.('closed');
    for (const state of this.states.values()) state.pending?.finish('dropped');
    this.firstAssignment?.reject(new LogClosedError('The reader'));
    try {
      await this.consumer.disconnect();
    } catch (err) {
      this.host.logger.warn({ err, groupId: this.setup.groupId }, 'disconnecting a Kafka reader failed');
    } finally {
      this.host.readerClosed(this);
    }
    if (this.setup.privateGroup) {
      // In the background: nobody waits for the cleanup of a group nobody else knows.
      this.host.admin
        .deleteGroup(this.setup.groupId)
        .catch((err: unknown) => this.host.logger.debug({ err, groupId: this.setup.groupId }, 'deleting a private consumer group failed'));
    }
  }

  /** GROUP_JOIN, emitted synchronously before kafkajs fetches with the new assignment. */
  private joined(memberAssignment: Record<string, number[]>): void {
    if (this.closed) return;
    const generation = ++this.generation;
    const assigned = new Map<string, TopicPartition>();
    for (const [topic, partitions] of Object.entries(memberAssignment)) {
      for (const partition of partitions) assigned.set(key({ topic, partition }), { topic, partition });
    }
    for (const [k, state] of this.states) {
      if (assigned.has(k)) continue;
      // Revoked: records fetched for it but not handed out go with it.
      state.pending?.finish('dropped');
      this.states.delete(k);
    }
    const toPause: TopicPartition[] = [];
    for (const [k, tp] of assigned) {
      const state = this.states.get(k);
      if (state?.ready) {
        state.pending?.finish('dropped');
        state.pending = undefined;
        this.seekConsumer(state);
      } else {
        if (state === undefined) {
          this.states.set(k, { tp, ready: false, position: 0, knownEnd: 0, pending: undefined, soughtSinceFetch: false });
        }
        toPause.push(tp);
      }
    }
    if (toPause.length > 0) this.consumer.pause(byTopic(toPause));
    this.wake();
    this.assignmentChanges = this.assignmentChanges
      .then(() => this.applyAssignment(generation))
      .catch((err: unknown) => {
        this.host.logger.error({ err, groupId: this.setup.groupId }, 'applying a new assignment failed');
        this.firstAssignment?.reject(err);
      });
  }

  /**
   * Computes the start of newly assigned partitions, tells onAssignmentChange, then lets
   * kafkajs fetch them. A newer join supersedes an older one still in progress.
   */
  private async applyAssignment(generation: number): Promise<void> {
    if (generation !== this.generation || this.closed) return;
    const fresh = [...this.states.values()].filter((s) => !s.ready);
    if (fresh.length > 0) {
      const starts = await startPositions(this.host.admin, fresh.map((s) => s.tp), this.opts.start, this.opts.groupId);
      if (generation !== this.generation || this.closed) return;
      for (const start of starts) {
        const state = this.states.get(key(start));
        if (state === undefined || state.ready) continue;
        state.position = start.offset;
        state.knownEnd = start.knownEnd;
        state.ready = true;
        this.seekConsumer(state);
      }
    }
    const current = new Set(this.readyStates().map((s) => key(s.tp)));
    const change: AssignmentChange = {
      assigned: this.sorted([...current].filter((k) => !this.notified.has(k)).map((k) => this.states.get(k)!.tp)),
      revoked: this.sorted([...this.notified].filter((k) => !current.has(k)).map(parseKey)),
    };
    const first = this.firstAssignment?.done === false;
    this.notified = current;
    if (first || change.assigned.length > 0 || change.revoked.length > 0) await this.opts.onAssignmentChange?.(change);
    if (this.closed) return;
    try {
      this.consumer.resume(byTopic(this.readyStates().map((s) => s.tp)));
    } catch {
      // The consumer is restarting; its next join resumes from the positions anyway.
    }
    if (this.firstAssignment !== undefined && !this.firstAssignment.done) {
      this.firstAssignment.done = true;
      this.firstAssignment.resolve();
    }
    this.wake();
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, isStale }: EachBatchPayload): Promise<void> {
    const state = this.states.get(key({ topic: batch.topic, partition: batch.partition }));
    if (state === undefined || !state.ready || this.closed || isStale()) return;
    const position = state.position;
    const messages = batch.messages.filter((m) => Number(m.offset) >= position);
    if (messages.length === 0) {
      // Only records before the position (refetched after a race): move kafkajs up to it.
      if (position > 0) resolveOffset(String(position - 1));
      return;
    }
    const pending = new PendingBatch(
      messages.map((m) => fromKafkaMessage(batch.topic, batch.partition, m)),
      Number(batch.lastOffset()) + 1,
    );
    state.pending?.finish('dropped');
    state.pending = pending;
    this.wake();
    const heartbeatMs = this.host.options.heartbeatIntervalMs;
    while (pending.outcome === undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pending.settled, new Promise((resolve) => (timer = setTimeout(resolve, heartbeatMs)))]);
      clearTimeout(timer);
      if (pending.outcome !== undefined) break;
      try {
        await heartbeat();
      } catch (err) {
        // A rebalance (or a lost coordinator): kafkajs rejoins only after every batch handler
        // of the fetch has returned, so let them all go; the join seeks to the positions.
        for (const s of this.states.values()) s.pending?.finish('dropped');
        throw err;
      }
    }
    if (state.pending === pending) state.pending = undefined;
    const last = pending.lastTakenOffset;
    // Resolving the batch's last record makes kafkajs resolve the whole batch, trailing
    // control records included (as the position did); after a seek the seek decides.
    if (last !== undefined && pending.outcome !== 'seek') resolveOffset(String(last));
  }

  /** A batch of only control or aborted records: the position moves past it as kafkajs' does. */
  private skippedBatch(topic: string, partition: number, firstOffset: string | null, lastOffset: string): void {
    const state = this.states.get(key({ topic, partition }));
    if (state === undefined || !state.ready || state.pending !== undefined || state.soughtSinceFetch) return;
    if (firstOffset !== null && Number(firstOffset) < state.position) return;
    const next = Number(lastOffset) + 1;
    if (next > state.position) {
      state.position = next;
      this.wake();
    }
  }

  private take(maxRecords: number): LogRecord[] {
    const states = this.readyStates();
    const out: LogRecord[] = [];
    for (let i = 0; i < states.length && out.length < maxRecords; i++) {
      const state = states[(this.rotation + i) % states.length]!;
      const pending = state.pending;
      if (pending === undefined || pending.remaining === 0) continue;
      const taken = pending.take(maxRecords - out.length);
      for (const record of taken) out.push(record);
      if (pending.outcome === 'drained') {
        state.position = Math.max(state.position, pending.endOffset);
        state.pending = undefined;
      } else if (taken.length > 0) {
        state.position = taken[taken.length - 1]!.offset + 1;
      }
    }
    if (states.length > 0) this.rotation = (this.rotation + 1) % states.length;
    return out;
  }

  /** Some partition has records that exist but have not been fetched yet. */
  private hasUnfetchedData(): boolean {
    return this.readyStates().some((s) => s.pending === undefined && s.position < s.knownEnd);
  }

  private waitForWake(ms: number, signal: AbortSignal | undefined): Promise<WaitOutcome> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<WaitOutcome>((resolve, reject) => {
      const onAbort = (): void => finish(() => reject(signal!.reason));
      const timer = setTimeout(() => finish(() => resolve('timeout')), ms);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.wakeWaiter = undefined;
        settle();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wakeWaiter = (outcome) => finish(() => resolve(outcome));
    });
  }

  private wake(): void {
    this.wakeWaiter?.('wake');
  }

  /** Points kafkajs' next fetch of the partition at the reader's position. */
  private seekConsumer(state: PartitionState): void {
    try {
      this.consumer.seek({ topic: state.tp.topic, partition: state.tp.partition, offset: String(state.position) });
    } catch {
      // The consumer is between a crash and its restart; the rejoin seeks to the position.
    }
  }

  private readyStates(): PartitionState[] {
    return this.sortedStates([...this.states.values()].filter((s) => s.ready));
  }

  private sortedStates(states: PartitionState[]): PartitionState[] {
    return states.sort((a, b) => this.compare(a.tp, b.tp));
  }

  private sorted(tps: TopicPartition[]): TopicPartition[] {
    return tps.sort((a, b) => this.compare(a, b));
  }

  private compare(a: TopicPartition, b: TopicPartition): number {
    const byTopic = (this.topicOrder.get(a.topic) ?? 0) - (this.topicOrder.get(b.topic) ?? 0);
    return byTopic !== 0 ? byTopic : a.partition - b.partition;
  }
}

function byTopic(tps: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const grouped = new Map<string, number[]>();
  for (const { topic, partition } of tps) {
    const partitions = grouped.get(topic) ?? [];
    partitions.push(partition);
    grouped.set(topic, partitions);
  }
  return [...grouped].map(([topic, partitions]) => ({ topic, partitions }));
}

function parseKey(k: string): TopicPartition {
  const colon = k.indexOf(':');
  return { topic: k.slice(colon + 1), partition: Number(k.slice(0, colon)) };
}
