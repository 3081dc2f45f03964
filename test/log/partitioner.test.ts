import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive, TopicPartitioner } from '../../src/log/partitioner.js';
import { UnknownPartitionError } from '../../src/log/errors.js';

// Kafka's own vectors: clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java#testMurmur2
const KAFKA_MURMUR2_CASES: readonly [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

describe('murmur2', () => {
  it.each(KAFKA_MURMUR2_CASES)('hashes %j like Kafka', (input, expected) => {
    expect(murmur2(Buffer.from(input))).toBe(expected);
  });

  it('hashes the empty key and every tail length without leaving the int32 range', () => {
    for (let length = 0; length < 9; length++) {
      const hash = murmur2(Buffer.alloc(length, 0xff));
      expect(Number.isInteger(hash)).toBe(true);
      expect(hash).toBeGreaterThanOrEqual(-(2 ** 31));
      expect(hash).toBeLessThan(2 ** 31);
    }
  });
});

describe('toPositive', () => {
  it('clears the sign bit rather than negating', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-(2 ** 31))).toBe(0);
    expect(toPositive(5)).toBe(5);
  });
});

describe('partitionForKey', () => {
  it.each(KAFKA_MURMUR2_CASES)('puts %j where Kafka would', (input, kafkaHash) => {
    for (const partitions of [1, 2, 3, 6, 7, 12, 100]) {
      expect(partitionForKey(Buffer.from(input), partitions)).toBe((kafkaHash & 0x7fffffff) % partitions);
    }
  });
});

describe('TopicPartitioner', () => {
  it('keeps explicit partitions, hashes keys and sticks keyless records to one partition per call', () => {
    const partitioner = new TopicPartitioner('t', 4);
    const key = Buffer.from('foobar');
    const first = partitioner.assign([
      { key: null, value: null },
      { key, value: null },
      { key: null, value: null, partition: 3 },
      { key: null, value: null },
    ]);
    expect(first[1]).toBe(partitionForKey(key, 4));
    expect(first[2]).toBe(3);
    expect(first[0]).toBe(first[3]);
    const second = partitioner.assign([{ key: null, value: null }]);
    expect(second[0]).not.toBe(first[0]);
  });

  it('spreads keyless calls over every partition', () => {
    const partitioner = new TopicPartitioner('t', 3);
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) seen.add(partitioner.assign([{ key: null, value: null }])[0]!);
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it('refuses partitions the topic does not have', () => {
    const partitioner = new TopicPartitioner('t', 2);
    expect(() => partitioner.assign([{ key: null, value: null, partition: 2 }])).toThrow(UnknownPartitionError);
    expect(() => partitioner.assign([{ key: null, value: null, partition: -1 }])).toThrow(UnknownPartitionError);
  });
});
