/**
 * EMIT FINAL (ksqlDB 0.29: suppress(untilWindowCloses) after the aggregation): each window's
 * row once, when stream time reaches its end plus grace, HAVING applied to the final aggregate,
 * stamped with the window's last update; exactly once across restarts; and ksqlDB's errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalEngine, QueryRow } from '../../src/engine/api.js';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { MemoryTopicLog } from '../../src/log/memory-log.js';
import type { LogRecord, TopicLog } from '../../src/log/topic-log.js';
import { createLogger } from '../../src/logging.js';
import { implementations, type Implementation } from '../log/implementations.js';
import { collect, errorOf } from './helpers.js';
import { PAYMENTS_ONE_PARTITION as PAYMENTS, pay, readDecoded, reopen, type Payment } from './windowed-fixtures.js';

const PROPS = { 'ksql.streams.auto.offset.reset': 'earliest' };
const quiet = createLogger('emit-final-test', { level: 'silent' });

/** A time-windowed sink record: the key, then the window start as TimeWindowedSerializer writes it. */
interface FinalRow {
  readonly key: string;
  readonly start: number;
  readonly value: unknown;
  readonly timestamp: number;
}

function decode(r: LogRecord): FinalRow {
  const key = r.key!;
  const inner = key.length - 8;
  return {
    key: key.subarray(0, inner).toString('utf8'),
    start: Number(key.readBigInt64BE(inner)),
    value: r.value === null ? null : JSON.parse(r.value.toString('utf8')),
    timestamp: r.timestamp,
  };
}

/** Kafka writes a transaction's commit markers a little after the commit: read until `expected` show. */
async function sink(log: TopicLog, topic: string, expected = 0): Promise<FinalRow[]> {
  return readDecoded(log, topic, decode, expected);
}

const row = (key: string, start: number, value: unknown, timestamp: number): FinalRow => ({ key, start, value, timestamp });

const start = (log: TopicLog) => createLocalEngine({ log, autoStart: true, properties: PROPS, logger: quiet });

