/**
 * The TopicLog contract, run against every implementation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../src/log/partitioner.js';
import { InvalidTopicError, UnknownPartitionError } from '../../src/log/errors.js';
import { TopicExistsError, UnknownTopicError, type TopicLog } from '../../src/log/topic-log.js';
import { pollAtLeast, text, textRecord } from './helpers.js';
import { implementations } from './implementations.js';

describe.each(implementations())('TopicLog contract: $name', (impl) => {
  let log: TopicLog;

  beforeEach(async () => {
    log = await impl.open();
  });

  afterEach(async () => {
    await log.close();
    await impl.cleanup();
  });

  describe('topics', () => {
    it('creates, lists, describes and deletes topics', async () => {
      await log.createTopic('orders', { partitions: 3, replicas: 1, config: { 'retention.ms': '1000000' } });
      await log.createTopic('users', { partitions: 1 });
      expect((await log.listTopics()).map((t) => t.name).sort()).toEqual(['orders', 'users']);
      expect(await log.describeTopic('orders')).toEqual({
        name: 'orders',
        partitions: 3,
        replicas: 1,
        config: { 'retention.ms': '1000000' },
      });
      expect(await log.describeTopic('users')).toEqual({ name: 'users', partitions: 1, replicas: 1, config: {} });
      await log.deleteTopic('orders');
      expect(await log.describeTopic('orders')).toBeUndefined();
      expect((await log.listTopics()).map((t) => t.name)).toEqual(['users']);
    });

    it('refuses duplicates, unknown topics and names Kafka refuses', async () => {
      await log.createTopic('t', { partitions: 1 });
      await expect(log.createTopic('t', { partitions: 2 })).rejects.toBeInstanceOf(TopicExistsError);
      await expect(log.deleteTopic('nope')).rejects.toBeInstanceOf(UnknownTopicError);
      await expect(log.append('nope', [textRecord('k', 'v')])).rejects.toBeInstanceOf(UnknownTopicError);
      await expect(log.endOffsets('nope')).rejects.toBeInstanceOf(UnknownTopicError);
      await expect(log.createTopic('bad/name', { partitions: 1 })).rejects.toBeInstanceOf(InvalidTopicError);
      await expect(log.createTopic('..', { partitions: 1 })).rejects.toBeInstanceOf(InvalidTopicError);
      await expect(log.createTopic('zero', { partitions: 0 })).rejects.toBeInstanceOf(InvalidTopicError);
    });

    it('applies the broker defaults when partitions or replicas are -1', async () => {
      await log.createTopic('defaults', { partitions: -1, replicas: -1 });
      expect(await log.describeTopic('defaults')).toEqual({ name: 'defaults', partitions: 1, replicas: 1, config: {} });
      await expect(log.createTopic('bad', { partitions: 2, replicas: 0 })).rejects.toBeInstanceOf(InvalidTopicError);
    });

    it('ensureTopic creates once and then returns the existing description', async () => {
      const created = await log.ensureTopic('t', { partitions: 2 });
      expect(created.partitions).toBe(2);
      const again = await log.ensureTopic('t', { partitions: 5 });
      expect(again.partitions).toBe(2);
      const both = await Promise.all([log.ensureTopic('u', { partitions: 1 }), log.ensureTopic('u', { partitions: 1 })]);
      expect(both.map((d) => d.name)).toEqual(['u', 'u']);
    });

    it('starts a re-created topic empty', async () => {
      await log.createTopic('t', { partitions: 1 });
      await log.append('t', [textRecord('a', '1'), textRecord('a', '2')]);
      await log.deleteTopic('t');
      await log.createTopic('t', { partitions: 1 });
      expect(await log.endOffsets('t')).toEqual([0]);
    });
  });

  describe('append and read', () => {
    it('keeps per-partition order with consecutive offsets', async () => {
      await log.createTopic('t', { partitions: 2 });
      const results = await log.append(
        't',
        Array.from({ length: 40 }, (_, i) => textRecord(null, `v${i}`, { partition: i % 2 })),
      );
      expect(results.filter((r) => r.partition === 0).map((r) => r.offset)).toEqual([...Array(20).keys()]);
      expect(results.filter((r) => r.partition === 1).map((r) => r.offset)).toEqual([...Array(20).keys()]);
      expect(await log.endOffsets('t')).toEqual([20, 20]);
      expect(await log.beginningOffsets('t')).toEqual([0, 0]);

      const reader = await log.openReader({ topics: ['t'], start: 'earliest' });
      const records = await pollAtLeast(reader, 40);
      for (const partition of [0, 1]) {
        const mine = records.filter((r) => r.partition === partition);
        expect(mine.map((r) => r.offset)).toEqual([...Array(20).keys()]);
        expect(mine.map((r) => text(r.value))).toEqual(
          [...Array(20).keys()].map((i) => `v${i * 2 + partition}`),
        );
      }
      await reader.close();
    });

    it('puts keyed records in the partition Kafka would choose', async () => {
      await log.createTopic('t', { partitions: 6 });
      const keys = ['21', 'foobar', 'abc', 'a-little-bit-long-string', 'user-1', 'user-2', 'user-3'];
      const results = await log.append('t', keys.map((k) => textRecord(k, k)));
      results.forEach((r, i) => expect(r.partition).toBe(partitionForKey(Buffer.from(keys[i]!), 6)));
      // Kafka's own hash of "foobar" is -790332482.
      expect(results[1]!.partition).toBe((-790332482 & 0x7fffffff) % 6);
    });

    it('round-trips keys, values, nulls, timestamps and headers', async () => {
      await log.createTopic('t', { partitions: 1 });
      const binary = Buffer.from([0, 255, 1, 254, 10, 13]);
      const before = Date.now();
      const results = await log.append('t', [
        { key: binary, value: Buffer.from('ünïcødé'), timestamp: 1_600_000_000_123, headers: [
          { key: 'trace', value: Buffer.from('abc') },
          { key: 'empty', value: Buffer.alloc(0) },
        ] },
        { key: null, value: null },
        { key: Buffer.alloc(0), value: Buffer.alloc(5000, 7), timestamp: 0 },
      ]);
      const after = Date.now();
      expect(results[0]!.timestamp).toBe(1_600_000_000_123);
      expect(results[1]!.timestamp).toBeGreaterThanOrEqual(before);
      expect(results[1]!.timestamp).toBeLessThanOrEqual(after);

      const reader = await log.openReader({ topics: ['t'], start: 'earliest' });
      const [a, b, c] = await pollAtLeast(reader, 3);
      expect(a!.key).toEqual(binary);
      expect(text(a!.value)).toBe('ünïcødé');
      expect(a!.timestamp).toBe(1_600_000_000_123);
      expect(a!.headers).toEqual([
        { key: 'trace', value: Buffer.from('abc') },
        { key: 'empty', value: Buffer.alloc(0) },
      ]);
      expect(a!.topic).toBe('t');
      expect(b!.key).toBeNull();
      expect(b!.value).toBeNull();
      expect(b!.headers).toEqual([]);
      expect(b!.timestamp).toBe(results[1]!.timestamp);
      expect(c!.key).toEqual(Buffer.alloc(0));
      expect(c!.value).toEqual(Buffer.alloc(5000, 7));
      expect(c!.timestamp).toBe(0);
      await reader.close();
    });

    // kafkajs 2.2.4 cannot write a null header value (it sizes the value before checking for
    // null), so the Kafka log refuses such records; test/log/kafka-log.test.ts checks that.
    it.skipIf(impl.name === 'kafka')('round-trips a null header value', async () => {
      await log.createTopic('t', { partitions: 1 });
      await log.append('t', [{ key: null, value: Buffer.from('v'), headers: [
        { key: 'before', value: Buffer.from('x') },
        { key: 'nothing', value: null },
      ] }]);
      const reader = await log.openReader({ topics: ['t'], start: 'earliest' });
      const [record] = await pollAtLeast(reader, 1);
      expect(record!.headers).toEqual([
        { key: 'before', value: Buffer.from('x') },
        { key: 'nothing', value: null },
      ]);
      await reader.close();
    });

    it('is not affected by the producer reusing its buffers', async () => {
      await log.createTopic('t', { partitions: 1 });
      const value = Buffer.from('original');
      await log.append('t', [{ key: null, value }]);
      value.write('modified');
      const reader = await log.openReader({ topics: ['t'], start: 'earliest' });
      expect(text((await pollAtLeast(reader, 1))[0]!.value)).toBe('original');
      await reader.close();
    });

    it('rejects a record for a partition the topic lacks and appends nothing of that call', async () => {
      await log.createTopic('t', { partitions: 2 });
      await expect(
        log.append('t', [textRecord(null, 'a', { partition: 0 }), textRecord(null, 'b', { partition: 2 })]),
      ).rejects.toBeInstanceOf(UnknownPartitionError);
      expect(await log.endOffsets('t')).toEqual([0, 0]);
    });

    it('caps a poll at maxRecords and continues where it stopped', async () => {
      await log.createTopic('t', { partitions: 1 });
      await log.append('t', Array.from({ length: 25 }, (_, i) => textRecord(null, `v${i}`)));
      const reader = await log.openReader({ topics: ['t'], start: 'earliest' });
      const first = await reader.poll({ maxRecords: 10 });
      expect(first.map((r) => r.offset)).toEqual([...Array(10).keys()]);
      expect(reader.positions()).toEqual([{ topic: 't', partition: 0, offset: 10 }]);
      const rest = await pollAtLeast(reader, 15);
      expect(rest.map((r) => r.offset)).toEqual([...Array(15).keys()].map((i) => i + 10));
      await reader.close();
    });
  });

  describe('readers', () => {
    it("starts at 'earliest', 'latest' or explicit offsets", async () => {
      await log.createTopic('t', { partitions: 2 });
      await log.append('t', Array.from({ length: 10 }, (_, i) => textRecord(null, `v${i}`, { partition: i % 2 })));

      const latest = await log.openReader({ topics: ['t'], start: 'latest' });
      expect(latest.positions()).toEqual([
        { topic: 't', partition: 0, offset: 5 },
        { topic: 't', partition: 1, offset: 5 },
      ]);
      expect(await latest.poll()).toEqual([]);
      await log.append('t', [textRecord(null, 'new', { partition: 1 })]);
      const fresh = await pollAtLeast(latest, 1);
      expect(fresh.map((r) => [r.partition, r.offset, text(r.value)])).toEqual([[1, 5, 'new']]);
      await latest.close();

      const explicit = await log.openReader({
        topics: ['t'],
        start: { offsets: [{ topic: 't', partition: 1, offset: 3 }] },
      });
      const records = await pollAtLeast(explicit, 8);
      expect(records.filter((r) => r.partition === 1).map((r) => r.offset)).toEqual([3, 4, 5]);
      expect(records.filter((r) => r.partition === 0).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
      await explicit.close();
    });

    it('reads only the partitions it is given', async () => {
      await log.createTopic('t', { partitions: 3 });
      await log.append('t', [0, 1, 2].map((p) => textRecord(null, `p${p}`, { partition: p })));
      const reader = await log.openReader({ topics: ['t'], start: 'earliest', partitions: [{ topic: 't', partition: 2 }] });
      const records = await pollAtLeast(reader, 1);
      expect(records.map((r) => text(r.value))).toEqual(['p2']);
      expect(await reader.poll({ maxWaitMs: 0 })).toEqual([]);
      await reader.close();
    });

    it('reads several topics', async () => {
      await log.createTopic('a', { partitions: 1 });
      await log.createTopic('b', { partitions: 1 });
      await log.append('a', [textRecord(null, 'from-a')]);
      await log.append('b', [textRecord(null, 'from-b')]);
      const reader = await log.openReader({ topics: ['a', 'b'], start: 'earliest' });
      const records = await pollAtLeast(reader, 2);
      expect(records.map((r) => `${r.topic}:${text(r.value)}`).sort()).toEqual(['a:from-a', 'b:from-b']);
      await reader.close();
    });

    it('refuses unknown topics', async () => {
      await expect(log.openReader({ topics: ['nope'], start: 'earliest' })).rejects.toBeInstanceOf(UnknownTopicError);
    });

    it('seeks back and forward', async () => {
      await log.createTopic('t', { partitions: 1 });
      await log.append('t', Array.from({ length: 10 }, (_, i) => textRecord(null, `v${i}`)));
      const reader = await log.openReader({ topics: ['t'], start: 'earliest' });
      await pollAtLeast(reader, 10);
      reader.seek('t', 0, 2);
      expect(reader.positions()[0]!.offset).toBe(2);
      expect((await reader.poll({ maxRecords: 3 })).map((r) => r.offset)).toEqual([2, 3, 4]);
      reader.seek('t', 0, 8);
      expect((await pollAtLeast(reader, 2)).map((r) => text(r.value))).toEqual(['v8', 'v9']);
      expect(() => reader.seek('t', 1, 0)).toThrow();
      await reader.close();
    });

    it('waits in poll and wakes when a record is appended', async () => {
      await log.createTopic('t', { partitions: 2 });
      const reader = await log.openReader({ topics: ['t'], start: 'latest' });
      const polled = reader.poll({ maxWaitMs: 30_000 });
      let settled = false;
      void polled.then(() => (settled = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      await log.append('t', [textRecord(null, 'wake', { partition: 1 })]);
      const records = await polled;
      expect(records.map((r) => text(r.value))).toEqual(['wake']);
      await reader.close();
    });

    it('returns no records when maxWaitMs passes without data', async () => {
      await log.createTopic('t', { partitions: 1 });
      const reader = await log.openReader({ topics: ['t'], start: 'latest' });
      expect(await reader.poll({ maxWaitMs: 20 })).toEqual([]);
      expect(await reader.poll({ maxWaitMs: 0 })).toEqual([]);
      await reader.close();
    });

    it('stops waiting when the signal aborts, and refuses an aborted signal', async () => {
      await log.createTopic('t', { partitions: 1 });
      const reader = await log.openReader({ topics: ['t'], start: 'latest' });
      const controller = new AbortController();
      const polled = reader.poll({ maxWaitMs: 30_000, signal: controller.signal });
      controller.abort(new Error('stop'));
      await expect(polled).rejects.toThrow('stop');
      await expect(reader.poll({ signal: controller.signal })).rejects.toThrow('stop');
      // The reader still works afterwards.
      await log.append('t', [textRecord(null, 'later')]);
      expect((await pollAtLeast(reader, 1)).map((r) => text(r.value))).toEqual(['later']);
      await reader.close();
    });

    it('lets a reader of a deleted topic wait quietly instead of failing or spinning', async () => {
      await log.createTopic('t', { partitions: 1 });
      await log.append('t', [textRecord(null, 'a')]);
      const reader = await log.openReader({ topics: ['t'], start: 'latest' });
      const polled = reader.poll({ maxWaitMs: 50 });
      await log.deleteTopic('t');
      expect(await polled).toEqual([]);
      expect(await reader.poll({ maxWaitMs: 20 })).toEqual([]);
      await reader.close();
    });

    it('ends a waiting poll with no records when the reader closes', async () => {
      await log.createTopic('t', { partitions: 1 });
      const reader = await log.openReader({ topics: ['t'], start: 'latest' });
      const polled = reader.poll({ maxWaitMs: 30_000 });
      await reader.close();
      expect(await polled).toEqual([]);
      await expect(reader.poll()).rejects.toThrow();
    });
  });

  describe('consumer groups', () => {
    it('commits positions and restores them in a new reader', async () => {
      await log.createTopic('t', { partitions: 2 });
      await log.append('t', Array.from({ length: 10 }, (_, i) => textRecord(null, `v${i}`, { partition: i % 2 })));
      const first = await log.openReader({ topics: ['t'], groupId: 'g', start: { committed: true, resetTo: 'earliest' } });
      expect(first.positions().map((p) => p.offset)).toEqual([0, 0]);
      await pollAtLeast(first, 10);
      await first.commit();
      await first.close();
      expect(await log.committedOffsets('g', 't')).toEqual([
        { topic: 't', partition: 0, offset: 5 },
        { topic: 't', partition: 1, offset: 5 },
      ]);

      await log.append('t', [textRecord(null, 'after', { partition: 0 })]);
      const second = await log.openReader({ topics: ['t'], groupId: 'g', start: { committed: true } });
      expect(second.positions().map((p) => p.offset)).toEqual([5, 5]);
      expect((await pollAtLeast(second, 1)).map((r) => text(r.value))).toEqual(['after']);
      await second.commit([{ topic: 't', partition: 1, offset: 2 }]);
      expect(await log.committedOffsets('g', 't')).toEqual([
        { topic: 't', partition: 0, offset: 5 },
        { topic: 't', partition: 1, offset: 2 },
      ]);
      await second.close();
    });

    it("falls back to resetTo ('latest' by default) without a committed offset", async () => {
      await log.createTopic('t', { partitions: 1 });
      await log.append('t', [textRecord(null, 'old')]);
      const latest = await log.openReader({ topics: ['t'], groupId: 'fresh', start: { committed: true } });
      expect(latest.positions()[0]!.offset).toBe(1);
      const earliest = await log.openReader({
        topics: ['t'],
        groupId: 'fresh',
        start: { committed: true, resetTo: 'earliest' },
      });
      expect(earliest.positions()[0]!.offset).toBe(0);
      await latest.close();
      await earliest.close();
    });

    it('keeps groups apart and forgets offsets of deleted topics', async () => {
      await log.createTopic('t', { partitions: 1 });
      const reader = await log.openReader({ topics: ['t'], groupId: 'one', start: 'earliest' });
      await reader.commit([{ topic: 't', partition: 0, offset: 7 }]);
      await reader.close();
      expect(await log.committedOffsets('two', 't')).toEqual([]);
      await log.deleteTopic('t');
      await log.createTopic('t', { partitions: 1 });
      expect(await log.committedOffsets('one', 't')).toEqual([]);
    });

    it('needs a group to commit', async () => {
      await log.createTopic('t', { partitions: 1 });
      const reader = await log.openReader({ topics: ['t'], start: 'earliest' });
      await expect(reader.commit()).rejects.toThrow();
      await reader.close();
    });
  });
});
