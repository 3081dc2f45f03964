/**
 * bench/train: epoch time and ROC AUC of the autoencoder on 284,807 synthetic payments, for the
 * original network and ours, on every TensorFlow.js backend that loads here. Each backend runs
 * in its own process (a process initialises one backend). Writes JSON.
 *
 *   npm run bench:train -- [--count 284807] [--epochs 5] [--batch-size 512] [--out bench/results/train.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, type BackendName } from '../../src/model/backend.js';
import { trainFraudAutoencoder } from '../../src/model/train.js';
import { FEATURE_COLUMNS, generatePayments } from '../../src/pipeline/synthetic.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '284807' },
    epochs: { type: 'string', default: '5' },
    'batch-size': { type: 'string', default: '512' },
    backend: { type: 'string' },
    out: { type: 'string', default: 'bench/results/train.json' },
  },
});
const BACKENDS: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

interface ArchitectureResult {
  architecture: string;
  epochs: number;
  secondsPerEpoch: number;
  rocAuc: number;
  prAuc: number;
  trainRows: number;
}

async function runOne(backend: BackendName): Promise<{ backend: string; skipped?: string; results?: ArchitectureResult[] }> {
  try {
    await initBackend(backend);
  } catch (err) {
    return { backend, skipped: err instanceof Error ? err.message : String(err) };
  }
  const rows: number[][] = [];
  const labels: (0 | 1 | null)[] = [];
  for (const p of generatePayments({ count: Number(args.count), seed: 'bench-train' })) {
    // The same 30 features as the preprocessed stream: V1..V28, log amount, hour of day.
    rows.push([...FEATURE_COLUMNS.map((c) => p[c]), Math.log(p.Amount + 1), new Date(p.Timestamp).getUTCHours()]);
    labels.push(p.Class);
  }
  const features = [...FEATURE_COLUMNS, 'LOG_AMOUNT', 'HOUR_OF_DAY'];
  const results: ArchitectureResult[] = [];
  for (const architecture of ['original', 'improved'] as const) {
    const epochTimes: number[] = [];
    let last = performance.now();
    const result = await trainFraudAutoencoder(
      { features, rows, labels },
      // Patience above the epoch count: every run trains the same number of epochs.
      { architecture, epochs: Number(args.epochs), batchSize: Number(args['batch-size']), patience: 1000, seed: 42, thresholdRule: { kind: 'best-f1' } },
      () => {
        const now = performance.now();
        epochTimes.push((now - last) / 1000);
        last = now;
      },
    );
    // The first interval also holds data preparation; epochs after it time training alone.
    const timed = epochTimes.length > 1 ? epochTimes.slice(1) : epochTimes;
    results.push({
      architecture,
      epochs: result.history.epochs,
      secondsPerEpoch: timed.reduce((a, b) => a + b, 0) / timed.length,
      rocAuc: result.test.rocAuc,
      prAuc: result.test.prAuc,
      trainRows: result.counts.trainNormals,
    });
    result.model.dispose();
  }
  return { backend, results };
}

if (args.backend) {
  process.stdout.write(JSON.stringify(await runOne(args.backend as BackendName)) + '\n');
} else {
  const runs = BACKENDS.map((backend) => {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2), '--backend', backend], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    try {
      return JSON.parse(line);
    } catch {
      return { backend, skipped: `run failed (exit ${child.status}): ${child.stderr.trim().split('\n').at(-1) ?? ''}` };
    }
  });
  const report = {
    benchmark: 'train',
    date: new Date().toISOString(),
    node: process.version,
    payments: Number(args.count),
    epochs: Number(args.epochs),
    batchSize: Number(args['batch-size']),
    runs,
  };
  await mkdir(path.dirname(args.out!), { recursive: true });
  await writeFile(args.out!, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
}
