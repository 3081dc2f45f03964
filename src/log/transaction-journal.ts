/**
 * The file log's transaction journal: a committed transaction is written here whole (records,
 * partitions, timestamps, offsets) before any of it reaches a partition, and removed once all
 * of it has. A process that dies in between leaves the entry behind, and the next open finishes
 * it (see FileTopicLog's recovery), so a transaction is all there after a crash or not at all.
 *
 *   <dir>/transactions/<sequence>.json
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_PREFIX, syncDirectory, writeFileAtomic } from './durable-file.js';
import type { PlannedAppend } from './partitioned-log.js';
import type { ProduceRecord, RecordHeader, TopicPartitionOffset } from './topic-log.js';

export interface JournalEntry {
  readonly transactionalId: string;
  /** Per partition: the end offset when the entry was written (the records land at or after it). */
  readonly appends: readonly (PlannedAppend & { readonly fromOffset: number })[];
  readonly offsets: readonly { readonly groupId: string; readonly offsets: readonly TopicPartitionOffset[] }[];
}

interface StoredRecord {
  k: string | null;
  v: string | null;
  h?: { k: string; v: string | null }[];
}

interface StoredEntry {
  transactionalId: string;
  appends: { topic: string; partition: number; fromOffset: number; timestamps: number[]; records: StoredRecord[] }[];
  offsets: { groupId: string; offsets: TopicPartitionOffset[] }[];
}

const SUFFIX = '.json';

export class TransactionJournal {
  private sequence = 0;

  private constructor(
    private readonly dir: string,
    private readonly sync: boolean,
  ) {}

  /** Opens the journal and returns the entries a previous process left unfinished, oldest first. */
  static async open(dir: string, sync: boolean): Promise<{ journal: TransactionJournal; unfinished: { path: string; entry: JournalEntry }[] }> {
    await mkdir(dir, { recursive: true });
    const journal = new TransactionJournal(dir, sync);
    const unfinished: { path: string; entry: JournalEntry }[] = [];
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const path = join(dir, name);
      if (name.startsWith(TEMP_PREFIX)) {
        // Never renamed into place: the transaction's commit had not been accepted.
        await rm(path, { force: true });
        continue;
      }
      if (!name.endsWith(SUFFIX)) continue;
      unfinished.push({ path, entry: decodeEntry(JSON.parse(await readFile(path, 'utf8')) as StoredEntry) });
      journal.sequence = Math.max(journal.sequence, Number.parseInt(name, 10) + 1 || 0);
    }
    return { journal, unfinished };
  }

  /** Makes the entry durable; returns the path to remove once it is applied. */
  async write(entry: JournalEntry): Promise<string> {
    // Zero-padded so that names sort in commit order.
    const name = `${String(this.sequence++).padStart(16, '0')}${SUFFIX}`;
    const path = join(this.dir, name);
    await writeFileAtomic(path, JSON.stringify(encodeEntry(entry)), this.sync);
    return path;
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
    if (this.sync) await syncDirectory(this.dir);
  }
}

function encodeEntry(entry: JournalEntry): StoredEntry {
  return {
    transactionalId: entry.transactionalId,
    appends: entry.appends.map((a) => ({
      topic: a.topic,
      partition: a.partition,
      fromOffset: a.fromOffset,
      timestamps: a.timestamps,
      records: a.records.map(encodeRecord),
    })),
    offsets: entry.offsets.map((o) => ({ groupId: o.groupId, offsets: [...o.offsets] })),
  };
}

function decodeEntry(stored: StoredEntry): JournalEntry {
  return {
    transactionalId: stored.transactionalId,
    appends: stored.appends.map((a) => ({
      topic: a.topic,
      partition: a.partition,
      fromOffset: a.fromOffset,
      timestamps: a.timestamps,
      records: a.records.map(decodeRecord),
    })),
    offsets: stored.offsets,
  };
}

function encodeRecord(record: ProduceRecord): StoredRecord {
  const stored: StoredRecord = { k: base64(record.key), v: base64(record.value) };
  if (record.headers !== undefined && record.headers.length > 0) {
    stored.h = record.headers.map((h) => ({ k: h.key, v: base64(h.value) }));
  }
  return stored;
}

function decodeRecord(stored: StoredRecord): ProduceRecord {
  const headers: RecordHeader[] = (stored.h ?? []).map((h) => ({ key: h.k, value: bytes(h.v) }));
  return { key: bytes(stored.k), value: bytes(stored.v), headers };
}

function base64(value: Buffer | null): string | null {
  return value === null ? null : value.toString('base64');
}

function bytes(text: string | null): Buffer | null {
  return text === null ? null : Buffer.from(text, 'base64');
}
