/** The training options `ksml run` and `ksml train` share, and the threshold rule they give. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Architecture } from '../model/autoencoder.js';
import type { ThresholdRule } from '../model/metrics.js';
import { positiveNumber } from './option-parsers.js';

export interface TrainingOptions {
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly architecture: Architecture;
  readonly alertRate?: number;
}

export function addTrainingOptions(command: Command): Command {
  return command
    .option('--seed <n>', 'seed of the generator, the split and the weights', positiveNumber('--seed', { integer: true }), 42)
    .option('--epochs <n>', 'maximum training epochs (early stopping may end sooner)', positiveNumber('--epochs', { integer: true }), 10)
    .option('--batch-size <n>', 'training batch size', positiveNumber('--batch-size', { integer: true }), 512)
    .addOption(
      new Option('--architecture <name>', "network: the Python original's, or ours (better ROC and PR AUC in bench/train)")
        .choices(['original', 'improved'])
        .default('improved'),
    )
    .option('--alert-rate <rate>', 'choose the threshold for this share of alerts instead of the best F1', (v) => {
      const r = Number(v);
      if (!(r > 0 && r < 1)) throw new InvalidArgumentError('--alert-rate must be between 0 and 1');
      return r;
    });
}

export function thresholdRuleOf(opts: TrainingOptions): ThresholdRule {
  return opts.alertRate ? { kind: 'alert-rate', rate: opts.alertRate } : { kind: 'best-f1' };
}
