import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { trainFraudAutoencoder, type LabelledData } from '../../src/model/train.js';
import { FEATURE_COLUMNS, generatePayments } from '../../src/pipeline/synthetic.js';

function syntheticData(count: number): LabelledData {
  const rows: number[][] = [];
  const labels: (0 | 1 | null)[] = [];
  // A fraud rate of 1% gives the test split enough frauds for a stable AUC at this size.
  for (const p of generatePayments({ count, seed: 'train-test', fraudRate: 0.01 })) {
    rows.push([...FEATURE_COLUMNS.map((c) => p[c]), Math.log(p.Amount + 1)]);
    labels.push(p.Class);
  }
  labels[0] = null; // an unlabelled payment is set aside, not trained on
  return { features: [...FEATURE_COLUMNS, 'LOG_AMOUNT'], rows, labels };
}

beforeAll(async () => {
  await initBackend();
});

describe('training the fraud autoencoder', () => {
  it('reaches a realistic ROC AUC on seeded synthetic payments, reproducibly', async () => {
    const data = syntheticData(40_000);
    const config = { architecture: 'improved' as const, epochs: 6, batchSize: 512, seed: 7, thresholdRule: { kind: 'best-f1' as const } };
    const result = await trainFraudAutoencoder(data, config);
    expect(result.test.rocAuc).toBeGreaterThanOrEqual(0.9);
    // Camouflaged frauds and outlying normals keep the task from being trivial.
    expect(result.test.rocAuc).toBeLessThan(0.99);
    expect(result.counts.unlabelled).toBe(1);
    expect(result.counts.test).toBe(Math.round((data.rows.length - 1) * 0.2));
    expect(result.counts.trainNormals + result.counts.validation + result.counts.test).toBeLessThanOrEqual(data.rows.length - 1);
    const m = result.test.atThreshold;
    expect(m.tp + m.fp + m.tn + m.fn).toBe(result.counts.test);
    expect(result.history.loss.length).toBe(result.history.epochs);
    expect(result.history.valLoss.at(-1)!).toBeLessThan(result.history.valLoss[0]!);

    const again = await trainFraudAutoencoder(data, config);
    expect(again.test.rocAuc).toBe(result.test.rocAuc);
    result.model.dispose();
    again.model.dispose();
  });

  it('refuses data it cannot learn or be judged on', async () => {
    const data = syntheticData(500);
    const noFrauds = { ...data, labels: data.labels.map((l) => (l === 1 ? 0 : l)) };
    await expect(
      trainFraudAutoencoder(noFrauds, { architecture: 'original', epochs: 1, batchSize: 64, seed: 1, thresholdRule: { kind: 'best-f1' } }),
    ).rejects.toThrow(/no fraudulent payments/);
  });
});
