/**
 * Training half of the pipeline against any ksqlDB (the local engine or a real server): pull
 * the preprocessed labelled rows over the REST API, train and evaluate the autoencoder, and
 * export the model bundle with everything scoring needs. The main job and `ksml train` run it.
 */
import type { KsqlDbClient } from '../ksql/client.js';
import type { Architecture } from '../model/autoencoder.js';
import { tf } from '../model/backend.js';
import { saveBundle, schemaFingerprint, type BundleManifest } from '../model/bundle.js';
import type { ThresholdRule } from '../model/metrics.js';
import { trainFraudAutoencoder, type TrainingResult } from '../model/train.js';
import { DEFAULT_PIPELINE_VARIABLES, FEATURE_DOMAINS } from './pipeline-config.js';
import { pullTrainingRows, type TrainingRows } from './training-data.js';

export interface TrainJobOptions {
  readonly modelDir: string;
  readonly architecture: Architecture;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly thresholdRule: ThresholdRule;
  /** The TensorFlow.js backend in use, recorded in the bundle. */
  readonly backend: string;
  readonly out: (line: string) => void;
}

export interface TrainJobResult {
  readonly data: TrainingRows;
  /** The evaluation (the model itself is disposed once saved). */
  readonly result: Omit<TrainingResult, 'model'>;
  readonly bundle: BundleManifest;
}

export async function trainAndExport(client: KsqlDbClient, opts: TrainJobOptions): Promise<TrainJobResult> {
  const data = await pullTrainingRows(client);
  opts.out(`Pulled ${data.rows.length} preprocessed rows with ${data.features.length} features from ${data.source}`);

  const result = await trainFraudAutoencoder(
    data,
    {
      architecture: opts.architecture,
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      seed: opts.seed,
      thresholdRule: opts.thresholdRule,
    },
    (epoch, l) => opts.out(`epoch ${epoch}/${opts.epochs}: loss ${l.loss.toFixed(5)}, val_loss ${l.valLoss.toFixed(5)}`),
  );
  const bundle = await saveBundle(opts.modelDir, result.model, {
    name: 'fraud-autoencoder',
    architecture: opts.architecture,
    features: data.features,
    scaler: result.scaler.state,
    threshold: { value: result.threshold.threshold, rule: opts.thresholdRule },
    metrics: {
      test: {
        rocAuc: result.test.rocAuc,
        prAuc: result.test.prAuc,
        precision: result.test.atThreshold.precision,
        recall: result.test.atThreshold.recall,
        f1: result.test.atThreshold.f1,
        confusion: { tp: result.test.atThreshold.tp, fp: result.test.atThreshold.fp, tn: result.test.atThreshold.tn, fn: result.test.atThreshold.fn },
      },
      validation: { ...result.validation, thresholdF1: result.threshold.f1 },
    },
    training: {
      source: { stream: data.source, topic: DEFAULT_PIPELINE_VARIABLES.features_topic, offsets: data.offsets },
      counts: result.counts,
      epochs: result.history.epochs,
      stoppedEarly: result.history.stoppedEarly,
      loss: result.history.loss,
      valLoss: result.history.valLoss,
      seed: opts.seed,
      batchSize: opts.batchSize,
      seconds: result.seconds,
    },
    schema: { source: data.source, columns: data.columns, fingerprint: schemaFingerprint(data.columns) },
    domains: FEATURE_DOMAINS,
    libraries: { '@tensorflow/tfjs': tf.version.tfjs, backend: opts.backend, node: process.version },
  });
  result.model.dispose();
  return { data, result, bundle };
}
