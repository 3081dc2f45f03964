/**
 * The TopicLog implementations that parametrised tests run over: memory, file, and Kafka when
 * KAFKA_BOOTSTRAP_SERVERS names a broker (`bash scripts/kafka.sh start` runs one).
 *
 * Test files run in parallel against one broker, so every log the Kafka implementation opens
 * sees the broker through a prefix of its own (NamespacedTopicLog): tests use plain topic,
 * group and transactional names, and cleanup() deletes the prefix's topics.
 *
 * Every Kafka test's topics start with KAFKA_TEST_TOPIC_PREFIX, so that a look at the broker
 * tells test leftovers from anything else; engines get a namespace (test/engine/kafka-namespace.ts).
 */
import { randomUUID } from 'node:crypto';
import { FileTopicLog } from '../../src/log/file-log.js';
import { KafkaTopicLog } from '../../src/log/kafka/index.js';
import { parseBrokerList } from '../../src/log/kafka/options.js';
import { MemoryTopicLog } from '../../src/log/memory-log.js';
import type { TopicLog } from '../../src/log/topic-log.js';
import { makeTempDir, removeDir } from './helpers.js';
import { NamespacedTopicLog } from './namespaced-log.js';

export interface Implementation {
  readonly name: 'memory' | 'file' | 'kafka';
  open(): Promise<TopicLog>;
  cleanup(): Promise<void>;
}

export const KAFKA_SKIP_REASON = 'Kafka tests skipped: KAFKA_BOOTSTRAP_SERVERS is not set (bash scripts/kafka.sh start)';

/** What the names of every Kafka test's topics start with. */
export const KAFKA_TEST_TOPIC_PREFIX = 'test-';

let warnedAboutKafka = false;

/** The test broker's addresses, or undefined (saying once why Kafka tests are skipped). */
export function kafkaBrokers(): string[] | undefined {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS?.trim();
  if (servers) return parseBrokerList(servers);
  if (!warnedAboutKafka) {
    warnedAboutKafka = true;
    console.warn(KAFKA_SKIP_REASON);
  }
  return undefined;
}

/**
 * Group timings short enough for tests (the test broker allows sessions from 1 s) and a short
 * fetch wait, so that seeks, rebalances and close() take effect quickly.
 */
export const KAFKA_TEST_OPTIONS = {
  clientId: 'ksml-test',
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 500,
  rebalanceTimeoutMs: 10_000,
  fetchMaxWaitMs: 100,
} as const;

/** A Kafka log under a fresh prefix; `prefix` is what the real names start with. */
export async function openKafkaTestLog(brokers: readonly string[]): Promise<NamespacedTopicLog> {
  const prefix = `${KAFKA_TEST_TOPIC_PREFIX}${randomUUID().slice(0, 8)}-`;
  return new NamespacedTopicLog(await KafkaTopicLog.open({ brokers, ...KAFKA_TEST_OPTIONS }), prefix);
}

export function memoryImplementation(): Implementation {
  return { name: 'memory', open: async () => new MemoryTopicLog(), cleanup: async () => {} };
}

export function fileImplementation(): Implementation {
  let dir: string | undefined;
  return {
    name: 'file',
    async open() {
      dir ??= await makeTempDir();
      // Small segments and a busy fsync timer, so that the contract also runs across segment
      // boundaries and alongside background syncs.
      return FileTopicLog.open({ dir, fsync: { intervalMs: 5 }, segmentBytes: 2048 });
    },
    async cleanup() {
      if (dir !== undefined) await removeDir(dir);
      dir = undefined;
    },
  };
}

/** The Kafka implementation's logs are namespaced; its tests may use the real names too. */
export interface KafkaImplementation extends Implementation {
  open(): Promise<NamespacedTopicLog>;
}

export function kafkaImplementation(brokers: readonly string[]): KafkaImplementation {
  const prefixes: string[] = [];
  return {
    name: 'kafka',
    async open() {
      const log = await openKafkaTestLog(brokers);
      prefixes.push(log.prefix);
      return log;
    },
    async cleanup() {
      // The tests' own topics, so that the shared broker does not fill up over a run.
      const admin = await KafkaTopicLog.open({ brokers, ...KAFKA_TEST_OPTIONS });
      try {
        const topics = await admin.listTopics();
        for (const topic of topics) {
          if (prefixes.some((p) => topic.name.startsWith(p))) await admin.deleteTopic(topic.name).catch(() => undefined);
        }
      } finally {
        prefixes.length = 0;
        await admin.close();
      }
    },
  };
}

/** Every implementation available here: memory and file always, Kafka with a broker. */
export function implementations(): Implementation[] {
  const brokers = kafkaBrokers();
  return [memoryImplementation(), fileImplementation(), ...(brokers ? [kafkaImplementation(brokers)] : [])];
}
