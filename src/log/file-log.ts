/**
 * The embedded, durable TopicLog: Kafka's model on the local file system, owned by one process.
 *
 *   <dir>/.lock                         pid of the owning process
 *   <dir>/topics/<topic>/topic.json     partitions, replicas, config
 *   <dir>/topics/<topic>/<partition>/   segments: <base offset>.log + <base offset>.index
 *   <dir>/groups/<group>.json           committed offsets
 *   <dir>/transactions/<n>.json         transactions committed but not yet wholly applied
 */
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../logging.js';
import { syncDirectory, TEMP_PREFIX, writeFileAtomic } from './durable-file.js';
import { FilePartition, type FsyncPolicy, type PartitionSettings } from './file-partition.js';
import { GroupOffsetStore } from './group-offset-store.js';
import { lockDirectory, type DirectoryLock } from './lock-file.js';
import type { CommittedTransaction } from './local-transactions.js';
import { PartitionedTopicLog, type PlannedAppend } from './partitioned-log.js';
import { TransactionJournal, type JournalEntry } from './transaction-journal.js';
import {
  TopicExistsError,
  UnknownTopicError,
  type AppendResult,
  type LogRecord,
  type ProduceRecord,
  type TopicConfig,
  type TopicDescription,
  type TopicPartitionOffset,
} from './topic-log.js';
import { appendTimestamp, topicDescription } from './topic-validation.js';

export type { FsyncPolicy } from './file-partition.js';

export interface FileTopicLogOptions {
  readonly dir: string;
  /** Default { intervalMs: 1000 }. */
  readonly fsync?: FsyncPolicy;
  /** Segment size before rolling, unless a topic sets segment.bytes. Default 64 MiB. */
  readonly segmentBytes?: number;
  /** Defaults for topics that do not set retention.bytes / retention.ms. Default: keep everything. */
  readonly retention?: { readonly bytes?: number; readonly ms?: number };
  /** How often retention runs besides at each segment roll (Kafka: log.retention.check.interval.ms). */
  readonly retentionCheckIntervalMs?: number;
}

/** What opening found and repaired. */
export interface RecoveryReport {
  /** Bytes cut from segment tails because they held a torn or corrupt record. */
  readonly truncatedBytes: number;
  /** Transactions that had committed but were not wholly applied, finished at open. */
  readonly transactionsCompleted: number;
}

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
/** Positions in the index are 32-bit. */
const MAX_SEGMENT_BYTES = 1024 * 1024 * 1024;
const DEFAULT_FSYNC: FsyncPolicy = { intervalMs: 1000 };
const DEFAULT_RETENTION_CHECK_MS = 5 * 60 * 1000;
const TOPIC_FILE = 'topic.json';

const log = createLogger('file-topic-log');

