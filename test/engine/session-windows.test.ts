/**
 * Session-windowed aggregations (WINDOW SESSION) on the local engine, over the memory and file
 * logs (and Kafka when KAFKA_BOOTSTRAP_SERVERS is set), with Kafka Streams' semantics: a record
 * opens a session [t, t], joins every session of its key within the gap (both ends inclusive),
 * and merged sessions leave the table as tombstones before the merged one is emitted, stamped
 * with its end; records whose merged session ends before stream time minus grace are dropped.
 * Also the windowed key bytes (key, end, start), sources over session-windowed topics, pull
 * queries, a restart that restores the sessions from the changelog, and ksqlDB's errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalEngine, QueryRow } from '../../src/engine/api.js';
import { listAggregates } from '../../src/engine/functions/aggregates/types.js';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { MemoryTopicLog } from '../../src/log/memory-log.js';
import type { LogRecord, TopicLog } from '../../src/log/topic-log.js';
import { createLogger } from '../../src/logging.js';
import { SqlTypes, type SqlType } from '../../src/engine/types.js';
import { implementations, type Implementation } from '../log/implementations.js';
import { collect, errorOf, readTopic } from './helpers.js';
import { PAYMENTS_ONE_PARTITION as PAYMENTS, pay, readDecoded, reopen, type Payment } from './windowed-fixtures.js';

const PROPS = { 'ksql.streams.auto.offset.reset': 'earliest' };
const quiet = createLogger('session-windows-test', { level: 'silent' });

/** A session-windowed sink record: the key's parts as SessionWindowedSerializer writes them. */
interface SessionRecord {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly value: unknown;
  readonly timestamp: number;
}

function sessionKeyBytes(key: string, start: number, end: number): Buffer {
  const bounds = Buffer.alloc(16);
  bounds.writeBigInt64BE(BigInt(end), 0);
  bounds.writeBigInt64BE(BigInt(start), 8);
  return Buffer.concat([Buffer.from(key), bounds]);
}

function decodeSession(r: LogRecord): SessionRecord {
  const key = r.key!;
  const inner = key.length - 16;
  return {
    key: key.subarray(0, inner).toString('utf8'),
    end: Number(key.readBigInt64BE(inner)),
    start: Number(key.readBigInt64BE(inner + 8)),
    value: r.value === null ? null : JSON.parse(r.value.toString('utf8')),
    timestamp: r.timestamp,
  };
}

/**
 * A sink's records in offset order. Kafka writes a transaction's commit markers a little after
 * the commit returns, so the topic is read again until `expected` records are visible.
 */
async function sink(log: TopicLog, topic: string, expected = 0): Promise<SessionRecord[]> {
  return readDecoded(log, topic, decodeSession, expected);
}

const row = (key: string, start: number, end: number, value: unknown, timestamp = end): SessionRecord => ({ key, start, end, value, timestamp });

function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)));
}

async function rowsOf(engine: LocalEngine, sql: string, properties: Record<string, string> = {}): Promise<{ columns: readonly string[]; keys: readonly boolean[]; rows: unknown[] }> {
  const query = await engine.executeQuery(sql, { properties });
  const rows = (await collect(query.rows)).map((r: QueryRow) => plain(r.values));
  return { columns: query.columnNames, keys: query.keyColumns, rows };
}

