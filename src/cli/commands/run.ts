/**
 * `ksml run`: the main job on the embedded default (what `npm start` runs): engine, SQL
 * pipeline, ingestion, training, evaluation, model bundle, summary.
 */
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { createCommandLogger } from '../../logging.js';
import { runMainJob } from '../../pipeline/main-job.js';
import { positiveNumber } from '../option-parsers.js';
import { addTrainingOptions, thresholdRuleOf } from '../training-options.js';

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('the main job: local engine, sql/ pipeline, ingestion, training, evaluation and a model bundle')
    .option('--data <path>', 'the Kaggle creditcard.csv (plain or .gz); default: synthetic payments')
    .option('--count <n>', 'synthetic payments to generate', positiveNumber('--count', { integer: true }), 284_807)
    .option('--data-dir <dir>', "the engine's topic log (wiped first)", path.join('.data', 'main-job'))
    .option('--model-dir <dir>', 'where the model bundle is written', path.join('models', 'fraud-autoencoder'))
    .option('--sql-dir <dir>', 'the SQL pipeline', 'sql');
  addTrainingOptions(command).action(async (opts) => {
    const bar = process.stdout.isTTY
      ? new cliProgress.SingleBar({ format: 'ingest [{bar}] {value}/{total} payments', hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
    let barStarted = false;
    const summary = await runMainJob({
      dataDir: opts.dataDir,
      modelDir: opts.modelDir,
      sqlDir: opts.sqlDir,
      data: opts.data,
      count: opts.count,
      seed: opts.seed,
      architecture: opts.architecture,
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      thresholdRule: thresholdRuleOf(opts),
      logger: createCommandLogger('ksqldb'),
      out: (line) => console.log(line),
      onIngestProgress: (n, total) => {
        if (!bar || total === undefined) return;
        if (!barStarted) {
          bar.start(total, 0);
          barStarted = true;
        }
        bar.update(n);
        if (n >= total) bar.stop();
      },
    });
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log('\nSummary');
    console.log(`  rows          ${summary.rows} (${summary.frauds} frauds)`);
    console.log(`  ROC AUC       ${summary.rocAuc.toFixed(4)}`);
    console.log(`  PR AUC        ${summary.prAuc.toFixed(4)}`);
    console.log(`  threshold     ${summary.threshold.toPrecision(4)} (${summary.bundle.threshold.rule.kind})`);
    console.log(`  precision     ${pct(summary.precision)}`);
    console.log(`  recall        ${pct(summary.recall)}`);
    console.log(`  backend       ${summary.backend}`);
    console.log(`  bundle        ${summary.bundleDir} (version ${summary.bundle.version})`);
    const s = summary.scoring;
    console.log(`  scored        ${s.scored} payments by the scorer (${Math.round(s.scored / s.seconds)}/s, ${s.deadLetters} dead letters)`);
    console.log(`  alerts        ${s.alerts}: precision ${pct(s.precision)}, recall ${pct(s.recall)} (${s.truePositives} of ${s.frauds} frauds; every payment, training rows included)`);
    const m = summary.monitoring;
    const hour = (ms: number) => new Date(ms).toISOString().slice(0, 13) + 'h';
    console.log(`  monitoring    ${m.hours} hourly windows in SCORE_STATS_HOURLY${m.peakAlertRate ? `; peak alert rate ${pct(m.peakAlertRate.rate)} at ${hour(m.peakAlertRate.windowStart)}` : ''}`);
    if (m.largestShift) console.log(`  drift         largest shift ${m.largestShift.shift.toFixed(2)} sd (${m.largestShift.feature}, ${hour(m.largestShift.windowStart)}) in FEATURE_DRIFT_HOURLY`);
    console.log(`  time          ${summary.seconds.toFixed(1)} s`);
  });
}
