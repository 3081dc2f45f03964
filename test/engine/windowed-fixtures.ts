/**
 * Shared set-up of the windowed-aggregation tests (session windows, EMIT FINAL): a
 * one-partition payments stream (one task, so one stream time decides what is late or closed),
 * writing payments into it, reading a sink until its transactional output is visible, and
 * reopening a log for a restart.
 */
import { KafkaTopicLog } from '../../src/log/kafka/index.js';
import type { LogRecord, TopicLog } from '../../src/log/topic-log.js';
import { KAFKA_TEST_OPTIONS, kafkaBrokers, type Implementation } from '../log/implementations.js';
import { NamespacedTopicLog } from '../log/namespaced-log.js';
import { readTopic } from './helpers.js';

export const PAYMENTS_ONE_PARTITION =
  "CREATE STREAM PAYMENTS (USER_ID STRING KEY, AMOUNT INT) WITH (kafka_topic='payments', value_format='JSON', partitions=1);";

export type Payment = readonly [user: string, amount: number, timestamp: number];

export async function pay(log: TopicLog, rows: readonly Payment[]): Promise<void> {
  await log.append(
    'payments',
    rows.map(([user, amount, timestamp]) => ({ key: Buffer.from(user), value: Buffer.from(JSON.stringify({ AMOUNT: amount })), timestamp })),
  );
}

/**
 * A topic's records, decoded, in offset order. Kafka writes a transaction's commit markers a
 * little after the commit returns, so the topic is read again until `expected` records are
 * visible (or about five seconds pass).
 */
export async function readDecoded<T>(log: TopicLog, topic: string, decode: (r: LogRecord) => T, expected = 0): Promise<T[]> {
  for (let attempt = 0; ; attempt++) {
    const records = (await readTopic(log, topic)).map(decode);
    if (records.length >= expected || attempt >= 100) return records;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The same log again after a restart: the memory log lives on, the others are reopened. */
export async function reopen(impl: Implementation, log: TopicLog): Promise<TopicLog> {
  if (impl.name === 'memory') return log;
  await log.close();
  if (impl.name === 'file') return impl.open();
  const brokers = kafkaBrokers()!;
  return new NamespacedTopicLog(await KafkaTopicLog.open({ brokers, ...KAFKA_TEST_OPTIONS }), (log as NamespacedTopicLog).prefix);
}