describe.each(implementations().map((impl): [string, Implementation] => [impl.name, impl]))('EMIT FINAL over the %s log', (_name, impl) => {
  let log: TopicLog;
  let engine: LocalEngine;

  beforeEach(async () => {
    log = await impl.open();
    // autoStart: a Kafka fetch may come back empty before the records arrive.
    engine = await start(log);
    await engine.executeStatements(PAYMENTS);
  });

  afterEach(async () => {
    await engine.close();
    await log.close();
    await impl.cleanup();
  });

  it('emits each tumbling window once, when stream time reaches its end plus grace, and drops late records', async () => {
    await engine.executeStatements(
      'CREATE TABLE TOTALS AS SELECT USER_ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM PAYMENTS ' +
        'WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 5 SECONDS) GROUP BY USER_ID EMIT FINAL;',
    );
    await pay(log, [
      ['ann', 1, 1_000],
      ['ann', 2, 3_000],
      ['bob', 4, 4_000],
      ['ann', 8, 12_000],
      ['bob', 16, 14_999], // one millisecond short of closing [0, 10 s)
      ['ann', 32, 9_000], // still within grace: counts
    ]);
    await engine.processUntilIdle();
    expect(await sink(log, 'TOTALS')).toEqual([]);

    await pay(log, [
      ['cid', 64, 15_000], // closes [0, 10 s)
      ['ann', 128, 9_500], // too late for [0, 10 s), which has been emitted
    ]);
    await engine.processUntilIdle();
    const closed = [row('ann', 0, { N: 3, TOTAL: 35 }, 9_000), row('bob', 0, { N: 1, TOTAL: 4 }, 4_000)];
    expect(await sink(log, 'TOTALS', 2)).toEqual(closed);

    await pay(log, [['ann', 256, 25_000]]); // closes [10 s, 20 s)
    await engine.processUntilIdle();
    expect(await sink(log, 'TOTALS', 5)).toEqual([
      ...closed,
      row('ann', 10_000, { N: 1, TOTAL: 8 }, 12_000),
      row('bob', 10_000, { N: 1, TOTAL: 16 }, 14_999),
      row('cid', 10_000, { N: 1, TOTAL: 64 }, 15_000),
    ]);
  });

  it('applies HAVING to the final aggregate only', async () => {
    await engine.executeStatements(
      'CREATE TABLE BUSY AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS ' +
        'WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY USER_ID HAVING COUNT(*) = 2 EMIT FINAL;',
    );
    await pay(log, [
      ['ann', 1, 1_000],
      ['ann', 1, 2_000],
      ['ann', 1, 3_000], // ann passed HAVING at two, but her final count is three
      ['bob', 1, 4_000],
      ['bob', 1, 5_000],
      ['cid', 1, 6_000],
      ['cid', 1, 10_000],
    ]);
    await engine.processUntilIdle();
    expect(await sink(log, 'BUSY', 1)).toEqual([row('bob', 0, { N: 2 }, 5_000)]);
  });

  it('emits each hopping window when it closes, in order of window end', async () => {
    await engine.executeStatements(
      'CREATE TABLE HOPS AS SELECT USER_ID, COUNT(*) AS N, COLLECT_LIST(AMOUNT) AS AMOUNTS FROM PAYMENTS ' +
        'WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS, GRACE PERIOD 1 SECOND) GROUP BY USER_ID EMIT FINAL;',
    );
    await pay(log, [
      ['ann', 1, 1_000], // [0, 10 s)
      ['ann', 2, 6_000], // [0, 10 s), [5 s, 15 s)
      ['ann', 3, 10_999], // [5 s, 15 s), [10 s, 20 s); stream time 10.999 s: nothing closed
    ]);
    await engine.processUntilIdle();
    expect(await sink(log, 'HOPS')).toEqual([]);
    await pay(log, [['ann', 4, 16_000]]); // closes [0, 10 s) and [5 s, 15 s)
    await engine.processUntilIdle();
    expect(await sink(log, 'HOPS', 2)).toEqual([
      row('ann', 0, { N: 2, AMOUNTS: [1, 2] }, 6_000),
      row('ann', 5_000, { N: 2, AMOUNTS: [2, 3] }, 10_999),
    ]);
  });
});

describe.each(implementations().map((impl): [string, Implementation] => [impl.name, impl]))('EMIT FINAL across a restart over the %s log', (_name, impl) => {
  afterEach(async () => {
    await impl.cleanup();
  });

  const TABLE =
    'CREATE TABLE TOTALS AS SELECT USER_ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM PAYMENTS ' +
    'WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 2 SECONDS) GROUP BY USER_ID EMIT FINAL;';
  /** Many windows of a few users, so that a close mid-way interrupts the query between batches. */
  const PAYMENTS_IN_ORDER: Payment[] = Array.from({ length: 600 }, (_, i): Payment => [['ann', 'bob', 'cid'][i % 3]!, i, i * 700]);

  async function uninterruptedRun(): Promise<FinalRow[]> {
    const memory = new MemoryTopicLog();
    const engine = await start(memory);
    try {
      await engine.executeStatements(PAYMENTS + TABLE);
      await pay(memory, PAYMENTS_IN_ORDER);
      await engine.processUntilIdle();
      return await sink(memory, 'TOTALS');
    } finally {
      await engine.close();
    }
  }

  async function restartedRun(closeWithoutWaiting: boolean): Promise<FinalRow[]> {
    const first = await impl.open();
    const before = await start(first);
    await before.executeStatements(PAYMENTS + TABLE);
    await pay(first, PAYMENTS_IN_ORDER.slice(0, 300));
    if (!closeWithoutWaiting) await before.processUntilIdle();
    await pay(first, PAYMENTS_IN_ORDER.slice(300));
    await before.close(); // mid-way through the second half, or before it began
    const second = await reopen(impl, first);
    const after = await start(second);
    try {
      await after.processUntilIdle();
      return await sink(second, 'TOTALS', 1);
    } finally {
      await after.close();
      await second.close();
    }
  }

  it('gives exactly the final rows of an uninterrupted run, none twice', async () => {
    const expected = await uninterruptedRun();
    // 600 payments 0.7 s apart: windows up to 410 s, of which those ending by 417.3 s - 2 s close.
    expect(expected).toHaveLength(41 * 3);
    expect(new Set(expected.map((r) => `${r.key}@${r.start}`)).size).toBe(expected.length);
    expect(expected.reduce((n, r) => n + (r.value as { N: number }).N, 0)).toBe(PAYMENTS_IN_ORDER.filter(([, , t]) => t < 410_000).length);
    const restarted = await restartedRun(false);
    expect(restarted).toEqual(expected);
  });

  it('gives exactly the final rows of an uninterrupted run when the engine is closed mid-way', async () => {
    const expected = await uninterruptedRun();
    const restarted = await restartedRun(true);
    expect(restarted).toEqual(expected);
  });
});