describe.each(implementations().map((impl): [string, Implementation] => [impl.name, impl]))('session windows over the %s log', (_name, impl) => {
  let log: TopicLog;
  let engine: LocalEngine;

  beforeEach(async () => {
    log = await impl.open();
    // Queries run in the background and processUntilIdle waits until they caught up with the
    // input's end offsets: a Kafka fetch may come back empty before the records arrive.
    engine = await createLocalEngine({ log, autoStart: true, properties: PROPS, logger: quiet });
    await engine.executeStatements(PAYMENTS);
  });

  afterEach(async () => {
    await engine.close();
    await log.close();
    await impl.cleanup();
  });

  it('opens, extends and merges sessions: tombstones for the merged ones, then the merged aggregate', async () => {
    await engine.executeStatements(
      'CREATE TABLE SESSIONS AS SELECT USER_ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL, MAX(AMOUNT) AS TOP, COLLECT_LIST(AMOUNT) AS AMOUNTS, ' +
        'WINDOWSTART AS WS, WINDOWEND AS WE FROM PAYMENTS WINDOW SESSION (30 SECONDS) GROUP BY USER_ID;',
    );
    await pay(log, [
      ['ann', 5, 0], // opens [0, 0]
      ['ann', 1, 10_000], // extends it to [0, 10000]
      ['bob', 3, 20_000], // another key, its own session
      ['ann', 7, 50_000], // 40 s after ann's session ended: a session of its own
      ['ann', 2, 40_000], // within the gap of both (exactly 30 s after the first ended): merges them
    ]);
    await engine.processUntilIdle();

    const value = (n: number, total: number, top: number, amounts: number[], ws: number, we: number) => ({ N: n, TOTAL: total, TOP: top, AMOUNTS: amounts, WS: ws, WE: we });
    expect(await sink(log, 'SESSIONS', 8)).toEqual([
      row('ann', 0, 0, value(1, 5, 5, [5], 0, 0)),
      row('ann', 0, 0, null),
      row('ann', 0, 10_000, value(2, 6, 5, [5, 1], 0, 10_000)),
      row('bob', 20_000, 20_000, value(1, 3, 3, [3], 20_000, 20_000)),
      row('ann', 50_000, 50_000, value(1, 7, 7, [7], 50_000, 50_000)),
      row('ann', 0, 10_000, null),
      row('ann', 50_000, 50_000, null),
      // merged in window order, then the bridging record: 5, 1 | 7 | 2
      row('ann', 0, 50_000, value(4, 15, 7, [5, 1, 7, 2], 0, 50_000)),
    ]);
    // The table keeps one session per key; pull queries show the session bounds as key columns.
    expect(await rowsOf(engine, 'SELECT * FROM SESSIONS;')).toEqual({
      columns: ['USER_ID', 'WINDOWSTART', 'WINDOWEND', 'N', 'TOTAL', 'TOP', 'AMOUNTS', 'WS', 'WE'],
      keys: [true, true, true, false, false, false, false, false, false],
      rows: [
        ['ann', 0, 50_000, 4, 15, 7, [5, 1, 7, 2], 0, 50_000],
        ['bob', 20_000, 20_000, 1, 3, 3, [3], 20_000, 20_000],
      ],
    });
    const source = engine.metastore.getSource('SESSIONS')!;
    expect(source.window).toEqual({ type: 'SESSION' });
  });

  it('joins a session exactly at the gap and opens a new one a millisecond beyond, on either side', async () => {
    await engine.executeStatements(
      'CREATE TABLE SESSIONS AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS WINDOW SESSION (30 SECONDS) GROUP BY USER_ID;',
    );
    await pay(log, [
      ['ann', 1, 0],
      ['ann', 1, 30_000], // end + gap: joins
      ['ann', 1, 60_001], // end + gap + 1: new session
      ['bob', 1, 100_000],
      ['bob', 1, 70_000], // start - gap: joins
      ['bob', 1, 39_999], // start - gap - 1: new session
    ]);
    await engine.processUntilIdle();
    expect((await rowsOf(engine, 'SELECT USER_ID, WINDOWSTART, WINDOWEND, N FROM SESSIONS;')).rows).toEqual([
      ['ann', 0, 30_000, 2],
      ['ann', 60_001, 60_001, 1],
      ['bob', 39_999, 39_999, 1],
      ['bob', 70_000, 100_000, 2],
    ]);
    // A record inside its session's bounds replaces the session: its key does not change, but
    // Kafka Streams still forwards the tombstone first.
    const ann = (await sink(log, 'SESSIONS', 8)).filter((r) => r.key === 'ann');
    expect(ann).toEqual([row('ann', 0, 0, { N: 1 }), row('ann', 0, 0, null), row('ann', 0, 30_000, { N: 2 }), row('ann', 60_001, 60_001, { N: 1 })]);
  });

  it('applies HAVING to sessions: a merged session is retracted only if HAVING admitted it', async () => {
    await engine.executeStatements(
      'CREATE TABLE BUSY AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS WINDOW SESSION (10 SECONDS) GROUP BY USER_ID HAVING COUNT(*) > 1;',
    );
    await pay(log, [
      ['ann', 1, 0], // one payment: not in the table
      ['ann', 1, 5_000], // [0, 5000] has two; [0, 0] was never emitted, so no tombstone
      ['ann', 1, 25_000], // a new session of one: nothing
      ['ann', 1, 15_000], // merges both into [0, 25000]: only [0, 5000] is retracted
    ]);
    await engine.processUntilIdle();
    expect(await sink(log, 'BUSY', 3)).toEqual([row('ann', 0, 5_000, { N: 2 }), row('ann', 0, 5_000, null), row('ann', 0, 25_000, { N: 4 })]);
  });

  it('drops records whose merged session ends before stream time minus the grace period', async () => {
    await engine.executeStatements(
      'CREATE TABLE SESSIONS AS SELECT USER_ID, COUNT(*) AS N, COLLECT_LIST(AMOUNT) AS AMOUNTS FROM PAYMENTS ' +
        'WINDOW SESSION (10 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY USER_ID;',
    );
    await pay(log, [
      ['cid', 1, 195_000],
      ['bob', 1, 200_000], // stream time 200 s: sessions ending before 190 s are closed
      ['ann', 1, 189_999], // its own session ends before 190 s: dropped
      ['ann', 2, 190_000], // ends exactly at the close time: still open
      ['cid', 3, 189_000], // older than the close time, but it merges into a session ending at 195 s
    ]);
    await engine.processUntilIdle();
    expect((await rowsOf(engine, 'SELECT USER_ID, WINDOWSTART, WINDOWEND, N, AMOUNTS FROM SESSIONS;')).rows).toEqual([
      ['ann', 190_000, 190_000, 1, [2]],
      ['bob', 200_000, 200_000, 1, [1]],
      ['cid', 189_000, 195_000, 2, [1, 3]],
    ]);
  });

  it('keeps sessions for the retention period after their end, by stream time', async () => {
    await engine.executeStatements(
      'CREATE TABLE SESSIONS AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS WINDOW SESSION (5 SECONDS, RETENTION 20 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY USER_ID;',
    );
    await pay(log, [
      ['ann', 1, 100_000],
      ['bob', 1, 100_001],
      ['cid', 1, 120_000], // stream time 120 s: sessions ending at or before 100 s are gone
    ]);
    await engine.processUntilIdle();
    expect((await rowsOf(engine, 'SELECT USER_ID, WINDOWEND FROM SESSIONS;')).rows).toEqual([
      ['bob', 100_001],
      ['cid', 120_000],
    ]);
  });

  it('writes Kafka Streams session keys that a WINDOW_TYPE=SESSION source reads back with its bounds', async () => {
    await engine.executeStatements('CREATE TABLE SESSIONS AS SELECT USER_ID, SUM(AMOUNT) AS TOTAL FROM PAYMENTS WINDOW SESSION (1 MINUTE) GROUP BY USER_ID;');
    await pay(log, [
      ['ann', 5, 1_000],
      ['ann', 6, 2_500],
    ]);
    await engine.processUntilIdle();
    await sink(log, 'SESSIONS', 3);
    const keys = (await readTopic(log, 'SESSIONS')).map((r) => r.key!.toString('hex'));
    expect(keys).toEqual([sessionKeyBytes('ann', 1_000, 1_000), sessionKeyBytes('ann', 1_000, 1_000), sessionKeyBytes('ann', 1_000, 2_500)].map((b) => b.toString('hex')));
    // 'ann', then end 2500 and start 1000 as big-endian longs
    expect(keys[2]).toBe('616e6e' + '00000000000009c4' + '00000000000003e8');

    await engine.executeStatements(
      "CREATE STREAM SESSION_UPDATES (USER_ID STRING KEY, TOTAL INT) WITH (kafka_topic='SESSIONS', value_format='JSON', window_type='SESSION');",
    );
    const updates = await rowsOf(engine, 'SELECT USER_ID, WINDOWSTART, WINDOWEND, TOTAL FROM SESSION_UPDATES EMIT CHANGES LIMIT 2;', {
      'auto.offset.reset': 'earliest',
    });
    // The stream skips the tombstone.
    expect(updates.rows).toEqual([
      ['ann', 1_000, 1_000, 5],
      ['ann', 1_000, 2_500, 11],
    ]);
  });

  it('answers pull queries by key and session bounds', async () => {
    await engine.executeStatements('CREATE TABLE SESSIONS AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS WINDOW SESSION (10 SECONDS) GROUP BY USER_ID;');
    await pay(log, [
      ['ann', 1, 0],
      ['ann', 1, 5_000],
      ['ann', 1, 60_000],
      ['bob', 1, 7_000],
    ]);
    await engine.processUntilIdle();
    const noScans = { 'ksql.query.pull.table.scan.enabled': 'false' };
    expect((await rowsOf(engine, "SELECT * FROM SESSIONS WHERE USER_ID = 'ann';", noScans)).rows).toEqual([
      ['ann', 0, 5_000, 2],
      ['ann', 60_000, 60_000, 1],
    ]);
    expect((await rowsOf(engine, "SELECT WINDOWSTART, N FROM SESSIONS WHERE USER_ID = 'ann' AND WINDOWEND >= 6000;", noScans)).rows).toEqual([[60_000, 1]]);
    expect((await rowsOf(engine, 'SELECT USER_ID FROM SESSIONS WHERE WINDOWSTART = 0 OR WINDOWSTART = 7000;')).rows).toEqual([['ann'], ['bob']]);
  });

  it('pushes session changes to push queries, tombstones included', async () => {
    await pay(log, [
      ['ann', 1, 0],
      ['ann', 2, 1_000],
    ]);
    const query = await engine.executeQuery('SELECT USER_ID, WINDOWSTART, WINDOWEND, SUM(AMOUNT) AS TOTAL FROM PAYMENTS WINDOW SESSION (5 SECONDS) GROUP BY USER_ID EMIT CHANGES LIMIT 3;', {
      properties: { 'auto.offset.reset': 'earliest' },
    });
    expect((await collect(query.rows)).map((r) => ({ ...r, values: plain(r.values) }))).toEqual([
      { values: ['ann', 0, 0, 1] },
      { values: ['ann', null, null, null], tombstone: true },
      { values: ['ann', 0, 1_000, 3] },
    ]);
  });
});

