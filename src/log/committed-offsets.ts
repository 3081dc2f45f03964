/**
 * Consumer groups' committed offsets held in memory: the memory log keeps them only here, the
 * file log's GroupOffsetStore persists them besides.
 */
import type { TopicPartitionOffset } from './topic-log.js';

export class CommittedOffsets {
  /** group → "partition:topic" → committed offset */
  private readonly groups = new Map<string, Map<string, TopicPartitionOffset>>();

  /** The group's committed offsets for one topic, by partition. */
  committed(groupId: string, topic: string): TopicPartitionOffset[] {
    return this.ofGroup(groupId)
      .filter((o) => o.topic === topic)
      .sort((a, b) => a.partition - b.partition);
  }

  /** Every committed offset of the group. */
  ofGroup(groupId: string): TopicPartitionOffset[] {
    return [...(this.groups.get(groupId)?.values() ?? [])];
  }

  commit(groupId: string, offsets: readonly TopicPartitionOffset[]): void {
    let group = this.groups.get(groupId);
    if (group === undefined) this.groups.set(groupId, (group = new Map()));
    for (const o of offsets) {
      group.set(partitionKey(o), { topic: o.topic, partition: o.partition, offset: o.offset });
    }
  }

  /** Replaces the group's offsets with ones read back from storage. */
  load(groupId: string, offsets: readonly TopicPartitionOffset[]): void {
    this.groups.set(groupId, new Map(offsets.map((o) => [partitionKey(o), o])));
  }

  /** Forgets a deleted topic's offsets, as Kafka does; returns the groups that changed. */
  dropTopic(topic: string): string[] {
    const changed: string[] = [];
    for (const [groupId, offsets] of this.groups) {
      for (const [key, o] of offsets) {
        if (o.topic === topic) {
          offsets.delete(key);
          if (!changed.includes(groupId)) changed.push(groupId);
        }
      }
    }
    return changed;
  }
}

function partitionKey(o: { readonly topic: string; readonly partition: number }): string {
  return `${o.partition}:${o.topic}`;
}
