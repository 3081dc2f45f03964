/**
 * Names the project's SQL files (`sql/`) take as `${variables}`, with the defaults the CLI and
 * notebooks use. Deploying with other values (`--define payments_topic=...`) points the same
 * files at other topics.
 */
export const DEFAULT_PIPELINE_VARIABLES: Readonly<Record<string, string>> = {
  payments_topic: 'payments',
  payments_format: 'JSON',
  payments_partitions: '1',
  features_topic: 'payments_features',
  scores_topic: 'payment_scores',
  scores_partitions: '1',
  alerts_topic: 'payment_alerts',
  // sql/V000004 and V000005: reference data, enrichment, model monitoring.
  alerts_per_user_topic: 'alerts_per_user_hourly',
  score_stats_topic: 'score_stats_hourly',
  baseline_topic: 'feature_baseline',
  features_by_model_topic: 'payments_features_by_model',
  standardised_topic: 'payments_standardised',
  feature_drift_topic: 'feature_drift_hourly',
  model_name: 'fraud-autoencoder',
  users_topic: 'users',
  enriched_topic: 'payments_enriched',
};

/** The version of sql/'s model-monitoring migration, which needs a model's baseline first. */
export const MONITORING_MIGRATION = 5;

export const RAW_STREAM = 'PAYMENTS_RAW';
export const FEATURES_STREAM = 'PAYMENTS_FEATURES';
export const SCORES_STREAM = 'PAYMENT_SCORES';
export const ALERTS_STREAM = 'PAYMENT_ALERTS';

/** The model's inputs, in order: columns of the preprocessed stream (sql/V000002). */
export const MODEL_FEATURES: readonly string[] = [
  ...Array.from({ length: 28 }, (_, i) => `V${i + 1}`),
  'LOG_AMOUNT',
  'HOUR_OF_DAY',
];

/** The label column of the preprocessed stream (null for unlabelled payments). */
export const LABEL_COLUMN = 'LABEL';

/**
 * What the preprocessed features can be, carried in the model bundle so that the scorer tells
 * data errors from unusual payments the same way for every model: hours are 0..23, a log
 * amount is not negative, and the PCA components of real payments stay within about ±120
 * (Kaggle data), so magnitudes beyond ±1000 are broken producers, not fraud.
 */
export const FEATURE_DOMAINS: Readonly<Record<string, { min?: number; max?: number; integer?: boolean }>> = {
  ...Object.fromEntries(Array.from({ length: 28 }, (_, i) => [`V${i + 1}`, { min: -1000, max: 1000 }])),
  LOG_AMOUNT: { min: 0, max: 25 },
  HOUR_OF_DAY: { min: 0, max: 23, integer: true },
};
