/**
 * One feature path: the rows training pulls over ksqlDB's REST API and the records the scorer
 * consumes from the preprocessed topic carry the same feature values, bit for bit, and the
 * bundle scores both identically.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { KsqlDbClient, parseKsqlJson } from '../../src/ksql/index.js';
import { buildAutoencoder } from '../../src/model/autoencoder.js';
import { initBackend } from '../../src/model/backend.js';
import { loadBundle, saveBundle, schemaFingerprint } from '../../src/model/bundle.js';
import { StandardScaler } from '../../src/model/scaler.js';
import { ingestPayments, TopicLogSink } from '../../src/pipeline/ingest.js';
import { deploy } from '../../src/pipeline/migrations.js';
import { DEFAULT_PIPELINE_VARIABLES, MODEL_FEATURES, RAW_STREAM } from '../../src/pipeline/pipeline-config.js';
import { generatePayments } from '../../src/pipeline/synthetic.js';
import { pullTrainingRows } from '../../src/pipeline/training-data.js';
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';

let server: LocalKsqlDb;
let client: KsqlDbClient;
let tmp: string;

beforeAll(async () => {
  await initBackend();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'parity-'));
  server = await startLocalKsqlDb();
  client = new KsqlDbClient({ url: server.url });
  await deploy(client, path.resolve(import.meta.dirname, '../../sql'), { variables: DEFAULT_PIPELINE_VARIABLES });
  const sink = new TopicLogSink(server.engine.log, server.engine.metastore.getSource(RAW_STREAM)!);
  await ingestPayments(generatePayments({ count: 500, seed: 'golden', fraudRate: 0.05 }), sink);
  await server.engine.processUntilIdle();
});

afterAll(async () => {
  await client.close();
  await server.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('training/serving parity', () => {
  it('pulled rows and topic records carry identical features, and score identically', async () => {
    const pulled = await pullTrainingRows(client);
    const ids = (await client.query('SELECT ID FROM PAYMENTS_FEATURES;')).rows.map((r) => Number(r[0]));
    expect(pulled.rows).toHaveLength(500);

    // What the scorer sees: the preprocessed topic's records, decoded as JSON.
    const reader = await server.engine.log.openReader({ topics: [DEFAULT_PIPELINE_VARIABLES.features_topic!], start: 'earliest' });
    const records = await reader.poll({ maxRecords: 10_000 });
    await reader.close();
    expect(records).toHaveLength(500);
    const byId = new Map(records.map((r) => [Number(r.key!.readBigInt64BE()), parseKsqlJson(r.value!.toString()) as Record<string, number>]));

    let compared = 0;
    pulled.rows.forEach((row, i) => {
      const record = byId.get(ids[i]!)!;
      MODEL_FEATURES.forEach((feature, j) => {
        // Object.is: the same double, bit for bit (0 and -0 differ, NaN equals NaN).
        if (!Object.is(record[feature], row[j])) throw new Error(`payment ${ids[i]} ${feature}: topic ${record[feature]} vs pulled ${row[j]}`);
        compared++;
      });
    });
    expect(compared).toBe(500 * MODEL_FEATURES.length);

    const scaler = StandardScaler.fit(pulled.features, pulled.rows);
    const dir = path.join(tmp, 'bundle');
    await saveBundle(dir, buildAutoencoder('original', MODEL_FEATURES.length), {
      name: 'parity',
      architecture: 'original',
      features: pulled.features,
      scaler: scaler.state,
      threshold: { value: 1, rule: { kind: 'best-f1' } },
      metrics: {},
      training: {},
      schema: { source: pulled.source, columns: pulled.columns, fingerprint: schemaFingerprint(pulled.columns) },
      libraries: {},
    });
    const bundle = await loadBundle(dir);
    const fromPull = bundle.score(pulled.rows);
    const fromTopic = bundle.score(ids.map((id) => byId.get(id)!));
    expect(fromTopic.map((s) => s.score)).toEqual(fromPull.map((s) => s.score));
    bundle.dispose();
  });
});
