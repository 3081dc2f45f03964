/**
 * The main job, end to end on the embedded default: start the local engine over a file log,
 * deploy sql/, ingest payments (synthetic or the Kaggle file), pull the preprocessed labelled
 * rows, train and evaluate the autoencoder, export a model bundle and summarise.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { startLocalKsqlDb, type LocalKsqlDb } from '../engine/embedded.js';
import { KsqlDbClient } from '../ksql/client.js';
import type { Architecture } from '../model/autoencoder.js';
import { initBackend } from '../model/backend.js';
import type { BundleManifest } from '../model/bundle.js';
import type { ThresholdRule } from '../model/metrics.js';
import { startScorer } from '../scorer/service.js';
import { alertReport, type AlertReport } from './alert-report.js';
import { publishFeatureBaseline } from './feature-baseline.js';
import { monitoringReport, type MonitoringReport } from './monitoring-report.js';
import { readPaymentsCsv } from './csv-source.js';
import { ingestPayments, TopicLogSink } from './ingest.js';
import { deploy } from './migrations.js';
import { DEFAULT_PIPELINE_VARIABLES, MONITORING_MIGRATION, RAW_STREAM } from './pipeline-config.js';
import { generatePayments } from './synthetic.js';
import { trainAndExport } from './train-job.js';

export interface MainJobOptions {
  /** The engine's file log (wiped first: every run starts from the same state). */
  readonly dataDir: string;
  /** Where the model bundle goes. */
  readonly modelDir: string;
  readonly sqlDir: string;
  /** Path of the Kaggle CSV (plain or .gz); omitted = synthetic payments. */
  readonly data?: string;
  readonly count: number;
  readonly seed: number;
  readonly architecture: Architecture;
  readonly epochs: number;
  readonly batchSize: number;
  readonly thresholdRule: ThresholdRule;
  readonly logger: Logger;
  readonly out: (line: string) => void;
  readonly onIngestProgress?: (written: number, total: number | undefined) => void;
}

export interface MainJobSummary {
  readonly rows: number;
  readonly frauds: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly backend: string;
  readonly seconds: number;
  readonly bundle: BundleManifest;
  readonly bundleDir: string;
  /** The scorer's pass over the preprocessed stream with the new bundle. */
  readonly scoring: ScoringSummary;
  /** What the monitoring tables in sql/ say after it. */
  readonly monitoring: MonitoringReport;
}

export interface ScoringSummary extends AlertReport {
  readonly scored: number;
  readonly deadLetters: number;
  readonly seconds: number;
}