describe('session window aggregates', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let engine: LocalEngine | undefined;

  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('merge to what one group of the same records aggregates', async () => {
    const log = new MemoryTopicLog();
    engine = await createLocalEngine({ log, autoStart: false, properties: PROPS, logger: quiet });
    await engine.executeStatements(PAYMENTS);
    const aggregates =
      'COUNT(*) AS N, SUM(AMOUNT) AS S, AVG(AMOUNT) AS A, MIN(AMOUNT) AS LO, MAX(AMOUNT) AS HI, COLLECT_LIST(AMOUNT) AS L, ' +
      'COLLECT_SET(AMOUNT) AS CS, TOPK(AMOUNT, 2) AS TK, TOPKDISTINCT(AMOUNT, 2) AS TKD, HISTOGRAM(CAST(AMOUNT AS STRING)) AS H, ' +
      'LATEST_BY_OFFSET(AMOUNT) AS LT, EARLIEST_BY_OFFSET(AMOUNT) AS ER, LATEST_BY_OFFSET(AMOUNT, 2) AS LT2, EARLIEST_BY_OFFSET(AMOUNT, 2) AS ER2, ' +
      'COUNT_DISTINCT(AMOUNT) AS CD, SUM_LIST(ARRAY[AMOUNT]) AS SL';
    await engine.executeStatements(
      `CREATE TABLE IN_SESSIONS AS SELECT USER_ID, ${aggregates} FROM PAYMENTS WINDOW SESSION (15 SECONDS) GROUP BY USER_ID;` +
        `CREATE TABLE IN_ONE_GROUP AS SELECT USER_ID, ${aggregates} FROM PAYMENTS GROUP BY USER_ID;`,
    );
    // Three sessions (0-2 s, 30 s, 60 s), then records bridging them into one, in offset order.
    await pay(log, [
      ['ann', 4, 0],
      ['ann', 9, 2_000],
      ['ann', 4, 30_000],
      ['ann', 7, 60_000],
      ['ann', 1, 16_000],
      ['ann', 3, 45_000],
    ]);
    await engine.processUntilIdle();
    const sessions = await rowsOf(engine, 'SELECT * FROM IN_SESSIONS;');
    const group = await rowsOf(engine, 'SELECT * FROM IN_ONE_GROUP;');
    expect(sessions.rows).toHaveLength(1);
    const [key, start, end, ...values] = sessions.rows[0] as unknown[];
    expect([key, start, end]).toEqual(['ann', 0, 60_000]);
    const inOneGroup = (group.rows[0] as unknown[]).slice(1);
    // Collections list merged sessions in window order (then the bridging record), not offset order.
    const ordered = new Set([5, 6]);
    expect(values.filter((_v, i) => !ordered.has(i))).toEqual(inOneGroup.filter((_v, i) => !ordered.has(i)));
    expect(values.slice(0, 5)).toEqual([6, 28, 28 / 6, 1, 9]);
    expect(inOneGroup.slice(5, 7)).toEqual([
      [4, 9, 4, 7, 1, 3],
      [4, 9, 7, 1, 3],
    ]);
    // [0, 2 s] + [30 s] + 1 at 16 s, then that + [60 s] + 3 at 45 s
    expect(values.slice(5, 7)).toEqual([
      [4, 9, 4, 1, 7, 3],
      [4, 9, 1, 7, 3],
    ]);
  });

  it('all have a merge, which session windows need', () => {
    // One resolvable call per built-in aggregate: a new function must say how it merges.
    const calls: Record<string, readonly SqlType[]> = {
      COUNT: [SqlTypes.INTEGER],
      SUM: [SqlTypes.INTEGER],
      SUM_LIST: [SqlTypes.array(SqlTypes.INTEGER)],
      AVG: [SqlTypes.INTEGER],
      MIN: [SqlTypes.INTEGER],
      MAX: [SqlTypes.INTEGER],
      LATEST_BY_OFFSET: [SqlTypes.INTEGER],
      EARLIEST_BY_OFFSET: [SqlTypes.INTEGER],
      COLLECT_LIST: [SqlTypes.INTEGER],
      COLLECT_SET: [SqlTypes.INTEGER],
      COUNT_DISTINCT: [SqlTypes.INTEGER],
      STDDEV_SAMPLE: [SqlTypes.INTEGER],
      STDDEV_SAMP: [SqlTypes.INTEGER],
      HISTOGRAM: [SqlTypes.STRING],
      CORRELATION: [SqlTypes.DOUBLE, SqlTypes.DOUBLE],
      TOPK: [SqlTypes.INTEGER],
      TOPKDISTINCT: [SqlTypes.INTEGER],
    };
    const literals: Record<string, number[]> = { TOPK: [2], TOPKDISTINCT: [2] };
    expect(listAggregates().map((f) => f.name).sort()).toEqual(Object.keys(calls).sort());
    for (const factory of listAggregates()) {
      const fn = factory.create(calls[factory.name]!, literals[factory.name] ?? []);
      expect(typeof fn.merge, factory.name).toBe('function');
    }
  });
});

