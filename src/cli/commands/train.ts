/**
 * `ksml train`: the training half against any ksqlDB server (a real one in production, the
 * local engine in development): pulls PAYMENTS_FEATURES over the REST API, trains, evaluates
 * and exports the model bundle that `ksml score` and `ksml publish-model` take.
 */
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { KsqlDbClient } from '../../ksql/client.js';
import { initBackend } from '../../model/backend.js';
import { trainAndExport } from '../../pipeline/train-job.js';
import { positiveNumber } from '../option-parsers.js';

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train the autoencoder on the preprocessed stream of a ksqlDB server and export a model bundle')
    .addOption(new Option('--url <url>', 'ksqlDB server URL').env('KSQLDB_URL').makeOptionMandatory())
    .option('--model-dir <dir>', 'where the bundle is written', path.join('models', 'fraud-autoencoder'))
    .option('--seed <n>', 'seed of the split and the weights', positiveNumber('--seed', { integer: true }), 42)
    .option('--epochs <n>', 'maximum training epochs', positiveNumber('--epochs', { integer: true }), 10)
    .option('--batch-size <n>', 'training batch size', positiveNumber('--batch-size', { integer: true }), 512)
    .addOption(new Option('--architecture <name>', 'network').choices(['original', 'improved']).default('improved'))
    .option('--alert-rate <rate>', 'choose the threshold for this share of alerts instead of the best F1', (v) => {
      const r = Number(v);
      if (!(r > 0 && r < 1)) throw new InvalidArgumentError('--alert-rate must be between 0 and 1');
      return r;
    })
    .action(async (opts) => {
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
          thresholdRule: opts.alertRate ? { kind: 'alert-rate', rate: opts.alertRate } : { kind: 'best-f1' },
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