export async function runMainJob(opts: MainJobOptions): Promise<MainJobSummary> {
  const started = Date.now();
  const backend = await initBackend();
  opts.out(`TensorFlow.js backend: ${backend.name}${backend.skipped.length ? ` (skipped ${backend.skipped.join('; ')})` : ''}`);

  await rm(opts.dataDir, { recursive: true, force: true });
  const server = await startLocalKsqlDb({ dataDir: opts.dataDir, logger: opts.logger });
  const client = new KsqlDbClient({ url: server.url });
  try {
    opts.out(`Local engine at ${server.url} (data in ${opts.dataDir})`);
    // Up to the reference data: the monitoring statements follow once the model and its
    // baseline exist, so that drift is measured against it from the first payment on.
    const deployed = await deploy(client, opts.sqlDir, { variables: DEFAULT_PIPELINE_VARIABLES, until: MONITORING_MIGRATION - 1 });
    opts.out(`Deployed ${deployed.applied.map((m) => m.file).join(', ')}`);

    const source = server.engine.metastore.getSource(RAW_STREAM);
    if (!source) throw new Error(`${RAW_STREAM} is missing after deploying ${opts.sqlDir}`);
    const payments = opts.data
      ? readPaymentsCsv(opts.data)
      : generatePayments({ count: opts.count, seed: opts.seed });
    const total = opts.data ? undefined : opts.count;
    const ingested = await ingestPayments(payments, new TopicLogSink(server.engine.log, source), {
      onProgress: (n) => opts.onIngestProgress?.(n, total),
    });
    opts.out(
      `Ingested ${ingested.records} payments (${ingested.frauds} frauds, ${ingested.unlabelled} unlabelled) from ${opts.data ?? 'the synthetic generator'} in ${ingested.seconds.toFixed(1)} s`,
    );
    // The preprocessing query runs inside the engine; wait until it has read everything.
    await server.engine.processUntilIdle();

    await explore(client, opts.out);

    const { data, result, bundle } = await trainAndExport(client, { ...opts, backend: backend.name });
    const test = result.test;

    // The drift monitor compares the features with this model's training baseline.
    await publishFeatureBaseline(client, bundle);
    const monitoringDeployed = await deploy(client, opts.sqlDir, { variables: DEFAULT_PIPELINE_VARIABLES });
    opts.out(`Deployed ${monitoringDeployed.applied.map((m) => m.file).join(', ')} with the baseline of version ${bundle.version}`);
    const scoring = await scoreStream(server, client, opts);
    const monitoring = await monitoringReport(client);
    return {
      rows: data.rows.length,
      frauds: result.counts.frauds,
      rocAuc: test.rocAuc,
      prAuc: test.prAuc,
      threshold: result.threshold.threshold,
      precision: test.atThreshold.precision,
      recall: test.atThreshold.recall,
      f1: test.atThreshold.f1,
      backend: backend.name,
      seconds: (Date.now() - started) / 1000,
      bundle,
      bundleDir: path.resolve(opts.modelDir),
      scoring,
      monitoring,
    };
  } finally {
    await client.close();
    await server.stop();
  }
}

/**
 * The inference half on the embedded default: the scorer, in this process over the engine's
 * log, scores every preprocessed payment with the bundle just exported (the same code and
 * transactions as over Kafka); the alerts CSAS in sql/ picks out the alerts.
 */
async function scoreStream(server: LocalKsqlDb, client: KsqlDbClient, opts: MainJobOptions): Promise<ScoringSummary> {
  const started = Date.now();
  const scorer = await startScorer({
    log: server.engine.log,
    useEnvironment: false,
    http: false,
    logger: opts.logger,
    config: { modelDir: opts.modelDir, controlTopic: '', batchMaxRecords: 2000, batchMaxWaitMs: 0 },
  });
  try {
    await scorer.started;
    while (!(await scorer.scorer.caughtUp())) {
      if (scorer.scorer.failure !== undefined) throw scorer.scorer.failure;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await scorer.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  await server.engine.processUntilIdle();
  const { scored, deadLetters } = scorer.scorer.stats;
  opts.out(`Scored ${scored} payments in ${seconds.toFixed(1)} s (${Math.round(scored / seconds)}/s), ${deadLetters} dead letters`);
  return { scored, deadLetters, seconds, ...(await alertReport(client)) };
}

/** A look at the pipeline through ksqlDB's eyes: its streams, a push query, a pull query. */
async function explore(client: KsqlDbClient, out: (line: string) => void): Promise<void> {
  const streams = await client.listStreams();
  out(`Streams: ${streams.map((s) => `${s.name} (${s.valueFormat})`).join(', ')}`);
  const push = await client.query('SELECT ID, USER_MASKED, HOUR_OF_DAY, AMOUNT, LOG_AMOUNT, LABEL FROM PAYMENTS_FEATURES EMIT CHANGES LIMIT 3;', {
    properties: { 'auto.offset.reset': 'earliest' },
  });
  out(`Push query, first 3 preprocessed payments: ${push.columnNames.join(', ')}`);
  for (const row of push.rows) out(`  ${row.map(String).join(', ')}`);
  const pull = await client.query('SELECT ID, AMOUNT, LOG_AMOUNT FROM PAYMENTS_FEATURES WHERE LABEL = 1 LIMIT 3;');
  out(`Pull query, 3 labelled frauds: ${pull.columnNames.join(', ')}`);
  for (const row of pull.rows) out(`  ${row.map(String).join(', ')}`);
}
