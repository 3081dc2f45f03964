/**
 * Durable aggregation state under kill -9: an engine over the file log aggregates payments
 * (a per-user total with HAVING and a hopping-windowed count with a grace period) and account
 * updates (a table aggregated per region, so updates are undone from their old groups), and is
 * killed at random moments, restarted each time from its command topic, state changelogs and
 * committed offsets. Afterwards the tables, and the output topics record for record, equal those
 * of an uninterrupted run: the restarts neither lost, repeated nor reordered an update, and the
 * stores (group states, the materialized source table, stream time, which decides which late
 * payments are dropped) survived them.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engine/api.js';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { FileTopicLog } from '../../src/log/file-log.js';
import { MemoryTopicLog } from '../../src/log/memory-log.js';
import type { TopicLog } from '../../src/log/topic-log.js';
import { createLogger } from '../../src/logging.js';
import { runWorker as runKillableWorker } from '../support/kill-worker.js';
import { makeTempDir, removeDir } from '../log/helpers.js';
import { AGGREGATION_SETUP, AGGREGATIONS, INPUTS } from './fixtures/aggregation-setup.js';
import { collect, readTopic } from './helpers.js';

const WORKER = fileURLToPath(new URL('./fixtures/aggregation-worker.ts', import.meta.url));
const INPUT_RECORDS = 30_000;
const MAX_RUNS = 10;
const MIN_KILLS = 3;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await removeDir(dir);
});

/** Runs the worker; kills it a random moment after it started its queries (unless `toEnd`). */
function runWorker(dir: string, toEnd: boolean): Promise<'killed' | 'done'> {
  return runKillableWorker({ script: WORKER, args: [dir], readyLine: 'started', killAfterMs: () => 20 + Math.random() * 250, timeoutMs: 60_000, toEnd });
}

async function tableRows(engine: LocalEngine, table: string): Promise<string[]> {
  const query = await engine.executeQuery(`SELECT * FROM ${table};`);
  const rows = await collect(query.rows);
  return rows.map((r) => JSON.stringify(r.values, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
}

/** The output topic as the sequence of (value, timestamp) of every key, in offset order. */
async function updatesByKey(log: TopicLog, topic: string): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  for (const r of await readTopic(log, topic)) {
    const key = r.key!.toString('hex');
    byKey.set(key, [...(byKey.get(key) ?? []), `${r.value?.toString('utf8') ?? 'null'}@${r.timestamp}`]);
  }
  return byKey;
}

const quiet = createLogger('aggregation-crash', { level: 'silent' });
const properties = { 'ksql.streams.auto.offset.reset': 'earliest' };

it('leaves the same tables and output topics as an uninterrupted run across kill -9 restarts', async () => {
  const dir = await makeTempDir('aggregation-crash-');
  dirs.push(dir);
  const setup = await FileTopicLog.open({ dir });
  for (const input of INPUTS) {
    await setup.createTopic(input.topic, { partitions: input.partitions });
    await setup.append(input.topic, input.records(INPUT_RECORDS));
  }
  await setup.close();

  // Killed runs until one gets to the end by itself, then a last run that must find nothing left.
  let kills = 0;
  for (let run = 0; run < MAX_RUNS; run++) {
    if ((await runWorker(dir, false)) === 'done') break;
    kills++;
  }
  expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
  await runWorker(dir, true);

  // The uninterrupted run.
  const memory = new MemoryTopicLog();
  for (const input of INPUTS) {
    await memory.createTopic(input.topic, { partitions: input.partitions });
    await memory.append(input.topic, input.records(INPUT_RECORDS));
  }
  const reference = await createLocalEngine({ log: memory, autoStart: false, logger: quiet, properties });
  await reference.executeStatements(AGGREGATION_SETUP);
  await reference.processUntilIdle();

  // The crashed run's state, restored from the changelogs by a fresh engine.
  const log = await FileTopicLog.open({ dir });
  const restored = await createLocalEngine({ log, autoStart: false, logger: quiet, properties });
  try {
    for (const { table } of AGGREGATIONS) {
      const expected = await tableRows(reference, table);
      expect(expected.length).toBeGreaterThan(0);
      expect(await tableRows(restored, table)).toEqual(expected);
      expect(await updatesByKey(log, table)).toEqual(await updatesByKey(memory, table));
    }
  } finally {
    await restored.close();
    await reference.close();
    await log.close();
  }
}, 240_000);