describe.each(implementations().map((impl): [string, Implementation] => [impl.name, impl]))('session windows across a restart over the %s log', (_name, impl) => {
  afterEach(async () => {
    await impl.cleanup();
  });

  const TABLE =
    'CREATE TABLE SESSIONS AS SELECT USER_ID, COUNT(*) AS N, COLLECT_LIST(AMOUNT) AS AMOUNTS FROM PAYMENTS ' +
    'WINDOW SESSION (15 SECONDS, RETENTION 1 HOUR, GRACE PERIOD 20 SECONDS) GROUP BY USER_ID;';
  const BEFORE: Payment[] = [
    ['ann', 1, 0],
    ['ann', 2, 30_000],
    ['bob', 3, 40_000],
  ];
  const AFTER: Payment[] = [
    ['ann', 4, 15_000], // bridges ann's two restored sessions into one
    ['cid', 5, 19_000], // its session ends before the restored stream time (40 s) minus grace: dropped
    ['bob', 6, 45_000], // extends bob's restored session
  ];

  async function tableAndSink(engine: LocalEngine, log: TopicLog, records = 0): Promise<{ table: unknown[]; sink: SessionRecord[] }> {
    return { table: (await rowsOf(engine, 'SELECT * FROM SESSIONS;')).rows, sink: await sink(log, 'SESSIONS', records) };
  }

  const start = (log: TopicLog) => createLocalEngine({ log, autoStart: true, properties: PROPS, logger: quiet });

  it('restores the sessions and stream time from the changelog and ends as an uninterrupted run', async () => {
    const uninterruptedLog = new MemoryTopicLog();
    const uninterrupted = await start(uninterruptedLog);
    await uninterrupted.executeStatements(PAYMENTS + TABLE);
    await pay(uninterruptedLog, [...BEFORE, ...AFTER]);
    await uninterrupted.processUntilIdle();
    const expected = await tableAndSink(uninterrupted, uninterruptedLog);
    await uninterrupted.close();

    const first = await impl.open();
    const before = await start(first);
    await before.executeStatements(PAYMENTS + TABLE);
    await pay(first, BEFORE);
    await before.processUntilIdle();
    await sink(first, 'SESSIONS', 3);
    await before.close();

    const second = await reopen(impl, first);
    const after = await start(second);
    try {
      await after.processUntilIdle();
      expect((await rowsOf(after, 'SELECT USER_ID, WINDOWSTART, WINDOWEND, N FROM SESSIONS;')).rows).toEqual([
        ['ann', 0, 0, 1],
        ['ann', 30_000, 30_000, 1],
        ['bob', 40_000, 40_000, 1],
      ]);
      await pay(second, AFTER);
      await after.processUntilIdle();
      const resumed = await tableAndSink(after, second, expected.sink.length);
      expect(resumed).toEqual(expected);
      expect(resumed.table).toEqual([
        ['ann', 0, 30_000, 3, [1, 2, 4]],
        ['bob', 40_000, 45_000, 2, [3, 6]],
      ]);
    } finally {
      await after.close();
      await second.close();
    }
  });
});

