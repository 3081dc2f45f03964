/**
 * Aggregations through the engine API, for what ksqlDB's QTT files do not cover: the state
 * topics, pull queries on the materialized tables (keys, ranges, window bounds, scans and their
 * errors), push queries over aggregations, and a clean restart that restores instead of
 * reprocessing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalEngine, QueryRow } from '../../src/engine/api.js';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { FileTopicLog } from '../../src/log/file-log.js';
import type { TopicLog } from '../../src/log/topic-log.js';
import { createLogger } from '../../src/logging.js';
import { makeTempDir, removeDir } from '../log/helpers.js';
import { collect, errorOf, memoryEngine, readTopic, valuesOf } from './helpers.js';

let engine: LocalEngine;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await engine?.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const EARLIEST = { 'ksql.streams.auto.offset.reset': 'earliest' };
const quiet = createLogger('aggregation-test', { level: 'silent' });

async function payments(log: TopicLog, rows: { user: string; amount: number; ts: number }[]): Promise<void> {
  await log.append(
    'payments',
    rows.map((r) => ({ key: Buffer.from(r.user), value: Buffer.from(JSON.stringify({ AMOUNT: r.amount })), timestamp: r.ts })),
  );
}

const PAYMENTS = "CREATE STREAM PAYMENTS (USER_ID STRING KEY, AMOUNT INT) WITH (kafka_topic='payments', value_format='JSON', partitions=2);";

async function rowsOf(sql: string, properties?: Record<string, string>): Promise<{ columns: readonly string[]; keys: readonly boolean[]; rows: unknown[][] }> {
  const query = await engine.executeQuery(sql, properties ? { properties } : {});
  const rows = (await collect(query.rows)).map((r: QueryRow) => r.values.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
  return { columns: query.columnNames, keys: query.keyColumns, rows };
}

describe('CREATE TABLE AS SELECT ... GROUP BY', () => {
  it('creates the compacted changelog topic of its store and writes every update to the sink', async () => {
    const memory = await memoryEngine(EARLIEST);
    engine = memory.engine;
    await engine.executeStatements(PAYMENTS);
    await payments(memory.log, [
      { user: 'ann', amount: 5, ts: 10 },
      { user: 'bob', amount: 7, ts: 20 },
      { user: 'ann', amount: 1, ts: 15 },
    ]);
    await engine.executeStatements('CREATE TABLE TOTALS AS SELECT USER_ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM PAYMENTS GROUP BY USER_ID;');
    await engine.processUntilIdle();

    const changelog = await memory.log.describeTopic('_confluent-ksql-default_query_CTAS_TOTALS_1-Aggregate-Aggregate-Materialize-changelog');
    expect(changelog).toMatchObject({ partitions: 2, config: { 'cleanup.policy': 'compact' } });
    const out = await readTopic(memory.log, 'TOTALS');
    const byUser = (user: string) => out.filter((r) => r.key!.toString() === user);
    expect(valuesOf(byUser('ann'))).toEqual([{ N: 1, TOTAL: 5 }, { N: 2, TOTAL: 6 }]);
    // max(previous timestamp, input timestamp)
    expect(byUser('ann').map((r) => r.timestamp)).toEqual([10, 15]);
    expect(valuesOf(byUser('bob'))).toEqual([{ N: 1, TOTAL: 7 }]);

    // TERMINATE stops the query and deletes its internal topics, as ksqlDB's query cleanup does.
    await engine.executeStatements('TERMINATE CTAS_TOTALS_1;');
    expect(await memory.log.describeTopic('_confluent-ksql-default_query_CTAS_TOTALS_1-Aggregate-Aggregate-Materialize-changelog')).toBeUndefined();
    expect(await memory.log.describeTopic('TOTALS')).toBeDefined();
  });

  it('keeps stateless CTAS and INSERT INTO rejecting aggregations into streams', async () => {
    ({ engine } = await memoryEngine(EARLIEST));
    await engine.executeStatements(PAYMENTS);
    await engine.executeStatements("CREATE STREAM COPY (USER_ID STRING KEY, N BIGINT) WITH (kafka_topic='copy', value_format='JSON', partitions=1);");
    const csas = await errorOf(engine.executeStatements('CREATE STREAM S2 AS SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS GROUP BY USER_ID;'));
    expect(csas.message).toBe('Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.');
    const insert = await errorOf(engine.executeStatements('INSERT INTO COPY SELECT USER_ID, COUNT(*) AS N FROM PAYMENTS GROUP BY USER_ID;'));
    expect(insert.message).toBe('Incompatible data sink and query result. Data sink (COPY) type is KSTREAM but select query result is KTABLE.');
  });
});

describe('pull queries on materialized tables', () => {
  async function totals(): Promise<void> {
    const memory = await memoryEngine(EARLIEST);
    engine = memory.engine;
    await engine.executeStatements(PAYMENTS);
    await payments(memory.log, [
      { user: 'ann', amount: 5, ts: 10 },
      { user: 'bob', amount: 7, ts: 20 },
      { user: 'cid', amount: 2, ts: 30 },
      { user: 'ann', amount: 1, ts: 40 },
    ]);
    await engine.executeStatements(
      'CREATE TABLE TOTALS AS SELECT USER_ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM PAYMENTS GROUP BY USER_ID HAVING SUM(AMOUNT) > 3;',
    );
    await engine.processUntilIdle();
  }

  it('looks up keys, key lists and key ranges, marking the key column', async () => {
    await totals();
    expect(await rowsOf("SELECT * FROM TOTALS WHERE USER_ID = 'ann';")).toEqual({
      columns: ['USER_ID', 'N', 'TOTAL'],
      keys: [true, false, false],
      rows: [['ann', 2, 6]],
    });
    // HAVING rejected cid: it is not in the table.
    expect((await rowsOf("SELECT TOTAL, USER_ID FROM TOTALS WHERE USER_ID IN ('cid', 'bob');")).rows).toEqual([[7, 'bob']]);
    expect((await rowsOf("SELECT USER_ID FROM TOTALS WHERE USER_ID > 'alf' AND USER_ID <= 'bob';")).rows).toEqual([['ann'], ['bob']]);
    expect((await rowsOf('SELECT USER_ID, TOTAL * 2 AS DOUBLED FROM TOTALS WHERE TOTAL > 6;')).rows).toEqual([['bob', 14]]);
    expect((await rowsOf('SELECT * FROM TOTALS LIMIT 1;')).rows).toHaveLength(1);
    const query = await engine.executeQuery('SELECT * FROM TOTALS;');
    expect(query.kind).toBe('pull-table');
    expect(query.queryId).toMatch(/^query_\d+$/);
  });

  it('answers ksqlDB errors for clauses pull queries lack and, without table scans, for WHERE clauses that do not pin the key', async () => {
    await totals();
    const grouped = await errorOf(engine.executeQuery('SELECT USER_ID, COUNT(*) FROM PAYMENTS GROUP BY USER_ID;'));
    expect(grouped.message).toBe(
      "Pull queries don't support GROUP BY clauses. See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.",
    );
    const noScans = { 'ksql.query.pull.table.scan.enabled': 'false' };
    expect((await rowsOf("SELECT * FROM TOTALS WHERE USER_ID = 'bob';", noScans)).rows).toEqual([['bob', 1, 7]]);
    const unkeyed = await errorOf(engine.executeQuery('SELECT * FROM TOTALS WHERE TOTAL > 1;', { properties: noScans }));
    expect(unkeyed.message).toMatch(/^WHERE clause missing key column for disjunct: \(TOTAL > 1\)\. {2}See https:\/\/cnfl\.io\/queries/);
    const missing = await errorOf(engine.executeQuery('SELECT * FROM TOTALS;', { properties: noScans }));
    expect(missing.message).toMatch(/^Missing WHERE clause\. /);
    const rowOffset = await errorOf(engine.executeQuery("SELECT ROWOFFSET FROM TOTALS WHERE USER_ID = 'ann';"));
    expect(rowOffset.message).toMatch(/^Pull queries don't support the following columns in SELECT clauses: ROWOFFSET\n/);
  });

  it('bounds windowed tables by WINDOWSTART and WINDOWEND', async () => {
    const memory = await memoryEngine(EARLIEST);
    engine = memory.engine;
    await engine.executeStatements(PAYMENTS);
    await payments(memory.log, [
      { user: 'ann', amount: 5, ts: 1_000 },
      { user: 'ann', amount: 1, ts: 61_000 },
      { user: 'bob', amount: 7, ts: 62_000 },
      { user: 'ann', amount: 2, ts: 125_000 },
    ]);
    await engine.executeStatements(
      'CREATE TABLE PER_MINUTE AS SELECT USER_ID, SUM(AMOUNT) AS TOTAL FROM PAYMENTS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY USER_ID;',
    );
    await engine.processUntilIdle();
    expect(await rowsOf("SELECT * FROM PER_MINUTE WHERE USER_ID = 'ann';")).toEqual({
      columns: ['USER_ID', 'WINDOWSTART', 'WINDOWEND', 'TOTAL'],
      keys: [true, true, true, false],
      rows: [
        ['ann', 0, 60_000, 5],
        ['ann', 60_000, 120_000, 1],
        ['ann', 120_000, 180_000, 2],
      ],
    });
    const bounded = await rowsOf("SELECT WINDOWSTART, TOTAL FROM PER_MINUTE WHERE USER_ID = 'ann' AND WINDOWSTART >= 60000 AND WINDOWEND <= 120000;");
    expect(bounded.rows).toEqual([[60_000, 1]]);
    expect((await rowsOf('SELECT USER_ID, TOTAL FROM PER_MINUTE WHERE WINDOWSTART = 60000;')).rows).toEqual([
      ['ann', 1],
      ['bob', 7],
    ]);
  });

  it('reads stateless CTAS tables and CREATE SOURCE TABLEs; plain tables are not queryable', async () => {
    const memory = await memoryEngine(EARLIEST);
    engine = memory.engine;
    await engine.executeStatements("CREATE SOURCE TABLE USERS (ID INT PRIMARY KEY, NAME STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);");
    await engine.executeStatements("CREATE TABLE PLAIN (ID INT PRIMARY KEY, NAME STRING) WITH (kafka_topic='users', value_format='JSON');");
    const id = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    await memory.log.append('users', [
      { key: id(1), value: Buffer.from('{"NAME":"ann"}') },
      { key: id(2), value: Buffer.from('{"NAME":"bob"}') },
      { key: id(1), value: null },
      { key: id(3), value: Buffer.from('{"NAME":"cid"}') },
    ]);
    await engine.executeStatements('CREATE TABLE UPPER_USERS AS SELECT ID, UCASE(NAME) AS NAME FROM USERS;');
    await engine.processUntilIdle();
    expect((await rowsOf('SELECT * FROM USERS;')).rows).toEqual([
      [2, 'bob'],
      [3, 'cid'],
    ]);
    expect((await rowsOf('SELECT NAME FROM UPPER_USERS WHERE ID = 3;')).rows).toEqual([['CID']]);
    const plain = await errorOf(engine.executeQuery('SELECT * FROM PLAIN;'));
    expect(plain.message).toMatch(/^The `PLAIN` table isn't queryable\./);
  });
});

describe('push queries over aggregations', () => {
  it('emit every change and a tombstone when HAVING no longer holds', async () => {
    const memory = await memoryEngine(EARLIEST);
    engine = memory.engine;
    await engine.executeStatements("CREATE TABLE ACCOUNTS (ID INT PRIMARY KEY, REGION STRING) WITH (kafka_topic='accounts', value_format='JSON', partitions=1);");
    const id = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    await memory.log.append('accounts', [
      { key: id(1), value: Buffer.from('{"REGION":"eu"}') },
      { key: id(2), value: Buffer.from('{"REGION":"eu"}') },
      { key: id(1), value: Buffer.from('{"REGION":"us"}') },
    ]);
    const query = await engine.executeQuery('SELECT REGION, COUNT(*) AS N FROM ACCOUNTS GROUP BY REGION HAVING COUNT(*) > 1 EMIT CHANGES LIMIT 2;', {
      properties: { 'auto.offset.reset': 'earliest' },
    });
    expect(query.columnNames).toEqual(['REGION', 'N']);
    expect(await collect(query.rows)).toEqual([{ values: ['eu', 2n] }, { values: ['eu', null], tombstone: true }]);
  });
});

describe('restarts', () => {
  it('restore the aggregate from its changelog and continue where the committed offsets point', async () => {
    const dir = await makeTempDir('aggregation-restart-');
    cleanups.push(() => removeDir(dir));
    const first = await FileTopicLog.open({ dir });
    engine = await createLocalEngine({ log: first, autoStart: false, logger: quiet, properties: EARLIEST });
    await engine.executeStatements(PAYMENTS);
    await payments(first, [
      { user: 'ann', amount: 5, ts: 10 },
      { user: 'ann', amount: 1, ts: 20 },
    ]);
    await engine.executeStatements('CREATE TABLE TOTALS AS SELECT USER_ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM PAYMENTS GROUP BY USER_ID;');
    await engine.processUntilIdle();
    await engine.close();
    await first.close();

    const second = await FileTopicLog.open({ dir });
    cleanups.push(() => second.close());
    engine = await createLocalEngine({ log: second, autoStart: false, logger: quiet, properties: EARLIEST });
    expect((await rowsOf('SELECT * FROM TOTALS;')).rows).toEqual([['ann', 2, 6]]);
    await payments(second, [{ user: 'ann', amount: 10, ts: 30 }]);
    await engine.processUntilIdle();
    expect((await rowsOf('SELECT * FROM TOTALS;')).rows).toEqual([['ann', 3, 16]]);
    // The input was not processed again: one output record per input record.
    expect(valuesOf(await readTopic(second, 'TOTALS'))).toEqual([
      { N: 1, TOTAL: 5 },
      { N: 2, TOTAL: 6 },
      { N: 3, TOTAL: 16 },
    ]);
  });
});
