/**
 * What only the file log does: durability across reopen, segments, retention, recovery of a
 * damaged tail, and the directory lock.
 */
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTopicLog, type FileTopicLogOptions } from '../../src/log/file-log.js';
import { CorruptRecordError, LogLockedError } from '../../src/log/errors.js';
import { LOCK_FILE_NAME } from '../../src/log/lock-file.js';
import type { LogRecord, TopicReader } from '../../src/log/topic-log.js';
import { makeTempDir, pollAtLeast, removeDir, text, textRecord } from './helpers.js';

let dir: string;
const openLogs: FileTopicLog[] = [];

async function openLog(opts: Partial<FileTopicLogOptions> = {}): Promise<FileTopicLog> {
  const log = await FileTopicLog.open({ dir, fsync: 'never', ...opts });
  openLogs.push(log);
  return log;
}

function partitionDir(topic: string, partition = 0): string {
  return join(dir, 'topics', topic, String(partition));
}

async function segmentFiles(topic: string, partition = 0): Promise<string[]> {
  return (await readdir(partitionDir(topic, partition))).filter((n) => n.endsWith('.log')).sort();
}

async function readAll(log: FileTopicLog, topic: string): Promise<LogRecord[]> {
  const end = (await log.endOffsets(topic)).reduce((a, b) => a + b, 0);
  const begin = (await log.beginningOffsets(topic)).reduce((a, b) => a + b, 0);
  const reader = await log.openReader({ topics: [topic], start: 'earliest' });
  const records = await pollAtLeast(reader, end - begin);
  expect(await reader.poll({ maxWaitMs: 0 })).toEqual([]);
  await reader.close();
  return records;
}

beforeEach(async () => {
  dir = await makeTempDir('file-log-');
});

afterEach(async () => {
  for (const log of openLogs.splice(0)) await log.close();
  await removeDir(dir);
});

describe('FileTopicLog durability', () => {
  it('keeps topics, records and committed offsets across close and reopen', async () => {
    const first = await openLog({ fsync: 'always' });
    await first.createTopic('t', { partitions: 2, replicas: 3, config: { 'cleanup.policy': 'delete' } });
    await first.append('t', Array.from({ length: 30 }, (_, i) => textRecord(`k${i}`, `v${i}`, { timestamp: 1000 + i })));
    const reader = await first.openReader({ topics: ['t'], groupId: 'g', start: 'earliest' });
    await reader.commit([{ topic: 't', partition: 1, offset: 4 }]);
    await reader.close();
    const endBefore = await first.endOffsets('t');
    await first.close();

    const second = await openLog({ fsync: 'always' });
    expect(await second.describeTopic('t')).toEqual({
      name: 't',
      partitions: 2,
      replicas: 3,
      config: { 'cleanup.policy': 'delete' },
    });
    expect(await second.endOffsets('t')).toEqual(endBefore);
    expect(await second.committedOffsets('g', 't')).toEqual([{ topic: 't', partition: 1, offset: 4 }]);
    const records = await readAll(second, 't');
    expect(records.map((r) => text(r.value)).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `v${i}`).sort(),
    );
    for (const r of records) expect(r.timestamp).toBe(1000 + Number(text(r.key)!.slice(1)));

    const [appended] = await second.append('t', [textRecord(null, 'more', { partition: 0 })]);
    expect(appended!.offset).toBe(endBefore[0]);
  });

  it('completes appends made before close', async () => {
    const first = await openLog({ fsync: 'always' });
    await first.createTopic('t', { partitions: 1 });
    const appends = Array.from({ length: 20 }, (_, i) => first.append('t', [textRecord(null, `v${i}`)]));
    await first.close();
    const results = await Promise.all(appends);
    expect(results.map(([r]) => r!.offset)).toEqual([...Array(20).keys()]);
    await expect(first.append('t', [textRecord(null, 'late')])).rejects.toThrow();
    const second = await openLog();
    expect(await second.endOffsets('t')).toEqual([20]);
  });

  it('keeps the last of many concurrent commits', async () => {
    const first = await openLog({ fsync: 'always' });
    await first.createTopic('t', { partitions: 2 });
    const reader = await first.openReader({ topics: ['t'], groupId: 'busy', start: 'earliest' });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => reader.commit([{ topic: 't', partition: i % 2, offset: i }])),
    );
    await reader.close();
    const expected = [
      { topic: 't', partition: 0, offset: 28 },
      { topic: 't', partition: 1, offset: 29 },
    ];
    expect(await first.committedOffsets('busy', 't')).toEqual(expected);
    await first.close();
    const second = await openLog();
    expect(await second.committedOffsets('busy', 't')).toEqual(expected);
    expect(await second.committedOffsets('other', 't')).toEqual([]);
  });

  it('stores group ids that are not safe file names', async () => {
    const first = await openLog();
    await first.createTopic('t', { partitions: 1 });
    const groups = ['../escape/attempt', '.', 'ünï cødé*?', 'x'.repeat(400)];
    for (const [i, groupId] of groups.entries()) {
      const reader = await first.openReader({ topics: ['t'], groupId, start: 'earliest' });
      await reader.commit([{ topic: 't', partition: 0, offset: i + 1 }]);
      await reader.close();
    }
    await first.close();
    expect((await readdir(dir)).sort()).toEqual(['groups', 'topics', 'transactions']);
    const second = await openLog();
    for (const [i, groupId] of groups.entries()) {
      expect(await second.committedOffsets(groupId, 't')).toEqual([{ topic: 't', partition: 0, offset: i + 1 }]);
    }
  });

  it('opens despite an unreadable committed-offsets file, forgetting only that group', async () => {
    const first = await openLog();
    await first.createTopic('t', { partitions: 1 });
    const reader = await first.openReader({ topics: ['t'], groupId: 'kept', start: 'earliest' });
    await reader.commit([{ topic: 't', partition: 0, offset: 3 }]);
    await reader.close();
    await first.close();
    // What a power loss can leave without fsync: a renamed file whose contents never arrived.
    await writeFile(join(dir, 'groups', 'lost.json'), '');
    const second = await openLog();
    expect(await second.committedOffsets('kept', 't')).toEqual([{ topic: 't', partition: 0, offset: 3 }]);
    expect(await second.committedOffsets('lost', 't')).toEqual([]);
  });

  it('does not bring a deleted topic back on reopen', async () => {
    const first = await openLog();
    await first.createTopic('gone', { partitions: 1 });
    await first.append('gone', [textRecord(null, 'x')]);
    await first.deleteTopic('gone');
    await first.close();
    const second = await openLog();
    expect(await second.listTopics()).toEqual([]);
  });
});

