import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { loadBundle } from '../../src/model/bundle.js';
import { runMainJob } from '../../src/pipeline/main-job.js';
import { MODEL_FEATURES } from '../../src/pipeline/pipeline-config.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'main-job-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('the main job on the embedded engine', () => {
  it('ingests, preprocesses in SQL, trains, evaluates and exports a loadable bundle', async () => {
    const lines: string[] = [];
    const summary = await runMainJob({
      dataDir: path.join(tmp, 'data'),
      modelDir: path.join(tmp, 'model'),
      sqlDir: path.resolve(import.meta.dirname, '../../sql'),
      count: 30_000,
      seed: 3,
      architecture: 'original',
      epochs: 2,
      batchSize: 512,
      thresholdRule: { kind: 'best-f1' },
      logger: createLogger('test', { level: 'silent' }),
      out: (line) => lines.push(line),
    });
    expect(summary.rows).toBe(30_000);
    expect(summary.frauds).toBeGreaterThan(20);
    expect(summary.rocAuc).toBeGreaterThan(0.5);
    expect(summary.rocAuc).toBeLessThanOrEqual(1);
    expect(lines.some((l) => /^Push query, first 3 preprocessed payments/.test(l))).toBe(true);
    expect(lines.filter((l) => /^epoch \d+\/2/.test(l))).toHaveLength(2);

    // The scorer scored every payment, and the alerts are those above the threshold.
    const scoring = summary.scoring;
    expect(scoring.scored).toBe(30_000);
    expect(scoring.deadLetters).toBe(0);
    expect(scoring.frauds).toBe(summary.frauds);
    expect(scoring.alerts).toBeGreaterThan(0);
    expect(scoring.alerts).toBeLessThan(30_000);
    expect(scoring.truePositives).toBeLessThanOrEqual(scoring.alerts);
    expect(scoring.precision).toBeCloseTo(scoring.truePositives / scoring.alerts, 10);
    expect(scoring.recall).toBeCloseTo(scoring.truePositives / scoring.frauds, 10);
    expect(lines.some((l) => /^Scored 30000 payments in/.test(l))).toBe(true);

    // The monitoring tables in sql/ followed: hourly score statistics and feature drift.
    expect(summary.monitoring.hours).toBeGreaterThan(2);
    expect(summary.monitoring.peakAlertRate!.rate).toBeGreaterThan(0);
    expect(MODEL_FEATURES).toContain(summary.monitoring.largestShift!.feature);
    expect(summary.monitoring.busiestUser!.alerts).toBeGreaterThan(0);

    const bundle = await loadBundle(summary.bundleDir);
    expect(bundle.manifest.version).toBe(summary.bundle.version);
    expect(bundle.manifest.features).toEqual(MODEL_FEATURES);
    expect(bundle.manifest.schema.columns.map((c) => c.type)).toEqual([...Array(28).fill('DOUBLE'), 'DOUBLE', 'INTEGER']);
    expect(bundle.manifest.threshold.value).toBe(summary.threshold);
    const offsets = (bundle.manifest.training as { source: { offsets: { partition: number; from: number; to: number }[] } }).source.offsets;
    expect(offsets).toEqual([{ partition: 0, from: 0, to: 29_999 }]);
    const row = Object.fromEntries(MODEL_FEATURES.map((f) => [f, f === 'HOUR_OF_DAY' ? 12 : 0.1]));
    const [score] = bundle.score([row]);
    expect(Number.isFinite(score!.score)).toBe(true);
    bundle.dispose();
  });
});
