/**
 * Transactions and shared membership on the single-process logs: atomic visibility of records
 * and offsets, abort, fencing by transactional id, one shared member per group. (The Kafka log
 * has its own tests against a real broker.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTopicLog } from '../../src/log/file-log.js';
import { MemoryTopicLog } from '../../src/log/memory-log.js';
import { ProducerFencedError, UnknownTopicError, type AssignmentChange, type TopicLog } from '../../src/log/topic-log.js';
import { makeTempDir, pollAtLeast, removeDir, text, textRecord } from './helpers.js';

interface Implementation {
  readonly name: string;
  open(): Promise<TopicLog>;
  cleanup(): Promise<void>;
}

function fileImplementation(): Implementation {
  let dir: string | undefined;
  return {
    name: 'file',
    async open() {
      dir ??= await makeTempDir();
      return FileTopicLog.open({ dir, fsync: { intervalMs: 5 } });
    },
    async cleanup() {
      if (dir !== undefined) await removeDir(dir);
      dir = undefined;
    },
  };
}

const implementations: Implementation[] = [
  { name: 'memory', open: async () => new MemoryTopicLog(), cleanup: async () => {} },
  fileImplementation(),
];

describe.each(implementations)('transactions: $name', (impl) => {
  let log: TopicLog;

  beforeEach(async () => {
    log = await impl.open();
    await log.createTopic('in', { partitions: 2 });
    await log.createTopic('out', { partitions: 2 });
    await log.createTopic('dlq', { partitions: 1 });
  });

  afterEach(async () => {
    await log.close();
    await impl.cleanup();
  });

  it('makes records on several topics and the group offsets visible together at commit', async () => {
    const reader = await log.openReader({ topics: ['out', 'dlq'], start: 'earliest' });
    const producer = await log.openTransactionalProducer('scorer-0');
    const tx = await producer.begin();
    await tx.send('out', [textRecord('a', '1'), textRecord('b', '2'), textRecord(null, '3', { partition: 1 })]);
    await tx.send('dlq', [textRecord('bad', 'x', { headers: [{ key: 'reason', value: Buffer.from('nan') }] })]);
    await tx.sendOffsets('group', [{ topic: 'in', partition: 0, offset: 4 }]);

    expect(await reader.poll({ maxWaitMs: 20 })).toEqual([]);
    expect(await log.endOffsets('out')).toEqual([0, 0]);
    expect(await log.committedOffsets('group', 'in')).toEqual([]);

    await tx.commit();
    const records = await pollAtLeast(reader, 4);
    expect(records.map((r) => `${r.topic}:${text(r.value)}`).sort()).toEqual(['dlq:x', 'out:1', 'out:2', 'out:3']);
    expect(records.find((r) => r.topic === 'dlq')!.headers).toEqual([{ key: 'reason', value: Buffer.from('nan') }]);
    expect(await log.committedOffsets('group', 'in')).toEqual([{ topic: 'in', partition: 0, offset: 4 }]);
    await reader.close();
    await producer.close();
  });

  it('discards an aborted transaction: no records, offsets unchanged', async () => {
    const producer = await log.openTransactionalProducer('p');
    const first = await producer.begin();
    await first.sendOffsets('group', [{ topic: 'in', partition: 1, offset: 2 }]);
    await first.commit();
    const second = await producer.begin();
    await second.send('out', [textRecord('a', 'never')]);
    await second.sendOffsets('group', [{ topic: 'in', partition: 1, offset: 9 }]);
    await second.abort();
    expect(await log.endOffsets('out')).toEqual([0, 0]);
    expect(await log.committedOffsets('group', 'in')).toEqual([{ topic: 'in', partition: 1, offset: 2 }]);
    // The producer goes on with a new transaction.
    const third = await producer.begin();
    await third.send('out', [textRecord(null, 'kept', { partition: 0 })]);
    await third.commit();
    expect(await log.endOffsets('out')).toEqual([1, 0]);
    await producer.close();
  });

  it('fences the older producer of a transactional id: its open transaction is aborted', async () => {
    const zombie = await log.openTransactionalProducer('scorer-in-0');
    const zombieTx = await zombie.begin();
    await zombieTx.send('out', [textRecord('a', 'zombie')]);
    const successor = await log.openTransactionalProducer('scorer-in-0');
    await expect(zombieTx.commit()).rejects.toBeInstanceOf(ProducerFencedError);
    await expect(zombie.begin()).rejects.toBeInstanceOf(ProducerFencedError);
    const tx = await successor.begin();
    await tx.send('out', [textRecord('a', 'successor')]);
    await tx.commit();
    const reader = await log.openReader({ topics: ['out'], start: 'earliest' });
    expect((await pollAtLeast(reader, 1)).map((r) => text(r.value))).toEqual(['successor']);
    expect(await reader.poll({ maxWaitMs: 20 })).toEqual([]);
    await reader.close();
    await successor.close();
    await zombie.close();
  });

  it('refuses a second transaction at once, unknown topics and bad offsets', async () => {
    const producer = await log.openTransactionalProducer('p');
    const tx = await producer.begin();
    await expect(producer.begin()).rejects.toThrow(/already has a transaction in progress/);
    await expect(tx.send('nope', [textRecord('a', '1')])).rejects.toBeInstanceOf(UnknownTopicError);
    await expect(tx.sendOffsets('g', [{ topic: 'in', partition: 0, offset: -1 }])).rejects.toThrow(RangeError);
    await tx.send('out', [textRecord(null, 'x', { partition: 7 })]);
    // A record for a partition the topic lacks fails the commit and nothing of it is applied.
    await expect(tx.commit()).rejects.toThrow(/Partition 7/);
    expect(await log.endOffsets('out')).toEqual([0, 0]);
    const next = await producer.begin();
    await next.abort();
    await producer.close();
  });

  it('is not affected by the producer reusing its buffers before the commit', async () => {
    const producer = await log.openTransactionalProducer('p');
    const tx = await producer.begin();
    const value = Buffer.from('original');
    await tx.send('out', [{ key: null, value, partition: 0 }]);
    value.write('modified');
    await tx.commit();
    const reader = await log.openReader({ topics: ['out'], start: 'earliest' });
    expect(text((await pollAtLeast(reader, 1))[0]!.value)).toBe('original');
    await reader.close();
    await producer.close();
  });

  it('gives a shared member every partition, tells it so, and holds one member per group', async () => {
    const changes: AssignmentChange[] = [];
    const reader = await log.openReader({
      topics: ['in'],
      groupId: 'scorers',
      membership: 'shared',
      start: { committed: true, resetTo: 'earliest' },
      onAssignmentChange: (change) => void changes.push(change),
    });
    expect(reader.assignment()).toEqual([
      { topic: 'in', partition: 0 },
      { topic: 'in', partition: 1 },
    ]);
    expect(changes).toEqual([{ assigned: reader.assignment(), revoked: [] }]);
    await expect(
      log.openReader({ topics: ['in'], groupId: 'scorers', membership: 'shared', start: 'earliest' }),
    ).rejects.toThrow(/one member per group; use Kafka/);
    await expect(log.openReader({ topics: ['in'], membership: 'shared', start: 'earliest' })).rejects.toThrow(/needs a groupId/);
    await reader.close();
    // The group's member left, so another may join.
    const next = await log.openReader({ topics: ['in'], groupId: 'scorers', membership: 'shared', start: 'earliest' });
    await next.close();
  });
});

describe('transactions: file log across restarts', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(async () => {
    await removeDir(dir);
  });

  it('keeps committed transactions and their offsets after a reopen', async () => {
    const log = await FileTopicLog.open({ dir, fsync: 'never' });
    await log.createTopic('out', { partitions: 1 });
    await log.createTopic('in', { partitions: 1 });
    const producer = await log.openTransactionalProducer('p');
    for (let i = 0; i < 3; i++) {
      const tx = await producer.begin();
      await tx.send('out', [textRecord(`k${i}`, `v${i}`)]);
      await tx.sendOffsets('g', [{ topic: 'in', partition: 0, offset: i + 1 }]);
      await tx.commit();
    }
    await log.close();
    const reopened = await FileTopicLog.open({ dir });
    expect(reopened.recovery.transactionsCompleted).toBe(0);
    expect(await reopened.endOffsets('out')).toEqual([3]);
    expect(await reopened.committedOffsets('g', 'in')).toEqual([{ topic: 'in', partition: 0, offset: 3 }]);
    await reopened.close();
  });
});
