import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAutoencoder, reconstructionErrors, trainAutoencoder } from '../../src/model/autoencoder.js';
import { initBackend, tf } from '../../src/model/backend.js';
import { loadBundle, saveBundle, schemaFingerprint } from '../../src/model/bundle.js';
import { StandardScaler } from '../../src/model/scaler.js';
import { FEATURE_COLUMNS, generatePayments } from '../../src/pipeline/synthetic.js';

const features = [...FEATURE_COLUMNS, 'AMOUNT'];
const rows = [...generatePayments({ count: 2000, seed: 'bundle' })].map((p) => [...FEATURE_COLUMNS.map((c) => p[c]), p.Amount]);
let dir: string;

beforeAll(async () => {
  await initBackend();
  dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('model bundle', () => {
  it('scores the same before and after a save and reload, and carries its manifest', async () => {
    const scaler = StandardScaler.fit(features, rows.slice(0, 1500));
    const model = buildAutoencoder('original', features.length);
    const train = tf.tensor2d(scaler.transform(rows.slice(0, 1200)), [1200, features.length]);
    const valid = tf.tensor2d(scaler.transform(rows.slice(1200, 1500)), [300, features.length]);
    await trainAutoencoder(model, train, valid, { epochs: 1, batchSize: 128 });
    const columns = features.map((name) => ({ name, type: 'DOUBLE' }));
    const manifest = await saveBundle(path.join(dir, 'b1'), model, {
      name: 'test',
      architecture: 'original',
      features,
      scaler: scaler.state,
      threshold: { value: 1.5, rule: { kind: 'best-f1' } },
      metrics: {},
      training: { rows: 1500 },
      schema: { source: 'PAYMENTS_FEATURES', columns, fingerprint: schemaFingerprint(columns) },
      libraries: { '@tensorflow/tfjs': tf.version.tfjs },
    });
    expect(manifest.version).toMatch(/^[0-9a-f]{16}$/);

    const held = rows.slice(1500);
    const before = reconstructionErrors(model, scaler.transform(held), features.length).errors;
    const loaded = await loadBundle(path.join(dir, 'b1'));
    const objects = held.map((r) => Object.fromEntries(features.map((f, j) => [f.toLowerCase(), r[j]])));
    const after = loaded.score(objects);
    expect(after.map((s) => s.score)).toEqual(Array.from(before));
    expect(after.every((s) => s.alert === s.score > 1.5)).toBe(true);
    expect(after[0]!.topFeatures).toHaveLength(3);
    expect(after[0]!.topFeatures[0]!.error).toBeGreaterThanOrEqual(after[0]!.topFeatures[1]!.error);
    expect(loaded.manifest).toEqual(manifest);
    const onDisk = JSON.parse(await readFile(path.join(dir, 'b1', 'bundle.json'), 'utf8'));
    expect(onDisk.features).toEqual(features);

    expect(() => loaded.score([{ V1: 1 }])).toThrow(/row 0: feature V2 is missing/);
    expect(() => loaded.score([{ ...objects[0], amount: Number.NaN }])).toThrow(/AMOUNT is not a finite number/);
    loaded.dispose();
    train.dispose();
    valid.dispose();
  });

  it('fingerprints schemas by column names, types and order', () => {
    const a = schemaFingerprint([{ name: 'V1', type: 'DOUBLE' }, { name: 'V2', type: 'DOUBLE' }]);
    expect(schemaFingerprint([{ name: 'v1', type: 'double' }, { name: 'V2', type: 'DOUBLE' }])).toBe(a);
    expect(schemaFingerprint([{ name: 'V2', type: 'DOUBLE' }, { name: 'V1', type: 'DOUBLE' }])).not.toBe(a);
    expect(schemaFingerprint([{ name: 'V1', type: 'DOUBLE' }, { name: 'V2', type: 'BIGINT' }])).not.toBe(a);
  });
});
