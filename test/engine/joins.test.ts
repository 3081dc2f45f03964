/**
 * Stream-table joins on the local engine, over the memory and file logs (and Kafka when
 * KAFKA_BOOTSTRAP_SERVERS is set): enrichment of payments with a users table, table updates
 * between stream records, the timestamp rule, re-keying by a non-key join column, restarts that
 * restore the table from its topic, push queries, and ksqlDB's errors for what it rejects.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engine/api.js';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { partitionForKey } from '../../src/log/partitioner.js';
import type { LogRecord, TopicLog } from '../../src/log/topic-log.js';
import { implementations, type Implementation } from '../log/implementations.js';
import { collect, errorOf, readTopic } from './helpers.js';

const PROPS = { 'ksql.streams.auto.offset.reset': 'earliest' };

const USERS =
  "CREATE TABLE USERS (USER_ID STRING PRIMARY KEY, NAME STRING, COUNTRY STRING) WITH (kafka_topic='users', value_format='JSON', partitions=2);";
const PAYMENTS =
  "CREATE STREAM PAYMENTS (PAYMENT_ID STRING KEY, USER_ID STRING, AMOUNT DOUBLE) WITH (kafka_topic='payments', value_format='JSON', partitions=2);";

interface Input {
  readonly key: string | null;
  readonly value: Record<string, unknown> | null;
  readonly timestamp: number;
}

async function produce(log: TopicLog, topic: string, rows: readonly Input[]): Promise<void> {
  await log.append(
    topic,
    rows.map((r) => ({
      key: r.key === null ? null : Buffer.from(r.key, 'utf8'),
      value: r.value === null ? null : Buffer.from(JSON.stringify(r.value)),
      timestamp: r.timestamp,
    })),
  );
}

interface Output {
  readonly key: string | null;
  readonly value: unknown;
  readonly timestamp: number;
}

function decoded(records: readonly LogRecord[]): Output[] {
  return records.map((r) => ({
    key: r.key === null ? null : r.key.toString('utf8'),
    value: r.value === null ? null : JSON.parse(r.value.toString('utf8')),
    timestamp: r.timestamp,
  }));
}

/**
 * A sink's records, in timestamp order (records of different partitions interleave freely).
 * Output is transactional: Kafka writes the commit markers a little after the commit returns,
 * so the records are read again until at least `expected` are visible (or a few seconds pass).
 */
