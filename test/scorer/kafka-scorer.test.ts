/**
 * The scorer over a real Kafka broker (KAFKA_BOOTSTRAP_SERVERS; `bash scripts/kafka.sh start`):
 *  - exactly once under failure: the `ksml score` process is killed with SIGKILL at least five
 *    times while scoring 50,000 payments; read_committed, the scores topic then holds exactly
 *    one score per payment;
 *  - dead letters: a seeded fuzz of malformed records all land in the DLQ with a reason, the
 *    scorer never stops, and the good records around them are scored once;
 *  - hot reload: a bundle published to the control topic mid-stream takes over between two
 *    batches: per partition, old version then new, nothing missing or doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKsqlJson } from '../../src/ksql/index.js';
import { KafkaTopicLog } from '../../src/log/kafka/index.js';
import type { LogRecord, ProduceRecord, TopicLog } from '../../src/log/topic-log.js';
import { initBackend } from '../../src/model/backend.js';
import { readBundleArtifacts, type BundleManifest } from '../../src/model/bundle.js';
import { generatePayments } from '../../src/pipeline/synthetic.js';
import { publishBundle } from '../../src/scorer/control-topic.js';
import { DLQ_HEADERS } from '../../src/scorer/output-records.js';
import { startScorer } from '../../src/scorer/service.js';
import { KAFKA_TEST_OPTIONS, kafkaBrokers } from '../log/implementations.js';
import { featureRecord } from '../support/feature-records.js';
import { headerText, waitFor, writeTestBundle } from './helpers.js';

const brokers = kafkaBrokers();
const ROOT = path.resolve(import.meta.dirname, '../..');
const PARTITIONS = 4;

function featureRecords(count: number, seed: string, firstId = 1): ProduceRecord[] {
  return [...generatePayments({ count, seed, fraudRate: 0.02, firstId })].map((p) => featureRecord(p));
}

const idOf = (r: LogRecord): number => Number(r.key!.readBigInt64BE());
const versionOf = (r: LogRecord): string => (parseKsqlJson(r.value!.toString()) as { MODEL_VERSION: string }).MODEL_VERSION;

/** Every committed record of a topic, read_committed, until the reader reaches the end offsets. */
async function readCommitted(log: TopicLog, topic: string): Promise<LogRecord[]> {
  const ends = await log.endOffsets(topic);
  const reader = await log.openReader({ topics: [topic], start: 'earliest' });
  const out: LogRecord[] = [];
  try {
    const deadline = Date.now() + 60_000;
    while (!reader.positions().every((p) => p.offset >= (ends[p.partition] ?? 0))) {
      if (Date.now() > deadline) throw new Error(`reading ${topic} did not reach ${ends.join(',')}`);
      out.push(...(await reader.poll({ maxRecords: 5000, maxWaitMs: 500 })));
    }
  } finally {
    await reader.close();
  }
  return out;
}

async function committedTotal(log: TopicLog, group: string, topic: string): Promise<number> {
  return (await log.committedOffsets(group, topic)).reduce((sum, o) => sum + o.offset, 0);
}

