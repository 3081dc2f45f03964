/**
 * Where a Kafka reader starts on each partition, computed before it reads, with the rules of
 * the embedded logs (src/log/reader.ts): 'earliest', 'latest', the group's committed offset
 * (else resetTo), or explicit offsets, out-of-range offsets clamped like auto.offset.reset.
 */
import type { StartPosition, TopicPartition } from '../topic-log.js';
import type { KafkaTopicAdmin } from './admin.js';

export interface PartitionStart extends TopicPartition {
  /** The offset the reader starts at. */
  readonly offset: number;
  /** The partition's last stable offset when the start was computed: data below it exists. */
  readonly knownEnd: number;
}

export async function startPositions(
  admin: KafkaTopicAdmin,
  partitions: readonly TopicPartition[],
  start: StartPosition,
  groupId: string | undefined,
): Promise<PartitionStart[]> {
  const topics = [...new Set(partitions.map((p) => p.topic))];
  const offsets = new Map(await Promise.all(topics.map(async (t) => [t, await admin.offsets(t)] as const)));
  const bounds = (p: TopicPartition): { beginning: number; end: number } => {
    const o = offsets.get(p.topic)!;
    return { beginning: o.beginning[p.partition] ?? 0, end: o.end[p.partition] ?? 0 };
  };
  const clamp = (p: TopicPartition, offset: number): number => {
    const { beginning, end } = bounds(p);
    return Math.min(Math.max(offset, beginning), end);
  };

  let chosen: (p: TopicPartition) => number;
  if (start === 'earliest') chosen = (p) => bounds(p).beginning;
  else if (start === 'latest') chosen = (p) => bounds(p).end;
  else if ('committed' in start) {
    if (groupId === undefined) throw new Error("A reader starting at 'committed' needs a groupId.");
    const committed = new Map<string, number>();
    for (const topic of topics) {
      for (const c of await admin.committedOffsets(groupId, topic)) committed.set(key(c), c.offset);
    }
    const reset = start.resetTo ?? 'latest';
    chosen = (p) => {
      const offset = committed.get(key(p));
      if (offset !== undefined) return clamp(p, offset);
      return reset === 'earliest' ? bounds(p).beginning : bounds(p).end;
    };
  } else {
    const explicit = new Map(start.offsets.map((o) => [key(o), o.offset]));
    chosen = (p) => {
      const offset = explicit.get(key(p));
      return offset === undefined ? bounds(p).beginning : clamp(p, offset);
    };
  }
  return partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: chosen(p), knownEnd: bounds(p).end }));
}

export function key(p: TopicPartition): string {
  return `${p.partition}:${p.topic}`;
}
