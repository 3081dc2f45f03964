import { describe, expect, it } from 'vitest';
import { StandardScaler } from '../../src/model/scaler.js';

describe('StandardScaler', () => {
  const rows = [
    [1, 10, 5],
    [2, 20, 5],
    [3, 30, 5],
    [4, 40, 5],
  ];

  it('fits population mean and std and scales to z-scores', () => {
    const scaler = StandardScaler.fit(['a', 'b', 'c'], rows);
    expect(scaler.state.mean).toEqual([2.5, 25, 5]);
    expect(scaler.state.std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(scaler.state.std[2]).toBe(1); // constant column: centred, not divided by zero
    const scaled = scaler.transform([[2.5, 25, 7]]);
    expect(Array.from(scaled)).toEqual([0, 0, 2]);
  });

  it('round-trips through its state and rejects bad input', () => {
    const scaler = StandardScaler.fit(['a', 'b', 'c'], rows);
    const copy = StandardScaler.fromState(JSON.parse(JSON.stringify(scaler.state)));
    expect(Array.from(copy.transform(rows))).toEqual(Array.from(scaler.transform(rows)));
    expect(() => StandardScaler.fit(['a'], [[NaN]])).toThrow(/not a finite number/);
    expect(() => StandardScaler.fit(['a', 'b'], [[1]])).toThrow(/expected 2/);
    expect(() => StandardScaler.fit(['a'], [])).toThrow(/zero rows/);
  });
});
