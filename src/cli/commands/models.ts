/**
 * `ksml publish-model` and `ksml set-threshold`: models as data. They write to the models
 * control topic, which every scorer replica follows, so a new bundle or threshold takes over
 * everywhere without a restart or a shared volume.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createCommandLogger } from '../../logging.js';
import { openTopicLog } from '../../log/index.js';
import type { TopicLog } from '../../log/topic-log.js';
import { readBundleArtifacts } from '../../model/bundle.js';
import { publishBundle, publishThreshold } from '../../scorer/control-topic.js';

function kafkaOption(): Option {
  return new Option('--kafka <brokers>', 'Kafka bootstrap servers, host:port[,host:port]').env('KAFKA_BOOTSTRAP_SERVERS').makeOptionMandatory();
}

function controlTopicOption(): Option {
  return new Option('--control-topic <topic>', 'the scorers’ control topic').env('SCORER_CONTROL_TOPIC').default('scorer_control');
}

async function withKafka<T>(brokers: string, use: (log: TopicLog) => Promise<T>): Promise<T> {
  const log = await openTopicLog({
    kind: 'kafka',
    brokers: brokers.split(',').map((b) => b.trim()).filter((b) => b !== ''),
    clientId: 'ksml-cli',
    logger: createCommandLogger('kafka'),
  });
  try {
    return await use(log);
  } finally {
    await log.close();
  }
}

export function registerModelCommands(program: Command): void {
  program
    .command('publish-model')
    .description('publish a model bundle to the control topic: every scorer switches to it at its next batch')
    .requiredOption('--model-dir <dir>', 'the bundle directory (model.json, weights.bin, bundle.json)')
    .addOption(kafkaOption())
    .addOption(controlTopicOption())
    .action(async (opts: { modelDir: string; kafka: string; controlTopic: string }) => {
      const artifacts = await readBundleArtifacts(opts.modelDir);
      await withKafka(opts.kafka, (log) => publishBundle(log, opts.controlTopic, artifacts));
      console.log(`published ${artifacts.manifest.name} version ${artifacts.manifest.version} to ${opts.controlTopic}`);
    });

  program
    .command('set-threshold')
    .description("change a model version's alert threshold on every scorer")
    .requiredOption('--model-version <version>', 'the bundle version it applies to')
    .requiredOption('--value <threshold>', 'the new threshold (reconstruction error)', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new InvalidArgumentError('--value must be a number');
      return n;
    })
    .option('--name <name>', 'the model name', 'fraud-autoencoder')
    .addOption(kafkaOption())
    .addOption(controlTopicOption())
    .action(async (opts: { modelVersion: string; value: number; name: string; kafka: string; controlTopic: string }) => {
      await withKafka(opts.kafka, (log) => publishThreshold(log, opts.controlTopic, { name: opts.name, modelVersion: opts.modelVersion, value: opts.value }));
      console.log(`threshold of ${opts.name} ${opts.modelVersion} set to ${opts.value}`);
    });
}