describe('FileTopicLog segments', () => {
  it('rolls segments by size and reads and seeks across them', async () => {
    const log = await openLog({ segmentBytes: 1024 });
    await log.createTopic('t', { partitions: 1 });
    for (let batch = 0; batch < 20; batch++) {
      await log.append('t', Array.from({ length: 10 }, (_, i) => textRecord(null, `value-${batch * 10 + i}`.padEnd(40, '.'))));
    }
    const files = await segmentFiles('t');
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect((await stat(join(partitionDir('t'), file))).size).toBeLessThanOrEqual(1024);

    const records = await readAll(log, 't');
    expect(records.map((r) => r.offset)).toEqual([...Array(200).keys()]);

    const reader = await log.openReader({ topics: ['t'], start: { offsets: [{ topic: 't', partition: 0, offset: 157 }] } });
    expect((await reader.poll({ maxRecords: 2 })).map((r) => text(r.value)!.replace(/\.+$/, ''))).toEqual([
      'value-157',
      'value-158',
    ]);
    reader.seek('t', 0, 33);
    expect((await reader.poll({ maxRecords: 1 }))[0]!.offset).toBe(33);
    await reader.close();
  });

  it('finds records through the sparse index after reopening', async () => {
    const first = await openLog({ segmentBytes: 64 * 1024 });
    await first.createTopic('t', { partitions: 1 });
    const values = Array.from({ length: 3000 }, (_, i) => `record-${i}-${'x'.repeat(i % 50)}`);
    for (let i = 0; i < values.length; i += 100) {
      await first.append('t', values.slice(i, i + 100).map((v) => textRecord(null, v)));
    }
    await first.close();
    const second = await openLog({ segmentBytes: 64 * 1024 });
    expect((await segmentFiles('t')).length).toBeGreaterThan(1);
    for (const offset of [0, 1, 999, 1500, 2047, 2999]) {
      const reader = await second.openReader({ topics: ['t'], start: { offsets: [{ topic: 't', partition: 0, offset }] } });
      const [record] = await reader.poll({ maxRecords: 1 });
      expect(record!.offset).toBe(offset);
      expect(text(record!.value)).toBe(values[offset]);
      await reader.close();
    }
  });

  it('stores records larger than a read chunk, also across reopen', async () => {
    const first = await openLog({ segmentBytes: 512 * 1024 });
    await first.createTopic('t', { partitions: 1 });
    const big = Buffer.alloc(1_500_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    await first.append('t', [textRecord(null, 'small'), { key: null, value: big }, textRecord(null, 'after')]);
    await first.close();
    const second = await openLog({ segmentBytes: 512 * 1024 });
    const records = await readAll(second, 't');
    expect(records.map((r) => r.value!.length)).toEqual([5, big.length, 5]);
    expect(records[1]!.value!.equals(big)).toBe(true);
  });

  it('serialises concurrent appends to one partition into distinct consecutive offsets', async () => {
    const log = await openLog({ fsync: 'always' });
    await log.createTopic('t', { partitions: 1 });
    const calls = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append('t', [textRecord(null, `a${i}`), textRecord(null, `b${i}`)])),
    );
    const offsets = calls.flat().map((r) => r.offset).sort((a, b) => a - b);
    expect(offsets).toEqual([...Array(100).keys()]);
    for (const [a, b] of calls) expect(b!.offset).toBe(a!.offset + 1);
    const records = await readAll(log, 't');
    for (const [i, call] of calls.entries()) {
      expect(text(records[call[0]!.offset]!.value)).toBe(`a${i}`);
    }
  });

  it('lets a waiting reader follow the log across a segment roll', async () => {
    const log = await openLog({ segmentBytes: 512 });
    await log.createTopic('t', { partitions: 1 });
    const reader = await log.openReader({ topics: ['t'], start: 'earliest' });
    const received: LogRecord[] = [];
    for (let i = 0; i < 30; i++) {
      const polled = reader.poll({ maxWaitMs: 10_000 });
      await log.append('t', [textRecord(null, `m${i}`.padEnd(60, '-'))]);
      received.push(...(await polled));
    }
    expect(received.map((r) => r.offset)).toEqual([...Array(30).keys()]);
    expect((await segmentFiles('t')).length).toBeGreaterThan(2);
    await reader.close();
  });
});

