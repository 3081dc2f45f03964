/**
 * The project's public API, as notebooks and other programs import it
 * (`import { ... } from 'kafka-streaming-ml'`).
 */

// The local engine, embedded behind its REST API.
export { startLocalKsqlDb } from './engine/embedded.js';
export type { LocalKsqlDb, LocalKsqlDbOptions } from './engine/embedded.js';
export { registerUdf, loadExtensionDirectory } from './engine/functions/extensions.js';

// The ksqlDB client and DataFrames.
export * from './ksql/index.js';
export { toDataFrame } from './ksql/dataframe.js';

// The SQL pipeline: deployment, ingestion, synthetic data, training rows.
export { deploy, readMigrations, appliedMigrations, initializeMetadata } from './pipeline/migrations.js';
export type { DeployOptions, DeployResult, MigrationFile } from './pipeline/migrations.js';
export { ingestPayments, TopicLogSink, InsertsStreamSink } from './pipeline/ingest.js';
export type { PaymentSink, IngestOptions, IngestResult } from './pipeline/ingest.js';
export { readPaymentsCsv } from './pipeline/csv-source.js';
export { generatePayments, FEATURE_COLUMNS } from './pipeline/synthetic.js';
export type { Payment, SyntheticOptions } from './pipeline/synthetic.js';
export { pullTrainingRows } from './pipeline/training-data.js';
export type { TrainingRows } from './pipeline/training-data.js';
export * from './pipeline/pipeline-config.js';
export { runMainJob } from './pipeline/main-job.js';
export { trainAndExport } from './pipeline/train-job.js';
export { alertReport } from './pipeline/alert-report.js';
export type { AlertReport } from './pipeline/alert-report.js';
export { publishFeatureBaseline, baselineInsert } from './pipeline/feature-baseline.js';
export { monitoringReport } from './pipeline/monitoring-report.js';
export type { MonitoringReport } from './pipeline/monitoring-report.js';

// The topic log (embedded file log, Kafka), for programs that read and write topics directly.
export { openTopicLog } from './log/index.js';
export type { TopicLog, TopicLogSpec } from './log/index.js';

// The scorer.
export { startScorer } from './scorer/service.js';
export type { ScorerService, StartScorerOptions } from './scorer/service.js';
export { loadScorerConfig, SCORER_ENV } from './scorer/config.js';
export type { ScorerConfig } from './scorer/config.js';
export { publishBundle, publishThreshold } from './scorer/control-topic.js';

// The model.
export { initBackend, tf } from './model/backend.js';
export type { BackendChoice, BackendName } from './model/backend.js';
export { buildAutoencoder, trainAutoencoder, reconstructionErrors } from './model/autoencoder.js';
export type { Architecture } from './model/autoencoder.js';
export { trainFraudAutoencoder } from './model/train.js';
export type { TrainingConfig, TrainingResult, Evaluation, LabelledData } from './model/train.js';
export { saveBundle, loadBundle, readBundleArtifacts, schemaFingerprint } from './model/bundle.js';
export type { BundleManifest, LoadedBundle, PaymentScore } from './model/bundle.js';
export * from './model/metrics.js';
export { StandardScaler } from './model/scaler.js';
export { renderSvg, lossCurveSvg, rocCurveSvg, prCurveSvg, histogramSvg, confusionMatrixSvg } from './model/plots.js';

// Logging.
export { createLogger } from './logging.js';
