/**
 * Shared set-up of the scorer tests: the local engine with sql/ deployed and payments ingested,
 * small untrained bundles (scoring needs a model, not a good one), and waiting for conditions.
 */
import path from 'node:path';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { KsqlDbClient } from '../../src/ksql/client.js';
import type { LogRecord, TopicLog } from '../../src/log/topic-log.js';
import { buildAutoencoder } from '../../src/model/autoencoder.js';
import { saveBundle, schemaFingerprint, type BundleManifest } from '../../src/model/bundle.js';
import { ingestPayments, TopicLogSink } from '../../src/pipeline/ingest.js';
import { deploy } from '../../src/pipeline/migrations.js';
import { DEFAULT_PIPELINE_VARIABLES, FEATURE_DOMAINS, MODEL_FEATURES, RAW_STREAM } from '../../src/pipeline/pipeline-config.js';
import { generatePayments } from '../../src/pipeline/synthetic.js';

export const SQL_DIR = path.resolve(import.meta.dirname, '../../sql');
export const FEATURES_TOPIC = DEFAULT_PIPELINE_VARIABLES.features_topic!;
export const SCORES_TOPIC = DEFAULT_PIPELINE_VARIABLES.scores_topic!;

export const FEATURE_COLUMN_TYPES = MODEL_FEATURES.map((name) => ({ name, type: name === 'HOUR_OF_DAY' ? 'INTEGER' : 'DOUBLE' }));

/** An untrained autoencoder as a bundle; `seed` changes the weights and so the version. */
export async function writeTestBundle(dir: string, opts: { seed?: number; threshold?: number; name?: string } = {}): Promise<BundleManifest> {
  const model = buildAutoencoder('original', MODEL_FEATURES.length, opts.seed ?? 1);
  const manifest = await saveBundle(dir, model, {
    name: opts.name ?? 'fraud-autoencoder',
    architecture: 'original',
    features: MODEL_FEATURES,
    // Roughly the synthetic payments' scale, so that an untrained model's errors stay near 1.
    scaler: {
      kind: 'standard',
      features: [...MODEL_FEATURES],
      mean: MODEL_FEATURES.map((f) => (f === 'HOUR_OF_DAY' ? 12 : f === 'LOG_AMOUNT' ? 3.5 : 0)),
      std: MODEL_FEATURES.map((f) => (f === 'HOUR_OF_DAY' ? 7 : f === 'LOG_AMOUNT' ? 1.5 : 1.5)),
    },
    threshold: { value: opts.threshold ?? 1, rule: { kind: 'best-f1' } },
    metrics: {},
    training: { seed: opts.seed ?? 1 },
    schema: { source: 'PAYMENTS_FEATURES', columns: FEATURE_COLUMN_TYPES, fingerprint: schemaFingerprint(FEATURE_COLUMN_TYPES) },
    domains: FEATURE_DOMAINS,
    libraries: {},
  });
  model.dispose();
  return manifest;
}

export interface Pipeline {
  readonly server: LocalKsqlDb;
  readonly client: KsqlDbClient;
  readonly log: TopicLog;
  ingest(count: number, seed: number | string): Promise<void>;
  close(): Promise<void>;
}

/** The local engine (in memory, or over `dataDir`) with sql/ deployed. */
export async function startPipeline(opts: { dataDir?: string; variables?: Record<string, string> } = {}): Promise<Pipeline> {
  const server = await startLocalKsqlDb(opts.dataDir ? { dataDir: opts.dataDir } : {});
  const client = new KsqlDbClient({ url: server.url });
  await deploy(client, SQL_DIR, { variables: { ...DEFAULT_PIPELINE_VARIABLES, ...opts.variables } });
  let firstId = 1;
  return {
    server,
    client,
    log: server.engine.log,
    async ingest(count, seed) {
      const sink = new TopicLogSink(server.engine.log, server.engine.metastore.getSource(RAW_STREAM)!);
      await ingestPayments(generatePayments({ count, seed, fraudRate: 0.05, firstId }), sink);
      firstId += count;
      await server.engine.processUntilIdle();
    },
    async close() {
      await client.close();
      await server.stop();
    },
  };
}

export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function readAll(log: TopicLog, topic: string): Promise<LogRecord[]> {
  const ends = await log.endOffsets(topic);
  const reader = await log.openReader({ topics: [topic], start: 'earliest' });
  const out: LogRecord[] = [];
  try {
    while (!reader.positions().every((p) => p.offset >= (ends[p.partition] ?? 0))) {
      const records = await reader.poll({ maxRecords: 5000, maxWaitMs: 1000 });
      if (records.length === 0) break;
      out.push(...records.filter((r) => r.offset < (ends[r.partition] ?? 0)));
    }
  } finally {
    await reader.close();
  }
  return out;
}

export function headerText(record: LogRecord, key: string): string | undefined {
  return record.headers.find((h) => h.key === key)?.value?.toString('utf8');
}
