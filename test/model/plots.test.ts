import { describe, expect, it } from 'vitest';
import { prCurve, rocCurve } from '../../src/model/metrics.js';
import { confusionMatrixSvg, histogramSvg, lossCurveSvg, prCurveSvg, rocCurveSvg } from '../../src/model/plots.js';

const labels = [1, 0, 1, 0, 0, 0, 1, 0];
const scores = [0.9, 0.2, 0.7, 0.4, 0.1, 0.3, 0.35, 0.05];

describe('evaluation plots', () => {
  it('render as standalone SVG with their titles and data', async () => {
    const svgs = await Promise.all([
      lossCurveSvg({ loss: [1, 0.8, 0.7], valLoss: [1.1, 0.9, 0.85] }),
      rocCurveSvg(rocCurve(scores, labels), 0.9333),
      prCurveSvg(prCurve(scores, labels), 0.8),
      histogramSvg(scores, { title: 'Reconstruction error by class', groups: labels, logX: true }),
      confusionMatrixSvg({ tp: 3, fp: 1, tn: 4, fn: 0 }),
    ]);
    for (const svg of svgs) {
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    }
    expect(svgs[1]).toContain('ROC curve (AUC 0.9333)');
    expect(svgs[3]).toContain('Reconstruction error by class');
    // The confusion matrix writes its counts as text marks.
    expect(svgs[4]).toMatch(/>4<\/text>/);
  });
});
