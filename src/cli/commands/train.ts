/**
 * `ksml train`: the training half against any ksqlDB server (a real one in production, the
 * local engine in development): pulls PAYMENTS_FEATURES over the REST API, trains, evaluates
 * and exports the model bundle that `ksml score` and `ksml publish-model` take.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { KsqlDbClient } from '../../ksql/client.js';
import { initBackend } from '../../model/backend.js';
import { trainAndExport } from '../../pipeline/train-job.js';
import { addTrainingOptions, thresholdRuleOf } from '../training-options.js';

export function registerTrainCommand(program: Command): void {
  const command = program
    .command('train')
    .description('train the autoencoder on the preprocessed stream of a ksqlDB server and export a model bundle')
    .addOption(new Option('--url <url>', 'ksqlDB server URL').env('KSQLDB_URL').makeOptionMandatory())
    .option('--model-dir <dir>', 'where the bundle is written', path.join('models', 'fraud-autoencoder'));
  addTrainingOptions(command).action(async (opts) => {
    const backend = await initBackend();
    console.log(`TensorFlow.js backend: ${backend.name}`);
    const client = new KsqlDbClient({ url: opts.url });
    try {
      const { result, bundle } = await trainAndExport(client, {
        modelDir: opts.modelDir,
        architecture: opts.architecture,
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        seed: opts.seed,
        thresholdRule: thresholdRuleOf(opts),
        backend: backend.name,
        out: (line) => console.log(line),
      });
      console.log(
        `ROC AUC ${result.test.rocAuc.toFixed(4)}, PR AUC ${result.test.prAuc.toFixed(4)}; bundle ${path.resolve(opts.modelDir)} version ${bundle.version}`,
      );
    } finally {
      await client.close();
    }
  });
}