describe.skipIf(brokers === undefined)('scorer over Kafka', () => {
  let log: KafkaTopicLog;
  let tmp: string;
  let modelDir: string;
  let v1: BundleManifest;
  const run = `test-scorer-${randomUUID().slice(0, 8)}`;
  const topics = (name: string) => ({
    input: `${run}-${name}-features`,
    scores: `${run}-${name}-scores`,
    dlq: `${run}-${name}-dlq`,
    control: `${run}-${name}-control`,
    group: `${run}-${name}-group`,
  });

  beforeAll(async () => {
    await initBackend();
    log = await KafkaTopicLog.open({ brokers: brokers!, ...KAFKA_TEST_OPTIONS });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'kafka-scorer-'));
    modelDir = path.join(tmp, 'model');
    v1 = await writeTestBundle(modelDir, { seed: 1 });
  });

  afterAll(async () => {
    for (const t of (await log.listTopics()).filter((t) => t.name.startsWith(run))) await log.deleteTopic(t.name).catch(() => undefined);
    await log.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function createTopics(t: ReturnType<typeof topics>): Promise<void> {
    await log.createTopic(t.input, { partitions: PARTITIONS });
    await log.createTopic(t.scores, { partitions: PARTITIONS });
    await log.createTopic(t.dlq, { partitions: 1 });
  }

  it('scores 50,000 payments exactly once while being killed with SIGKILL five times', async () => {
    const t = topics('eos');
    await createTopics(t);
    const total = 50_000;
    const records = featureRecords(total, 'eos');
    for (let i = 0; i < records.length; i += 500) await log.append(t.input, records.slice(i, i + 500));

    const env = {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: brokers!.join(','),
      KAFKA_SESSION_TIMEOUT_MS: '3000',
      SCORER_INPUT_TOPIC: t.input,
      SCORER_SCORES_TOPIC: t.scores,
      SCORER_DLQ_TOPIC: t.dlq,
      SCORER_CONTROL_TOPIC: '',
      SCORER_GROUP_ID: t.group,
      SCORER_MODEL_DIR: modelDir,
      SCORER_HTTP_PORT: '0',
      SCORER_BATCH_MAX_RECORDS: '500',
      LOG_LEVEL: 'warn',
    };
    const startScorerProcess = (): { child: ChildProcess; stderr: () => string } => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'score'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      return { child, stderr: () => stderr };
    };

    const random = seedrandom('kills');
    let kills = 0;
    while (kills < 5) {
      const before = await committedTotal(log, t.group, t.input);
      const { child, stderr } = startScorerProcess();
      const exited = once(child, 'exit');
      // Killed once it has made progress, at a random moment: mid-batch, mid-commit, anywhere.
      await waitFor(`progress after ${kills} kills (${stderr()})`, async () => (await committedTotal(log, t.group, t.input)) > before, 60_000);
      await new Promise((resolve) => setTimeout(resolve, random() * 400));
      child.kill('SIGKILL');
      const [, signal] = await exited;
      expect(signal).toBe('SIGKILL');
      kills++;
      if ((await committedTotal(log, t.group, t.input)) >= total) break;
    }
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(await committedTotal(log, t.group, t.input)).toBeLessThan(total); // the kills happened mid-run

    // The last run scores the rest and stops cleanly on SIGTERM.
    const last = startScorerProcess();
    const exited = once(last.child, 'exit');
    await waitFor('the last run to finish', async () => (await committedTotal(log, t.group, t.input)) >= total, 120_000);
    last.child.kill('SIGTERM');
    const [code] = await exited;
    expect(code, last.stderr()).toBe(0);

    const scores = await readCommitted(log, t.scores);
    const counts = new Map<number, number>();
    for (const r of scores) counts.set(idOf(r), (counts.get(idOf(r)) ?? 0) + 1);
    expect(counts.size).toBe(total);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(scores).toHaveLength(total);
    expect(new Set(scores.map(versionOf))).toEqual(new Set([v1.version]));
    expect(await readCommitted(log, t.dlq)).toEqual([]);
  }, 300_000);

  it('sends a fuzzed set of malformed records to the DLQ with reasons and scores the good ones around them', async () => {
    const t = topics('dlq');
    await createTopics(t);
    const scorer = await startScorer({
      log,
      useEnvironment: false,
      config: { inputTopic: t.input, scoresTopic: t.scores, deadLetterTopic: t.dlq, controlTopic: '', groupId: t.group, modelDir, httpPort: 0, batchMaxWaitMs: 10 },
    });
    try {
      await scorer.started;
      const random = seedrandom('fuzz');
      const good = featureRecords(2000, 'fuzz-good');
      const template = parseKsqlJson(good[0]!.value!.toString()) as Record<string, unknown>;
      const features = Object.keys(template).filter((k) => /^V\d+$|^LOG_AMOUNT$|^HOUR_OF_DAY$/.test(k));
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      // Each mutation is malformed for certain; which one and where is up to the seed.
      const mutations: (() => Buffer | null)[] = [
        () => null,
        () => Buffer.from(JSON.stringify(template).slice(0, Math.floor(random() * 200))),
        () => Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256))),
        () => Buffer.from(JSON.stringify({ ...template, [pick(features)]: null })),
        () => {
          const copy = { ...template };
          delete copy[pick(features)];
          return Buffer.from(JSON.stringify(copy));
        },
        () => Buffer.from(JSON.stringify({ ...template, [pick(features)]: pick(['abc', true, [1, 2], { x: 1 }]) })),
        () => Buffer.from(JSON.stringify({ ...template, [pick(features.filter((f) => f !== 'HOUR_OF_DAY'))]: pick(['NaN', 'Infinity', '-Infinity']) })),
        () => Buffer.from(JSON.stringify({ ...template, HOUR_OF_DAY: pick([24, 99, -1]) })),
        () => Buffer.from(JSON.stringify({ ...template, LOG_AMOUNT: -1 - random() * 10 })),
        () => Buffer.from(JSON.stringify({ ...template, [pick(features.filter((f) => f.startsWith('V')))]: pick([1, -1]) * (1e4 + random() * 1e300) })),
      ];
      const input: ProduceRecord[] = [];
      const badKeys = new Set<string>();
      for (const [i, record] of good.entries()) {
        input.push(record);
        if (random() < 0.15) {
          const key = `bad-${i}`;
          badKeys.add(key);
          input.push({ key: Buffer.from(key), value: pick(mutations)() });
        }
      }
      expect(badKeys.size).toBeGreaterThan(200);
      await log.append(t.input, input);
      await waitFor('the scorer to catch up', () => scorer.scorer.caughtUp(), 120_000);

      const dlq = await readCommitted(log, t.dlq);
      expect(new Set(dlq.map((r) => r.key!.toString()))).toEqual(badKeys);
      expect(dlq).toHaveLength(badKeys.size);
      const reasons = new Set(dlq.map((r) => headerText(r, DLQ_HEADERS.reason)));
      for (const reason of reasons) expect(['null-value', 'undecodable', 'wrong-type', 'missing-feature', 'not-finite', 'out-of-range']).toContain(reason);
      expect(reasons.size).toBeGreaterThanOrEqual(5);
      for (const r of dlq) {
        expect(headerText(r, DLQ_HEADERS.topic)).toBe(t.input);
        expect(Number(headerText(r, DLQ_HEADERS.offset))).toBeGreaterThanOrEqual(0);
        expect(headerText(r, DLQ_HEADERS.message)).toBeTruthy();
      }
      const scores = await readCommitted(log, t.scores);
      expect(scores).toHaveLength(good.length);
      expect(new Set(scores.map(idOf)).size).toBe(good.length);
      expect(scorer.scorer.running).toBe(true);
      expect(scorer.scorer.stats.failedTransactions).toBe(0);
    } finally {
      await scorer.stop();
    }
  }, 180_000);

  it('shares the partitions between scorers of one group and hands them over exactly once as members come and go', async () => {
    const t = topics('group');
    await createTopics(t);
    const start = () =>
      startScorer({
        useEnvironment: false,
        config: {
          kafkaBootstrapServers: brokers!.join(','), kafkaSessionTimeoutMs: 6000,
          inputTopic: t.input, scoresTopic: t.scores, deadLetterTopic: t.dlq, controlTopic: '', groupId: t.group,
          modelDir, httpPort: 0, batchMaxRecords: 100, batchMaxWaitMs: 5,
        },
      });
    const a = await start();
    await a.started;
    const b = await start();
    await b.started;
    const total = 12_000;
    const records = featureRecords(total, 'group');
    let c: Awaited<ReturnType<typeof start>> | undefined;
    try {
      for (let i = 0; i < total; i += 300) {
        await log.append(t.input, records.slice(i, i + 300));
        // Both members work, then one leaves and another joins while payments keep coming.
        if (i === 3000) await waitFor('both members to hold partitions', () => a.scorer.assignment().length > 0 && b.scorer.assignment().length > 0, 30_000);
        if (i === 6000) await b.stop();
        if (i === 7500) {
          c = await start();
          await c.started;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await waitFor('the group to catch up', async () => (await committedTotal(log, t.group, t.input)) >= total, 120_000);
      const scores = await readCommitted(log, t.scores);
      const counts = new Map<number, number>();
      for (const r of scores) counts.set(idOf(r), (counts.get(idOf(r)) ?? 0) + 1);
      expect(counts.size).toBe(total);
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
      expect(a.scorer.stats.scored).toBeGreaterThan(0);
      expect(b.scorer.stats.scored).toBeGreaterThan(0);
      expect(a.scorer.stats.scored + b.scorer.stats.scored + (c?.scorer.stats.scored ?? 0)).toBeGreaterThanOrEqual(total);
    } finally {
      await Promise.all([a.stop(), b.stop(), c?.stop()]);
    }
  }, 180_000);

  it('swaps to a bundle published on the control topic mid-stream without losing or doubling a record', async () => {
    const t = topics('swap');
    await createTopics(t);
    const scorer = await startScorer({
      log,
      useEnvironment: false,
      config: { inputTopic: t.input, scoresTopic: t.scores, deadLetterTopic: t.dlq, controlTopic: t.control, groupId: t.group, modelDir, httpPort: 0, batchMaxWaitMs: 5, batchMaxRecords: 100 },
    });
    const v2Dir = path.join(tmp, 'v2');
    const v2 = await writeTestBundle(v2Dir, { seed: 7 });
    try {
      await scorer.started;
      // A steady stream; the new bundle is published while it flows.
      const total = 6000;
      const records = featureRecords(total, 'swap');
      let published = false;
      for (let i = 0; i < total; i += 200) {
        await log.append(t.input, records.slice(i, i + 200));
        if (i >= total / 2 && !published) {
          await publishBundle(log, t.control, await readBundleArtifacts(v2Dir));
          published = true;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await waitFor('the scorer to catch up', () => scorer.scorer.caughtUp(), 120_000);

      const scores = await readCommitted(log, t.scores);
      expect(scores).toHaveLength(total);
      expect(new Set(scores.map(idOf)).size).toBe(total);
      const versions = scores.map(versionOf);
      expect(versions.filter((v) => v === v1.version).length).toBeGreaterThan(0);
      expect(versions.filter((v) => v === v2.version).length).toBeGreaterThan(0);
      // Within a partition (offset order), never back to the old version once the new one took over.
      for (let p = 0; p < PARTITIONS; p++) {
        const sequence = scores.filter((r) => r.partition === p).sort((a, b) => a.offset - b.offset).map(versionOf);
        const firstNew = sequence.indexOf(v2.version);
        if (firstNew >= 0) expect(sequence.slice(firstNew).every((v) => v === v2.version)).toBe(true);
      }
    } finally {
      await scorer.stop();
    }
  }, 180_000);
});