async function sink(log: TopicLog, topic: string, expected = 0): Promise<Output[]> {
  for (let attempt = 0; ; attempt++) {
    const records = decoded(await readTopic(log, topic)).sort((a, b) => a.timestamp - b.timestamp);
    if (records.length >= expected || attempt >= 100) return records;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function expectSink(log: TopicLog, topic: string, rows: readonly Output[]): Promise<void> {
  expect(await sink(log, topic, rows.length)).toEqual(rows);
}

function schemaOf(engine: LocalEngine, name: string): string[] {
  return engine.metastore.getSource(name)!.schema.columns.map((c) => `${c.name} ${c.type.kind}${c.namespace === 'KEY' ? ' KEY' : ''}`);
}

describe.each(implementations().map((impl): [string, Implementation] => [impl.name, impl]))('stream-table joins over the %s log', (_name, impl) => {
  let log: TopicLog;
  let engine: LocalEngine;

  async function start(): Promise<LocalEngine> {
    engine = await createLocalEngine({ log, autoStart: false, properties: PROPS });
    return engine;
  }

  beforeEach(async () => {
    log = await impl.open();
    await start();
    await engine.executeStatements(USERS + PAYMENTS);
  });

  afterEach(async () => {
    await engine.close();
    await log.close();
    await impl.cleanup();
  });

  it('enriches payments with users: LEFT keeps payments of unknown users with nulls, INNER drops them', async () => {
    await produce(log, 'users', [
      { key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 1 },
      { key: 'u2', value: { NAME: 'Bob', COUNTRY: 'DE' }, timestamp: 2 },
    ]);
    await produce(log, 'payments', [
      { key: 'p1', value: { USER_ID: 'u1', AMOUNT: 10 }, timestamp: 10 },
      { key: 'p2', value: { USER_ID: 'u3', AMOUNT: 20 }, timestamp: 20 },
      { key: 'p3', value: { USER_ID: 'u2', AMOUNT: 30 }, timestamp: 30 },
      // a null join key is dropped by INNER and LEFT joins alike
      { key: 'p4', value: { USER_ID: null, AMOUNT: 40 }, timestamp: 40 },
      // so is a null value
      { key: 'p5', value: null, timestamp: 50 },
    ]);
    await engine.executeStatements(
      'CREATE STREAM ENRICHED AS SELECT P.USER_ID, PAYMENT_ID, AMOUNT, NAME, COUNTRY FROM PAYMENTS P LEFT JOIN USERS U ON P.USER_ID = U.USER_ID;' +
        'CREATE STREAM KNOWN AS SELECT P.USER_ID, PAYMENT_ID, AMOUNT, NAME FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID;',
    );
    await engine.processUntilIdle();

    // USER_ID is in both sources, so the qualified column is named P_USER_ID; it is the join key.
    expect(schemaOf(engine, 'ENRICHED')).toEqual(['P_USER_ID STRING KEY', 'PAYMENT_ID STRING', 'AMOUNT DOUBLE', 'NAME STRING', 'COUNTRY STRING']);
    await expectSink(log, 'ENRICHED', [
      { key: 'u1', value: { PAYMENT_ID: 'p1', AMOUNT: 10, NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 10 },
      { key: 'u3', value: { PAYMENT_ID: 'p2', AMOUNT: 20, NAME: null, COUNTRY: null }, timestamp: 20 },
      { key: 'u2', value: { PAYMENT_ID: 'p3', AMOUNT: 30, NAME: 'Bob', COUNTRY: 'DE' }, timestamp: 30 },
    ]);
    await expectSink(log, 'KNOWN', [
      { key: 'u1', value: { PAYMENT_ID: 'p1', AMOUNT: 10, NAME: 'Ann' }, timestamp: 10 },
      { key: 'u2', value: { PAYMENT_ID: 'p3', AMOUNT: 30, NAME: 'Bob' }, timestamp: 30 },
    ]);
    // Re-keyed by the join column: each row sits in the partition its new key hashes to.
    for (const r of await readTopic(log, 'ENRICHED')) expect(r.partition).toBe(partitionForKey(r.key!, 2));
    const drop = await errorOf(engine.executeStatements('DROP TABLE USERS;'));
    expect(drop.message).toContain('The following queries read from this source: [CSAS_ENRICHED_2, CSAS_KNOWN_3].');
  });

  it('sees table updates and deletions between stream records; table updates alone emit nothing', async () => {
    await engine.executeStatements(
      'CREATE STREAM NAMED AS SELECT P.USER_ID AS UID, PAYMENT_ID, NAME FROM PAYMENTS P LEFT JOIN USERS U ON P.USER_ID = U.USER_ID;',
    );
    await produce(log, 'users', [{ key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 0 }]);
    await produce(log, 'payments', [{ key: 'p1', value: { USER_ID: 'u1', AMOUNT: 1 }, timestamp: 10 }]);
    await produce(log, 'users', [{ key: 'u1', value: { NAME: 'Anna', COUNTRY: 'FR' }, timestamp: 20 }]);
    await produce(log, 'payments', [{ key: 'p2', value: { USER_ID: 'u1', AMOUNT: 2 }, timestamp: 30 }]);
    await produce(log, 'users', [{ key: 'u1', value: null, timestamp: 40 }]);
    await produce(log, 'payments', [{ key: 'p3', value: { USER_ID: 'u1', AMOUNT: 3 }, timestamp: 50 }]);
    await engine.processUntilIdle();
    expect(schemaOf(engine, 'NAMED')).toEqual(['UID STRING KEY', 'PAYMENT_ID STRING', 'NAME STRING']);
    await expectSink(log, 'NAMED', [
      { key: 'u1', value: { PAYMENT_ID: 'p1', NAME: 'Ann' }, timestamp: 10 },
      { key: 'u1', value: { PAYMENT_ID: 'p2', NAME: 'Anna' }, timestamp: 30 },
      { key: 'u1', value: { PAYMENT_ID: 'p3', NAME: null }, timestamp: 50 },
    ]);
  });

  it('processes both inputs in timestamp order: a stream record sees the table as of its timestamp', async () => {
    await engine.executeStatements(
      'CREATE STREAM SEEN AS SELECT P.USER_ID, PAYMENT_ID, NAME FROM PAYMENTS P LEFT JOIN USERS U ON P.USER_ID = U.USER_ID;',
    );
    // Written before the table updates, but with later timestamps than some of them.
    await produce(log, 'payments', [
      { key: 'p1', value: { USER_ID: 'u1', AMOUNT: 1 }, timestamp: 100 },
      { key: 'p2', value: { USER_ID: 'u2', AMOUNT: 2 }, timestamp: 200 },
    ]);
    await produce(log, 'users', [
      { key: 'u1', value: { NAME: 'early', COUNTRY: 'FR' }, timestamp: 50 },
      { key: 'u1', value: { NAME: 'late', COUNTRY: 'FR' }, timestamp: 150 },
      // a table update with the stream record's own timestamp comes first
      { key: 'u2', value: { NAME: 'same time', COUNTRY: 'DE' }, timestamp: 200 },
    ]);
    await engine.processUntilIdle();
    await expectSink(log, 'SEEN', [
      { key: 'u1', value: { PAYMENT_ID: 'p1', NAME: 'early' }, timestamp: 100 },
      { key: 'u2', value: { PAYMENT_ID: 'p2', NAME: 'same time' }, timestamp: 200 },
    ]);
  });

  it('joins a stream keyed by the join column without re-keying; SELECT * names both sides', async () => {
    await engine.executeStatements(
      "CREATE STREAM LOGINS (USER_ID STRING KEY, DEVICE STRING) WITH (kafka_topic='logins', value_format='JSON', partitions=2);" +
        'CREATE STREAM LOGINS_ENRICHED AS SELECT * FROM LOGINS L JOIN USERS U ON L.USER_ID = U.USER_ID WHERE U.COUNTRY = \'FR\';',
    );
    await produce(log, 'users', [
      { key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 0 },
      { key: 'u2', value: { NAME: 'Bob', COUNTRY: 'DE' }, timestamp: 0 },
    ]);
    await produce(log, 'logins', [
      { key: 'u1', value: { DEVICE: 'phone' }, timestamp: 5 },
      { key: 'u2', value: { DEVICE: 'laptop' }, timestamp: 6 },
    ]);
    await engine.processUntilIdle();
    expect(schemaOf(engine, 'LOGINS_ENRICHED')).toEqual([
      'L_USER_ID STRING KEY',
      'L_DEVICE STRING',
      'U_USER_ID STRING',
      'U_NAME STRING',
      'U_COUNTRY STRING',
    ]);
    await expectSink(log, 'LOGINS_ENRICHED', [
      { key: 'u1', value: { L_DEVICE: 'phone', U_USER_ID: 'u1', U_NAME: 'Ann', U_COUNTRY: 'FR' }, timestamp: 5 },
    ]);
  });

  it("orders by the sources' TIMESTAMP columns and selects one side with alias.*", async () => {
    await engine.executeStatements(
      "CREATE STREAM ORDERS (ORDER_ID STRING KEY, USER_ID STRING, TS BIGINT) WITH (kafka_topic='orders', value_format='JSON', partitions=2, timestamp='TS');" +
        'CREATE STREAM ORDERS_NAMED AS SELECT O.*, U.NAME FROM ORDERS O LEFT JOIN USERS U ON O.USER_ID = U.USER_ID;',
    );
    // The record timestamps say the order came first; its TIMESTAMP column says it came after the update.
    await produce(log, 'orders', [{ key: 'o1', value: { USER_ID: 'u1', TS: 500 }, timestamp: 1 }]);
    await produce(log, 'users', [{ key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 100 }]);
    await engine.processUntilIdle();
    expect(schemaOf(engine, 'ORDERS_NAMED')).toEqual(['O_USER_ID STRING KEY', 'O_ORDER_ID STRING', 'O_TS BIGINT', 'NAME STRING']);
    await expectSink(log, 'ORDERS_NAMED', [{ key: 'u1', value: { O_ORDER_ID: 'o1', O_TS: 500, NAME: 'Ann' }, timestamp: 500 }]);
  });

  it('restores the table from its topic after a restart and resumes both inputs where they were', async () => {
    await engine.executeStatements(
      'CREATE STREAM ENRICHED AS SELECT P.USER_ID, PAYMENT_ID, NAME FROM PAYMENTS P LEFT JOIN USERS U ON P.USER_ID = U.USER_ID;',
    );
    await produce(log, 'users', [
      { key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 1 },
      { key: 'u2', value: { NAME: 'Bob', COUNTRY: 'DE' }, timestamp: 2 },
    ]);
    await produce(log, 'payments', [{ key: 'p1', value: { USER_ID: 'u1', AMOUNT: 1 }, timestamp: 10 }]);
    await engine.processUntilIdle();
    await engine.close();

    // While the engine is down: the table changes, more payments arrive.
    await produce(log, 'users', [{ key: 'u2', value: { NAME: 'Bobby', COUNTRY: 'DE' }, timestamp: 20 }]);
    await produce(log, 'payments', [
      { key: 'p2', value: { USER_ID: 'u1', AMOUNT: 2 }, timestamp: 30 },
      { key: 'p3', value: { USER_ID: 'u2', AMOUNT: 3 }, timestamp: 40 },
    ]);
    await start();
    await engine.processUntilIdle();
    await expectSink(log, 'ENRICHED', [
      { key: 'u1', value: { PAYMENT_ID: 'p1', NAME: 'Ann' }, timestamp: 10 },
      // u1 was only in the table's part read before the restart: restored
      { key: 'u1', value: { PAYMENT_ID: 'p2', NAME: 'Ann' }, timestamp: 30 },
      { key: 'u2', value: { PAYMENT_ID: 'p3', NAME: 'Bobby' }, timestamp: 40 },
    ]);
  });

  it('runs by itself in autoStart mode and keeps up with new records', async () => {
    await engine.close();
    engine = await createLocalEngine({ log, autoStart: true, properties: PROPS });
    await engine.executeStatements(
      'CREATE STREAM ENRICHED AS SELECT P.USER_ID, PAYMENT_ID, NAME FROM PAYMENTS P LEFT JOIN USERS U ON P.USER_ID = U.USER_ID;',
    );
    await produce(log, 'users', [{ key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 1 }]);
    await produce(log, 'payments', [{ key: 'p1', value: { USER_ID: 'u1', AMOUNT: 1 }, timestamp: 10 }]);
    await engine.processUntilIdle();
    await produce(log, 'users', [{ key: 'u1', value: { NAME: 'Anna', COUNTRY: 'FR' }, timestamp: 20 }]);
    await produce(log, 'payments', [{ key: 'p2', value: { USER_ID: 'u1', AMOUNT: 2 }, timestamp: 30 }]);
    await engine.processUntilIdle();
    await expectSink(log, 'ENRICHED', [
      { key: 'u1', value: { PAYMENT_ID: 'p1', NAME: 'Ann' }, timestamp: 10 },
      { key: 'u1', value: { PAYMENT_ID: 'p2', NAME: 'Anna' }, timestamp: 30 },
    ]);
  });

  it('answers push queries over a join', async () => {
    await produce(log, 'users', [{ key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 0 }]);
    await produce(log, 'payments', [
      { key: 'p1', value: { USER_ID: 'u1', AMOUNT: 1.5 }, timestamp: 10 },
      { key: 'p2', value: { USER_ID: 'u9', AMOUNT: 2.5 }, timestamp: 20 },
    ]);
    const stream = await engine.executeQuery(
      'SELECT P.PAYMENT_ID, U.USER_ID, U.NAME, AMOUNT * 2 FROM PAYMENTS P LEFT JOIN USERS U ON P.USER_ID = U.USER_ID EMIT CHANGES LIMIT 2;',
      { properties: PROPS },
    );
    expect(stream.columnNames).toEqual(['PAYMENT_ID', 'U_USER_ID', 'NAME', 'KSQL_COL_0']);
    const rows = await collect(stream.rows);
    expect(rows.map((r) => r.values)).toEqual([
      ['p1', 'u1', 'Ann', 3],
      ['p2', null, null, 5],
    ]);
    expect(stream.completion()).toBe('Limit Reached');
  });

  it('re-keys a join with PARTITION BY and keeps PARTITION BY on a table to its key', async () => {
    await engine.executeStatements(
      'CREATE STREAM BY_COUNTRY AS SELECT U.COUNTRY, PAYMENT_ID, AMOUNT FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID PARTITION BY U.COUNTRY;' +
        'CREATE TABLE USERS_COPY AS SELECT * FROM USERS PARTITION BY USER_ID;',
    );
    await produce(log, 'users', [{ key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 0 }]);
    await produce(log, 'payments', [{ key: 'p1', value: { USER_ID: 'u1', AMOUNT: 1 }, timestamp: 10 }]);
    await engine.processUntilIdle();
    expect(schemaOf(engine, 'BY_COUNTRY')).toEqual(['COUNTRY STRING KEY', 'PAYMENT_ID STRING', 'AMOUNT DOUBLE']);
    await expectSink(log, 'BY_COUNTRY', [{ key: 'FR', value: { PAYMENT_ID: 'p1', AMOUNT: 1 }, timestamp: 10 }]);
    await expectSink(log, 'USERS_COPY', [{ key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 0 }]);
    const rekey = await errorOf(engine.executeStatements('CREATE TABLE BY_NAME AS SELECT * FROM USERS PARTITION BY NAME;'));
    expect(rekey.message).toBe(
      "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the TABLE's key column USER_ID instead of [NAME]",
    );
  });

  it('inserts a join into an existing stream', async () => {
    await engine.executeStatements(
      "CREATE STREAM NAMES (USER_ID STRING KEY, NAME STRING) WITH (kafka_topic='names', value_format='JSON', partitions=2);" +
        'INSERT INTO NAMES SELECT P.USER_ID AS USER_ID, U.NAME AS NAME FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID;',
    );
    await produce(log, 'users', [{ key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 0 }]);
    await produce(log, 'payments', [{ key: 'p1', value: { USER_ID: 'u1', AMOUNT: 1 }, timestamp: 10 }]);
    await engine.processUntilIdle();
    await expectSink(log, 'names', [{ key: 'u1', value: { NAME: 'Ann' }, timestamp: 10 }]);
  });

  it('aggregates a join: the GROUP BY reads the joined rows, restarts restore both the aggregate and the table', async () => {
    await engine.executeStatements(
      'CREATE TABLE PER_COUNTRY AS SELECT U.COUNTRY, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID GROUP BY U.COUNTRY;' +
        // LEFT: a payment of an unknown user has no user id on the table side, so no group.
        'CREATE TABLE PER_USER AS SELECT U.USER_ID AS UID, COUNT(*) AS N FROM PAYMENTS P LEFT JOIN USERS U ON P.USER_ID = U.USER_ID GROUP BY U.USER_ID;',
    );
    await produce(log, 'users', [
      { key: 'u1', value: { NAME: 'Ann', COUNTRY: 'FR' }, timestamp: 0 },
      { key: 'u2', value: { NAME: 'Bob', COUNTRY: 'DE' }, timestamp: 0 },
    ]);
    await produce(log, 'payments', [
      { key: 'p1', value: { USER_ID: 'u1', AMOUNT: 10 }, timestamp: 10 },
      { key: 'p2', value: { USER_ID: 'u2', AMOUNT: 20 }, timestamp: 20 },
      { key: 'p3', value: { USER_ID: 'u9', AMOUNT: 30 }, timestamp: 30 },
    ]);
    // Ann moves: later payments count for her new country.
    await produce(log, 'users', [{ key: 'u1', value: { NAME: 'Ann', COUNTRY: 'DE' }, timestamp: 40 }]);
    await produce(log, 'payments', [{ key: 'p4', value: { USER_ID: 'u1', AMOUNT: 5 }, timestamp: 50 }]);
    await engine.processUntilIdle();
    expect(schemaOf(engine, 'PER_COUNTRY')).toEqual(['COUNTRY STRING KEY', 'N BIGINT', 'TOTAL DOUBLE']);
    await expectSink(log, 'PER_COUNTRY', [
      { key: 'FR', value: { N: 1, TOTAL: 10 }, timestamp: 10 },
      { key: 'DE', value: { N: 1, TOTAL: 20 }, timestamp: 20 },
      { key: 'DE', value: { N: 2, TOTAL: 25 }, timestamp: 50 },
    ]);
    await expectSink(log, 'PER_USER', [
      { key: 'u1', value: { N: 1 }, timestamp: 10 },
      { key: 'u2', value: { N: 1 }, timestamp: 20 },
      { key: 'u1', value: { N: 2 }, timestamp: 50 },
    ]);

    await engine.close();
    await start();
    await produce(log, 'payments', [{ key: 'p5', value: { USER_ID: 'u2', AMOUNT: 1 }, timestamp: 60 }]);
    await engine.processUntilIdle();
    const pull = await engine.executeQuery("SELECT COUNTRY, N, TOTAL FROM PER_COUNTRY WHERE COUNTRY = 'DE';");
    expect((await collect(pull.rows)).map((r) => r.values)).toEqual([['DE', 3n, 26]]);
    const push = await engine.executeQuery(
      'SELECT U.COUNTRY, COUNT(*) AS N FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID GROUP BY U.COUNTRY EMIT CHANGES LIMIT 4;',
      { properties: PROPS },
    );
    expect(push.columnNames).toEqual(['COUNTRY', 'N']);
    // Every payment changes its country's count, Ann's last one in her new country.
    expect((await collect(push.rows)).map((r) => r.values)).toEqual([
      ['FR', 1n],
      ['DE', 1n],
      ['DE', 2n],
      ['DE', 3n],
    ]);
  });

  it("gives ksqlDB's errors for joins ksqlDB rejects and Unsupported for the ones it runs and we do not", async () => {
    const message = async (sql: string) => (await errorOf(engine.executeStatements(sql))).message;
    expect(await message('CREATE STREAM O AS SELECT P.USER_ID, NAME FROM PAYMENTS P FULL OUTER JOIN USERS U ON P.USER_ID = U.USER_ID;')).toContain(
      'Invalid join type: full-outer join not supported for stream-table join. Got PAYMENTS [FULL] OUTER JOIN USERS.',
    );
    expect(await message('CREATE STREAM O AS SELECT U.USER_ID, AMOUNT FROM USERS U JOIN PAYMENTS P ON U.USER_ID = P.USER_ID;')).toContain(
      'Invalid join order: table-stream joins are not supported; only stream-table joins. Got USERS [INNER] JOIN PAYMENTS.',
    );
    expect(await message('CREATE STREAM O AS SELECT P.USER_ID, AMOUNT FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.NAME;')).toContain(
      "Invalid join condition: stream-table joins require to join on the table's primary key. Got P.USER_ID = U.NAME.",
    );
    expect(await message('CREATE STREAM O AS SELECT NAME, AMOUNT FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID;')).toContain(
      'The query used to build `O` must include the join expressions P.USER_ID or U.USER_ID in its projection (eg, SELECT P.USER_ID...).',
    );
    expect(await message('CREATE STREAM O AS SELECT P.USER_ID, P.USER_ID AS K2, NAME FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID;')).toContain(
      'The projection contains a key column (`P_USER_ID`) more than once, aliased as: K2 and P_USER_ID.',
    );
    expect(await message('CREATE STREAM O AS SELECT P.USER_ID, USER_ID FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID;')).toContain(
      "Column 'USER_ID' is ambiguous. Could be P.USER_ID or U.USER_ID.",
    );
    await engine.executeStatements(
      "CREATE TABLE WIDE_USERS (USER_ID STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='wide_users', value_format='JSON', partitions=3);",
    );
    expect(await message('CREATE STREAM O AS SELECT P.USER_ID, NAME FROM PAYMENTS P JOIN WIDE_USERS W ON P.USER_ID = W.USER_ID;')).toBe(
      "Can't join `P` with `W` since the number of partitions don't match. `P` partitions = 2; `W` partitions = 3. " +
        'Please repartition either one so that the number of partitions match.',
    );
    expect(await message('CREATE STREAM O AS SELECT P.USER_ID, AMOUNT FROM PAYMENTS P RIGHT JOIN USERS U ON P.USER_ID = U.USER_ID;')).toBe('Unsupported: RIGHT joins');
    expect(
      await message('CREATE STREAM O AS SELECT P.USER_ID, NAME FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID WINDOW TUMBLING (SIZE 1 SECOND);'),
    ).toMatch(/^Line: 1, Col: \d+: WINDOW clause requires a GROUP BY clause\.$/);
    await engine.executeStatements("CREATE STREAM REFUNDS (USER_ID STRING KEY, AMOUNT DOUBLE) WITH (kafka_topic='refunds', value_format='JSON', partitions=2);");
    expect(
      await message('CREATE STREAM O AS SELECT P.USER_ID, R.AMOUNT FROM PAYMENTS P JOIN REFUNDS R WITHIN 1 HOUR ON P.USER_ID = R.USER_ID;'),
    ).toBe('Unsupported: stream-stream joins');
    const pull = await errorOf(engine.executeQuery('SELECT P.USER_ID, NAME FROM PAYMENTS P JOIN USERS U ON P.USER_ID = U.USER_ID;'));
    expect(pull.message).toContain("Pull queries don't support JOIN clauses.");
    // Nothing was created by the failed statements.
    expect(engine.metastore.getSource('O')).toBeUndefined();
  });
});
