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
};

export const RAW_STREAM = 'PAYMENTS_RAW';
export const FEATURES_STREAM = 'PAYMENTS_FEATURES';

/** The model's inputs, in order: columns of the preprocessed stream (sql/V000002). */
export const MODEL_FEATURES: readonly string[] = [
  ...Array.from({ length: 28 }, (_, i) => `V${i + 1}`),
  'LOG_AMOUNT',
  'HOUR_OF_DAY',
];

/** The label column of the preprocessed stream (null for unlabelled payments). */
export const LABEL_COLUMN = 'LABEL';
