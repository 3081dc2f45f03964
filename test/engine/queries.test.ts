import { afterEach, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engine/api.js';
import type { MemoryTopicLog } from '../../src/log/memory-log.js';
import { collect, errorOf, memoryEngine, readTopic, single, valuesOf } from './helpers.js';

let engine: LocalEngine;
let log: MemoryTopicLog;

afterEach(async () => {
  await engine?.close();
});

const INPUT = "CREATE STREAM INPUT (ID INT KEY, NAME STRING, AMOUNT DOUBLE) WITH (kafka_topic='input', value_format='JSON', partitions=1);";

async function setup(properties: Record<string, string> = { 'ksql.streams.auto.offset.reset': 'earliest' }): Promise<void> {
  ({ engine, log } = await memoryEngine(properties));
  await engine.executeStatements(INPUT);
}

async function produce(topic: string, rows: { key: number | null; value: unknown; timestamp?: number }[]): Promise<void> {
  await log.append(
    topic,
    rows.map((r) => {
      const key = r.key === null ? null : Buffer.alloc(4);
      if (key) key.writeInt32BE(r.key!);
      return { key, value: r.value === null ? null : Buffer.from(JSON.stringify(r.value)), timestamp: r.timestamp ?? 0 };
    }),
  );
}

describe('CREATE STREAM AS SELECT', () => {
  it('filters and projects into the sink topic, keeping key and timestamp', async () => {
    await setup();
    await produce('input', [
      { key: 1, value: { NAME: 'a', AMOUNT: 10.5 }, timestamp: 100 },
      { key: 2, value: { NAME: 'b', AMOUNT: 1.5 }, timestamp: 200 },
      { key: 3, value: { NAME: 'c', AMOUNT: 7 }, timestamp: 300 },
      { key: 4, value: null, timestamp: 400 },
    ]);
    const entity = await single(engine, 'CREATE STREAM OUTPUT AS SELECT ID, UCASE(NAME) AS N, AMOUNT * 2 FROM INPUT WHERE AMOUNT > 5 EMIT CHANGES;');
    expect(entity.commandStatus).toEqual({ status: 'SUCCESS', message: 'Created query with ID CSAS_OUTPUT_1', queryId: 'CSAS_OUTPUT_1' });
    await engine.processUntilIdle();

    const out = await readTopic(log, 'OUTPUT');
    expect(out.map((r) => r.key!.readInt32BE(0))).toEqual([1, 3]);
    expect(out.map((r) => r.timestamp)).toEqual([100, 300]);
    expect(valuesOf(out)).toEqual([
      { N: 'A', KSQL_COL_0: 21 },
      { N: 'C', KSQL_COL_0: 14 },
    ]);
    const sink = engine.metastore.getSource('OUTPUT')!;
    expect(sink.schema.columns.map((c) => `${c.name} ${c.type.kind} ${c.namespace}`)).toEqual([
      'ID INTEGER KEY',
      'N STRING VALUE',
      'KSQL_COL_0 DOUBLE VALUE',
    ]);
    expect((await log.describeTopic('OUTPUT'))?.partitions).toBe(1);
  });

  it('passes null values through a plain projection and processes records added later', async () => {
    await setup();
    await engine.executeStatements('CREATE STREAM COPY AS SELECT * FROM INPUT;');
    await produce('input', [{ key: 7, value: null, timestamp: 5 }]);
    await engine.processUntilIdle();
    await produce('input', [{ key: 8, value: { NAME: 'x', AMOUNT: 1 }, timestamp: 6 }]);
    await engine.processUntilIdle();
    const out = await readTopic(log, 'COPY');
    expect(out.map((r) => r.key!.readInt32BE(0))).toEqual([7, 8]);
    expect(valuesOf(out)).toEqual([null, { NAME: 'x', AMOUNT: 1 }]);
  });

  it('re-keys with PARTITION BY and moves the old key into the value for SELECT *', async () => {
    await setup();
    await produce('input', [
      { key: 1, value: { NAME: 'a', AMOUNT: 1 } },
      { key: 2, value: { NAME: null, AMOUNT: 2 } },
    ]);
    await engine.executeStatements('CREATE STREAM BYNAME AS SELECT * FROM INPUT PARTITION BY NAME;');
    await engine.processUntilIdle();
    const out = await readTopic(log, 'BYNAME');
    expect(out.map((r) => (r.key === null ? null : r.key.toString('utf8')))).toEqual(['a', null]);
    expect(valuesOf(out)).toEqual([
      { AMOUNT: 1, ID: 1 },
      { AMOUNT: 2, ID: 2 },
    ]);
    expect(engine.metastore.getSource('BYNAME')!.schema.columns.map((c) => `${c.name} ${c.namespace}`)).toEqual([
      'NAME KEY',
      'AMOUNT VALUE',
      'ID VALUE',
    ]);
  });

  it('names and orders key columns as ksqlDB does', async () => {
    await setup();
    await engine.executeStatements(
      "CREATE STREAM MK (A INT KEY, B INT KEY, V STRING) WITH (kafka_topic='mk', format='JSON', partitions=1);" +
        'CREATE STREAM REORDERED AS SELECT B, A, V FROM MK;' +
        'CREATE STREAM EXPR AS SELECT ABS(ID) AS K, NAME FROM INPUT PARTITION BY ABS(ID);',
    );
    const columns = (name: string) =>
      engine.metastore.getSource(name)!.schema.columns.map((c) => `${c.name} ${c.namespace}`);
    // key columns keep the source key's order, whatever the projection order
    expect(columns('REORDERED')).toEqual(['A KEY', 'B KEY', 'V VALUE']);
    expect(columns('EXPR')).toEqual(['K KEY', 'NAME VALUE']);
    const missing = await errorOf(engine.executeStatements('CREATE STREAM O AS SELECT NAME FROM INPUT PARTITION BY ABS(ID);'));
    expect(missing.message).toContain('must include the partitioning expression ABS(ID) in its projection (eg, SELECT ABS(ID)...).');
    const newPlanner = await engine.executeStatements("SET 'ksql.new.query.planner.enabled'='true'; CREATE STREAM KEYLESS AS SELECT NAME FROM INPUT;");
    expect(newPlanner).toHaveLength(1);
    expect(columns('KEYLESS')).toEqual(['NAME VALUE']);
  });

  it('applies sink WITH properties: topic, partitions, format and TIMESTAMP', async () => {
    await setup();
    await produce('input', [{ key: 1, value: { NAME: 'a', AMOUNT: 1 }, timestamp: 10 }]);
    await engine.executeStatements(
      "CREATE STREAM D WITH (kafka_topic='d_topic', partitions=3, value_format='DELIMITED', timestamp='TS') AS SELECT ID, NAME, ROWTIME + 1000 AS TS FROM INPUT;",
    );
    await engine.processUntilIdle();
    expect((await log.describeTopic('d_topic'))?.partitions).toBe(3);
    const out = await readTopic(log, 'd_topic');
    expect(out.map((r) => r.value!.toString('utf8'))).toEqual(['a,1010']);
    expect(out[0]!.timestamp).toBe(1010);
    expect(engine.metastore.getSource('D')!.timestampColumn).toEqual({ column: 'TS' });
  });

  it('reports ksqlDB key errors', async () => {
    await setup();
    const missing = await errorOf(engine.executeStatements('CREATE STREAM O AS SELECT NAME FROM INPUT;'));
    expect(missing.message).toContain('The query used to build `O` must include the key column ID in its projection (eg, SELECT ID...).');
    const twice = await errorOf(engine.executeStatements('CREATE STREAM O AS SELECT ID, ID AS ID2, NAME FROM INPUT;'));
    expect(twice.message).toBe('The projection contains a key column (`ID`) more than once, aliased as: ID and ID2.');
    const noValues = await errorOf(engine.executeStatements('CREATE STREAM O AS SELECT ID FROM INPUT;'));
    expect(noValues.message).toBe('The projection contains no value columns.');
    const reserved = await errorOf(engine.executeStatements('CREATE STREAM O AS SELECT ID, ROWTIME FROM INPUT;'));
    expect(reserved.message).toBe('Reserved column name in select: `ROWTIME`. Please remove or alias the column.');
  });
});

describe('CREATE OR REPLACE ... AS SELECT', () => {
  it('replaces the query under the same id and continues from its offsets', async () => {
    await setup();
    await produce('input', [{ key: 1, value: { NAME: 'a', AMOUNT: 1 } }]);
    await engine.executeStatements('CREATE STREAM R AS SELECT ID, NAME FROM INPUT;');
    await engine.processUntilIdle();
    const replaced = await single(engine, 'CREATE OR REPLACE STREAM R AS SELECT ID, NAME, AMOUNT FROM INPUT;');
    expect((replaced.commandStatus as { queryId: string }).queryId).toBe('CSAS_R_1');
    await produce('input', [{ key: 2, value: { NAME: 'b', AMOUNT: 2 } }]);
    await engine.processUntilIdle();
    expect(valuesOf(await readTopic(log, 'R'))).toEqual([{ NAME: 'a' }, { NAME: 'b', AMOUNT: 2 }]);
    const incompatible = await errorOf(engine.executeStatements('CREATE OR REPLACE STREAM R AS SELECT ID, AMOUNT FROM INPUT;'));
    expect(incompatible.message).toContain('Cannot upgrade data source:');
    expect(incompatible.message).toContain('(The following columns are changed, missing or reordered: [`NAME` STRING, `AMOUNT` DOUBLE])');
  });
});

describe('INSERT INTO', () => {
  it('INSERT VALUES writes one record with coerced values and the given ROWTIME', async () => {
    await setup();
    const entities = await engine.executeStatements("INSERT INTO INPUT (ROWTIME, ID, NAME, AMOUNT) VALUES (1234, 5, 'n', 2);");
    expect(entities).toEqual([]);
    const out = await readTopic(log, 'input');
    expect(out).toHaveLength(1);
    expect(out[0]!.key!.readInt32BE(0)).toBe(5);
    expect(out[0]!.timestamp).toBe(1234);
    expect(valuesOf(out)).toEqual([{ NAME: 'n', AMOUNT: 2.0 }]);

    const count = await errorOf(engine.executeStatements("INSERT INTO INPUT VALUES (1, 'a');"));
    expect(count.message).toBe("Failed to insert values into 'INPUT'. Expected a value for each column. Expected Columns: []. Got [1, 'a']");
    const type = await errorOf(engine.executeStatements("INSERT INTO INPUT (ID, NAME) VALUES ('x', 'a');"));
    expect(type.message).toBe("Failed to insert values into 'INPUT'. Expected type INTEGER for field ID but got STRING(x)");
    const column = await errorOf(engine.executeStatements('INSERT INTO INPUT (ID, NOPE) VALUES (1, 2);'));
    expect(column.message).toBe("Failed to insert values into 'INPUT'. Column name NOPE does not exist.");

    const unknown = await errorOf(engine.executeStatements("INSERT INTO NOPE VALUES (1, 'a', 1.0);"));
    expect(unknown.message).toBe('Cannot insert values into an unknown stream/table: `NOPE`');
  });

  it('INSERT INTO ... SELECT checks the schema and writes into the existing sink', async () => {
    await setup();
    await engine.executeStatements(
      "CREATE STREAM OTHER (ID INT KEY, NAME STRING, AMOUNT DOUBLE) WITH (kafka_topic='other', value_format='JSON', partitions=1);" +
        'CREATE STREAM ALLROWS AS SELECT * FROM INPUT;',
    );
    const inserted = await single(engine, 'INSERT INTO ALLROWS SELECT * FROM OTHER;');
    expect((inserted.commandStatus as { queryId: string }).queryId).toBe('INSERTQUERY_3');
    const incompatible = await errorOf(engine.executeStatements('INSERT INTO ALLROWS SELECT ID, NAME FROM OTHER;'));
    expect(incompatible.message).toBe(
      'Incompatible schema between results and sink.\nResult schema is `ID` INTEGER KEY, `NAME` STRING\n' +
        'Sink schema is `ID` INTEGER KEY, `NAME` STRING, `AMOUNT` DOUBLE',
    );
    await produce('input', [{ key: 1, value: { NAME: 'in', AMOUNT: 1 } }]);
    await produce('other', [{ key: 2, value: { NAME: 'other', AMOUNT: 2 } }]);
    await engine.processUntilIdle();
    expect(valuesOf(await readTopic(log, 'ALLROWS'))).toEqual([
      { NAME: 'in', AMOUNT: 1 },
      { NAME: 'other', AMOUNT: 2 },
    ]);
  });
});

describe('DROP and TERMINATE', () => {
  it('refuses to drop a source used by queries until they are terminated', async () => {
    await setup();
    await engine.executeStatements('CREATE STREAM OUT1 AS SELECT * FROM INPUT;');
    const err = await errorOf(engine.executeStatements('DROP STREAM INPUT;'));
    expect(err.message).toBe(
      'Cannot drop INPUT.\nThe following queries read from this source: [CSAS_OUT1_1].\n' +
        'The following queries write into this source: [].\nYou need to terminate them before dropping INPUT.',
    );
    const explained = await single(engine, 'EXPLAIN CSAS_OUT1_1;');
    expect(explained['@type']).toBe('queryDescription');
    expect(explained.queryDescription).toMatchObject({ id: 'CSAS_OUT1_1', sources: ['INPUT'], sinks: ['OUT1'], queryType: 'PERSISTENT', state: 'RUNNING' });
    const terminated = await single(engine, 'TERMINATE CSAS_OUT1_1;');
    expect(terminated).toMatchObject({
      '@type': 'currentStatus',
      commandId: 'terminate/CSAS_OUT1_1/execute',
      commandStatus: { status: 'SUCCESS', message: 'Query terminated.', queryId: null },
    });
    const dropped = await single(engine, 'DROP STREAM OUT1 DELETE TOPIC;');
    expect(dropped).toMatchObject({
      commandId: 'stream/OUT1/drop',
      commandStatus: { message: 'Source `OUT1` (topic: OUT1) was dropped.' },
    });
    expect(await log.describeTopic('OUT1')).toBeUndefined();
    const missing = await errorOf(engine.executeStatements('DROP STREAM OUT1;'));
    expect(missing.message).toBe('Source OUT1 does not exist.');
    const ifExists = await single(engine, 'DROP STREAM IF EXISTS OUT1;');
    expect((ifExists.commandStatus as { message: string }).message).toBe('Source OUT1 does not exist.');
    const unknownQuery = await errorOf(engine.executeStatements('TERMINATE CSAS_NOPE_9;'));
    expect(unknownQuery.message).toBe('Unknown queryId: CSAS_NOPE_9');
  });
});

describe('transient queries', () => {
  it('push query from earliest with LIMIT ends with Limit Reached', async () => {
    await setup({});
    await produce('input', [
      { key: 1, value: { NAME: 'a', AMOUNT: 1 } },
      { key: 2, value: { NAME: 'b', AMOUNT: 2 } },
      { key: 3, value: { NAME: 'c', AMOUNT: 3 } },
    ]);
    const q = await engine.executeQuery('SELECT NAME, AMOUNT FROM INPUT WHERE AMOUNT > 1 EMIT CHANGES LIMIT 2;', {
      properties: { 'auto.offset.reset': 'earliest' },
    });
    expect(q.kind).toBe('push');
    expect(q.queryId).toMatch(/^transient_INPUT_\d+$/);
    expect(q.columnNames).toEqual(['NAME', 'AMOUNT']);
    expect(q.columnTypes.map((t) => t.kind)).toEqual(['STRING', 'DOUBLE']);
    const rows = await collect(q.rows);
    expect(rows.map((r) => r.values)).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
    expect(q.completion()).toBe('Limit Reached');
  });

  it('push query starts at latest by default, is listed while running and can be closed', async () => {
    await setup({});
    await produce('input', [{ key: 1, value: { NAME: 'old', AMOUNT: 1 } }]);
    const q = await engine.executeQuery('SELECT * FROM INPUT EMIT CHANGES;');
    const queries = await single(engine, 'SHOW QUERIES;');
    expect(queries.queries).toContainEqual(
      expect.objectContaining({ id: q.queryId, queryType: 'PUSH', sinks: [], state: 'RUNNING' }),
    );
    await produce('input', [{ key: 2, value: { NAME: 'new', AMOUNT: 2 } }]);
    const iterator = q.rows[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.values).toEqual([2, 'new', 2]);
    expect(engine.closeQuery(q.queryId)).toBe(true);
    expect((await iterator.next()).done).toBe(true);
    expect(q.completion()).toBeNull();
    expect(engine.closeQuery(q.queryId)).toBe(false);
  });

  it('persistent queries start at latest, as in ksqlDB, unless auto.offset.reset says earliest', async () => {
    ({ engine, log } = await memoryEngine());
    await engine.executeStatements(INPUT);
    await produce('input', [{ key: 1, value: { NAME: 'before', AMOUNT: 1 } }]);
    await engine.executeStatements('CREATE STREAM LATEST AS SELECT * FROM INPUT;');
    await engine.executeStatements("SET 'auto.offset.reset'='earliest'; CREATE STREAM EARLIEST AS SELECT * FROM INPUT;");
    await produce('input', [{ key: 2, value: { NAME: 'after', AMOUNT: 2 } }]);
    await engine.processUntilIdle();
    expect(valuesOf(await readTopic(log, 'LATEST'))).toEqual([{ NAME: 'after', AMOUNT: 2 }]);
    expect(valuesOf(await readTopic(log, 'EARLIEST'))).toEqual([
      { NAME: 'before', AMOUNT: 1 },
      { NAME: 'after', AMOUNT: 2 },
    ]);
  });

  it('pull query on a stream scans to the end offsets and completes', async () => {
    await setup();
    await produce('input', [
      { key: 1, value: { NAME: 'a', AMOUNT: 1 } },
      { key: 2, value: { NAME: 'b', AMOUNT: 2 } },
      { key: 3, value: { NAME: 'c', AMOUNT: 3 } },
    ]);
    const q = await engine.executeQuery('SELECT ID, NAME FROM INPUT WHERE ID <> 2;');
    expect(q.kind).toBe('pull-stream');
    expect((await collect(q.rows)).map((r) => r.values)).toEqual([
      [1, 'a'],
      [3, 'c'],
    ]);
    expect(q.completion()).toBe('Query Completed');

    const limited = await engine.executeQuery('SELECT * FROM INPUT LIMIT 1;');
    expect((await collect(limited.rows)).map((r) => r.values)).toEqual([[1, 'a', 1]]);
    expect(limited.completion()).toBe('Limit Reached');
  });

  it('PRINT writes the format header and records in ksqlDB text format', async () => {
    await setup();
    await produce('input', [
      { key: 1, value: { NAME: 'a', AMOUNT: 1 }, timestamp: 1_600_000_000_000 },
      { key: 2, value: { NAME: 'b', AMOUNT: 2 }, timestamp: 1_600_000_000_001 },
      { key: 3, value: { NAME: 'c', AMOUNT: 3 }, timestamp: 1_600_000_000_002 },
    ]);
    const q = await engine.executeQuery('PRINT input FROM BEGINNING INTERVAL 2 LIMIT 2;');
    expect(q.kind).toBe('print');
    const lines = await collect(q.lines!);
    expect(lines).toEqual([
      'Key format: KAFKA_INT or KAFKA_STRING',
      'Value format: JSON or KAFKA_STRING',
      'rowtime: 2020/09/13 12:26:40.000 Z, key: 1, value: {"NAME":"a","AMOUNT":1}, partition: 0',
      'rowtime: 2020/09/13 12:26:40.002 Z, key: 3, value: {"NAME":"c","AMOUNT":3}, partition: 0',
    ]);
    expect(q.completion()).toBe('Limit Reached');
    const missing = await errorOf(engine.executeQuery("PRINT 'nope';"));
    expect(missing.message).toContain("Could not find topic 'nope'");
  });

  it('inserts rows through insertTarget with coercion and key checks', async () => {
    await setup();
    const target = await engine.insertTarget('input');
    await target.insert({ id: 9, name: 'via-rest', amount: 1.25 });
    await expect(target.insert({ name: 'no key' })).rejects.toThrow('Key field must be specified: ID');
    const out = await readTopic(log, 'input');
    expect(out.map((r) => r.key!.readInt32BE(0))).toEqual([9]);
    expect(valuesOf(out)).toEqual([{ NAME: 'via-rest', AMOUNT: 1.25 }]);
    await expect(engine.insertTarget('NOPE')).rejects.toThrow('Cannot insert values into an unknown stream/table');
  });
});

describe('windowed stream sources', () => {
  it('reads windowed keys, exposes WINDOWSTART/WINDOWEND and writes the window to the sink', async () => {
    ({ engine, log } = await memoryEngine({ 'ksql.streams.auto.offset.reset': 'earliest' }));
    await engine.executeStatements(
      "CREATE STREAM W (K STRING KEY, V INT) WITH (kafka_topic='w', value_format='JSON', partitions=1, window_type='tumbling', window_size='10 seconds');",
    );
    expect(engine.metastore.getSource('W')!.window).toEqual({ type: 'TUMBLING', sizeMs: 10_000 });
    const key = Buffer.concat([Buffer.from('k'), Buffer.alloc(8)]);
    key.writeBigInt64BE(20_000n, 1);
    await log.append('w', [{ key, value: Buffer.from('{"V":1}'), timestamp: 5 }]);
    await engine.executeStatements('CREATE STREAM WOUT AS SELECT K, V, WINDOWSTART AS WS, WINDOWEND AS WE FROM W;');
    await engine.processUntilIdle();
    const out = await readTopic(log, 'WOUT');
    expect(valuesOf(out)).toEqual([{ V: 1, WS: 20_000, WE: 30_000 }]);
    expect(out[0]!.key).toEqual(key);
    expect(engine.metastore.getSource('WOUT')!.window).toEqual({ type: 'TUMBLING', sizeMs: 10_000 });

    const bounds = await errorOf(engine.executeStatements('CREATE STREAM BAD AS SELECT K, WINDOWSTART FROM W;'));
    expect(bounds.message).toBe('Reserved column name in select: `WINDOWSTART`. Please remove or alias the column.');
    const badSize = await errorOf(
      engine.executeStatements("CREATE STREAM X (K STRING KEY, V INT) WITH (kafka_topic='w', value_format='JSON', window_type='hopping', window_size='30 bobs');"),
    );
    expect(badSize.message).toBe("Configuration WINDOW_SIZE is invalid: Invalid duration: '30 bobs'. Unknown time unit: 'BOBS'");
  });
});

describe('tables declared over topics', () => {
  it('CTAS without aggregation forwards updates, deletes and filtered rows as tombstones', async () => {
    await setup();
    await engine.executeStatements("CREATE TABLE USERS (ID INT PRIMARY KEY, NAME STRING, AGE INT) WITH (kafka_topic='users', value_format='JSON', partitions=1);");
    await produce('users', [
      { key: 1, value: { NAME: 'ann', AGE: 30 } },
      { key: null, value: { NAME: 'keyless', AGE: 50 } },
      { key: 1, value: { NAME: 'ann', AGE: 10 } },
      { key: 2, value: null },
    ]);
    const entity = await single(engine, 'CREATE TABLE ADULTS AS SELECT ID, NAME FROM USERS WHERE AGE >= 18;');
    expect(entity).toMatchObject({ commandId: 'table/`ADULTS`/create', commandStatus: { queryId: 'CTAS_ADULTS_2' } });
    await engine.processUntilIdle();
    const out = await readTopic(log, 'ADULTS');
    expect(out.map((r) => r.key!.readInt32BE(0))).toEqual([1, 1, 2]);
    expect(valuesOf(out)).toEqual([{ NAME: 'ann' }, null, null]);
    expect(engine.metastore.getSource('ADULTS')!.type).toBe('TABLE');

    const wrongType = await errorOf(engine.executeStatements('CREATE STREAM S2 AS SELECT * FROM USERS;'));
    expect(wrongType.message).toBe(
      'Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.',
    );
    const pull = await errorOf(engine.executeQuery('SELECT * FROM USERS;'));
    expect(pull.message).toBe(
      "The `USERS` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_USERS AS SELECT * FROM USERS'. " +
        'See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.',
    );
    const adults = await engine.executeQuery('SELECT * FROM ADULTS;');
    expect(adults.kind).toBe('pull-table');
    expect(await collect(adults.rows)).toEqual([]);
  });

  it('push queries on tables mark deletions as tombstones with the key filled in', async () => {
    await setup();
    await engine.executeStatements("CREATE TABLE USERS (ID INT PRIMARY KEY, NAME STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);");
    await produce('users', [
      { key: 1, value: { NAME: 'ann' } },
      { key: 1, value: null },
    ]);
    const q = await engine.executeQuery('SELECT NAME, ID FROM USERS EMIT CHANGES LIMIT 2;', { properties: { 'auto.offset.reset': 'earliest' } });
    expect(await collect(q.rows)).toEqual([{ values: ['ann', 1] }, { values: [null, 1], tombstone: true }]);
  });
});
