/**
 * Training and evaluation of the fraud autoencoder on labelled rows of the preprocessed stream:
 * a seeded 80/20 split into training and test sets; inside training, a validation share (all
 * classes) for early stopping and for choosing the threshold; the scaler fitted on the
 * training normals only; the network trained on normal payments only; the test set used only
 * for the reported metrics.
 */
import seedrandom from 'seedrandom';
import { buildAutoencoder, reconstructionErrors, trainAutoencoder, type Architecture, type TrainHistory } from './autoencoder.js';
import { tf } from './backend.js';
import {
  averagePrecision,
  chooseThreshold,
  confusionAt,
  prCurve,
  rocAuc,
  rocCurve,
  type PrPoint,
  type RocPoint,
  type ThresholdMetrics,
  type ThresholdRule,
} from './metrics.js';
import { StandardScaler } from './scaler.js';

export interface LabelledData {
  readonly features: readonly string[];
  /** One row of feature values per payment, in `features` order. */
  readonly rows: readonly (readonly number[])[];
  /** 1 fraud, 0 normal; rows without a label are not used for training. */
  readonly labels: readonly (0 | 1 | null)[];
}

export interface TrainingConfig {
  readonly architecture: Architecture;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate?: number;
  readonly patience?: number;
  readonly seed: number;
  /** Share of labelled rows held out for the reported metrics (default 0.2). */
  readonly testFraction?: number;
  /** Share of the training split kept for validation and threshold choice (default 0.2). */
  readonly validationFraction?: number;
  readonly thresholdRule: ThresholdRule;
}

export interface Evaluation {
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly atThreshold: ThresholdMetrics;
  readonly roc: RocPoint[];
  readonly pr: PrPoint[];
  /** Reconstruction errors and labels of the test rows, for plots. */
  readonly errors: Float32Array;
  readonly labels: readonly (0 | 1)[];
}

export interface TrainingResult {
  readonly model: tf.LayersModel;
  readonly scaler: StandardScaler;
  readonly history: TrainHistory;
  readonly threshold: ThresholdMetrics;
  /** Metrics on the validation split (where the threshold was chosen). */
  readonly validation: { readonly rocAuc: number; readonly prAuc: number };
  readonly test: Evaluation;
  readonly counts: {
    readonly labelled: number;
    readonly unlabelled: number;
    readonly frauds: number;
    readonly trainNormals: number;
    readonly validation: number;
    readonly test: number;
  };
  readonly seconds: number;
}

/** Fisher-Yates with a seeded generator: the same seed always gives the same split. */
function shuffled(n: number, seed: number): number[] {
  const random = seedrandom(String(seed));
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

export async function trainFraudAutoencoder(
  data: LabelledData,
  config: TrainingConfig,
  onEpoch?: (epoch: number, logs: { loss: number; valLoss: number }) => void,
): Promise<TrainingResult> {
  const started = Date.now();
  const labelled = data.labels.flatMap((l, i) => (l === 0 || l === 1 ? [i] : []));
  const frauds = labelled.filter((i) => data.labels[i] === 1).length;
  if (labelled.length - frauds < 100) throw new Error(`too few normal payments to train on (${labelled.length - frauds})`);
  if (frauds === 0) throw new Error('no fraudulent payments among the labelled rows: nothing to evaluate against');

  const order = shuffled(labelled.length, config.seed).map((k) => labelled[k]!);
  const testCount = Math.round(order.length * (config.testFraction ?? 0.2));
  const test = order.slice(0, testCount);
  const training = order.slice(testCount);
  const validationCount = Math.round(training.length * (config.validationFraction ?? 0.2));
  const validation = training.slice(0, validationCount);
  const trainNormals = training.slice(validationCount).filter((i) => data.labels[i] === 0);
  const validationNormals = validation.filter((i) => data.labels[i] === 0);

  const pick = (idx: readonly number[]) => idx.map((i) => data.rows[i]!);
  const scaler = StandardScaler.fit(data.features, pick(trainNormals));
  const width = data.features.length;
  const model = buildAutoencoder(config.architecture, width, config.seed);
  const xTrain = tf.tensor2d(scaler.transform(pick(trainNormals)), [trainNormals.length, width]);
  const xValid = tf.tensor2d(scaler.transform(pick(validationNormals)), [validationNormals.length, width]);
  let history: TrainHistory;
  try {
    history = await trainAutoencoder(model, xTrain, xValid, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      ...(config.learningRate !== undefined ? { learningRate: config.learningRate } : {}),
      ...(config.patience !== undefined ? { patience: config.patience } : {}),
      ...(onEpoch ? { onEpoch } : {}),
    });
  } finally {
    xTrain.dispose();
    xValid.dispose();
  }

  const errorsOf = (idx: readonly number[]) => reconstructionErrors(model, scaler.transform(pick(idx)), width).errors;
  const labelsOf = (idx: readonly number[]) => idx.map((i) => data.labels[i] as 0 | 1);

  const validationErrors = errorsOf(validation);
  const validationLabels = labelsOf(validation);
  const hasBothClasses = validationLabels.includes(1) && validationLabels.includes(0);
  // The threshold is chosen on validation rows; the test rows never influence the model.
  const threshold = chooseThreshold(validationErrors, validationLabels, config.thresholdRule);

  const testErrors = errorsOf(test);
  const testLabels = labelsOf(test);
  const testEvaluation: Evaluation = {
    rocAuc: rocAuc(testErrors, testLabels),
    prAuc: averagePrecision(testErrors, testLabels),
    atThreshold: confusionAt(testErrors, testLabels, threshold.threshold),
    roc: rocCurve(testErrors, testLabels),
    pr: prCurve(testErrors, testLabels),
    errors: testErrors,
    labels: testLabels,
  };
  return {
    model,
    scaler,
    history,
    threshold,
    validation: hasBothClasses
      ? { rocAuc: rocAuc(validationErrors, validationLabels), prAuc: averagePrecision(validationErrors, validationLabels) }
      : { rocAuc: Number.NaN, prAuc: Number.NaN },
    test: testEvaluation,
    counts: {
      labelled: labelled.length,
      unlabelled: data.labels.length - labelled.length,
      frauds,
      trainNormals: trainNormals.length,
      validation: validation.length,
      test: test.length,
    },
    seconds: (Date.now() - started) / 1000,
  };
}
