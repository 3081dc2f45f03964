/**
 * The model bundle: a directory with the tfjs model (model.json + weights.bin, the standard
 * tfjs layers format) and bundle.json, which carries everything else scoring needs — feature
 * order, scaler, threshold and its rule, metrics, training data range, the schema fingerprint
 * of the preprocessed stream, versions. Loading a bundle yields the one `score` function that
 * notebooks and the scorer share, so there is no training/serving skew.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { tf } from './backend.js';
import { reconstructionErrors } from './autoencoder.js';
import { StandardScaler, type StandardScalerState } from './scaler.js';

export const BUNDLE_FORMAT_VERSION = 1;
const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';
const MANIFEST = 'bundle.json';

const thresholdRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('best-f1') }),
  z.object({ kind: z.literal('alert-rate'), rate: z.number().gt(0).lt(1) }),
]);

const columnSchema = z.object({ name: z.string(), type: z.string() });

/** The values a feature can take; anything outside is a data error, not a payment to score. */
const featureDomainSchema = z.object({
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
});
export type FeatureDomain = z.infer<typeof featureDomainSchema>;

export const bundleManifestSchema = z.object({
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  name: z.string(),
  /** Content hash of the model files and this manifest (without this field). */
  version: z.string(),
  createdAt: z.string(),
  architecture: z.string(),
  features: z.array(z.string()).min(1),
  scaler: z.object({
    kind: z.literal('standard'),
    features: z.array(z.string()),
    mean: z.array(z.number()),
    std: z.array(z.number()),
  }),
  threshold: z.object({ value: z.number(), rule: thresholdRuleSchema }),
  metrics: z.record(z.string(), z.unknown()),
  training: z.record(z.string(), z.unknown()),
  /** The preprocessed stream's columns and their fingerprint. */
  schema: z.object({ source: z.string(), columns: z.array(columnSchema), fingerprint: z.string() }),
  /** Per feature, the valid range (the scorer sends other values to its dead-letter topic). */
  domains: z.record(z.string(), featureDomainSchema).optional(),
  libraries: z.record(z.string(), z.string()),
});

export type BundleManifest = z.infer<typeof bundleManifestSchema>;
export type BundleManifestInput = Omit<BundleManifest, 'formatVersion' | 'version' | 'createdAt' | 'scaler' | 'features'> & {
  createdAt?: string;
  features: readonly string[];
  scaler: StandardScalerState;
};

/** sha256 over "NAME TYPE" of each column in order: what the scorer checks before scoring. */
export function schemaFingerprint(columns: readonly { name: string; type: string }[]): string {
  const canonical = columns.map((c) => `${c.name.toUpperCase()} ${c.type.toUpperCase()}`).join(', ');
  return createHash('sha256').update(canonical).digest('hex');
}

/** Writes the bundle atomically: into a temporary sibling directory, then renamed into place. */
export async function saveBundle(dir: string, model: tf.LayersModel, manifest: BundleManifestInput): Promise<BundleManifest> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error('the model produced no weights to save');
  const weights = Buffer.from(
    artifacts.weightData instanceof ArrayBuffer ? artifacts.weightData : tf.io.concatenateArrayBuffers(artifacts.weightData),
  );
  const modelJson = JSON.stringify({
    modelTopology: artifacts.modelTopology,
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs }],
  });
  const body = { formatVersion: BUNDLE_FORMAT_VERSION, ...manifest, createdAt: manifest.createdAt ?? new Date().toISOString() };
  const hash = createHash('sha256').update(modelJson).update(weights).update(JSON.stringify({ ...body, createdAt: undefined }));
  const full = bundleManifestSchema.parse({ ...body, version: hash.digest('hex').slice(0, 16) });

  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  await writeFile(path.join(tmp, MODEL_JSON), modelJson);
  await writeFile(path.join(tmp, WEIGHTS_BIN), weights);
  await writeFile(path.join(tmp, MANIFEST), JSON.stringify(full, null, 2) + '\n');
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return full;
}

