/**
 * The scorer end to end on the embedded engine: sql/ deployed, payments ingested, the
 * preprocessed stream scored into PAYMENT_SCORES and, through the alerts CSAS, PAYMENT_ALERTS;
 * bad records set aside with their reasons; a model swapped mid-stream, through the bundle
 * directory and through the control topic, without a record lost or scored twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseKsqlJson } from '../../src/ksql/index.js';
import { initBackend } from '../../src/model/backend.js';
import { readBundleArtifacts } from '../../src/model/bundle.js';
import { publishBundle, publishThreshold } from '../../src/scorer/control-topic.js';
import { DLQ_HEADERS } from '../../src/scorer/output-records.js';
import { startScorer, type ScorerService } from '../../src/scorer/service.js';
import { FEATURES_TOPIC, headerText, readAll, SCORES_TOPIC, startPipeline, waitFor, writeTestBundle, type Pipeline } from './helpers.js';

let tmp: string;

beforeAll(async () => {
  await initBackend();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'scorer-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface ScoreValue {
  USER_MASKED: string | null;
  AMOUNT: number | null;
  LABEL: number | null;
  SCORE: number;
  THRESHOLD: number;
  ALERT: boolean;
  MODEL_VERSION: string;
  TOP_FEATURES: { FEATURE: string; ERROR: number }[];
  SCORED_AT: number;
}

function scoreValue(value: Buffer | null): ScoreValue {
  return parseKsqlJson(value!.toString('utf8')) as ScoreValue;
}

describe('scorer on the embedded engine', () => {
  let pipeline: Pipeline;
  let service: ScorerService | undefined;
  let modelDir: string;

  beforeEach(async () => {
    pipeline = await startPipeline({ variables: { payments_partitions: '3', scores_partitions: '3' } });
    modelDir = await mkdtemp(path.join(tmp, 'model-'));
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await pipeline.close();
  });

  async function start(config: Record<string, unknown> = {}): Promise<ScorerService> {
    service = await startScorer({
      log: pipeline.log,
      useEnvironment: false,
      config: { modelDir, httpPort: 0, batchMaxWaitMs: 5, batchMaxRecords: 200, modelPollMs: 100, ...config },
    });
    await service.started;
    return service;
  }

  it('scores every payment once, with the model version and an explanation, and the alerts CSAS follows', async () => {
    const manifest = await writeTestBundle(modelDir, { threshold: 1.2 });
    await pipeline.ingest(1500, 'eos');
    const s = await start();
    await waitFor('the scorer to catch up', () => s.scorer.caughtUp());
    await pipeline.server.engine.processUntilIdle();

    const features = await readAll(pipeline.log, FEATURES_TOPIC);
    const scores = await readAll(pipeline.log, SCORES_TOPIC);
    expect(features).toHaveLength(1500);
    expect(scores).toHaveLength(1500);
    // Keyed like the payment, stamped with its event time.
    const featureByKey = new Map(features.map((r) => [r.key!.toString('hex'), r]));
    for (const score of scores) {
      const input = featureByKey.get(score.key!.toString('hex'))!;
      expect(input).toBeDefined();
      expect(score.timestamp).toBe(input.timestamp);
    }
    expect(new Set(scores.map((r) => r.key!.toString('hex'))).size).toBe(1500);
    const values = scores.map((r) => scoreValue(r.value));
    for (const v of values) {
      expect(v.MODEL_VERSION).toBe(manifest.version);
      expect(v.THRESHOLD).toBe(1.2);
      expect(v.ALERT).toBe(v.SCORE > 1.2);
      expect(v.TOP_FEATURES).toHaveLength(3);
      expect(v.TOP_FEATURES[0]!.ERROR).toBeGreaterThanOrEqual(v.TOP_FEATURES[2]!.ERROR);
      expect(v.USER_MASKED).toMatch(/^[A-Z]x*$/);
    }
    const alerts = values.filter((v) => v.ALERT).length;
    expect(alerts).toBeGreaterThan(0);
    expect(alerts).toBeLessThan(1500);
    expect(s.scorer.stats).toMatchObject({ recordsIn: 1500, scored: 1500, alerts, deadLetters: 0 });

    // ksqlDB reads what the scorer wrote: the scores stream and the alerts CSAS over it.
    const viaSql = await pipeline.client.query('SELECT ID, SCORE, MODEL_VERSION, TOP_FEATURES FROM PAYMENT_SCORES LIMIT 5;');
    expect(viaSql.rows).toHaveLength(5);
    expect(viaSql.rows[0]![2]).toBe(manifest.version);
    const alertRows = await pipeline.client.query('SELECT ID, SCORE, THRESHOLD FROM PAYMENT_ALERTS;');
    expect(alertRows.rows).toHaveLength(alerts);
    expect(alertRows.rows.every((r) => Number(r[1]) > Number(r[2]))).toBe(true);

    // Readiness and metrics say the same.
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/^ksml_scorer_records_in_total 1500$/m);
    expect(metrics).toMatch(/^ksml_scorer_records_out_total 1500$/m);
    expect(metrics).toMatch(new RegExp(`^ksml_scorer_alerts_total ${alerts}$`, 'm'));
    expect(metrics).toContain(`ksml_scorer_model_info{name="fraud-autoencoder",version="${manifest.version}"} 1`);
    expect(metrics).toMatch(/^ksml_scorer_consumer_lag\{topic="payments_features",partition="\d"\} 0$/m);
    expect(metrics).toMatch(/^ksml_scorer_end_to_end_seconds_count 1500$/m);
  });

  it('sends malformed records to the dead-letter topic with the reason and keeps scoring around them', async () => {
    await writeTestBundle(modelDir);
    await pipeline.ingest(200, 'good-before');
    const s = await start();
    const good = (await readAll(pipeline.log, FEATURES_TOPIC))[0]!;
    const goodJson = parseKsqlJson(good.value!.toString()) as Record<string, unknown>;
    const withField = (field: string, value: unknown): Buffer => Buffer.from(JSON.stringify({ ...goodJson, [field]: value }));
    const without = (field: string): Buffer => {
      const copy = { ...goodJson };
      delete copy[field];
      return Buffer.from(JSON.stringify(copy));
    };
    const bad: { value: Buffer | null; reason: string }[] = [
      { value: Buffer.from('{"V1": 1.0, '), reason: 'undecodable' },
      { value: Buffer.from('not json at all'), reason: 'undecodable' },
      { value: Buffer.from([0xff, 0xfe, 0x00, 0x01]), reason: 'undecodable' },
      { value: null, reason: 'null-value' },
      { value: Buffer.from('null'), reason: 'null-value' },
      { value: without('V14'), reason: 'missing-feature' },
      { value: withField('V3', null), reason: 'missing-feature' },
      { value: withField('V7', 'seven'), reason: 'wrong-type' },
      { value: withField('V7', { nested: true }), reason: 'wrong-type' },
      { value: withField('LOG_AMOUNT', 'NaN'), reason: 'not-finite' },
      { value: withField('V2', 'Infinity'), reason: 'not-finite' },
      { value: withField('HOUR_OF_DAY', 31), reason: 'out-of-range' },
      { value: withField('LOG_AMOUNT', -2), reason: 'out-of-range' },
      { value: withField('V9', 1e9), reason: 'out-of-range' },
    ];
    // Bad records between good ones, on one partition so their order is known.
    const partition = good.partition;
    const records = bad.flatMap((b, i) => [
      { key: Buffer.from(`bad-${i}`), value: b.value, partition, headers: [{ key: 'trace', value: Buffer.from(String(i)) }] },
      { key: good.key, value: good.value, partition },
    ]);
    const appended = await pipeline.log.append(FEATURES_TOPIC, records);
    await pipeline.ingest(100, 'good-after');
    await waitFor('the scorer to catch up', () => s.scorer.caughtUp());

    const dlq = await readAll(pipeline.log, 'payment_scores_dlq');
    expect(dlq).toHaveLength(bad.length);
    dlq.forEach((record, i) => {
      const source = appended[i * 2]!;
      expect(record.key!.toString()).toBe(`bad-${i}`);
      expect(record.value).toEqual(bad[i]!.value);
      expect(headerText(record, DLQ_HEADERS.reason)).toBe(bad[i]!.reason);
      expect(headerText(record, DLQ_HEADERS.topic)).toBe(FEATURES_TOPIC);
      expect(headerText(record, DLQ_HEADERS.partition)).toBe(String(source.partition));
      expect(headerText(record, DLQ_HEADERS.offset)).toBe(String(source.offset));
      expect(headerText(record, DLQ_HEADERS.message)!.length).toBeGreaterThan(5);
      expect(headerText(record, 'trace')).toBe(String(i));
    });
    expect(headerText(dlq[5]!, DLQ_HEADERS.message)).toContain('V14');
    expect(headerText(dlq[11]!, DLQ_HEADERS.message)).toContain('HOUR_OF_DAY');
    // Every good record around them was scored, once.
    const scores = await readAll(pipeline.log, SCORES_TOPIC);
    expect(scores).toHaveLength(200 + bad.length + 100);
    expect(s.scorer.stats).toMatchObject({ deadLetters: bad.length, scored: 300 + bad.length });
    expect(s.scorer.running).toBe(true);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/^ksml_scorer_dead_letters_total\{reason="undecodable"\} 3$/m);
    expect(metrics).toMatch(/^ksml_scorer_dead_letters_total\{reason="out-of-range"\} 3$/m);
  });

  it('swaps to a new bundle from the watched directory mid-stream: old version before, new after, none lost or doubled', async () => {
    const v1 = await writeTestBundle(modelDir, { seed: 1 });
    await pipeline.ingest(600, 'before');
    const s = await start();
    await waitFor('the first payments to be scored', () => s.scorer.caughtUp());
    const v2 = await writeTestBundle(modelDir, { seed: 2 });
    expect(v2.version).not.toBe(v1.version);
    await waitFor('the new bundle to load', () => s.models.peek()?.version === v2.version);
    await pipeline.ingest(600, 'after');
    await waitFor('the scorer to catch up', () => s.scorer.caughtUp());

    const scores = await readAll(pipeline.log, SCORES_TOPIC);
    expect(scores).toHaveLength(1200);
    expect(new Set(scores.map((r) => r.key!.toString('hex'))).size).toBe(1200);
    const versionOf = (r: (typeof scores)[number]) => scoreValue(r.value).MODEL_VERSION;
    // Ids 1..600 were scored by v1, 601..1200 by v2.
    for (const r of scores) {
      const id = Number(r.key!.readBigInt64BE());
      expect(versionOf(r)).toBe(id <= 600 ? v1.version : v2.version);
    }
    expect((await fetch(`${s.url}/metrics`).then((r) => r.text()))).toContain(`version="${v2.version}"} 1`);
  });

  it('takes bundles and thresholds from the control topic, and a restart keeps the newest', async () => {
    const v1 = await writeTestBundle(modelDir, { seed: 1 });
    await pipeline.ingest(300, 'first');
    const s = await start();
    await waitFor('caught up', () => s.scorer.caughtUp());

    const otherDir = path.join(tmp, `published-${Date.now()}`);
    const v2 = await writeTestBundle(otherDir, { seed: 3 });
    await publishBundle(pipeline.log, 'scorer_control', await readBundleArtifacts(otherDir));
    await waitFor('the published bundle to load', () => s.models.peek()?.version === v2.version);
    await publishThreshold(pipeline.log, 'scorer_control', { name: 'fraud-autoencoder', modelVersion: v2.version, value: 0.5 });
    await waitFor('the threshold to apply', () => s.models.peek()?.threshold === 0.5);
    // A control message that is not one is skipped, and the scorer carries on.
    await pipeline.log.append('scorer_control', [{ key: null, value: Buffer.from('{"type":"bundle"}') }]);
    await pipeline.ingest(300, 'second');
    await waitFor('caught up', () => s.scorer.caughtUp());

    const values = (await readAll(pipeline.log, SCORES_TOPIC)).map((r) => ({ id: Number(r.key!.readBigInt64BE()), ...scoreValue(r.value) }));
    expect(values).toHaveLength(600);
    for (const v of values) {
      if (v.id <= 300) expect(v.MODEL_VERSION).toBe(v1.version);
      else {
        expect(v.MODEL_VERSION).toBe(v2.version);
        expect(v.THRESHOLD).toBe(0.5);
      }
    }

    // Restarted, it picks the newest bundle of the two sources, with its threshold update.
    await s.stop();
    service = undefined;
    const again = await start();
    expect(again.models.peek()?.version).toBe(v2.version);
    expect(again.models.peek()?.threshold).toBe(0.5);
  });

  it('keeps the current model when a bad bundle arrives', async () => {
    const v1 = await writeTestBundle(modelDir);
    const s = await start();
    await publishBundle(pipeline.log, 'scorer_control', {
      ...(await readBundleArtifacts(modelDir)),
      manifest: { ...(await readBundleArtifacts(modelDir)).manifest, version: 'broken', schema: { source: 'X', columns: [], fingerprint: 'nope' } },
    });
    await waitFor('the refusal', async () => (await fetch(`${s.url}/metrics`).then((r) => r.text())).includes('ksml_scorer_model_load_failures_total{source="control-topic"} 1'));
    expect(s.models.peek()?.version).toBe(v1.version);
  });
});
