/**
 * The local engine over Kafka: the SQL pipeline deployed, synthetic payments ingested, the
 * CSAS fills PAYMENTS_FEATURES with the very rows the embedded log gives, push and pull
 * queries read them back, and a restarted engine resumes from the command topic and its
 * queries' committed offsets. Skipped without KAFKA_BOOTSTRAP_SERVERS.
 *
 * The engines run in a namespace of their own on the shared broker (a ksql.service.id and
 * topic names; see kafka-namespace.ts), whose topics are deleted afterwards.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { KsqlDbClient } from '../../src/ksql/index.js';
import type { TopicLogSpec } from '../../src/log/index.js';
import { ingestPayments, TopicLogSink } from '../../src/pipeline/ingest.js';
import { deploy } from '../../src/pipeline/migrations.js';
import { FEATURES_STREAM, RAW_STREAM } from '../../src/pipeline/pipeline-config.js';
import { generatePayments } from '../../src/pipeline/synthetic.js';
import { KAFKA_TEST_OPTIONS, kafkaBrokers } from '../log/implementations.js';
import { engineNamespace } from './kafka-namespace.js';

const SQL_DIR = path.resolve(import.meta.dirname, '../../sql');
const PAYMENTS = 2_000;
const brokers = kafkaBrokers();

interface Running {
  readonly server: LocalKsqlDb;
  readonly client: KsqlDbClient;
}

const ns = engineNamespace('kafka-engine');

async function startEngine(log?: TopicLogSpec): Promise<Running> {
  const server = await startLocalKsqlDb({ properties: ns.properties, ...(log ? { log } : {}) });
  return { server, client: new KsqlDbClient({ url: server.url }) };
}

async function ingest({ server }: Running, count: number, seed: string): Promise<void> {
  const sink = new TopicLogSink(server.engine.log, server.engine.metastore.getSource(RAW_STREAM)!);
  await ingestPayments(generatePayments({ count, seed, fraudRate: 0.05 }), sink, { batchSize: 500 });
  await server.engine.processUntilIdle();
}

async function featureRows({ client }: Running): Promise<unknown[][]> {
  const result = await client.query(`SELECT * FROM ${FEATURES_STREAM};`);
  // Partitions interleave differently per log; the rows themselves must not differ.
  return result.rows.sort((a, b) => Number(a[0]) - Number(b[0]));
}

async function stop(running: Running | undefined): Promise<void> {
  if (running === undefined) return;
  await running.client.close();
  await running.server.stop();
}

describe.skipIf(brokers === undefined)('the local engine over Kafka', () => {
  const kafkaSpec: TopicLogSpec = { kind: 'kafka', brokers: brokers ?? [], ...KAFKA_TEST_OPTIONS };
  let kafka: Running | undefined;
  let embedded: Running | undefined;

  beforeAll(async () => {
    [kafka, embedded] = await Promise.all([startEngine(kafkaSpec), startEngine()]);
    for (const running of [kafka, embedded]) {
      await deploy(running.client, SQL_DIR, { variables: ns.variables, ...ns.migrations });
      await ingest(running, PAYMENTS, 'kafka-engine');
    }
  });

  afterAll(async () => {
    await Promise.all([stop(kafka), stop(embedded)]);
    if (brokers !== undefined) await ns.cleanup(brokers);
  });

  it('runs the pipeline into Kafka topics', async () => {
    expect(kafka!.server.engine.log.description).toBe(`kafka:${brokers!.join(',')}`);
    const log = kafka!.server.engine.log;
    const raw = await log.endOffsets(ns.variables.payments_topic!);
    expect(raw).toHaveLength(Number(ns.variables.payments_partitions));
    expect(raw.reduce((a, b) => a + b, 0)).toBe(PAYMENTS);
  });

  it('fills PAYMENTS_FEATURES with every usable row, as the embedded log does', async () => {
    const [onKafka, onEmbedded] = await Promise.all([featureRows(kafka!), featureRows(embedded!)]);
    expect(onEmbedded.length).toBeGreaterThan(PAYMENTS * 0.9);
    expect(onKafka).toEqual(onEmbedded);
    const features = await kafka!.server.engine.log.endOffsets(ns.variables.features_topic!);
    expect(features.reduce((a, b) => a + b, 0)).toBe(onKafka.length);
  });

  it('answers a push query from the start of the stream', async () => {
    const result = await kafka!.client.query(`SELECT ID, LABEL FROM ${FEATURES_STREAM} EMIT CHANGES LIMIT 3;`, {
      properties: { 'auto.offset.reset': 'earliest' },
    });
    expect(result.rows).toHaveLength(3);
    expect(result.columnNames).toEqual(['ID', 'LABEL']);
  });

  it('resumes from the command topic and committed offsets after a restart', async () => {
    const before = (await featureRows(kafka!)).length;
    await stop(kafka);
    kafka = await startEngine(kafkaSpec);
    // The catalogue came back from the command topic; deploying again is a no-op.
    expect((await deploy(kafka.client, SQL_DIR, { variables: ns.variables, ...ns.migrations })).applied).toEqual([]);
    await ingest(kafka, 100, 'after-restart');
    await ingest(embedded!, 100, 'after-restart');
    const [onKafka, onEmbedded] = await Promise.all([featureRows(kafka), featureRows(embedded!)]);
    // Nothing processed twice, nothing lost.
    expect(onKafka.length).toBeGreaterThan(before);
    expect(onKafka).toEqual(onEmbedded);
  });
});
