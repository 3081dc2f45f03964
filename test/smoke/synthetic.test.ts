import { describe, expect, it } from 'vitest';
import { FEATURE_COLUMNS, generatePayments } from '../../src/pipeline/synthetic.js';

describe('synthetic payments', () => {
  it('are the same for the same seed and differ for another', () => {
    const a = [...generatePayments({ count: 50, seed: 7 })];
    const b = [...generatePayments({ count: 50, seed: 7 })];
    const c = [...generatePayments({ count: 50, seed: 8 })];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('have the extended layout and a fraud rate near the real one', () => {
    const rows = [...generatePayments({ count: 100_000, seed: 1 })];
    expect(Object.keys(rows[0]!)).toEqual(['Id', 'Timestamp', 'User', 'Time', ...FEATURE_COLUMNS, 'Amount', 'Class']);
    const frauds = rows.filter((r) => r.Class === 1).length;
    expect(frauds / rows.length).toBeGreaterThan(0.0012);
    expect(frauds / rows.length).toBeLessThan(0.0023);
    expect(rows.every((r, i) => i === 0 || r.Time >= rows[i - 1]!.Time)).toBe(true);
    expect(rows.every((r) => r.Amount >= 0 && Number.isFinite(r.V14))).toBe(true);
  });
});
