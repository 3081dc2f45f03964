/**
 * kafkajs errors → the topic log's errors. kafkajs wraps protocol errors in retry errors
 * (`cause`) and batches per-topic errors in aggregates (`errors`), so the Kafka error type is
 * looked for through both.
 */
import { InvalidTopicError, UnknownPartitionError } from '../errors.js';
import { ProducerFencedError, TopicExistsError, UnknownTopicError } from '../topic-log.js';

interface KafkaJsErrorShape {
  readonly type?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

/** Every Kafka error type (e.g. 'UNKNOWN_TOPIC_OR_PARTITION') in the error and its causes. */
export function kafkaErrorTypes(err: unknown): string[] {
  const types: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown): void => {
    if (typeof e !== 'object' || e === null || seen.has(e)) return;
    seen.add(e);
    const shape = e as KafkaJsErrorShape;
    if (typeof shape.type === 'string') types.push(shape.type);
    // kafkajs 2.2.4 predates PRODUCER_FENCED (90) and reports it as an unknown code.
    if (typeof shape.message === 'string' && shape.message === 'Unknown error code 90') types.push('PRODUCER_FENCED');
    visit(shape.cause);
    if (Array.isArray(shape.errors)) for (const inner of shape.errors) visit(inner);
  };
  visit(err);
  return types;
}

export function hasKafkaErrorType(err: unknown, ...types: string[]): boolean {
  return kafkaErrorTypes(err).some((t) => types.includes(t));
}

const INVALID_TOPIC_TYPES = [
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_CONFIG',
  'POLICY_VIOLATION',
];

/** Errors that mean another producer with the same transactional id took over. */
export const FENCED_TYPES = ['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED'];

/** What creating a topic failed with, in the log's terms. */
export function createTopicError(err: unknown, topic: string): unknown {
  if (hasKafkaErrorType(err, 'TOPIC_ALREADY_EXISTS')) return new TopicExistsError(topic);
  if (hasKafkaErrorType(err, ...INVALID_TOPIC_TYPES)) return new InvalidTopicError(innermostMessage(err));
  return err;
}

/** What an operation on an existing topic failed with, in the log's terms. */
export function topicOperationError(err: unknown, topic: string, partition?: number): unknown {
  if (hasKafkaErrorType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) {
    return partition === undefined ? new UnknownTopicError(topic) : new UnknownPartitionError(topic, partition);
  }
  return err;
}

/** What a transactional call failed with, in the log's terms. */
export function transactionError(err: unknown, transactionalId: string): unknown {
  if (hasKafkaErrorType(err, ...FENCED_TYPES)) return new ProducerFencedError(transactionalId);
  return err;
}

/** The broker's own words, not kafkajs' "retries exceeded" wrapper. */
function innermostMessage(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 10; depth++) {
    const shape = e as KafkaJsErrorShape;
    if (Array.isArray(shape.errors) && shape.errors.length > 0) e = shape.errors[0];
    else if (typeof shape.cause === 'object' && shape.cause !== null) e = shape.cause;
    else break;
  }
  return typeof (e as KafkaJsErrorShape).message === 'string' ? ((e as KafkaJsErrorShape).message as string) : String(e);
}
