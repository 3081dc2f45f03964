/**
 * Topics, offsets and consumer groups of a Kafka cluster through one kafkajs admin client:
 * the administrative half of KafkaTopicLog.
 */
// kafkajs is CommonJS: Node's ESM loader sees only some of its named exports, so values come
// from the default export and names are imported for types only.
import kafkajs, { type Admin, type Kafka, type PartitionMetadata } from 'kafkajs';
import type { Logger } from 'pino';
import type { TopicConfig, TopicDescription, TopicPartitionOffset } from '../topic-log.js';
import { TopicExistsError, UnknownTopicError } from '../topic-log.js';
import { topicDescription, validateTopicName } from '../topic-validation.js';
import { createTopicError, hasKafkaErrorType, topicOperationError } from './errors.js';
import { RenewableClient } from './renewable-client.js';

/** Kafka's own topics, which a TopicLog does not list (Java's listTopics() leaves them out too). */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);
/** How long createTopic/deleteTopic wait for the cluster's metadata to show the change. */
const METADATA_WAIT_MS = 10_000;
const METADATA_POLL_MS = 50;
/** Partition counts for appends are looked up again after this long (Java: metadata.max.age.ms is 5 min). */
const PARTITION_COUNT_TTL_MS = 30_000;
/** The broker's timeout for a topic creation or deletion. */
const ADMIN_REQUEST_TIMEOUT_MS = 10_000;

export class KafkaTopicAdmin {
  /**
   * Two kafkajs admin clients. A metadata request for named topics replaces the client's
   * cached cluster metadata with just those topics, and a concurrent call that reads the cache
   * (offsets, committed offsets) then finds no partitions for its own topic and fails inside
   * kafkajs. So `lookups` answers "which partitions has this topic" (the answer comes from the
   * response, not the cache), and `admin` does the rest, refreshing only with all its topics.
   */
  private readonly lookups: RenewableClient<Admin>;
  private readonly admin: RenewableClient<Admin>;
  private readonly partitionCounts = new Map<string, { readonly count: number; readonly at: number }>();

  constructor(kafka: Kafka, logger: Logger) {
    const client = (name: string): RenewableClient<Admin> =>
      new RenewableClient<Admin>(
        {
          name,
          connect: async () => {
            // Few quick retries: errors that are not transient (an unknown topic) surface in
            // well under a second instead of kafkajs' default of several.
            const admin = kafka.admin({ retry: { retries: 3, initialRetryTime: 100 } });
            await admin.connect();
            return admin;
          },
          disconnect: (admin) => admin.disconnect(),
        },
        logger,
      );
    this.lookups = client('Kafka admin client (topic lookups)');
    this.admin = client('Kafka admin client');
  }

  /** The topic's partitions, or undefined when it does not exist (asks the broker each time). */
  async partitionsOf(topic: string): Promise<PartitionMetadata[] | undefined> {
    if (!isLegalTopicName(topic)) return undefined;
    try {
      const { topics } = await this.lookups.use((admin) => admin.fetchTopicMetadata({ topics: [topic] }));
      const partitions = topics.find((t) => t.name === topic)?.partitions;
      if (partitions === undefined || partitions.length === 0) return undefined;
      return [...partitions].sort((a, b) => a.partitionId - b.partitionId);
    } catch (err) {
      if (hasKafkaErrorType(err, 'UNKNOWN_TOPIC_OR_PARTITION', 'INVALID_TOPIC_EXCEPTION')) return undefined;
      throw err;
    }
  }

  /** The topic's partition count for partitioning appends, cached; throws UnknownTopicError. */
  async partitionCount(topic: string): Promise<number> {
    const cached = this.partitionCounts.get(topic);
    if (cached !== undefined && performance.now() - cached.at < PARTITION_COUNT_TTL_MS) return cached.count;
    const partitions = await this.partitionsOf(topic);
    if (partitions === undefined) {
      this.partitionCounts.delete(topic);
      throw new UnknownTopicError(topic);
    }
    this.partitionCounts.set(topic, { count: partitions.length, at: performance.now() });
    return partitions.length;
  }

