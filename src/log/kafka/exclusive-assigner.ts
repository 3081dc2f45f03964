/**
 * Kafka's assign() for kafkajs, which only has subscribe(): a partition assigner under which
 * each member of the group gets exactly the partitions it asked for in its join metadata.
 * An exclusive reader is the only member of its (private) group, so it gets every partition it
 * requested; exclusive readers sharing a groupId each still get their own request.
 */
import type { Assigner, PartitionAssigner } from 'kafkajs';
import kafkajs from 'kafkajs';
import type { TopicPartition } from '../topic-log.js';

export const EXCLUSIVE_PROTOCOL = 'ksml-exclusive';

type Request = Record<string, number[]>;

export function exclusiveAssigner(requested: readonly TopicPartition[]): PartitionAssigner {
  const request: Request = {};
  for (const { topic, partition } of requested) (request[topic] ??= []).push(partition);
  return (): Assigner => ({
    name: EXCLUSIVE_PROTOCOL,
    version: 1,
    protocol: ({ topics }) => ({
      name: EXCLUSIVE_PROTOCOL,
      metadata: kafkajs.AssignerProtocol.MemberMetadata.encode({
        version: 1,
        topics,
        userData: Buffer.from(JSON.stringify(request)),
      }),
    }),
    assign: async ({ members }) =>
      members.map((member) => {
        const metadata = kafkajs.AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
        const wanted = metadata === null ? {} : (JSON.parse(metadata.userData.toString('utf8')) as Request);
        return {
          memberId: member.memberId,
          memberAssignment: kafkajs.AssignerProtocol.MemberAssignment.encode({
            version: 1,
            assignment: wanted,
            userData: Buffer.alloc(0),
          }),
        };
      }),
  });
}
