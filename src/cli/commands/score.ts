/**
 * `ksml score`: the scoring service over Kafka until SIGTERM or SIGINT, which finish the batch
 * in progress, commit it and leave the consumer group. Every flag has an environment variable
 * (SCORER_*, KAFKA_*; see src/scorer/config.ts) for containers; flags win.
 */
import { Option, type Command } from 'commander';
import { createLogger } from '../../logging.js';
import { ScorerConfigError, type ScorerConfigInput } from '../../scorer/config.js';
import { startScorer, type ScorerService } from '../../scorer/service.js';
import { stopOnSignal } from '../shutdown.js';

interface ScoreCommandOptions {
  kafka?: string;
  modelDir?: string;
  inputTopic?: string;
  scoresTopic?: string;
  dlqTopic?: string;
  controlTopic?: string;
  groupId?: string;
  batchMaxRecords?: string;
  batchMaxWaitMs?: string;
  httpHost?: string;
  httpPort?: string;
  readyMaxLag?: string;
  startFrom?: string;
}

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description('score the preprocessed payments stream from Kafka into scores, alerts and a dead-letter topic (exactly once)')
    .option('--kafka <brokers>', 'Kafka bootstrap servers, host:port[,host:port] (env KAFKA_BOOTSTRAP_SERVERS)')
    .option('--model-dir <dir>', 'model bundle directory, watched for new versions (env SCORER_MODEL_DIR)')
    .option('--input-topic <topic>', 'preprocessed payments (env SCORER_INPUT_TOPIC; default payments_features)')
    .option('--scores-topic <topic>', 'where scores go (env SCORER_SCORES_TOPIC; default payment_scores)')
    .option('--dlq-topic <topic>', 'where records that cannot be scored go (env SCORER_DLQ_TOPIC; default payment_scores_dlq)')
    .option('--control-topic <topic>', "models and thresholds published as data; '' for none (env SCORER_CONTROL_TOPIC; default scorer_control)")
    .option('--group-id <id>', 'consumer group: instances share the input partitions (env SCORER_GROUP_ID; default fraud-scorer)')
    .option('--batch-max-records <n>', 'micro-batch size limit (env SCORER_BATCH_MAX_RECORDS; default 500)')
    .option('--batch-max-wait-ms <ms>', 'micro-batch wait after its first record (env SCORER_BATCH_MAX_WAIT_MS; default 20)')
    .option('--http-host <host>', 'address of /healthz, /readyz, /metrics and KServe V2 (env SCORER_HTTP_HOST; default 127.0.0.1)')
    .option('--http-port <port>', 'their port (env SCORER_HTTP_PORT; default 8080)')
    .option('--ready-max-lag <n>', 'readiness requires a consumer lag below this (env SCORER_READY_MAX_LAG; default 50000)')
    .addOption(new Option('--start-from <where>', 'where a new group starts (env SCORER_START_FROM; default earliest)').choices(['earliest', 'latest']))
    .action(async (opts: ScoreCommandOptions) => {
      const overrides: Partial<ScorerConfigInput> = {
        kafkaBootstrapServers: opts.kafka,
        modelDir: opts.modelDir,
        inputTopic: opts.inputTopic,
        scoresTopic: opts.scoresTopic,
        deadLetterTopic: opts.dlqTopic,
        controlTopic: opts.controlTopic,
        groupId: opts.groupId,
        batchMaxRecords: opts.batchMaxRecords,
        batchMaxWaitMs: opts.batchMaxWaitMs,
        httpHost: opts.httpHost,
        httpPort: opts.httpPort,
        readyMaxLag: opts.readyMaxLag,
        startFrom: opts.startFrom as 'earliest' | 'latest' | undefined,
      };
      await runScorer(overrides);
    });
}

async function runScorer(overrides: Partial<ScorerConfigInput>): Promise<void> {
  const logger = createLogger('ksml-scorer');
  let service: ScorerService;
  try {
    service = await startScorer({ config: overrides, logger });
  } catch (err) {
    if (err instanceof ScorerConfigError) {
      console.error(err.message);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  let stopping = false;
  const shutdown = stopOnSignal(async () => {
    stopping = true;
    logger.info({ stats: service.scorer.stats }, 'final counts');
    await service.stop();
  }, logger);
  // A scorer that cannot start (no input topic, say) or whose loop died exits non-zero, so that
  // its supervisor restarts it, instead of idling unready.
  service.started.catch((err: unknown) => {
    if (stopping) return; // stopped while waiting for a model
    logger.fatal({ err }, 'the scorer could not start');
    process.exitCode = 1;
    shutdown.trigger('start failed');
  });
  const watchdog = setInterval(() => {
    if (service.scorer.failure === undefined) return;
    process.exitCode = 1;
    shutdown.trigger('scoring loop died');
  }, 1000).unref();
  await shutdown.done;
  clearInterval(watchdog);
}
