/**
 * Kafka's rules for topic names and creation parameters, shared by every TopicLog so that a
 * statement that would fail against Kafka fails the same way locally.
 */
import { InvalidTopicError } from './errors.js';
import type { ProduceRecord, TopicConfig, TopicDescription } from './topic-log.js';

/** org.apache.kafka.common.internals.Topic.MAX_NAME_LENGTH */
const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

export function validateTopicName(name: string): void {
  if (name.length === 0) throw new InvalidTopicError('Topic name is illegal, it can\'t be empty');
  if (name === '.' || name === '..') {
    throw new InvalidTopicError('Topic name cannot be "." or ".."');
  }
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    throw new InvalidTopicError(
      `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, ` +
        `topic name: ${name}`,
    );
  }
  if (!LEGAL_TOPIC_NAME.test(name)) {
    throw new InvalidTopicError(
      `Topic name "${name}" is illegal, it contains a character other than ` +
        "ASCII alphanumerics, '.', '_' and '-'",
    );
  }
}

/**
 * Kafka brokers' defaults for a creation request that leaves the count to them (-1, as KIP-464
 * allows and ksqlDB sends): num.partitions=1, default.replication.factor=1.
 */
const BROKER_DEFAULT = -1;
const DEFAULT_PARTITIONS = 1;
const DEFAULT_REPLICAS = 1;

/** Validates a creation request and fills in the defaults Kafka would apply. */
export function topicDescription(name: string, config: TopicConfig): TopicDescription {
  validateTopicName(name);
  const partitions = config.partitions === BROKER_DEFAULT ? DEFAULT_PARTITIONS : config.partitions;
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new InvalidTopicError(`Number of partitions must be larger than 0, got ${partitions}.`);
  }
  const requestedReplicas = config.replicas ?? BROKER_DEFAULT;
  const replicas = requestedReplicas === BROKER_DEFAULT ? DEFAULT_REPLICAS : requestedReplicas;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new InvalidTopicError(`Replication factor must be larger than 0, got ${replicas}.`);
  }
  return { name, partitions, replicas, config: { ...(config.config ?? {}) } };
}

/** The record's timestamp, or the append time; Kafka's timestamps are integral epoch millis. */
export function appendTimestamp(record: ProduceRecord, now: number): number {
  const timestamp = record.timestamp ?? now;
  if (!Number.isSafeInteger(timestamp)) {
    throw new RangeError(`Invalid timestamp ${timestamp}: timestamps are integral epoch millis.`);
  }
  return timestamp;
}