export interface FeatureError {
  readonly feature: string;
  readonly error: number;
}

export interface PaymentScore {
  /** Reconstruction error (mean squared error over the scaled features). */
  readonly score: number;
  readonly alert: boolean;
  /** The features with the largest reconstruction error: a per-payment explanation. */
  readonly topFeatures: readonly FeatureError[];
}

/** A payment's features: an object keyed by feature name (any case) or an array in bundle order. */
export type FeatureRow = Readonly<Record<string, unknown>> | readonly number[];

export interface LoadedBundle {
  readonly manifest: BundleManifest;
  readonly dir: string;
  /** Scores rows; throws naming the row and feature when one is missing or not a finite number. */
  score(rows: readonly FeatureRow[], opts?: { threshold?: number; explain?: number }): PaymentScore[];
  dispose(): void;
}

/** A bundle's files as data: what a models control topic carries and a scorer instantiates. */
export interface BundleArtifacts {
  readonly manifest: BundleManifest;
  /** model.json, parsed. */
  readonly modelJson: { modelTopology: unknown; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  readonly weights: Buffer;
}

export function parseBundleManifest(json: unknown): BundleManifest {
  return bundleManifestSchema.parse(json);
}

/** Reads a bundle directory without building the model. */
export async function readBundleArtifacts(dir: string): Promise<BundleArtifacts> {
  const manifest = parseBundleManifest(JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')));
  const modelJson = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8')) as BundleArtifacts['modelJson'];
  const weights = await readFile(path.join(dir, WEIGHTS_BIN));
  return { manifest, modelJson, weights };
}

export async function loadBundle(dir: string): Promise<LoadedBundle> {
  return instantiateBundle(await readBundleArtifacts(dir), dir);
}

/** Builds the model of a bundle read from files or received as data; `dir` names its origin. */
export async function instantiateBundle(artifacts: BundleArtifacts, dir: string): Promise<LoadedBundle> {
  const { manifest, modelJson, weights } = artifacts;
  if (schemaFingerprint(manifest.schema.columns) !== manifest.schema.fingerprint) {
    throw new Error(`bundle ${dir}: the schema fingerprint does not match its columns`);
  }
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: modelJson.weightsManifest[0]!.weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const scaler = StandardScaler.fromState(manifest.scaler);
  const features = manifest.features;
  if (features.join() !== manifest.scaler.features.join()) throw new Error(`bundle ${dir}: scaler features differ from the feature list`);
  const upperNames = features.map((f) => f.toUpperCase());

  const toVector = (row: FeatureRow, index: number): number[] => {
    if (Array.isArray(row)) {
      if (row.length !== features.length) throw new Error(`row ${index}: ${row.length} values, the model needs ${features.length}`);
      return row as number[];
    }
    const byUpper = new Map(Object.entries(row).map(([k, v]) => [k.toUpperCase(), v]));
    return upperNames.map((name) => {
      const v = byUpper.get(name);
      const n = typeof v === 'bigint' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) {
        throw new Error(`row ${index}: feature ${name} is ${v === undefined ? 'missing' : `not a finite number (${String(v)})`}`);
      }
      return n;
    });
  };

  return {
    manifest,
    dir,
    score(rows, opts = {}) {
      const threshold = opts.threshold ?? manifest.threshold.value;
      const explain = opts.explain ?? 3;
      const vectors = rows.map(toVector);
      const width = features.length;
      const { errors, perFeature } = reconstructionErrors(model, scaler.transform(vectors), width);
      return vectors.map((_, i) => {
        const contributions = features.map((feature, j) => ({ feature, error: perFeature[i * width + j]! }));
        contributions.sort((a, b) => b.error - a.error);
        return { score: errors[i]!, alert: errors[i]! > threshold, topFeatures: contributions.slice(0, explain) };
      });
    },
    dispose() {
      model.dispose();
    },
  };
}
