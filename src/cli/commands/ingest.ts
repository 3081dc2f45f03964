/**
 * `ksml ingest`: payments from the Kaggle CSV (plain or gzipped) or the synthetic generator
 * into the raw payments stream of a ksqlDB server, through its /inserts-stream, with a
 * progress bar and an optional replay rate.
 */
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import { KsqlDbClient } from '../../ksql/client.js';
import { readPaymentsCsv } from '../../pipeline/csv-source.js';
import { ingestPayments, InsertsStreamSink } from '../../pipeline/ingest.js';
import { RAW_STREAM } from '../../pipeline/pipeline-config.js';
import { generatePayments } from '../../pipeline/synthetic.js';
import { positiveNumber } from '../option-parsers.js';

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('produce payments (the Kaggle CSV or synthetic ones) into the raw payments stream')
    .addOption(new Option('--url <url>', 'ksqlDB server URL').env('KSQLDB_URL').makeOptionMandatory())
    .option('--data <path>', 'the Kaggle creditcard.csv (plain or .gz, header or extended layout)')
    .option('--count <n>', 'synthetic payments to generate when --data is not given', positiveNumber('--count', { integer: true }), 284_807)
    .option('--seed <n>', 'seed of the synthetic generator', positiveNumber('--seed', { integer: true }), 42)
    .option('--rate <n>', 'replay at this many records per second (default: as fast as possible)', positiveNumber('--rate', { integer: false }))
    .option('--stream <name>', 'target stream', RAW_STREAM)
    .action(async (opts: { url: string; data?: string; count: number; seed: number; rate?: number; stream: string }) => {
      const client = new KsqlDbClient({ url: opts.url });
      const total = opts.data ? undefined : opts.count;
      const bar = process.stdout.isTTY
        ? new cliProgress.SingleBar({ format: total ? 'ingest [{bar}] {value}/{total}' : 'ingest {value} payments' }, cliProgress.Presets.shades_classic)
        : undefined;
      bar?.start(total ?? 0, 0);
      try {
        const source = opts.data ? readPaymentsCsv(opts.data) : generatePayments({ count: opts.count, seed: opts.seed });
        const result = await ingestPayments(source, new InsertsStreamSink(client, opts.stream), {
          ...(opts.rate ? { rate: opts.rate } : {}),
          onProgress: (n) => bar?.update(n),
        });
        bar?.stop();
        console.log(
          `ingested ${result.records} payments (${result.frauds} frauds, ${result.unlabelled} unlabelled) into ${opts.stream} in ${result.seconds.toFixed(1)} s`,
        );
      } finally {
        bar?.stop();
        await client.close();
      }
    });
}