  /** Forgets the cached partition count (the topic was deleted or failed an append). */
  forgetTopic(topic: string): void {
    this.partitionCounts.delete(topic);
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    // The same checks as the embedded logs, so the same requests fail the same way; -1 still
    // goes to the broker, which applies its own defaults (KIP-464).
    topicDescription(name, config);
    const configEntries = Object.entries(config.config ?? {}).map(([key, value]) => ({ name: key, value }));
    let created: boolean;
    try {
      created = await this.admin.use((admin) =>
        admin.createTopics({
          topics: [
            {
              topic: name,
              numPartitions: config.partitions,
              replicationFactor: config.replicas ?? -1,
              configEntries,
            },
          ],
          // Waits until every partition has a leader, so an append or read can follow at once.
          waitForLeaders: true,
          timeout: ADMIN_REQUEST_TIMEOUT_MS,
        }),
        staleClientOnly,
      );
    } catch (err) {
      throw createTopicError(err, name);
    }
    // kafkajs resolves false, not an error, when the topic exists.
    if (!created) throw createTopicError({ type: 'TOPIC_ALREADY_EXISTS' }, name);
    this.partitionCounts.delete(name);
    await this.waitForMetadata(name, (partitions) => partitions !== undefined);
  }

  async ensureTopic(name: string, config: TopicConfig): Promise<TopicDescription> {
    const existing = await this.describeTopic(name);
    if (existing !== undefined) return existing;
    try {
      await this.createTopic(name, config);
    } catch (err) {
      // Lost a race with a concurrent creation of the same topic.
      if (!(err instanceof TopicExistsError)) throw err;
    }
    await this.waitForMetadata(name, (partitions) => partitions !== undefined);
    const description = await this.describeTopic(name);
    if (description === undefined) throw new UnknownTopicError(name);
    return description;
  }

  async deleteTopic(name: string): Promise<void> {
    if ((await this.partitionsOf(name)) === undefined) throw new UnknownTopicError(name);
    try {
      await this.admin.use(
        (admin) => admin.deleteTopics({ topics: [name], timeout: ADMIN_REQUEST_TIMEOUT_MS }),
        async () => (await this.partitionsOf(name)) !== undefined,
      );
    } catch (err) {
      throw topicOperationError(err, name);
    }
    this.partitionCounts.delete(name);
    // Until the metadata shows it gone, creating the topic again would fail as existing.
    await this.waitForMetadata(name, (partitions) => partitions === undefined);
  }

  /** Answers once the cluster does (a metadata request for no topics). */
  async checkConnection(): Promise<void> {
    await this.lookups.use((admin) => admin.describeCluster());
  }

  async listTopics(): Promise<TopicDescription[]> {
    const { topics } = await this.lookups.use((admin) => admin.fetchTopicMetadata());
    const visible = topics.filter((t) => !INTERNAL_TOPICS.has(t.name) && t.partitions.length > 0);
    let configs: Map<string, Record<string, string>>;
    try {
      configs = await this.explicitConfigs(visible.map((t) => t.name));
    } catch (err) {
      if (!hasKafkaErrorType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) throw err;
      // A topic was deleted since the listing (the request fails as a whole): one at a time,
      // leaving out the ones that are gone.
      configs = new Map();
      for (const t of visible) {
        const one = await this.explicitConfigs([t.name]).catch((e: unknown) => {
          if (hasKafkaErrorType(e, 'UNKNOWN_TOPIC_OR_PARTITION')) return undefined;
          throw e;
        });
        const config = one?.get(t.name);
        if (config !== undefined) configs.set(t.name, config);
      }
    }
    return visible
      .filter((t) => configs.has(t.name))
      .map((t) => describe(t.name, t.partitions, configs.get(t.name)!))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const partitions = await this.partitionsOf(name);
    if (partitions === undefined) return undefined;
    const configs = await this.explicitConfigs([name]).catch((err: unknown) => {
      // Deleted between the two requests.
      if (hasKafkaErrorType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) return undefined;
      throw err;
    });
    if (configs === undefined) return undefined;
    return describe(name, partitions, configs.get(name) ?? {});
  }

