/**
 * Exactly-once on the file log under kill -9: a consume-transform-produce worker committing a
 * transaction per partition and poll is killed at random moments and restarted; afterwards the
 * output holds exactly one record per input record and the group has consumed everything.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { FileTopicLog } from '../../src/log/file-log.js';
import { runWorker as runKillableWorker } from '../support/kill-worker.js';
import { makeTempDir, removeDir, text } from './helpers.js';

const WORKER = fileURLToPath(new URL('./fixtures/eos-worker.ts', import.meta.url));
const INPUT_RECORDS = 3000;
const KILLS = 6;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await removeDir(dir);
});

/** Runs the worker; kills it a random moment after its first commit (unless `toEnd`). */
function runWorker(dir: string, toEnd: boolean): Promise<'killed' | 'done'> {
  return runKillableWorker({ script: WORKER, args: [dir], readyLine: 'commit', killAfterMs: () => Math.random() * 60, timeoutMs: 40_000, toEnd });
}

it('writes every input record exactly once across kill -9 restarts', async () => {
  const dir = await makeTempDir('eos-');
  dirs.push(dir);
  const setup = await FileTopicLog.open({ dir });
  await setup.createTopic('in', { partitions: 3 });
  await setup.createTopic('out', { partitions: 3 });
  await setup.append('in', Array.from({ length: INPUT_RECORDS }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(String(i)) })));
  await setup.close();

  let kills = 0;
  for (let run = 0; run < KILLS; run++) {
    if ((await runWorker(dir, false)) === 'killed') kills++;
  }
  expect(kills).toBeGreaterThanOrEqual(5);
  await runWorker(dir, true);

  const log = await FileTopicLog.open({ dir });
  const ends = await log.endOffsets('out');
  const reader = await log.openReader({ topics: ['out'], start: 'earliest' });
  const counts = new Map<string, number>();
  let read = 0;
  const total = ends.reduce((a, b) => a + b, 0);
  while (read < total) {
    const records = await reader.poll({ maxRecords: 5000 });
    read += records.length;
    for (const r of records) counts.set(text(r.key)!, (counts.get(text(r.key)!) ?? 0) + 1);
  }
  await reader.close();
  expect(total).toBe(INPUT_RECORDS);
  expect(counts.size).toBe(INPUT_RECORDS);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect((await log.committedOffsets('eos', 'in')).map((o) => o.offset)).toEqual(await log.endOffsets('in'));
  await log.close();
}, 180_000);
