/**
 * The scorer's configuration: environment variables (what a container gets), overridden by
 * explicit values (command-line flags, code), validated with zod into one typed object. Errors
 * name the variable, what it must be and what it was.
 */
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const topicName = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, "must be a Kafka topic name (letters, digits, '.', '_', '-')");

export const scorerConfigSchema = z.object({
  /** Kafka brokers; unset means the caller passes a topic log (embedded use). */
  kafkaBootstrapServers: z
    .string()
    .transform((s) => s.split(',').map((b) => b.trim()).filter((b) => b !== ''))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port[,host:port...]')).min(1))
    .optional(),
  kafkaClientId: z.string().min(1).default('ksml-scorer'),
  /** How soon the group notices a dead scorer and gives its partitions to the others. */
  kafkaSessionTimeoutMs: int(1000, 300_000).default(10_000),
  inputTopic: topicName.default('payments_features'),
  scoresTopic: topicName.default('payment_scores'),
  deadLetterTopic: topicName.default('payment_scores_dlq'),
  /** '' turns the models control topic off. */
  controlTopic: z.union([topicName, z.literal('')]).default('scorer_control'),
  groupId: z.string().min(1).default('fraud-scorer'),
  /** Prefix of the per-partition transactional ids (default: the group id). */
  transactionalIdPrefix: z.string().min(1).optional(),
  /** A bundle directory to load and watch. */
  modelDir: z.string().min(1).optional(),
  modelPollMs: int(100, 3_600_000).default(2000),
  batchMaxRecords: int(1, 10_000).default(500),
  batchMaxWaitMs: int(0, 60_000).default(20),
  httpHost: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port. */
  httpPort: int(0, 65535).default(8080),
  readyMaxLag: int(0, Number.MAX_SAFE_INTEGER).default(50_000),
  explain: int(0, 64).default(3),
  inputFormat: z.enum(['JSON', 'DELIMITED']).default('JSON'),
  startFrom: z.enum(['earliest', 'latest']).default('earliest'),
});

export type ScorerConfig = z.output<typeof scorerConfigSchema>;
export type ScorerConfigInput = z.input<typeof scorerConfigSchema>;

/** Environment variable of each setting. */
export const SCORER_ENV: Readonly<Record<keyof ScorerConfigInput, string>> = {
  kafkaBootstrapServers: 'KAFKA_BOOTSTRAP_SERVERS',
  kafkaClientId: 'KAFKA_CLIENT_ID',
  kafkaSessionTimeoutMs: 'KAFKA_SESSION_TIMEOUT_MS',
  inputTopic: 'SCORER_INPUT_TOPIC',
  scoresTopic: 'SCORER_SCORES_TOPIC',
  deadLetterTopic: 'SCORER_DLQ_TOPIC',
  controlTopic: 'SCORER_CONTROL_TOPIC',
  groupId: 'SCORER_GROUP_ID',
  transactionalIdPrefix: 'SCORER_TRANSACTIONAL_ID_PREFIX',
  modelDir: 'SCORER_MODEL_DIR',
  modelPollMs: 'SCORER_MODEL_POLL_MS',
  batchMaxRecords: 'SCORER_BATCH_MAX_RECORDS',
  batchMaxWaitMs: 'SCORER_BATCH_MAX_WAIT_MS',
  httpHost: 'SCORER_HTTP_HOST',
  httpPort: 'SCORER_HTTP_PORT',
  readyMaxLag: 'SCORER_READY_MAX_LAG',
  explain: 'SCORER_EXPLAIN_TOP',
  inputFormat: 'SCORER_INPUT_FORMAT',
  startFrom: 'SCORER_START_FROM',
};

export class ScorerConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid scorer configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScorerConfigError';
  }
}

/** Environment first, then `overrides` (undefined values do not override). */
export function loadScorerConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ScorerConfigInput> = {}): ScorerConfig {
  const input: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(SCORER_ENV)) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
    else if (key === 'controlTopic' && value !== undefined) input[key] = '';
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) input[key] = value;
  const parsed = scorerConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new ScorerConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        const variable = SCORER_ENV[key as keyof ScorerConfigInput] ?? key;
        const got = input[key];
        return `${variable}: ${issue.message}${got === undefined ? '' : ` (got '${String(got)}')`}`;
      }),
    );
  }
  return parsed.data;
}