describe('session window errors', () => {
  let engine: LocalEngine;

  beforeEach(async () => {
    engine = await createLocalEngine({ log: new MemoryTopicLog(), autoStart: false, properties: PROPS, logger: quiet });
    await engine.executeStatements(PAYMENTS);
  });

  afterEach(async () => {
    await engine.close();
  });

  const ctas = (window: string) => `CREATE TABLE T AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS WINDOW ${window} GROUP BY USER_ID;`;

  it('refuses a zero gap and a retention shorter than gap plus grace, as Kafka Streams does', async () => {
    expect((await errorOf(engine.executeStatements(ctas('SESSION (0 SECONDS)')))).message).toBe('Gap time cannot be zero or negative.');
    expect((await errorOf(engine.executeStatements(ctas('SESSION (10 SECONDS, RETENTION 12 SECONDS, GRACE PERIOD 5 SECONDS)')))).message).toBe(
      'The retention period of the session store Aggregate-Aggregate-Materialize must be no smaller than the session inactivity gap plus the grace period. ' +
        'Got gap=[10000], grace=[5000], retention=[12000]',
    );
    // The default grace is 24 hours minus the gap, the default retention gap plus grace.
    expect((await errorOf(engine.executeStatements(ctas('SESSION (1 HOUR, RETENTION 2 HOURS)')))).message).toMatch(
      /Got gap=\[3600000\], grace=\[82800000\], retention=\[7200000\]$/,
    );
  });

  it('keeps ksqlDB\'s errors for tables, window bounds before the aggregation, windowed sources', async () => {
    await engine.executeStatements("CREATE TABLE ACCOUNTS (ID INT PRIMARY KEY, REGION STRING) WITH (kafka_topic='accounts', value_format='JSON', partitions=1);");
    expect((await errorOf(engine.executeStatements('CREATE TABLE R AS SELECT REGION, COUNT(*) AS N FROM ACCOUNTS WINDOW SESSION (1 MINUTE) GROUP BY REGION;'))).message).toBe(
      'Windowing not supported for table aggregations.',
    );
    const where = await errorOf(engine.executeStatements('CREATE TABLE T AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS WINDOW SESSION (1 MINUTE) WHERE WINDOWSTART > 0 GROUP BY USER_ID;'));
    expect(where.message).toBe('Error in WHERE expression: Unknown column WINDOWSTART.');
    await engine.executeStatements(ctas('SESSION (1 MINUTE)'));
    const windowedSource = await errorOf(engine.executeStatements('CREATE TABLE T2 AS SELECT USER_ID, COUNT(*) AS N FROM T GROUP BY USER_ID;'));
    expect(windowedSource.message).toMatch(/^(Unsupported: )?.*windowed source/);
  });
});
