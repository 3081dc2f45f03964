/**
 * Kafka's default partitioning, bit-exact with the Java client so that records land in the
 * partition Kafka would choose: keyed records go to `toPositive(murmur2(key)) % partitions`
 * (org.apache.kafka.common.utils.Utils), records without a key stick to one partition per
 * append call and move round-robin between calls (the spirit of KIP-480's sticky partitioner).
 */
import type { ProduceRecord } from './topic-log.js';
import { UnknownPartitionError } from './errors.js';

const MURMUR2_SEED = 0x9747b28c;
const MURMUR2_M = 0x5bd1e995;
const MURMUR2_R = 24;

/** Utils.murmur2: the 32-bit MurmurHash2 Kafka uses, as a signed 32-bit integer like Java's int. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (MURMUR2_SEED ^ length) | 0;
  const blocks = length >>> 2;
  for (let i = 0; i < blocks; i++) {
    const i4 = i << 2;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, MURMUR2_M);
    k ^= k >>> MURMUR2_R;
    k = Math.imul(k, MURMUR2_M);
    h = Math.imul(h, MURMUR2_M);
    h ^= k;
  }
  const tail = length & ~3;
  // Java's fall-through switch over the 1-3 trailing bytes
  const trailing = length & 3;
  if (trailing >= 3) h ^= data[tail + 2]! << 16;
  if (trailing >= 2) h ^= data[tail + 1]! << 8;
  if (trailing >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, MURMUR2_M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, MURMUR2_M);
  h ^= h >>> 15;
  return h | 0;
}

/** Utils.toPositive: clears the sign bit (not Math.abs, which differs for negative numbers). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's producer picks for a non-null key. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}

/**
 * Chooses partitions for the records of append calls to one topic: an explicit partition wins
 * (and must exist), then the key's murmur2 partition, then the sticky partition of this call.
 */
export class TopicPartitioner {
  private nextStickyPartition: number;

  constructor(
    private readonly topic: string,
    private readonly numPartitions: number,
    firstStickyPartition = 0,
  ) {
    this.nextStickyPartition = firstStickyPartition % numPartitions;
  }

  /** Partition per record, in the order given. */
  assign(records: readonly ProduceRecord[]): number[] {
    let sticky: number | undefined;
    return records.map((record) => {
      if (record.partition !== undefined) {
        if (
          !Number.isInteger(record.partition) ||
          record.partition < 0 ||
          record.partition >= this.numPartitions
        ) {
          throw new UnknownPartitionError(this.topic, record.partition);
        }
        return record.partition;
      }
      if (record.key !== null) return partitionForKey(record.key, this.numPartitions);
      if (sticky === undefined) {
        sticky = this.nextStickyPartition;
        this.nextStickyPartition = (this.nextStickyPartition + 1) % this.numPartitions;
      }
      return sticky;
    });
  }
}
