/**
 * The scorer's HTTP side: health and readiness, and KServe V2 request/response scoring with the
 * bundle the stream uses (same scores as LoadedBundle.score, same checks as the stream).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { loadBundle, type BundleManifest } from '../../src/model/bundle.js';
import { MODEL_FEATURES } from '../../src/pipeline/pipeline-config.js';
import { loadScorerConfig, ScorerConfigError } from '../../src/scorer/config.js';
import { startScorer, type ScorerService } from '../../src/scorer/service.js';
import { startPipeline, writeTestBundle, type Pipeline } from './helpers.js';

let tmp: string;
let pipeline: Pipeline;
let service: ScorerService;
let manifest: BundleManifest;
let modelDir: string;

const row = (i: number): number[] => MODEL_FEATURES.map((f, j) => (f === 'HOUR_OF_DAY' ? (i * 5) % 24 : f === 'LOG_AMOUNT' ? 2 + i : Math.sin(i + j)));

beforeAll(async () => {
  await initBackend();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'scorer-http-'));
  modelDir = path.join(tmp, 'model');
  manifest = await writeTestBundle(modelDir);
  pipeline = await startPipeline();
  service = await startScorer({ log: pipeline.log, useEnvironment: false, config: { modelDir, httpPort: 0 } });
  await service.started;
});

afterAll(async () => {
  await service.stop();
  await pipeline.close();
  await rm(tmp, { recursive: true, force: true });
});

async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('scorer HTTP', () => {
  it('answers liveness, readiness and V2 health', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const ready = await (await fetch(`${service.url}/readyz`)).json();
    expect(ready).toEqual({ ready: true, reasons: [] });
    expect(await (await fetch(`${service.url}/v2/health/live`)).json()).toEqual({ live: true });
    expect((await fetch(`${service.url}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${service.url}/v2/models/fraud-autoencoder/ready`)).status).toBe(200);
    expect((await fetch(`${service.url}/v2/models/other/ready`)).status).toBe(400);
  });

  it('describes the model', async () => {
    const meta = (await (await fetch(`${service.url}/v2/models/fraud-autoencoder`)).json()) as any;
    expect(meta.name).toBe('fraud-autoencoder');
    expect(meta.versions).toEqual([manifest.version]);
    expect(meta.inputs[0]).toMatchObject({ name: 'features', shape: [-1, MODEL_FEATURES.length] });
    expect(meta.inputs[0].parameters.features).toEqual(MODEL_FEATURES);
    expect((await fetch(`${service.url}/v2/models/nope`)).status).toBe(404);
  });

  it('scores a [N, F] tensor and per-feature tensors exactly as the bundle does', async () => {
    const rows = [row(1), row(2), row(3)];
    const bundle = await loadBundle(modelDir);
    const expected = bundle.score(rows);
    bundle.dispose();

    const matrix = await post(`${service.url}/v2/models/fraud-autoencoder/infer`, {
      id: 'req-1',
      inputs: [{ name: 'features', shape: [3, MODEL_FEATURES.length], datatype: 'FP64', data: rows.flat() }],
    });
    expect(matrix.status).toBe(200);
    expect(matrix.json.model_name).toBe('fraud-autoencoder');
    expect(matrix.json.model_version).toBe(manifest.version);
    expect(matrix.json.id).toBe('req-1');
    const out = Object.fromEntries(matrix.json.outputs.map((o: { name: string }) => [o.name, o]));
    expect(out.score.data).toEqual(expected.map((s) => s.score));
    expect(out.alert.data).toEqual(expected.map((s) => s.alert));
    expect(out.threshold.data).toEqual([manifest.threshold.value]);
    expect(out.top_features.shape).toEqual([3, 3]);
    expect(out.top_features.data.slice(0, 3)).toEqual(expected[0]!.topFeatures.map((f) => f.feature));

    const perFeature = await post(`${service.url}/v2/models/fraud-autoencoder/versions/${manifest.version}/infer`, {
      inputs: MODEL_FEATURES.map((f, j) => ({ name: f.toLowerCase(), shape: [3], datatype: 'FP32', data: rows.map((r) => r[j]) })),
      outputs: [{ name: 'score' }],
    });
    expect(perFeature.status).toBe(200);
    expect(perFeature.json.outputs).toHaveLength(1);
    expect(perFeature.json.outputs[0].data).toEqual(expected.map((s) => s.score));
  });

  it('refuses bad requests with a 400 that says why, and keeps serving', async () => {
    const url = `${service.url}/v2/models/fraud-autoencoder/infer`;
    const width = MODEL_FEATURES.length;
    const cases: [unknown, RegExp][] = [
      ['{not json', /JSON/],
      [{ inputs: [] }, /inputs/],
      [{ inputs: [{ name: 'features', shape: [2, width], datatype: 'FP64', data: row(1) }] }, /needs 60 values, got 30/],
      [{ inputs: [{ name: 'features', shape: [1, width], datatype: 'STRING', data: row(1) }] }, /datatype/],
      [{ inputs: [{ name: 'V1', shape: [1], datatype: 'FP64', data: [1] }] }, /missing V2/],
      [{ inputs: [{ name: 'features', shape: [1, width], datatype: 'FP64', data: row(1).map((v, j) => (j === width - 1 ? 40 : v)) }] }, /HOUR_OF_DAY is 40, outside its domain/],
      [{ inputs: [{ name: 'features', shape: [1, width], datatype: 'FP64', data: row(1) }], outputs: [{ name: 'nope' }] }, /unknown output 'nope'/],
    ];
    for (const [body, message] of cases) {
      const res = await post(url, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json.error).toMatch(message);
    }
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/ksml_scorer_infer_requests_total\{outcome="invalid"\} 7/);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});

describe('scorer configuration', () => {
  it('reads the environment, lets overrides win and names what is wrong', () => {
    const config = loadScorerConfig(
      { KAFKA_BOOTSTRAP_SERVERS: 'a:9092, b:9093', SCORER_BATCH_MAX_RECORDS: '250', SCORER_CONTROL_TOPIC: '' },
      { batchMaxWaitMs: 7 },
    );
    expect(config.kafkaBootstrapServers).toEqual(['a:9092', 'b:9093']);
    expect(config.batchMaxRecords).toBe(250);
    expect(config.batchMaxWaitMs).toBe(7);
    expect(config.controlTopic).toBe('');
    expect(config.inputTopic).toBe('payments_features');

    let error: unknown;
    try {
      loadScorerConfig({ SCORER_BATCH_MAX_RECORDS: 'lots', SCORER_HTTP_PORT: '70000', KAFKA_BOOTSTRAP_SERVERS: 'nohostport', SCORER_SCORES_TOPIC: 'bad/topic' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ScorerConfigError);
    const message = (error as Error).message;
    expect(message).toContain("SCORER_BATCH_MAX_RECORDS: Invalid input: expected number, received NaN (got 'lots')");
    expect(message).toMatch(/SCORER_HTTP_PORT: .*65535.* \(got '70000'\)/);
    expect(message).toMatch(/KAFKA_BOOTSTRAP_SERVERS: must be host:port/);
    expect(message).toMatch(/SCORER_SCORES_TOPIC: must be a Kafka topic name/);
  });

  it('refuses to start without a model source or a log', async () => {
    await expect(startScorer({ useEnvironment: false, config: { controlTopic: '' } })).rejects.toThrow(/needs a model source/);
    await expect(startScorer({ useEnvironment: false, config: { modelDir } })).rejects.toThrow(/needs Kafka: set KAFKA_BOOTSTRAP_SERVERS/);
  });
});
