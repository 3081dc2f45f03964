/**
 * bench/scorer: the scorer process (`ksml score`, exactly-once on) over a real Kafka broker.
 *  1. throughput: N preprocessed payments preloaded on the input topic, scored from the first
 *     commit to the last (records per second), with the process's peak RSS, its RSS once all
 *     N are scored, and its RSS and live TensorFlow.js tensors at 10% and at the end (a leak
 *     shows as growth);
 *  2. latency: payments offered at a fixed rate while the scorer keeps up; per score, the time
 *     from the payment's timestamp to a read_committed consumer receiving its score (p50, p99).
 * Writes JSON.
 *
 *   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 npm run bench:scorer -- [--records 1000000] [--rate 2000] [--seconds 20] [--out bench/results/scorer.json]
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KafkaTopicLog } from '../../src/log/kafka/index.js';
import { parseBrokerList } from '../../src/log/kafka/options.js';
import type { ProduceRecord } from '../../src/log/topic-log.js';
import { buildAutoencoder } from '../../src/model/autoencoder.js';
import { initBackend } from '../../src/model/backend.js';
import { saveBundle, schemaFingerprint } from '../../src/model/bundle.js';
import { FEATURE_DOMAINS, MODEL_FEATURES } from '../../src/pipeline/pipeline-config.js';
import { generatePayments } from '../../src/pipeline/synthetic.js';
import { featureRecord } from '../../test/support/feature-records.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    partitions: { type: 'string', default: '4' },
    batch: { type: 'string', default: '500' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '20' },
    out: { type: 'string', default: 'bench/results/scorer.json' },
  },
});
const RECORDS = Number(args.records);
const PARTITIONS = Number(args.partitions);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const ROOT = path.resolve(import.meta.dirname, '../..');
const servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
if (!servers) throw new Error('bench:scorer needs a broker: KAFKA_BOOTSTRAP_SERVERS=host:port (bash scripts/kafka.sh start)');
const brokers = parseBrokerList(servers);

/** Preprocessed payments as the PAYMENTS_FEATURES CSAS writes them, `count` at a time. */
function* featureBatches(total: number, size: number, seed: string, firstId = 1): Generator<ProduceRecord[]> {
  let batch: ProduceRecord[] = [];
  for (const p of generatePayments({ count: total, seed, fraudRate: 0.002, firstId })) {
    batch.push(featureRecord(p));
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function procStatus(pid: number): Promise<{ rssMb: number; peakMb: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

async function tensors(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^ksml_scorer_tfjs_tensors (\d+)/m.exec(text)?.[1] ?? NaN);
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const run = `bench-${randomUUID().slice(0, 8)}`;
  const t = { input: `${run}-features`, scores: `${run}-scores`, dlq: `${run}-dlq`, group: `${run}-scorer` };
  const log = await KafkaTopicLog.open({ brokers, clientId: 'bench-scorer', fetchMaxWaitMs: 10 });
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-scorer-'));
  const modelDir = path.join(tmp, 'model');
  // The network the main job trains (untrained here: scoring costs the same).
  const columns = MODEL_FEATURES.map((name) => ({ name, type: name === 'HOUR_OF_DAY' ? 'INTEGER' : 'DOUBLE' }));
  const model = buildAutoencoder('improved', MODEL_FEATURES.length);
  await saveBundle(modelDir, model, {
    name: 'fraud-autoencoder', architecture: 'improved', features: MODEL_FEATURES,
    scaler: { kind: 'standard', features: [...MODEL_FEATURES], mean: MODEL_FEATURES.map(() => 0), std: MODEL_FEATURES.map(() => 2) },
    threshold: { value: 5, rule: { kind: 'best-f1' } }, metrics: {}, training: {},
    schema: { source: 'PAYMENTS_FEATURES', columns, fingerprint: schemaFingerprint(columns) }, domains: FEATURE_DOMAINS, libraries: {},
  });
  model.dispose();
  await log.createTopic(t.input, { partitions: PARTITIONS });
  await log.createTopic(t.scores, { partitions: PARTITIONS });
  await log.createTopic(t.dlq, { partitions: 1 });

  try {
    // --- preload -----------------------------------------------------------------------------
    const produceStart = performance.now();
    for (const batch of featureBatches(RECORDS, 500, 'bench')) await log.append(t.input, batch.map((r) => ({ ...r, timestamp: Date.now() })));
    const produceSeconds = (performance.now() - produceStart) / 1000;
    console.log(`preloaded ${RECORDS} records in ${produceSeconds.toFixed(1)} s`);

    // --- the scorer process -------------------------------------------------------------------
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/cli/index.js', 'score'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        KAFKA_BOOTSTRAP_SERVERS: servers,
        SCORER_INPUT_TOPIC: t.input, SCORER_SCORES_TOPIC: t.scores, SCORER_DLQ_TOPIC: t.dlq, SCORER_CONTROL_TOPIC: '',
        SCORER_GROUP_ID: t.group, SCORER_MODEL_DIR: modelDir, SCORER_HTTP_PORT: String(port),
        SCORER_BATCH_MAX_RECORDS: args.batch, LOG_LEVEL: 'warn',
      },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const committed = async () => (await log.committedOffsets(t.group, t.input)).reduce((s, o) => s + o.offset, 0);
    let peakMb = 0;
    const sampler = setInterval(() => {
      void procStatus(child.pid!).then((s) => {
        if (s) peakMb = Math.max(peakMb, s.peakMb);
      });
    }, 200);

    let firstCommitAt: number | undefined;
    let tensorsEarly: number | undefined;
    let rssEarlyMb: number | undefined;
    let done = 0;
    while (done < RECORDS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = await committed();
      if (done > 0 && firstCommitAt === undefined) firstCommitAt = performance.now();
      if (tensorsEarly === undefined && done >= RECORDS / 10) {
        tensorsEarly = await tensors(port);
        rssEarlyMb = (await procStatus(child.pid!))?.rssMb;
      }
    }
    const lastCommitAt = performance.now();
    const scoreSeconds = (lastCommitAt - firstCommitAt!) / 1000;
    const afterAll = await procStatus(child.pid!);
    const tensorsEnd = await tensors(port);
    console.log(`scored ${RECORDS} in ${scoreSeconds.toFixed(1)} s: ${Math.round(RECORDS / scoreSeconds)}/s; RSS ${afterAll?.rssMb.toFixed(0)} MB`);

    // --- latency at a fixed offered rate -------------------------------------------------------
    const reader = await log.openReader({ topics: [t.scores], start: 'latest' });
    const latencies: number[] = [];
    const expected = RATE * SECONDS;
    const receiving = (async () => {
      const deadline = Date.now() + (SECONDS + 30) * 1000;
      while (latencies.length < expected && Date.now() < deadline) {
        for (const r of await reader.poll({ maxRecords: 5000, maxWaitMs: 100 })) latencies.push(Date.now() - r.timestamp);
      }
    })();
    const tickMs = 10;
    const perTick = (RATE * tickMs) / 1000;
    const batches = featureBatches(expected, Math.max(1, Math.round(perTick)), 'bench-latency', RECORDS + 1);
    const offerStart = performance.now();
    let tick = 0;
    for (const batch of batches) {
      const due = offerStart + tick++ * tickMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await log.append(t.input, batch.map((r) => ({ ...r, timestamp: Date.now() })));
    }
    const offeredSeconds = (performance.now() - offerStart) / 1000;
    await receiving;
    await reader.close();
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`latency at ${RATE}/s: p50 ${percentile(sorted, 0.5)} ms, p99 ${percentile(sorted, 0.99)} ms over ${sorted.length} scores`);

    clearInterval(sampler);
    child.kill('SIGTERM');
    const exitCode = await exited;

    const result = {
      benchmark: 'scorer',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      setup: {
        log: `kafka ${brokers.join(',')}`, exactlyOnce: true, partitions: PARTITIONS, batchMaxRecords: Number(args.batch),
        model: 'improved autoencoder, 30 features', backend: backend.name,
      },
      preload: { records: RECORDS, seconds: produceSeconds, recordsPerSecond: RECORDS / produceSeconds },
      throughput: { records: RECORDS, seconds: scoreSeconds, recordsPerSecond: RECORDS / scoreSeconds },
      latency: {
        offeredRate: RATE, offeredSeconds, scores: sorted.length, expected,
        p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted[sorted.length - 1],
      },
      memory: {
        peakRssMb: peakMb,
        rssAt10PercentMb: rssEarlyMb,
        rssAfterAllRecordsMb: afterAll?.rssMb,
        tfjsTensorsAt10Percent: tensorsEarly,
        tfjsTensorsAtEnd: tensorsEnd,
      },
      scorerExitCode: exitCode,
    };
    await mkdir(path.dirname(args.out!), { recursive: true });
    await writeFile(args.out!, JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
  } finally {
    for (const topic of Object.values(t).slice(0, 3)) await log.deleteTopic(topic).catch(() => undefined);
    await log.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
