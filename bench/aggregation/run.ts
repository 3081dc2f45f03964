/**
 * bench/aggregation: 285k synthetic payments through a tumbling-window aggregation on the local
 * engine (per user and hour: count, sum and max of the amount), and, in the same run, the same
 * records through a bare hand-written loop computing the same table (JSON.parse -> window and
 * key -> update the running aggregate -> JSON.stringify the new row, one output per input as
 * the engine's changelog has). The final tables must agree (the windows are kept 7 days, so
 * that a pull query still sees every one after two days of payments). Writes JSON with both
 * rates and their ratio.
 *
 *   npm run bench:aggregation -- [--count 285000] [--log memory|file] [--out bench/results/aggregation.json]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { openTopicLog } from '../../src/log/index.js';
import { generatePayments } from '../../src/pipeline/synthetic.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '285000' },
    log: { type: 'string', default: 'file' },
    out: { type: 'string', default: 'bench/results/aggregation.json' },
  },
});
const count = Number(args.count);
const HOUR_MS = 3_600_000;

interface Aggregate {
  count: number;
  total: number;
  max: number;
}

async function main(): Promise<void> {
  const payments = [...generatePayments({ count, seed: 'bench-aggregation' })];
  const records = payments.map((p) => ({
    key: null,
    value: Buffer.from(JSON.stringify({ USER: p.User, AMOUNT: p.Amount })),
    timestamp: Date.parse(p.Timestamp),
  }));

  // --- the local engine -------------------------------------------------------------------
  const dir = args.log === 'file' ? await mkdtemp(path.join(os.tmpdir(), 'bench-aggregation-')) : undefined;
  const log = await openTopicLog(dir ? { kind: 'file', dir, fsync: 'never' } : { kind: 'memory' });
  const engine = await createLocalEngine({ log, autoStart: false, properties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
  await engine.executeStatements(
    "CREATE STREAM PAYMENTS (`USER` STRING, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON', PARTITIONS=1);",
  );
  for (let i = 0; i < records.length; i += 5000) await log.append('payments', records.slice(i, i + 5000));
  await engine.executeStatements(
    'CREATE TABLE HOURLY AS SELECT `USER`, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL, MAX(AMOUNT) AS BIGGEST ' +
      'FROM PAYMENTS WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 7 DAYS) GROUP BY `USER` EMIT CHANGES;',
  );
  const engineStart = process.hrtime.bigint();
  await engine.processUntilIdle();
  const engineSeconds = Number(process.hrtime.bigint() - engineStart) / 1e9;
  const sinkTopic = 'HOURLY';
  const sinkCount = (await log.endOffsets(sinkTopic)).reduce((a, b) => a + b, 0);
  // The engine's final table, read back through its own pull query.
  const pulled = await engine.executeQuery('SELECT `USER`, WINDOWSTART, N, TOTAL, BIGGEST FROM HOURLY;');
  const engineTable = new Map<string, Aggregate>();
  for await (const row of pulled.rows) {
    const [user, start, n, total, biggest] = row.values as [string, number, number | bigint, number, number];
    engineTable.set(`${user}@${start}`, { count: Number(n), total, max: biggest });
  }
  await engine.close();
  await log.close();
  if (dir) await rm(dir, { recursive: true, force: true });

  // --- the bare loop ----------------------------------------------------------------------
  const loopStart = process.hrtime.bigint();
  const table = new Map<string, Aggregate>();
  const out: Buffer[] = [];
  for (const record of records) {
    const row = JSON.parse(record.value.toString('utf8')) as { USER: string; AMOUNT: number };
    const windowStart = record.timestamp - (record.timestamp % HOUR_MS);
    const key = `${row.USER}@${windowStart}`;
    const previous = table.get(key);
    const next: Aggregate = previous
      ? { count: previous.count + 1, total: previous.total + row.AMOUNT, max: Math.max(previous.max, row.AMOUNT) }
      : { count: 1, total: row.AMOUNT, max: row.AMOUNT };
    table.set(key, next);
    out.push(Buffer.from(JSON.stringify({ N: next.count, TOTAL: next.total, BIGGEST: next.max })));
  }
  const loopSeconds = Number(process.hrtime.bigint() - loopStart) / 1e9;

  if (engineTable.size !== table.size) throw new Error(`engine table has ${engineTable.size} rows, the bare loop ${table.size}`);
  for (const [key, expected] of table) {
    const actual = engineTable.get(key);
    if (!actual || actual.count !== expected.count || actual.max !== expected.max || Math.abs(actual.total - expected.total) > 1e-6) {
      throw new Error(`row ${key}: engine ${JSON.stringify(actual)}, bare loop ${JSON.stringify(expected)}`);
    }
  }
  const result = {
    benchmark: 'aggregation',
    date: new Date().toISOString(),
    node: process.version,
    log: args.log,
    query: 'per user and 1-hour tumbling window: COUNT(*), SUM(AMOUNT), MAX(AMOUNT)',
    records: count,
    windows: table.size,
    changelogRecords: { engine: sinkCount, bareLoop: out.length },
    engine: { seconds: engineSeconds, recordsPerSecond: count / engineSeconds },
    bareLoop: { seconds: loopSeconds, recordsPerSecond: count / loopSeconds },
    ratio: count / engineSeconds / (count / loopSeconds),
  };
  await mkdir(path.dirname(args.out!), { recursive: true });
  await writeFile(args.out!, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}

await main();
