/**
 * A namespace for a local engine on the shared test broker: its own ksql.service.id (which
 * names the command topic and the queries' consumer groups, as in ksqlDB) and its own topic
 * names for sql/ and ksql-migrations' metadata. Test files running engines in parallel on one
 * broker then never meet, and each deletes only its own topics afterwards.
 */
import { randomUUID } from 'node:crypto';
import { KafkaTopicLog } from '../../src/log/kafka/index.js';
import { DEFAULT_PIPELINE_VARIABLES } from '../../src/pipeline/pipeline-config.js';
import { KAFKA_TEST_OPTIONS, KAFKA_TEST_TOPIC_PREFIX } from '../log/implementations.js';

export interface EngineNamespace {
  /** Server properties for startLocalKsqlDb / createLocalEngine. */
  readonly properties: Readonly<Record<string, string>>;
  /** sql/'s variables with this namespace's topic names. */
  readonly variables: Readonly<Record<string, string>>;
  /** ksql-migrations' metadata topics, for deploy(). */
  readonly migrations: { readonly streamTopic: string; readonly tableTopic: string };
  /** Deletes every topic of the namespace (the pipeline's, the command topic, internal ones). */
  cleanup(brokers: readonly string[]): Promise<void>;
}

export function engineNamespace(name: string): EngineNamespace {
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  const prefix = `${KAFKA_TEST_TOPIC_PREFIX}${id}-`;
  const serviceId = `${prefix}`;
  const variables: Record<string, string> = { ...DEFAULT_PIPELINE_VARIABLES };
  for (const key of Object.keys(variables)) if (key.endsWith('_topic')) variables[key] = `${prefix}${variables[key]}`;
  return {
    properties: { 'ksql.service.id': serviceId },
    variables,
    migrations: { streamTopic: `${prefix}migration-events`, tableTopic: `${prefix}migration-schema-versions` },
    async cleanup(brokers) {
      const log = await KafkaTopicLog.open({ brokers, ...KAFKA_TEST_OPTIONS });
      try {
        for (const topic of await log.listTopics()) {
          if (topic.name.startsWith(prefix) || topic.name.includes(`ksql-${serviceId}`)) await log.deleteTopic(topic.name).catch(() => undefined);
        }
      } finally {
        await log.close();
      }
    },
  };
}