describe('FileTopicLog retention', () => {
  it('deletes the oldest segments beyond retention.bytes and moves the beginning forward', async () => {
    const log = await openLog({ segmentBytes: 1024 });
    await log.createTopic('t', { partitions: 1, config: { 'retention.bytes': '3000' } });
    const reader = await log.openReader({ topics: ['t'], start: 'earliest' });
    for (let i = 0; i < 100; i++) await log.append('t', [textRecord(null, `r${i}`.padEnd(50, '#'))]);
    const [beginning] = await log.beginningOffsets('t');
    expect(beginning).toBeGreaterThan(0);
    const files = await segmentFiles('t');
    const sizes = await Promise.all(files.map(async (f) => (await stat(join(partitionDir('t'), f))).size));
    // Kafka keeps whole segments: what is left minus its oldest segment is below the limit.
    expect(sizes.reduce((a, b) => a + b, 0) - sizes[0]!).toBeLessThan(3000);
    expect(files[0]).toBe(`${String(beginning).padStart(20, '0')}.log`);

    // A reader left behind continues from the new beginning.
    const records = await pollAtLeast(reader, 100 - beginning!);
    expect(records[0]!.offset).toBe(beginning);
    expect(records.at(-1)!.offset).toBe(99);
    await reader.close();
  });

  it('deletes segments whose newest record is older than retention.ms, never the active one', async () => {
    const log = await openLog({ segmentBytes: 1024, retention: { ms: 60_000 } });
    await log.createTopic('t', { partitions: 1 });
    const old = Date.now() - 3_600_000;
    for (let i = 0; i < 40; i++) await log.append('t', [textRecord(null, `old${i}`.padEnd(50, '.'), { timestamp: old })]);
    const oldEnd = (await log.endOffsets('t'))[0]!;
    // Retention runs at each roll, and keeps the active segment whatever its age.
    expect((await log.beginningOffsets('t'))[0]).toBeGreaterThan(0);
    for (let i = 0; i < 40; i++) await log.append('t', [textRecord(null, `new${i}`.padEnd(50, '.'))]);
    await log.enforceRetention();
    const [beginning] = await log.beginningOffsets('t');
    expect(beginning).toBeGreaterThanOrEqual(oldEnd - 40);
    const records = await readAll(log, 't');
    expect(records.every((r) => r.offset >= beginning!)).toBe(true);
    expect(records.filter((r) => text(r.value)!.startsWith('new'))).toHaveLength(40);
    // Old records can only survive in the segment that was active when the new ones began.
    const frameBytes = 8 + 29 + 50;
    expect(records.filter((r) => r.timestamp === old).length).toBeLessThanOrEqual(Math.floor(1024 / frameBytes));
  });

  it('keeps everything when cleanup.policy is compact', async () => {
    const log = await openLog({ segmentBytes: 1024, retention: { bytes: 100 } });
    await log.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    for (let i = 0; i < 50; i++) await log.append('t', [textRecord(`k${i}`, 'x'.repeat(50))]);
    await log.enforceRetention();
    expect(await log.beginningOffsets('t')).toEqual([0]);
  });
});

