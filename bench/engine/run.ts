/**
 * bench/engine: 285k synthetic payments (JSON) through a CSAS that filters, projects every
 * column and scales two, on the local engine; and, in the same run, the same records through
 * a bare JSON.parse -> project -> JSON.stringify loop. Writes JSON with both rates and their ratio.
 *
 *   npm run bench:engine -- [--count 285000] [--log memory|file] [--out bench/results/engine.json]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { openTopicLog } from '../../src/log/index.js';
import { FEATURE_COLUMNS, generatePayments } from '../../src/pipeline/synthetic.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '285000' },
    log: { type: 'string', default: 'file' },
    out: { type: 'string', default: 'bench/results/engine.json' },
  },
});
const count = Number(args.count);

const COLUMNS = ['ID', 'TIMESTAMP', 'USER', 'TIME', ...FEATURE_COLUMNS, 'AMOUNT', 'CLASS'];
const FILTER = 'AMOUNT > 1.0';
const SCALED = { AMOUNT: 'AMOUNT / 100.0', TIME: 'TIME / 3600.0' };

async function main(): Promise<void> {
  const values = [...generatePayments({ count, seed: 'bench' })].map((p) => {
    const upper: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) upper[k.toUpperCase()] = v;
    return Buffer.from(JSON.stringify(upper));
  });

  // --- the local engine -------------------------------------------------------------------
  const dir = args.log === 'file' ? await mkdtemp(path.join(os.tmpdir(), 'bench-engine-')) : undefined;
  const log = await openTopicLog(dir ? { kind: 'file', dir, fsync: 'never' } : { kind: 'memory' });
  // The records are in the topic before the CSAS starts, so it must read from the beginning.
  const engine = await createLocalEngine({ log, autoStart: false, properties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
  const columnsDdl = COLUMNS.map((c) => {
    const type = c === 'ID' ? 'BIGINT' : c === 'TIMESTAMP' || c === 'USER' ? 'STRING' : c === 'CLASS' ? 'INTEGER' : 'DOUBLE';
    return `\`${c}\` ${type}`;
  });
  await engine.executeStatements(
    `CREATE STREAM PAYMENTS (${columnsDdl.join(', ')}) WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON', PARTITIONS=1);`,
  );
  const batch = 5000;
  for (let i = 0; i < values.length; i += batch) {
    await log.append('payments', values.slice(i, i + batch).map((value) => ({ key: null, value, timestamp: 0 })));
  }
  const projection = COLUMNS.map((c) =>
    c in SCALED ? `${SCALED[c as keyof typeof SCALED]} AS \`${c}\`` : `\`${c}\``,
  ).join(', ');
  await engine.executeStatements(
    `CREATE STREAM PAYMENTS_SCALED AS SELECT ${projection} FROM PAYMENTS WHERE ${FILTER} EMIT CHANGES;`,
  );
  const engineStart = process.hrtime.bigint();
  await engine.processUntilIdle();
  const engineSeconds = Number(process.hrtime.bigint() - engineStart) / 1e9;
  const sinkCount = (await log.endOffsets('PAYMENTS_SCALED')).reduce((a, b) => a + b, 0);
  await engine.close();
  await log.close();
  if (dir) await rm(dir, { recursive: true, force: true });

  // --- the bare loop ----------------------------------------------------------------------
  const loopStart = process.hrtime.bigint();
  let loopCount = 0;
  const out: Buffer[] = [];
  for (const value of values) {
    const row = JSON.parse(value.toString('utf8')) as Record<string, number | string>;
    if (!((row.AMOUNT as number) > 1.0)) continue;
    const projected: Record<string, unknown> = {};
    for (const c of COLUMNS) projected[c] = row[c];
    projected.AMOUNT = (row.AMOUNT as number) / 100.0;
    projected.TIME = (row.TIME as number) / 3600.0;
    out.push(Buffer.from(JSON.stringify(projected)));
    loopCount++;
  }
  const loopSeconds = Number(process.hrtime.bigint() - loopStart) / 1e9;

  if (sinkCount !== loopCount) {
    throw new Error(`engine wrote ${sinkCount} records, the bare loop ${loopCount}: results differ`);
  }
  const result = {
    benchmark: 'engine',
    date: new Date().toISOString(),
    node: process.version,
    log: args.log,
    records: count,
    outputRecords: sinkCount,
    engine: { seconds: engineSeconds, recordsPerSecond: count / engineSeconds },
    bareLoop: { seconds: loopSeconds, recordsPerSecond: count / loopSeconds },
    ratio: count / engineSeconds / (count / loopSeconds),
  };
  await mkdir(path.dirname(args.out!), { recursive: true });
  await writeFile(args.out!, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}

await main();
