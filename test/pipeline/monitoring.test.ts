/**
 * The model-monitoring SQL (sql/V000005) and the enrichment join (sql/V000004) on the local
 * engine, over the embedded log and over a real broker (KAFKA_BOOTSTRAP_SERVERS): per-hour
 * score statistics and alerts per user agree with what the scorer wrote, and the drift table
 * equals a hand computation of the standardised features' hourly mean and spread, and points at
 * a feature shifted on purpose.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { KsqlDbClient } from '../../src/ksql/index.js';
import type { TopicLogSpec } from '../../src/log/index.js';
import { initBackend } from '../../src/model/backend.js';
import { loadBundle, saveBundle, schemaFingerprint } from '../../src/model/bundle.js';
import { buildAutoencoder } from '../../src/model/autoencoder.js';
import { StandardScaler } from '../../src/model/scaler.js';
import { publishFeatureBaseline } from '../../src/pipeline/feature-baseline.js';
import { ingestPayments, TopicLogSink } from '../../src/pipeline/ingest.js';
import { deploy } from '../../src/pipeline/migrations.js';
import { DEFAULT_PIPELINE_VARIABLES, FEATURE_DOMAINS, MODEL_FEATURES, MONITORING_MIGRATION, RAW_STREAM } from '../../src/pipeline/pipeline-config.js';
import { generatePayments } from '../../src/pipeline/synthetic.js';
import { pullTrainingRows } from '../../src/pipeline/training-data.js';
import { startScorer } from '../../src/scorer/service.js';
import { engineNamespace } from '../engine/kafka-namespace.js';
import { KAFKA_TEST_OPTIONS, kafkaBrokers } from '../log/implementations.js';
import { SQL_DIR, waitFor } from '../scorer/helpers.js';

const brokers = kafkaBrokers();
const HOUR = 3_600_000;

const setups: { name: string; log?: TopicLogSpec; ns?: ReturnType<typeof engineNamespace> }[] = [{ name: 'embedded' }];
if (brokers !== undefined) setups.push({ name: 'kafka', log: { kind: 'kafka', brokers, ...KAFKA_TEST_OPTIONS }, ns: engineNamespace('monitoring') });

describe.each(setups)('model monitoring in SQL ($name)', ({ log, ns }) => {
  const variables: Record<string, string> = { ...(ns?.variables ?? DEFAULT_PIPELINE_VARIABLES), payments_partitions: '2', scores_partitions: '2' };
  let server: LocalKsqlDb;
  let client: KsqlDbClient;
  let tmp: string;
  let scored = 0;
  let alerts = 0;
  let baseline: { version: string; mean: readonly number[]; std: readonly number[] };
  const rows = async (sql: string): Promise<Record<string, unknown>[]> => {
    const r = await client.query(sql);
    return r.rows.map((row) => Object.fromEntries(r.columnNames.map((c, i) => [c, row[i]])));
  };

  beforeAll(async () => {
    await initBackend();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'monitoring-'));
    server = await startLocalKsqlDb({ ...(log ? { log } : {}), ...(ns ? { properties: ns.properties } : {}) });
    client = new KsqlDbClient({ url: server.url });
    const migrations = ns?.migrations ?? {};
    await deploy(client, SQL_DIR, { variables, ...migrations, until: MONITORING_MIGRATION - 1 });
    const sink = () => new TopicLogSink(server.engine.log, server.engine.metastore.getSource(RAW_STREAM)!);
    await ingestPayments(generatePayments({ count: 2000, seed: 'monitoring', fraudRate: 0.05 }), sink(), { batchSize: 500 });
    await server.engine.processUntilIdle();

    // A bundle whose baseline is these payments' own statistics: no drift, by construction.
    const data = await pullTrainingRows(client, { stream: 'PAYMENTS_FEATURES' });
    const scaler = StandardScaler.fit(data.features, data.rows);
    const modelDir = path.join(tmp, 'model');
    await saveBundle(modelDir, buildAutoencoder('original', MODEL_FEATURES.length), {
      name: variables.model_name!, architecture: 'original', features: data.features, scaler: scaler.state,
      threshold: { value: 1.5, rule: { kind: 'best-f1' } }, metrics: {}, training: {},
      schema: { source: data.source, columns: data.columns, fingerprint: schemaFingerprint(data.columns) }, domains: FEATURE_DOMAINS, libraries: {},
    });
    const bundle = await loadBundle(modelDir);
    await publishFeatureBaseline(client, bundle.manifest);
    baseline = { version: bundle.manifest.version, mean: scaler.state.mean, std: scaler.state.std };
    bundle.dispose();
    await deploy(client, SQL_DIR, { variables, ...migrations });

    // Then a day later an hour of payments whose V14 arrives shifted by three standard deviations.
    const std14 = scaler.state.std[MODEL_FEATURES.indexOf('V14')]!;
    const later = [...generatePayments({ count: 500, seed: 'drifted', startMs: Date.UTC(2018, 11, 20, 12), meanGapSeconds: 5, firstId: 100_000 })];
    await ingestPayments(later.map((p) => ({ ...p, V14: p.V14 + 3 * std14 })), sink(), { batchSize: 500 });
    await server.engine.processUntilIdle();

    const scorer = await startScorer({
      log: server.engine.log,
      useEnvironment: false,
      http: false,
      config: {
        inputTopic: variables.features_topic!, scoresTopic: variables.scores_topic!, deadLetterTopic: `${variables.scores_topic}-dlq`,
        controlTopic: '', groupId: `${variables.scores_topic}-scorer`, modelDir,
      },
    });
    await scorer.started;
    await waitFor('the scorer', () => scorer.scorer.caughtUp(), 60_000);
    ({ scored, alerts } = scorer.scorer.stats);
    await scorer.stop();
    await server.engine.processUntilIdle();
  }, 300_000);

  afterAll(async () => {
    await client?.close();
    await server?.stop();
    if (ns && brokers) await ns.cleanup(brokers);
    await rm(tmp, { recursive: true, force: true });
  });

  it('counts the scored payments and their alerts per hour and per user', async () => {
    const stats = await rows('SELECT WINDOWSTART, WINDOWEND, PAYMENTS, ALERTS, ALERT_RATE FROM SCORE_STATS_HOURLY;');
    const features = (await server.engine.log.endOffsets(variables.features_topic!)).reduce((a, b) => a + b, 0);
    expect(features).toBeGreaterThan(2400);
    expect(scored).toBe(features);
    expect(stats.length).toBeGreaterThan(1);
    expect(stats.reduce((sum, s) => sum + Number(s.PAYMENTS), 0)).toBe(scored);
    expect(stats.reduce((sum, s) => sum + Number(s.ALERTS), 0)).toBe(alerts);
    for (const s of stats) {
      expect(Number(s.WINDOWEND) - Number(s.WINDOWSTART)).toBe(HOUR);
      expect(Number(s.ALERT_RATE)).toBeCloseTo(Number(s.ALERTS) / Number(s.PAYMENTS), 12);
    }
    const perUser = await rows('SELECT USER_MASKED, ALERTS FROM ALERTS_PER_USER_HOURLY;');
    expect(alerts).toBeGreaterThan(0);
    expect(perUser.reduce((sum, u) => sum + Number(u.ALERTS), 0)).toBe(alerts);
  });

  it('measures each feature against the baseline: the drift table equals a hand computation and finds the shifted feature', async () => {
    const drift = await rows('SELECT * FROM FEATURE_DRIFT_HOURLY;');
    const features = await rows('SELECT ROWTIME, V1, V14 FROM PAYMENTS_FEATURES;');
    expect(drift.reduce((sum, d) => sum + Number(d.PAYMENTS), 0)).toBe(features.length);
    // The first hour, by hand.
    const first = drift.reduce((a, b) => (Number(a.WINDOWSTART) < Number(b.WINDOWSTART) ? a : b));
    const inFirst = features.filter((f) => Number(f.ROWTIME) >= Number(first.WINDOWSTART) && Number(f.ROWTIME) < Number(first.WINDOWEND));
    const v1 = MODEL_FEATURES.indexOf('V1');
    const z = inFirst.map((f) => (Number(f.V1) - baseline.mean[v1]!) / baseline.std[v1]!);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1));
    expect(Number(first.PAYMENTS)).toBe(inFirst.length);
    expect(Number(first.V1_SHIFT)).toBeCloseTo(mean, 9);
    expect(Number(first.V1_SPREAD)).toBeCloseTo(sd, 9);
    // The baseline is the historical payments' own: small shifts there; the late hour's V14 moved by 3.
    const late = drift.find((d) => Number(d.WINDOWSTART) === Date.UTC(2018, 11, 20, 12))!;
    expect(Number(late.V14_SHIFT)).toBeGreaterThan(2.5);
    expect(Math.abs(Number(first.V14_SHIFT))).toBeLessThan(1);
    expect(late.BASELINE_VERSION).toBe(baseline.version);
  });

  it('enriches payments with their users, personal data masked', async () => {
    const enriched = await rows('SELECT ID, USER_ID, FIRST_NAME, LAST_NAME, EMAIL, COUNTRY FROM PAYMENTS_ENRICHED;');
    expect(enriched.length).toBe((await server.engine.log.endOffsets(variables.payments_topic!)).reduce((a, b) => a + b, 0));
    for (const e of enriched) {
      expect(e.COUNTRY).toMatch(/^[A-Z]{2}$/);
      expect(String(e.LAST_NAME)).toMatch(/^X+x*$/);
      expect(String(e.EMAIL)).toMatch(/^xxx[a-z]*\.[a-z]+@example\.com$/);
    }
  });
});
