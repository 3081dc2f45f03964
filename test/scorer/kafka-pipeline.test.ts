/**
 * The whole pipeline over a real broker, as production runs it: payments ingested into Kafka,
 * the local engine's CSAS (over Kafka) preprocessing them, the scorer (its own Kafka client,
 * exactly once) scoring every one, and the alerts CSAS reading the scores read_committed.
 * Skipped without KAFKA_BOOTSTRAP_SERVERS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { KsqlDbClient } from '../../src/ksql/index.js';
import { initBackend } from '../../src/model/backend.js';
import { alertReport } from '../../src/pipeline/alert-report.js';
import { ingestPayments, TopicLogSink } from '../../src/pipeline/ingest.js';
import { deploy } from '../../src/pipeline/migrations.js';
import { RAW_STREAM } from '../../src/pipeline/pipeline-config.js';
import { generatePayments } from '../../src/pipeline/synthetic.js';
import { startScorer, type ScorerService } from '../../src/scorer/service.js';
import { engineNamespace } from '../engine/kafka-namespace.js';
import { KAFKA_TEST_OPTIONS, kafkaBrokers } from '../log/implementations.js';
import { SQL_DIR, waitFor, writeTestBundle } from './helpers.js';

const brokers = kafkaBrokers();
const PAYMENTS = 3000;

describe.skipIf(brokers === undefined)('ingest → engine CSAS over Kafka → scorer → scores → alerts', () => {
  const ns = engineNamespace('pipeline');
  const variables: Record<string, string> = { ...ns.variables, payments_partitions: '3', scores_partitions: '3' };
  const topic = (name: string): string => variables[name]!;
  let server: LocalKsqlDb;
  let client: KsqlDbClient;
  let scorer: ScorerService;
  let tmp: string;
  let version: string;

  beforeAll(async () => {
    await initBackend();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'kafka-pipeline-'));
    version = (await writeTestBundle(path.join(tmp, 'model'), { threshold: 1.1 })).version;
    server = await startLocalKsqlDb({ log: { kind: 'kafka', brokers: brokers!, ...KAFKA_TEST_OPTIONS }, properties: ns.properties });
    client = new KsqlDbClient({ url: server.url });
    // The pipeline up to the scores and alerts (the monitoring SQL has tests of its own).
    await deploy(client, SQL_DIR, { variables, ...ns.migrations, until: 3 });
    const sink = new TopicLogSink(server.engine.log, server.engine.metastore.getSource(RAW_STREAM)!);
    await ingestPayments(generatePayments({ count: PAYMENTS, seed: 'pipeline', fraudRate: 0.05 }), sink, { batchSize: 500 });
    await server.engine.processUntilIdle();
    scorer = await startScorer({
      useEnvironment: false,
      config: {
        kafkaBootstrapServers: brokers!.join(','),
        kafkaSessionTimeoutMs: 6000,
        inputTopic: topic('features_topic'),
        scoresTopic: topic('scores_topic'),
        deadLetterTopic: `${topic('scores_topic')}-dlq`,
        controlTopic: `${topic('scores_topic')}-control`,
        groupId: `${topic('scores_topic')}-scorer`,
        modelDir: path.join(tmp, 'model'),
        httpPort: 0,
      },
    });
    await scorer.started;
  }, 240_000);

  afterAll(async () => {
    await scorer?.stop();
    await client?.close();
    await server?.stop();
    if (brokers !== undefined) await ns.cleanup(brokers);
    await rm(tmp, { recursive: true, force: true });
  });

  it('scores every preprocessed payment once and the alerts CSAS picks out those above the threshold', async () => {
    await waitFor('the scorer to catch up', () => scorer.scorer.caughtUp(), 60_000);
    await server.engine.processUntilIdle();

    const features = await client.query('SELECT ID FROM PAYMENTS_FEATURES;');
    const scores = await client.query('SELECT ID, SCORE, THRESHOLD, ALERT, MODEL_VERSION FROM PAYMENT_SCORES;');
    expect(features.rows.length).toBeGreaterThan(PAYMENTS * 0.9);
    expect(scores.rows).toHaveLength(features.rows.length);
    expect(new Set(scores.rows.map((r) => String(r[0])))).toEqual(new Set(features.rows.map((r) => String(r[0]))));
    expect(scores.rows.every((r) => r[4] === version && r[2] === 1.1 && r[3] === Number(r[1]) > 1.1)).toBe(true);

    const alerts = await client.query('SELECT ID, SCORE FROM PAYMENT_ALERTS;');
    const expected = scores.rows.filter((r) => r[3] === true).map((r) => String(r[0]));
    expect(expected.length).toBeGreaterThan(0);
    expect(alerts.rows.map((r) => String(r[0])).sort()).toEqual(expected.sort());
    const report = await alertReport(client);
    expect(report.alerts).toBe(expected.length);
    expect(report.frauds).toBeGreaterThan(0);

    const metrics = await (await fetch(`${scorer.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^ksml_scorer_records_out_total ${features.rows.length}$`, 'm'));
    expect((await fetch(`${scorer.url}/readyz`)).status).toBe(200);
  });
});