describe('FileTopicLog recovery', () => {
  async function writeTen(): Promise<string> {
    const log = await openLog();
    await log.createTopic('t', { partitions: 1 });
    await log.append('t', Array.from({ length: 10 }, (_, i) => textRecord(`k${i}`, `v${i}`)));
    await log.close();
    openLogs.splice(openLogs.indexOf(log), 1);
    const [file] = await segmentFiles('t');
    return join(partitionDir('t'), file!);
  }

  async function expectIntactAndWritable(log: FileTopicLog, intact: number): Promise<void> {
    expect(await log.endOffsets('t')).toEqual([intact]);
    const records = await readAll(log, 't');
    expect(records.map((r) => text(r.value))).toEqual(Array.from({ length: intact }, (_, i) => `v${i}`));
    const [appended] = await log.append('t', [textRecord('new', 'new')]);
    expect(appended!.offset).toBe(intact);
    const after = await readAll(log, 't');
    expect(after.map((r) => text(r.value)).at(-1)).toBe('new');
  }

  it('cuts a torn frame from the tail', async () => {
    const segment = await writeTen();
    // A frame header announcing 100 bytes of body, followed by only a few of them.
    const torn = Buffer.alloc(20);
    torn.writeUInt32BE(100, 0);
    const intactSize = (await stat(segment)).size;
    await appendFile(segment, torn);
    const log = await openLog();
    expect(log.recovery.truncatedBytes).toBe(20);
    expect((await stat(segment)).size).toBe(intactSize);
    await expectIntactAndWritable(log, 10);
  });

  it('cuts a record whose bytes were flipped, and everything after it', async () => {
    const segment = await writeTen();
    const bytes = await readFile(segment);
    bytes[bytes.length - 3] ^= 0xff;
    await writeFile(segment, bytes);
    const log = await openLog();
    expect(log.recovery.truncatedBytes).toBeGreaterThan(0);
    expect((await stat(segment)).size).toBe(bytes.length - log.recovery.truncatedBytes);
    await expectIntactAndWritable(log, 9);
  });

  it('cuts a zero-filled tail', async () => {
    const segment = await writeTen();
    const intactSize = (await stat(segment)).size;
    await appendFile(segment, Buffer.alloc(4096));
    const log = await openLog();
    expect(log.recovery.truncatedBytes).toBe(4096);
    expect((await stat(segment)).size).toBe(intactSize);
    await expectIntactAndWritable(log, 10);
  });

  it('refuses to return a corrupt record from a sealed segment', async () => {
    const first = await openLog({ segmentBytes: 512 });
    await first.createTopic('t', { partitions: 1 });
    for (let i = 0; i < 30; i++) await first.append('t', [textRecord(null, `v${i}`.padEnd(40, '.'))]);
    await first.close();
    const [sealed] = await segmentFiles('t');
    const path = join(partitionDir('t'), sealed!);
    const bytes = await readFile(path);
    bytes[40] ^= 0x01;
    await writeFile(path, bytes);
    const second = await openLog({ segmentBytes: 512 });
    const reader: TopicReader = await second.openReader({ topics: ['t'], start: 'earliest' });
    await expect(reader.poll({ maxRecords: 100 })).rejects.toBeInstanceOf(CorruptRecordError);
    await reader.close();
  });
});

describe('FileTopicLog lock', () => {
  it('refuses a second owner while the first has the directory open', async () => {
    await openLog();
    await expect(FileTopicLog.open({ dir })).rejects.toBeInstanceOf(LogLockedError);
  });

  it('refuses a lock held by another live process', async () => {
    await writeFile(join(dir, LOCK_FILE_NAME), `${process.ppid}\n`);
    const error = await FileTopicLog.open({ dir }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LogLockedError);
    expect((error as LogLockedError).ownerPid).toBe(process.ppid);
  });

  it('takes over the lock of a process that died, and releases it on close', async () => {
    await writeFile(join(dir, LOCK_FILE_NAME), '999999999\n');
    const log = await openLog();
    expect((await readFile(join(dir, LOCK_FILE_NAME), 'utf8')).trim()).toBe(String(process.pid));
    await log.close();
    openLogs.splice(openLogs.indexOf(log), 1);
    await expect(readFile(join(dir, LOCK_FILE_NAME))).rejects.toThrow();
    await (await openLog()).close();
    openLogs.pop();
  });
});