describe('EMIT FINAL push queries and errors', () => {
  let log: MemoryTopicLog;
  let engine: LocalEngine;

  beforeEach(async () => {
    log = new MemoryTopicLog();
    engine = await createLocalEngine({ log, autoStart: false, properties: PROPS, logger: quiet });
    await engine.executeStatements(PAYMENTS);
  });

  afterEach(async () => {
    await engine.close();
  });

  it('pushes only the closed windows to a windowed push query', async () => {
    await pay(log, [
      ['ann', 1, 1_000],
      ['ann', 2, 2_000],
      ['bob', 3, 12_000], // closes [0, 10 s) with no grace
      ['ann', 4, 13_000],
      ['bob', 5, 25_000], // closes [10 s, 20 s)
    ]);
    const query = await engine.executeQuery(
      'SELECT USER_ID, WINDOWSTART, COUNT(*) AS N FROM PAYMENTS WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY USER_ID EMIT FINAL LIMIT 3;',
    );
    const rows = (await collect(query.rows)).map((r: QueryRow) => r.values.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    expect(rows).toEqual([
      ['ann', 0, 2],
      ['ann', 10_000, 1],
      ['bob', 10_000, 1],
    ]);
  });

  it('accepts session windows', async () => {
    await engine.executeStatements('CREATE TABLE S AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS WINDOW SESSION (1 MINUTE) GROUP BY USER_ID EMIT FINAL;');
    expect((await engine.executeStatements('SHOW TABLES;'))[0]).toMatchObject({ tables: [expect.objectContaining({ name: 'S', isWindowed: true })] });
  });

  it('answers ksqlDB\'s errors where EMIT FINAL does not apply', async () => {
    const notWindowed = 'EMIT FINAL is only supported for windowed aggregations.';
    await engine.executeStatements("CREATE TABLE ACCOUNTS (ID INT PRIMARY KEY, REGION STRING) WITH (kafka_topic='accounts', value_format='JSON', partitions=1);");
    const cases: [string, string][] = [
      ['CREATE TABLE T AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS GROUP BY USER_ID EMIT FINAL;', notWindowed],
      ['CREATE STREAM S2 AS SELECT * FROM PAYMENTS EMIT FINAL;', notWindowed],
      ['CREATE TABLE R AS SELECT REGION, COUNT(*) AS N FROM ACCOUNTS GROUP BY REGION EMIT FINAL;', notWindowed],
      ['CREATE TABLE R AS SELECT REGION, COUNT(*) AS N FROM ACCOUNTS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY REGION EMIT FINAL;', 'Windowing not supported for table aggregations.'],
    ];
    for (const [sql, message] of cases) expect((await errorOf(engine.executeStatements(sql))).message, sql).toBe(message);
    expect((await errorOf(engine.executeQuery('SELECT USER_ID, COUNT(*) FROM PAYMENTS GROUP BY USER_ID EMIT FINAL;'))).message).toBe(notWindowed);
    expect((await errorOf(engine.executeQuery('SELECT * FROM PAYMENTS EMIT FINAL;'))).message).toBe(notWindowed);
  });
});