export class FileTopicLog extends PartitionedTopicLog<FilePartition> {
  readonly description: string;
  /** Topic creation and deletion, one at a time (they rename directories). */
  private adminTail: Promise<unknown> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];
  private recoveredBytes = 0;
  private recoveredTransactions = 0;

  private constructor(
    private readonly opts: FileTopicLogOptions,
    private readonly lock: DirectoryLock,
    private readonly groups: GroupOffsetStore,
    private readonly journal: TransactionJournal,
  ) {
    super();
    this.description = `file:${opts.dir}`;
  }

  /** Opens (creating if needed) the log in `opts.dir`, recovering from an unclean shutdown. */
  static async open(opts: FileTopicLogOptions): Promise<FileTopicLog> {
    validateOptions(opts);
    await mkdir(join(opts.dir, 'topics'), { recursive: true });
    const lock = await lockDirectory(opts.dir);
    try {
      const sync = (opts.fsync ?? DEFAULT_FSYNC) !== 'never';
      const groups = await GroupOffsetStore.open(join(opts.dir, 'groups'), sync, (path) =>
        log.warn({ path }, 'ignoring unreadable committed offsets'),
      );
      const { journal, unfinished } = await TransactionJournal.open(join(opts.dir, 'transactions'), sync);
      const fileLog = new FileTopicLog(opts, lock, groups, journal);
      await fileLog.loadTopics();
      for (const { path, entry } of unfinished) await fileLog.finishTransaction(path, entry);
      fileLog.startTimers();
      return fileLog;
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  get recovery(): RecoveryReport {
    return { truncatedBytes: this.recoveredBytes, transactionsCompleted: this.recoveredTransactions };
  }

  createTopic(name: string, config: TopicConfig): Promise<void> {
    return this.admin(async () => {
      const description = topicDescription(name, config);
      if (this.topics.has(name)) throw new TopicExistsError(name);
      const topicsDir = join(this.opts.dir, 'topics');
      // Prepared aside and renamed into place: the topic exists whole or not at all.
      const staging = join(topicsDir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
      await mkdir(staging);
      // Synced whatever the fsync policy: topics are created rarely, and a topic whose metadata
      // was lost could not be opened again.
      await writeFileAtomic(join(staging, TOPIC_FILE), JSON.stringify(description), true);
      await rename(staging, this.topicDir(name));
      await syncDirectory(topicsDir);
      const settings = this.partitionSettings(description);
      const partitions: FilePartition[] = [];
      for (let p = 0; p < description.partitions; p++) {
        const partitionDir = join(this.topicDir(name), String(p));
        partitions.push(await FilePartition.create(partitionDir, name, p, settings));
      }
      this.addTopic(description, partitions);
    });
  }

  deleteTopic(name: string): Promise<void> {
    return this.admin(async () => {
      const topic = this.topic(name);
      this.topics.delete(name);
      const gone = new UnknownTopicError(name);
      await Promise.all(topic.partitions.map((p) => p.closeForDeletion(gone)));
      const topicsDir = join(this.opts.dir, 'topics');
      const trash = join(topicsDir, `${TEMP_PREFIX}deleted-${randomBytes(6).toString('hex')}`);
      await rename(this.topicDir(name), trash);
      await syncDirectory(topicsDir);
      await rm(trash, { recursive: true, force: true });
      await this.groups.dropTopic(name);
    });
  }

  async append(topicName: string, records: readonly ProduceRecord[]): Promise<AppendResult[]> {
    this.ensureOpen();
    const topic = this.topic(topicName);
    if (records.length === 0) return [];
    const partitionOf = topic.partitioner.assign(records);
    const now = Date.now();
    const timestamps = records.map((r) => appendTimestamp(r, now));
    const indexesByPartition = new Map<number, number[]>();
    partitionOf.forEach((p, i) => {
      const indexes = indexesByPartition.get(p);
      if (indexes === undefined) indexesByPartition.set(p, [i]);
      else indexes.push(i);
    });
    const results: AppendResult[] = new Array(records.length);
    await Promise.all(
      [...indexesByPartition].map(async ([p, indexes]) => {
        const firstOffset = await topic.partitions[p]!.append(
          indexes.map((i) => records[i]!),
          indexes.map((i) => timestamps[i]!),
        );
        indexes.forEach((recordIndex, j) => {
          results[recordIndex] = {
            topic: topicName,
            partition: p,
            offset: firstOffset + j,
            timestamp: timestamps[recordIndex]!,
          };
        });
      }),
    );
    return results;
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    this.ensureOpen();
    return this.groups.committed(groupId, topic);
  }

  /** Deletes segments beyond retention now (it also runs at each roll and periodically). */
  async enforceRetention(now = Date.now()): Promise<number> {
    this.ensureOpen();
    let deleted = 0;
    for (const topic of this.topics.values()) {
      for (const p of topic.partitions) deleted += await p.enforceRetention(now);
    }
    return deleted;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.closeReaders();
    await this.adminTail;
    const partitions = [...this.topics.values()].flatMap((t) => t.partitions);
    await Promise.all(partitions.map((p) => p.close()));
    await this.groups.flush();
    await this.lock.release();
  }

  /**
   * Journal first, then the partitions, then the offsets, then the journal entry goes: a crash
   * anywhere after the journal write is finished by the next open (finishTransaction).
   */
  protected async applyTransaction(transaction: CommittedTransaction): Promise<void> {
    this.ensureOpen();
    const planned = this.planTransaction(transaction);
    const entry: JournalEntry = {
      transactionalId: transaction.transactionalId,
      appends: planned.map((a) => ({ ...a, fromOffset: this.topic(a.topic).partitions[a.partition]!.endOffset() })),
      offsets: transaction.offsets,
    };
    const path = await this.journal.write(entry);
    await Promise.all(planned.map((a) => this.appendPlanned(a)));
    for (const { groupId, offsets } of transaction.offsets) await this.groups.commit(groupId, offsets);
    await this.journal.remove(path);
  }

  protected storeCommitted(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    return this.groups.commit(groupId, offsets);
  }

  private appendPlanned(append: PlannedAppend): Promise<number> {
    return this.topic(append.topic).partitions[append.partition]!.append(append.records, append.timestamps);
  }

  /**
   * Completes a transaction a previous process journaled but may not have applied wholly: per
   * partition, the records it already appended (one contiguous run at or after fromOffset, of
   * which a torn tail may have lost the end) are found and only the rest appended; offsets
   * only move forward, since the group may have committed later ones after this transaction.
   */
  private async finishTransaction(path: string, entry: JournalEntry): Promise<void> {
    for (const append of entry.appends) {
      const topic = this.topics.get(append.topic);
      const partition = topic?.partitions[append.partition];
      if (partition === undefined) continue; // deleted since
      const present = await appliedPrefix(partition, append);
      if (present < append.records.length) {
        await partition.append(append.records.slice(present), append.timestamps.slice(present));
      }
    }
    for (const { groupId, offsets } of entry.offsets) {
      const forward: TopicPartitionOffset[] = [];
      for (const o of offsets) {
        if (this.topics.get(o.topic)?.partitions[o.partition] === undefined) continue;
        const current = this.groups.committed(groupId, o.topic).find((c) => c.partition === o.partition);
        if (current === undefined || current.offset < o.offset) forward.push(o);
      }
      if (forward.length > 0) await this.groups.commit(groupId, forward);
    }
    await this.journal.remove(path);
    this.recoveredTransactions++;
    log.warn({ transactionalId: entry.transactionalId, path }, 'finished a transaction interrupted by a crash');
  }

  private async loadTopics(): Promise<void> {
    const topicsDir = join(this.opts.dir, 'topics');
    for (const name of await readdir(topicsDir)) {
      const dir = join(topicsDir, name);
      if (name.startsWith(TEMP_PREFIX)) {
        // A topic half created or half deleted when the process died.
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      let description: TopicDescription;
      try {
        description = JSON.parse(await readFile(join(dir, TOPIC_FILE), 'utf8')) as TopicDescription;
      } catch (err) {
        log.warn({ dir, err }, 'skipping a topic directory without readable metadata');
        continue;
      }
      const settings = this.partitionSettings(description);
      const partitions: FilePartition[] = [];
      for (let p = 0; p < description.partitions; p++) {
        const partitionDir = join(dir, String(p));
        await mkdir(partitionDir, { recursive: true });
        const opened = await FilePartition.open(partitionDir, description.name, p, settings);
        if (opened.truncatedBytes > 0) {
          log.warn(
            { topic: description.name, partition: p, bytes: opened.truncatedBytes },
            'cut a torn or corrupt tail from the log',
          );
        }
        this.recoveredBytes += opened.truncatedBytes;
        partitions.push(opened.partition);
      }
      this.addTopic(description, partitions);
    }
  }

  private startTimers(): void {
    const fsync = this.opts.fsync ?? DEFAULT_FSYNC;
    const partitions = (): FilePartition[] => [...this.topics.values()].flatMap((t) => t.partitions);
    if (typeof fsync === 'object') {
      const flushAll = (): void => {
        for (const p of partitions()) {
          p.flush().catch((err: unknown) => log.error({ err }, 'background fsync failed'));
        }
      };
      this.timers.push(setInterval(flushAll, fsync.intervalMs).unref());
    }
    const retentionEvery = this.opts.retentionCheckIntervalMs ?? DEFAULT_RETENTION_CHECK_MS;
    const retain = (): void => {
      for (const p of partitions()) {
        p.enforceRetention().catch((err: unknown) => log.error({ err }, 'retention failed'));
      }
    };
    this.timers.push(setInterval(retain, retentionEvery).unref());
    retain();
  }

  /** Topic config (Kafka's names) over the log's defaults. */
  private partitionSettings(description: TopicDescription): PartitionSettings {
    const config = description.config;
    const policies = (config['cleanup.policy'] ?? 'delete').split(',').map((s) => s.trim());
    const deletes = policies.includes('delete');
    const retentionMs = numericConfig(config['retention.ms']) ?? this.opts.retention?.ms;
    const retentionBytes = numericConfig(config['retention.bytes']) ?? this.opts.retention?.bytes;
    const segmentBytes = Math.min(
      numericConfig(config['segment.bytes']) ?? this.opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
      MAX_SEGMENT_BYTES,
    );
    return {
      fsync: this.opts.fsync ?? DEFAULT_FSYNC,
      segmentBytes,
      // Kafka's -1 means unlimited.
      ...(deletes && retentionMs !== undefined && retentionMs >= 0 ? { retentionMs } : {}),
      ...(deletes && retentionBytes !== undefined && retentionBytes >= 0 ? { retentionBytes } : {}),
    };
  }

  private topicDir(name: string): string {
    return join(this.opts.dir, 'topics', name);
  }

  private admin<T>(task: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    const run = this.adminTail.then(task);
    this.adminTail = run.catch(() => undefined);
    return run;
  }
}

/** How many of the transaction's records (from the first) the partition already holds. */
async function appliedPrefix(
  partition: FilePartition,
  append: { readonly fromOffset: number; readonly records: readonly ProduceRecord[]; readonly timestamps: readonly number[] },
): Promise<number> {
  const stored: LogRecord[] = [];
  let offset = append.fromOffset;
  let hint: unknown;
  while (offset < partition.endOffset()) {
    const read = await partition.read(offset, 1000, hint);
    if (read.records.length === 0) break;
    stored.push(...read.records);
    offset = read.nextOffset;
    hint = read.hint;
  }
  for (let start = 0; start < stored.length; start++) {
    let matched = 0;
    while (
      matched < append.records.length &&
      start + matched < stored.length &&
      sameRecord(stored[start + matched]!, append.records[matched]!, append.timestamps[matched]!)
    ) {
      matched++;
    }
    // A whole run, or a run cut short by the end of the partition (a torn tail), is ours.
    if (matched === append.records.length || (matched > 0 && start + matched === stored.length)) return matched;
  }
  return 0;
}

function sameRecord(stored: LogRecord, record: ProduceRecord, timestamp: number): boolean {
  if (stored.timestamp !== timestamp || !sameBytes(stored.key, record.key) || !sameBytes(stored.value, record.value)) {
    return false;
  }
  const headers = record.headers ?? [];
  return (
    stored.headers.length === headers.length &&
    stored.headers.every((h, i) => h.key === headers[i]!.key && sameBytes(h.value, headers[i]!.value))
  );
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

function numericConfig(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function validateOptions(opts: FileTopicLogOptions): void {
  const fsync = opts.fsync;
  if (typeof fsync === 'object' && !(Number.isFinite(fsync.intervalMs) && fsync.intervalMs > 0)) {
    throw new RangeError(`fsync.intervalMs must be a positive number, got ${fsync.intervalMs}.`);
  }
  const segmentBytes = opts.segmentBytes;
  if (segmentBytes !== undefined && !(Number.isInteger(segmentBytes) && segmentBytes > 0)) {
    throw new RangeError(`segmentBytes must be a positive integer, got ${opts.segmentBytes}.`);
  }
}
