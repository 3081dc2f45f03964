import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { averagePrecision, chooseThreshold, confusionAt, prCurve, rocAuc, rocCurve } from '../../src/model/metrics.js';

/** ROC AUC by its rank definition (Mann-Whitney U), ties counting one half: an independent check. */
function aucByPairs(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins++;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

describe('ranking metrics', () => {
  it('match scikit-learn on its documented example', () => {
    const labels = [0, 0, 1, 1];
    const scores = [0.1, 0.4, 0.35, 0.8];
    expect(rocAuc(scores, labels)).toBeCloseTo(0.75, 12);
    expect(averagePrecision(scores, labels)).toBeCloseTo(0.8333333333, 9);
  });

  it('ROC AUC equals the pairwise rank statistic, with ties', () => {
    const random = seedrandom('auc');
    const labels = Array.from({ length: 400 }, () => (random() < 0.2 ? 1 : 0));
    // Rounded scores create many ties; positives are shifted up a little.
    const scores = labels.map((l) => Math.round((random() + l * 0.3) * 20) / 20);
    expect(rocAuc(scores, labels)).toBeCloseTo(aucByPairs(scores, labels), 12);
  });

  it('curves start and end where they must', () => {
    const labels = [1, 0, 1, 0, 0];
    const scores = [0.9, 0.8, 0.7, 0.2, 0.1];
    const roc = rocCurve(scores, labels);
    expect(roc[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(roc.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    const pr = prCurve(scores, labels);
    expect(pr[0]).toMatchObject({ precision: 1, recall: 0.5 });
    expect(pr.at(-1)).toMatchObject({ recall: 1, precision: 0.4 });
  });

  it('refuses one-class labels and mismatched lengths', () => {
    expect(() => rocAuc([0.1, 0.2], [0, 0])).toThrow(/both classes/);
    expect(() => rocAuc([0.1], [0, 1])).toThrow(/differ in length/);
  });
});

describe('thresholds', () => {
  const labels = [1, 1, 0, 1, 0, 0, 0, 0, 0, 0];
  const scores = [0.95, 0.9, 0.85, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];

  it('confusion counts alerts strictly above the threshold', () => {
    expect(confusionAt(scores, labels, 0.6)).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 6 });
    expect(confusionAt(scores, labels, 0.55)).toMatchObject({ tp: 3, fp: 1, fn: 0, tn: 6, recall: 1, precision: 0.75 });
  });

  it('best-F1 picks the threshold that maximises F1 over every cut', () => {
    const best = chooseThreshold(scores, labels, { kind: 'best-f1' });
    const everyCut = [...scores, -Infinity].map((t) => confusionAt(scores, labels, t).f1);
    expect(best.f1).toBeCloseTo(Math.max(...everyCut), 12);
    expect(best).toMatchObject({ tp: 3, fp: 1 });
  });

  it('alert-rate keeps the share of alerts within the target', () => {
    const chosen = chooseThreshold(scores, labels, { kind: 'alert-rate', rate: 0.2 });
    expect(chosen.alertRate).toBeLessThanOrEqual(0.2);
    expect(chosen.tp + chosen.fp).toBe(2);
    expect(() => chooseThreshold(scores, labels, { kind: 'alert-rate', rate: 1.5 })).toThrow(/alert rate/);
  });
});
