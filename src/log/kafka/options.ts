/**
 * How a KafkaTopicLog connects and how its consumers behave in their groups, with the defaults
 * Kafka's Java client uses where kafkajs differs.
 */
import type { Logger } from 'pino';

export interface KafkaTopicLogOptions {
  /** Bootstrap servers, 'host:port'. */
  readonly brokers: readonly string[];
  /** Default 'ksml'. */
  readonly clientId?: string;
  /** Consumer group session timeout (default 30000; the broker's group.min.session.timeout.ms bounds it). */
  readonly sessionTimeoutMs?: number;
  /** Default 3000; must be below the session timeout (a third of it is usual). */
  readonly heartbeatIntervalMs?: number;
  /** How long the group waits for members to rejoin in a rebalance (default 60000). */
  readonly rebalanceTimeoutMs?: number;
  /**
   * How long a fetch waits on the broker for data (Java's fetch.max.wait.ms, default 500 here
   * against kafkajs' 5000): it also bounds how late a reader notices a seek, a resume after a
   * rebalance, or close().
   */
  readonly fetchMaxWaitMs?: number;
  /** Where kafkajs' own log lines go (warn and above); default a pino logger named 'kafka'. */
  readonly logger?: Logger;
}

export interface ResolvedKafkaOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly fetchMaxWaitMs: number;
}

export function resolveKafkaOptions(opts: KafkaTopicLogOptions): ResolvedKafkaOptions {
  if (opts.brokers.length === 0) throw new Error('A Kafka topic log needs at least one broker.');
  const resolved: ResolvedKafkaOptions = {
    brokers: [...opts.brokers],
    clientId: opts.clientId ?? 'ksml',
    sessionTimeoutMs: opts.sessionTimeoutMs ?? 30_000,
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 3_000,
    rebalanceTimeoutMs: opts.rebalanceTimeoutMs ?? 60_000,
    fetchMaxWaitMs: opts.fetchMaxWaitMs ?? 500,
  };
  if (resolved.heartbeatIntervalMs >= resolved.sessionTimeoutMs) {
    throw new Error(
      `heartbeatIntervalMs (${resolved.heartbeatIntervalMs}) must be below sessionTimeoutMs (${resolved.sessionTimeoutMs}).`,
    );
  }
  return resolved;
}

/** 'a:9092,b:9092' → ['a:9092', 'b:9092'] (for --kafka and KAFKA_BOOTSTRAP_SERVERS). */
export function parseBrokerList(text: string): string[] {
  const brokers = text
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  for (const broker of brokers) {
    if (!/^[^:\s]+:\d{1,5}$/.test(broker)) {
      throw new Error(`Expected host:port for a Kafka broker, got '${broker}'.`);
    }
  }
  if (brokers.length === 0) throw new Error('Expected at least one Kafka broker (host:port[,host:port]).');
  return brokers;
}
