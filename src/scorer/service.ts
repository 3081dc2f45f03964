/**
 * The scorer as a service: configuration, topic log, TensorFlow.js backend, model sources
 * (bundle directory, control topic), the scoring loop and the HTTP side, started and stopped
 * together. `ksml score` runs it as a process; notebooks and the main job embed it over the
 * local engine's log with `startScorer`.
 */
import type { Logger } from 'pino';
import { createLogger } from '../logging.js';
import { openTopicLog } from '../log/index.js';
import type { TopicLog } from '../log/topic-log.js';
import { initBackend, type BackendChoice } from '../model/backend.js';
import { BundleDirectoryWatcher } from './bundle-directory.js';
import { loadScorerConfig, type ScorerConfig, type ScorerConfigInput } from './config.js';
import { ControlTopicFollower } from './control-topic.js';
import { startScorerHttpServer, type Readiness, type ScorerHttpServer } from './http-server.js';
import { ScorerMetrics } from './metrics.js';
import { ModelSlot } from './model-slot.js';
import { Scorer } from './scorer.js';

export interface StartScorerOptions {
  /** Settings over the environment's (see SCORER_ENV); `loadScorerConfig` validates them. */
  readonly config?: Partial<ScorerConfigInput>;
  /** Read the environment (default true; embedded callers may want false). */
  readonly useEnvironment?: boolean;
  /** A topic log to run on (e.g. the local engine's); otherwise Kafka from the configuration. */
  readonly log?: TopicLog;
  /** false: no HTTP server (default: serve on the configured host and port). */
  readonly http?: boolean;
  readonly logger?: Logger;
}

export interface ScorerService {
  readonly config: ScorerConfig;
  readonly scorer: Scorer;
  readonly models: ModelSlot;
  readonly metrics: ScorerMetrics;
  readonly backend: BackendChoice;
  /** The HTTP server's URL, when there is one. */
  readonly url: string | undefined;
  /** Resolves when the scorer has a model and has joined its group; rejects if it cannot start. */
  readonly started: Promise<void>;
  readiness(): Readiness;
  stop(): Promise<void>;
}

const SERVER_VERSION = '0.1.0';

export async function startScorer(opts: StartScorerOptions = {}): Promise<ScorerService> {
  const config = loadScorerConfig(opts.useEnvironment === false ? {} : process.env, opts.config ?? {});
  const logger = opts.logger ?? createLogger('ksml-scorer');
  if (config.modelDir === undefined && config.controlTopic === '') {
    throw new Error('The scorer needs a model source: SCORER_MODEL_DIR (a bundle directory), SCORER_CONTROL_TOPIC, or both.');
  }
  let ownedLog: TopicLog | undefined;
  let chosenLog = opts.log;
  if (chosenLog === undefined) {
    if (config.kafkaBootstrapServers === undefined) {
      throw new Error(
        'The scorer needs Kafka: set KAFKA_BOOTSTRAP_SERVERS (or --kafka host:port). On the embedded log it runs inside the process that owns the log (ksml run, or startScorer({ log }) next to the local engine).',
      );
    }
    ownedLog = await openTopicLog({
      kind: 'kafka',
      brokers: config.kafkaBootstrapServers,
      clientId: config.kafkaClientId,
      sessionTimeoutMs: config.kafkaSessionTimeoutMs,
      heartbeatIntervalMs: Math.max(100, Math.floor(config.kafkaSessionTimeoutMs / 3)),
      logger,
    });
    chosenLog = ownedLog;
  }
  const log: TopicLog = chosenLog;

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => logger.warn({ err }, 'shutdown step failed'));
  };
  try {
    const backend = await initBackend();
    logger.info({ backend: backend.name, skipped: backend.skipped }, 'TensorFlow.js backend chosen');
    const metrics = new ScorerMetrics();
    const models = new ModelSlot({ format: config.inputFormat }, metrics, logger);
    cleanups.push(async () => models.dispose());
    if (ownedLog !== undefined) {
      const owned = ownedLog;
      cleanups.push(() => owned.close());
    }

    if (config.modelDir !== undefined) {
      const watcher = new BundleDirectoryWatcher(config.modelDir, models, logger, config.modelPollMs);
      await watcher.start();
      cleanups.push(() => watcher.stop());
    }
    if (config.controlTopic !== '') {
      const follower = new ControlTopicFollower(log, config.controlTopic, models, logger);
      await follower.start();
      cleanups.push(() => follower.stop());
    }

    const scorer = new Scorer({
      log,
      inputTopic: config.inputTopic,
      scoresTopic: config.scoresTopic,
      deadLetterTopic: config.deadLetterTopic,
      groupId: config.groupId,
      transactionalIdPrefix: config.transactionalIdPrefix ?? config.groupId,
      batch: { maxRecords: config.batchMaxRecords, maxWaitMs: config.batchMaxWaitMs },
      explain: config.explain,
      startFrom: config.startFrom,
      models,
      metrics,
      logger,
    });
    const readiness = (): Readiness => {
      const reasons: string[] = [];
      if (!models.loaded) reasons.push('no model bundle loaded');
      if (scorer.failure !== undefined) reasons.push(`the scoring loop stopped: ${String(scorer.failure)}`);
      else if (!scorer.running) reasons.push('not consuming yet');
      else if (scorer.assignment().length === 0) reasons.push('no input partitions assigned');
      if (scorer.lag > config.readyMaxLag) reasons.push(`consumer lag ${scorer.lag} above ${config.readyMaxLag}`);
      return { ready: reasons.length === 0, reasons };
    };

    let http: ScorerHttpServer | undefined;
    if (opts.http !== false) {
      http = await startScorerHttpServer({
        host: config.httpHost,
        port: config.httpPort,
        models,
        metrics,
        readiness,
        deadBecause: () => (scorer.failure === undefined ? undefined : `the scoring loop stopped: ${String(scorer.failure)}`),
        explain: config.explain,
        logger,
        serverVersion: SERVER_VERSION,
      });
      cleanups.push(() => http!.close());
      logger.info({ url: http.url }, 'scorer HTTP server listening');
    }

    const started = scorer.start();
    // Stopped before the loop; waiting for the first model must not keep stop() waiting.
    cleanups.push(() => scorer.stop());
    started.then(
      () => logger.info({ input: config.inputTopic, group: config.groupId, log: log.description }, 'scorer consuming'),
      (err: unknown) => logger.error({ err }, 'the scorer could not start'),
    );

    let stopping: Promise<void> | undefined;
    return {
      config,
      scorer,
      models,
      metrics,
      backend,
      url: http?.url,
      started,
      readiness,
      stop: () => (stopping ??= cleanUp()),
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
