/**
 * The autoencoder: trained on normal payments only, it reconstructs them well and frauds badly,
 * so the reconstruction error is the anomaly score.
 */
import { tf } from './backend.js';

/**
 * Keras's `activity_regularizer=l1(...)`, which tfjs-layers does not implement: an identity
 * layer that remembers the activations of the current training batch and contributes
 * `l1 * sum(|a|) / batch` to the loss (Keras divides activity penalties by the batch size).
 */
export class ActivityL1 extends tf.layers.Layer {
  static readonly className = 'ActivityL1';
  private readonly l1: number;
  private lastActivations: tf.Tensor | undefined;

  constructor(config: { l1: number; name?: string }) {
    super({ name: config.name });
    this.l1 = config.l1;
    // Loss functions run inside the optimizer's tape right after the forward pass that set
    // lastActivations, so the penalty is differentiated with respect to this batch.
    this.addLoss(() =>
      tf.tidy(() => {
        const a = this.lastActivations;
        if (!a || a.isDisposed) return tf.scalar(0);
        return tf.mul(this.l1, tf.div(tf.sum(tf.abs(a)), a.shape[0] ?? 1)) as tf.Scalar;
      }),
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.lastActivations = kwargs.training ? x : undefined;
    return x;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), l1: this.l1 };
  }
}
tf.serialization.registerClass(ActivityL1);

export type Architecture = 'original' | 'improved';

/**
 * - original: the Python original's network, 30 → 14 tanh (L1 activity regularisation 1e-4)
 *   → 7 relu → 7 tanh → 30 relu. Its relu output cannot produce the negative half of
 *   standardised features, which caps how well it reconstructs anything.
 * - improved: the same bottleneck with a linear output layer and a wider first layer.
 */
export function buildAutoencoder(architecture: Architecture, inputDim: number, seed = 42): tf.LayersModel {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: seed + offset });
  const model = tf.sequential();
  if (architecture === 'original') {
    model.add(tf.layers.dense({ inputShape: [inputDim], units: 14, activation: 'tanh', kernelInitializer: init(0) }));
    model.add(new ActivityL1({ l1: 1e-4 }));
    model.add(tf.layers.dense({ units: 7, activation: 'relu', kernelInitializer: init(1) }));
    model.add(tf.layers.dense({ units: 7, activation: 'tanh', kernelInitializer: init(2) }));
    model.add(tf.layers.dense({ units: inputDim, activation: 'relu', kernelInitializer: init(3) }));
  } else {
    model.add(tf.layers.dense({ inputShape: [inputDim], units: 20, activation: 'tanh', kernelInitializer: init(0) }));
    model.add(tf.layers.dense({ units: 10, activation: 'tanh', kernelInitializer: init(1) }));
    model.add(tf.layers.dense({ units: 20, activation: 'tanh', kernelInitializer: init(2) }));
    model.add(tf.layers.dense({ units: inputDim, activation: 'linear', kernelInitializer: init(3) }));
  }
  return model;
}

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate?: number;
  /** Stop when validation loss has not improved for this many epochs. */
  readonly patience?: number;
  readonly onEpoch?: (epoch: number, logs: { loss: number; valLoss: number }) => void;
}

export interface TrainHistory {
  readonly loss: number[];
  readonly valLoss: number[];
  readonly epochs: number;
  readonly stoppedEarly: boolean;
}

/** Fits the autoencoder to reproduce its input (x → x), validating on a held-out split. */
export async function trainAutoencoder(
  model: tf.LayersModel,
  train: tf.Tensor2D,
  validation: tf.Tensor2D,
  opts: TrainOptions,
): Promise<TrainHistory> {
  model.compile({ optimizer: tf.train.adam(opts.learningRate ?? 1e-3), loss: 'meanSquaredError' });
  const loss: number[] = [];
  const valLoss: number[] = [];
  const patience = opts.patience ?? 3;
  let best = Infinity;
  let sinceBest = 0;
  let stoppedEarly = false;
  await model.fit(train, train, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    // tfjs shuffles with Math.random, which would make runs irreproducible; callers pass rows
    // already shuffled with a seed instead.
    shuffle: false,
    validationData: [validation, validation],
    verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        const l = Number(logs?.loss);
        const v = Number(logs?.val_loss);
        loss.push(l);
        valLoss.push(v);
        opts.onEpoch?.(epoch + 1, { loss: l, valLoss: v });
        if (v < best - 1e-6) {
          best = v;
          sinceBest = 0;
        } else if (++sinceBest >= patience) {
          stoppedEarly = true;
          model.stopTraining = true;
        }
      },
    },
  });
  return { loss, valLoss, epochs: loss.length, stoppedEarly };
}

/**
 * Reconstruction error per row (mean squared error over features) and, for explanations, the
 * squared error of every feature. Runs in batches to bound memory.
 */
export function reconstructionErrors(
  model: tf.LayersModel,
  scaled: Float32Array,
  width: number,
  batchSize = 4096,
): { errors: Float32Array; perFeature: Float32Array } {
  const rows = scaled.length / width;
  const errors = new Float32Array(rows);
  const perFeature = new Float32Array(scaled.length);
  for (let start = 0; start < rows; start += batchSize) {
    const n = Math.min(batchSize, rows - start);
    const squared = tf.tidy(() => {
      const x = tf.tensor2d(scaled.subarray(start * width, (start + n) * width), [n, width]);
      const y = model.predict(x) as tf.Tensor2D;
      return tf.squaredDifference(x, y);
    });
    const values = squared.dataSync() as Float32Array;
    squared.dispose();
    perFeature.set(values, start * width);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < width; j++) sum += values[i * width + j]!;
      errors[start + i] = sum / width;
    }
  }
  return { errors, perFeature };
}
