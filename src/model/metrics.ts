/**
 * Evaluation of an anomaly score against labels: ROC and PR curves with their areas, confusion
 * matrices and threshold selection. Scores are "higher = more anomalous" (reconstruction error).
 */

export interface RocPoint {
  readonly threshold: number;
  readonly fpr: number;
  readonly tpr: number;
}

export interface PrPoint {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
}

export interface ConfusionMatrix {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

export interface ThresholdMetrics extends ConfusionMatrix {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Share of all payments that raise an alert at this threshold. */
  readonly alertRate: number;
}

/** Scores sorted descending with their labels; ties keep input order (stable sort). */
function ranked(scores: ArrayLike<number>, labels: ArrayLike<number>): { score: number; positive: boolean }[] {
  if (scores.length !== labels.length) throw new Error(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  const items = Array.from({ length: scores.length }, (_, i) => {
    const score = scores[i]!;
    if (Number.isNaN(score)) throw new Error(`score ${i} is NaN`);
    return { score, positive: labels[i] === 1 };
  });
  return items.sort((a, b) => b.score - a.score);
}

/**
 * ROC curve: one point per distinct threshold, from (0,0) to (1,1). Tied scores form one step,
 * so the area matches scikit-learn's roc_auc_score (ties count one half).
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] {
  const items = ranked(scores, labels);
  const positives = items.filter((x) => x.positive).length;
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) throw new Error('ROC needs both classes among the labels');
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < items.length; i++) {
    if (items[i]!.positive) tp++;
    else fp++;
    const last = i === items.length - 1 || items[i + 1]!.score !== items[i]!.score;
    if (last) points.push({ threshold: items[i]!.score, fpr: fp / negatives, tpr: tp / positives });
  }
  return points;
}

/** Trapezoidal area under a curve given as x/y points sorted by x. */
function trapezoid(xs: readonly number[], ys: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i]! - xs[i - 1]!) * (ys[i]! + ys[i - 1]!)) / 2;
  return area;
}

export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const curve = rocCurve(scores, labels);
  return trapezoid(
    curve.map((p) => p.fpr),
    curve.map((p) => p.tpr),
  );
}

/** Precision-recall curve, one point per distinct threshold, recall increasing. */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrPoint[] {
  const items = ranked(scores, labels);
  const positives = items.filter((x) => x.positive).length;
  if (positives === 0) throw new Error('PR curve needs at least one positive label');
  const points: PrPoint[] = [];
  let tp = 0;
  for (let i = 0; i < items.length; i++) {
    if (items[i]!.positive) tp++;
    const last = i === items.length - 1 || items[i + 1]!.score !== items[i]!.score;
    if (last) points.push({ threshold: items[i]!.score, precision: tp / (i + 1), recall: tp / positives });
  }
  return points;
}

/** Average precision (scikit-learn's definition): sum of precision at each recall step. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let previousRecall = 0;
  let ap = 0;
  for (const p of prCurve(scores, labels)) {
    ap += (p.recall - previousRecall) * p.precision;
    previousRecall = p.recall;
  }
  return ap;
}

/** Alerts are raised for scores strictly above the threshold. */
export function confusionAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ThresholdMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const alert = scores[i]! > threshold;
    const positive = labels[i] === 1;
    if (alert && positive) tp++;
    else if (alert) fp++;
    else if (positive) fn++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { threshold, tp, fp, tn, fn, precision, recall, f1, alertRate: (tp + fp) / Math.max(1, scores.length) };
}

export type ThresholdRule = { readonly kind: 'best-f1' } | { readonly kind: 'alert-rate'; readonly rate: number };

/**
 * Chooses the alert threshold by a stated rule:
 * - best-f1: the threshold with the highest F1 (ties: the higher threshold, fewer alerts);
 * - alert-rate: the smallest threshold whose alert rate does not exceed `rate`.
 */
export function chooseThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, rule: ThresholdRule): ThresholdMetrics {
  const sorted = Array.from(scores).sort((a, b) => b - a);
  if (sorted.length === 0) throw new Error('no scores to choose a threshold from');
  if (rule.kind === 'alert-rate') {
    if (!(rule.rate > 0 && rule.rate < 1)) throw new Error(`alert rate must be in (0, 1), got ${rule.rate}`);
    const allowed = Math.floor(sorted.length * rule.rate);
    // Alerts are score > threshold, so the threshold is the first score that must not alert.
    const threshold = sorted[Math.min(allowed, sorted.length - 1)]!;
    return confusionAt(scores, labels, threshold);
  }
  // Walk thresholds from high to low, updating counts incrementally: O(n log n) overall.
  const items = ranked(scores, labels);
  const positives = items.filter((x) => x.positive).length;
  let tp = 0;
  let fp = 0;
  let best: { f1: number; threshold: number } = { f1: -1, threshold: items[0]!.score };
  for (let i = 0; i < items.length; i++) {
    if (items[i]!.positive) tp++;
    else fp++;
    const last = i === items.length - 1 || items[i + 1]!.score !== items[i]!.score;
    if (!last) continue;
    const precision = tp / (tp + fp);
    const recall = positives === 0 ? 0 : tp / positives;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    // Threshold just below this score: the next lower distinct score (or -Infinity).
    const threshold = i === items.length - 1 ? -Infinity : items[i + 1]!.score;
    if (f1 > best.f1) best = { f1, threshold };
  }
  return confusionAt(scores, labels, best.threshold);
}