  /** First offset and last stable offset per partition (index = partition). */
  async offsets(topic: string): Promise<{ readonly beginning: number[]; readonly end: number[] }> {
    let offsets: Awaited<ReturnType<Admin['fetchTopicOffsets']>>;
    try {
      // ListOffsets is read_committed (kafkajs' default): the end is the last stable offset,
      // which a read_committed reader can reach even while a transaction is open.
      offsets = await this.admin.use(
        (admin) => admin.fetchTopicOffsets(topic),
        async () => (await this.partitionsOf(topic)) !== undefined,
      );
    } catch (err) {
      throw topicOperationError(err, topic);
    }
    const sorted = [...offsets].sort((a, b) => a.partition - b.partition);
    return { beginning: sorted.map((o) => Number(o.low)), end: sorted.map((o) => Number(o.high)) };
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    if ((await this.partitionsOf(topic)) === undefined) return [];
    let response: Awaited<ReturnType<Admin['fetchOffsets']>>;
    try {
      response = await this.admin.use(
        (admin) => admin.fetchOffsets({ groupId, topics: [topic] }),
        async () => (await this.partitionsOf(topic)) !== undefined,
      );
    } catch (err) {
      // Deleted meanwhile: like the embedded logs, a deleted topic has no committed offsets.
      if (hasKafkaErrorType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) return [];
      throw err;
    }
    return response
      .filter((t) => t.topic === topic)
      .flatMap((t) => t.partitions)
      // -1: nothing committed for the partition.
      .filter((p) => Number(p.offset) >= 0)
      .map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  /** Deletes a consumer group that has no members (e.g. the private group of a closed reader). */
  async deleteGroup(groupId: string): Promise<void> {
    await this.admin.use((admin) => admin.deleteGroups([groupId]), staleClientOnly);
  }

  async close(): Promise<void> {
    await Promise.all([this.lookups.close(), this.admin.close()]);
  }

  /** Topic configs that were set on the topic (not broker or built-in defaults), by topic. */
  private async explicitConfigs(topics: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const byTopic = new Map<string, Record<string, string>>();
    if (topics.length === 0) return byTopic;
    const { resources } = await this.admin.use((admin) =>
      admin.describeConfigs({
        resources: topics.map((name) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name })),
        includeSynonyms: false,
      }),
      staleClientOnly,
    );
    for (const resource of resources) {
      const config: Record<string, string> = {};
      for (const entry of resource.configEntries) {
        if (entry.configSource === kafkajs.ConfigSource.TOPIC_CONFIG) config[entry.configName] = entry.configValue;
      }
      byTopic.set(resource.resourceName, config);
    }
    return byTopic;
  }

  private async waitForMetadata(
    topic: string,
    done: (partitions: PartitionMetadata[] | undefined) => boolean,
  ): Promise<void> {
    const deadline = performance.now() + METADATA_WAIT_MS;
    while (!done(await this.partitionsOf(topic))) {
      if (performance.now() > deadline) {
        throw new Error(`Timed out waiting for the metadata of topic '${topic}' to show the change.`);
      }
      await new Promise((resolve) => setTimeout(resolve, METADATA_POLL_MS));
    }
  }
}

/** For requests that name no topic the client may have seen deleted: an unknown topic means a stale client. */
const staleClientOnly = async (): Promise<boolean> => true;

function describe(name: string, partitions: readonly PartitionMetadata[], config: Record<string, string>): TopicDescription {
  return { name, partitions: partitions.length, replicas: partitions[0]?.replicas.length ?? 0, config };
}

function isLegalTopicName(name: string): boolean {
  try {
    validateTopicName(name);
    return true;
  } catch {
    return false;
  }
}
