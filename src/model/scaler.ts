/**
 * Standardisation of features (z-scores), fitted on the training split only and stored in the
 * model bundle so that scoring applies exactly the transformation training used. (The Python
 * original fitted its scaler on all rows before splitting and never saved it.)
 */

export interface StandardScalerState {
  readonly kind: 'standard';
  readonly features: readonly string[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export class StandardScaler {
  private constructor(readonly state: StandardScalerState) {}

  /** Fits means and population standard deviations column by column (Welford, one pass). */
  static fit(features: readonly string[], rows: ArrayLike<ArrayLike<number>>): StandardScaler {
    const width = features.length;
    if (rows.length === 0) throw new Error('cannot fit a scaler on zero rows');
    const mean = new Float64Array(width);
    const m2 = new Float64Array(width);
    for (let n = 0; n < rows.length; n++) {
      const row = rows[n]!;
      if (row.length !== width) throw new Error(`row ${n} has ${row.length} values, expected ${width}`);
      for (let j = 0; j < width; j++) {
        const x = row[j]!;
        if (!Number.isFinite(x)) throw new Error(`row ${n}, feature ${features[j]}: ${x} is not a finite number`);
        const delta = x - mean[j]!;
        mean[j] = mean[j]! + delta / (n + 1);
        m2[j] = m2[j]! + delta * (x - mean[j]!);
      }
    }
    const std = Array.from(m2, (v) => {
      const s = Math.sqrt(v / rows.length);
      // A constant feature would divide by zero; leave it centred but unscaled.
      return s > 1e-12 ? s : 1;
    });
    return new StandardScaler({ kind: 'standard', features: [...features], mean: Array.from(mean), std });
  }

  static fromState(state: StandardScalerState): StandardScaler {
    if (state.mean.length !== state.features.length || state.std.length !== state.features.length) {
      throw new Error('scaler state: mean, std and features differ in length');
    }
    return new StandardScaler(state);
  }

  get width(): number {
    return this.state.features.length;
  }

  /** Scales rows into one flat Float32Array (row-major), the layout tensors are built from. */
  transform(rows: ArrayLike<ArrayLike<number>>): Float32Array {
    const { mean, std } = this.state;
    const width = this.width;
    const out = new Float32Array(rows.length * width);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      for (let j = 0; j < width; j++) out[i * width + j] = (row[j]! - mean[j]!) / std[j]!;
    }
    return out;
  }
}
