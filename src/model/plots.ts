/**
 * Plots for evaluating the model, rendered to SVG text with Vega-Lite (no browser, no canvas),
 * so notebooks can show them inline (tslab's display.html) and files can keep them.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ConfusionMatrix, PrPoint, RocPoint } from './metrics.js';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: vega's canvas probe uses top-level await, which would stop tslab
  // (and any CommonJS caller) from loading this package synchronously.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const SIZE = { width: 420, height: 280 } as const;

/** At most `max` points, evenly spaced: curves over 100k thresholds need no more to look right. */
function thin<T>(points: readonly T[], max = 2000): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

export function lossCurveSvg(history: { loss: readonly number[]; valLoss: readonly number[] }): Promise<string> {
  const values = history.loss.flatMap((loss, i) => [
    { epoch: i + 1, loss, split: 'training' },
    { epoch: i + 1, loss: history.valLoss[i]!, split: 'validation' },
  ]);
  return renderSvg({
    ...SIZE,
    title: 'Loss per epoch',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'loss', type: 'quantitative', scale: { zero: false } },
      color: { field: 'split', type: 'nominal' },
    },
  });
}

export function rocCurveSvg(points: readonly RocPoint[], auc: number): Promise<string> {
  return renderSvg({
    ...SIZE,
    title: `ROC curve (AUC ${auc.toFixed(4)})`,
    data: { values: thin(points).map((p) => ({ fpr: p.fpr, tpr: p.tpr })) },
    mark: 'line',
    encoding: {
      x: { field: 'fpr', type: 'quantitative', title: 'false positive rate' },
      y: { field: 'tpr', type: 'quantitative', title: 'true positive rate' },
    },
  });
}

export function prCurveSvg(points: readonly PrPoint[], averagePrecision: number): Promise<string> {
  return renderSvg({
    ...SIZE,
    title: `Precision-recall curve (AP ${averagePrecision.toFixed(4)})`,
    data: { values: thin(points).map((p) => ({ recall: p.recall, precision: p.precision })) },
    mark: 'line',
    encoding: {
      x: { field: 'recall', type: 'quantitative' },
      y: { field: 'precision', type: 'quantitative' },
    },
  });
}

/** Histogram of values, optionally split into groups (e.g. reconstruction error by class). */
export function histogramSvg(
  values: ArrayLike<number>,
  opts: { title: string; field?: string; groups?: ArrayLike<string | number>; logX?: boolean; bins?: number },
): Promise<string> {
  const field = opts.field ?? 'value';
  const rows = Array.from({ length: values.length }, (_, i) => {
    const v = values[i]!;
    return { [field]: opts.logX ? Math.log10(Math.max(v, 1e-12)) : v, group: opts.groups ? String(opts.groups[i]) : 'all' };
  });
  return renderSvg({
    ...SIZE,
    title: opts.title,
    data: { values: rows },
    mark: { type: 'bar', opacity: 0.6 },
    encoding: {
      x: { field, type: 'quantitative', bin: { maxbins: opts.bins ?? 50 }, title: opts.logX ? `log10(${field})` : field },
      y: { aggregate: 'count', type: 'quantitative', stack: null, scale: { type: 'symlog' } },
      color: { field: 'group', type: 'nominal' },
    },
  });
}

export function confusionMatrixSvg(m: ConfusionMatrix): Promise<string> {
  const cells = [
    { actual: 'fraud', predicted: 'alert', count: m.tp },
    { actual: 'fraud', predicted: 'no alert', count: m.fn },
    { actual: 'normal', predicted: 'alert', count: m.fp },
    { actual: 'normal', predicted: 'no alert', count: m.tn },
  ];
  return renderSvg({
    width: 240,
    height: 160,
    title: 'Confusion matrix',
    data: { values: cells },
    encoding: {
      x: { field: 'predicted', type: 'nominal' },
      y: { field: 'actual', type: 'nominal' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { type: 'symlog' }, legend: null } } },
      { mark: { type: 'text', fontSize: 14 }, encoding: { text: { field: 'count', type: 'quantitative' } } },
    ],
  });
}
