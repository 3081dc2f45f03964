/**
 * ALTER STREAM|TABLE ... ADD COLUMN on the local engine: the schema grows, records written
 * before read the new column as null, running queries keep their schema while new ones see
 * the column, the change survives a restart (command topic), and ksqlDB's errors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engine/api.js';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { openTopicLog } from '../../src/log/index.js';
import { errorOf, memoryEngine, readTopic, single, valuesOf } from './helpers.js';
import type { TopicLog } from '../../src/log/topic-log.js';

const PROPS = { 'ksql.streams.auto.offset.reset': 'earliest' };
const PAYMENTS = "CREATE STREAM PAYMENTS (ID STRING KEY, AMOUNT DOUBLE) WITH (kafka_topic='payments', value_format='JSON', partitions=1);";

let engine: LocalEngine | undefined;
let log: TopicLog | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await engine?.close();
  await log?.close();
  engine = undefined;
  log = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function columnsOf(e: LocalEngine, name: string): string[] {
  return e.metastore.getSource(name)!.schema.columns.map((c) => `${c.name} ${c.type.kind}${c.namespace === 'KEY' ? ' KEY' : ''}`);
}

describe('ALTER STREAM|TABLE ADD COLUMN', () => {
  it('appends value columns; old records read them as null; running queries keep their schema, new ones see the columns', async () => {
    const started = await memoryEngine(PROPS);
    engine = started.engine;
    await engine.executeStatements(PAYMENTS + 'CREATE STREAM BEFORE_ALTER AS SELECT * FROM PAYMENTS;');
    await engine.executeStatements("INSERT INTO PAYMENTS (ID, AMOUNT) VALUES ('p1', 10);");

    const entity = await single(engine, 'ALTER STREAM PAYMENTS ADD COLUMN COUNTRY STRING, ADD TAGS ARRAY<STRING>;');
    expect(entity).toMatchObject({
      '@type': 'currentStatus',
      commandId: 'stream/PAYMENTS/alter',
      commandStatus: { status: 'SUCCESS', message: 'Stream PAYMENTS altered.', queryId: null },
    });
    expect(columnsOf(engine, 'PAYMENTS')).toEqual(['ID STRING KEY', 'AMOUNT DOUBLE', 'COUNTRY STRING', 'TAGS ARRAY']);

    await engine.executeStatements("INSERT INTO PAYMENTS (ID, AMOUNT, COUNTRY, TAGS) VALUES ('p2', 20, 'FR', ARRAY['web']);");
    await engine.executeStatements('CREATE STREAM AFTER_ALTER AS SELECT * FROM PAYMENTS;');
    await engine.processUntilIdle();

    // The query planned before the ALTER writes the columns it was planned with.
    expect(columnsOf(engine, 'BEFORE_ALTER')).toEqual(['ID STRING KEY', 'AMOUNT DOUBLE']);
    expect(valuesOf(await readTopic(started.log, 'BEFORE_ALTER'))).toEqual([{ AMOUNT: 10 }, { AMOUNT: 20 }]);
    // The one planned after sees them; the record written before the ALTER has nulls.
    expect(columnsOf(engine, 'AFTER_ALTER')).toEqual(['ID STRING KEY', 'AMOUNT DOUBLE', 'COUNTRY STRING', 'TAGS ARRAY']);
    expect(valuesOf(await readTopic(started.log, 'AFTER_ALTER'))).toEqual([
      { AMOUNT: 10, COUNTRY: null, TAGS: null },
      { AMOUNT: 20, COUNTRY: 'FR', TAGS: ['web'] },
    ]);
    const described = await single(engine, 'DESCRIBE PAYMENTS;');
    const fields = (described as unknown as { sourceDescription: { fields: { name: string }[] } }).sourceDescription.fields;
    expect(fields.map((f) => f.name)).toEqual(['ID', 'AMOUNT', 'COUNTRY', 'TAGS']);
  });

  it('alters a table, and the new schema survives a restart of the engine', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alter-source-'));
    dirs.push(dir);
    log = await openTopicLog({ kind: 'file', dir });
    engine = await createLocalEngine({ log, properties: PROPS });
    await engine.executeStatements(
      "CREATE TABLE USERS (USER_ID STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);" +
        'ALTER TABLE USERS ADD COLUMN COUNTRY STRING;',
    );
    await engine.close();
    await log.close();

    log = await openTopicLog({ kind: 'file', dir });
    engine = await createLocalEngine({ log, properties: PROPS });
    expect(columnsOf(engine, 'USERS')).toEqual(['USER_ID STRING KEY', 'NAME STRING', 'COUNTRY STRING']);
    await engine.executeStatements("INSERT INTO USERS (USER_ID, NAME, COUNTRY) VALUES ('u1', 'Ann', 'FR');");
    expect(valuesOf(await readTopic(log, 'users'))).toEqual([{ NAME: 'Ann', COUNTRY: 'FR' }]);
  });

  it("answers ksqlDB's errors and leaves the schema as it was", async () => {
    ({ engine } = await memoryEngine(PROPS));
    await engine.executeStatements(
      PAYMENTS +
        "CREATE SOURCE STREAM RAW (K STRING KEY, TEXT STRING) WITH (kafka_topic='raw', value_format='DELIMITED', partitions=1);" +
        "CREATE SOURCE TABLE REF (K INT PRIMARY KEY, TEXT STRING) WITH (kafka_topic='ref', value_format='DELIMITED', partitions=1);" +
        "CREATE STREAM SINGLE (V BIGINT) WITH (kafka_topic='single', value_format='KAFKA', partitions=1);" +
        'CREATE STREAM COPY AS SELECT * FROM PAYMENTS;',
    );
    const cases: [string, string][] = [
      ['ALTER STREAM RAW ADD COLUMN NEWCOL INT;', "Cannot alter stream 'RAW': ALTER operations are not supported on source streams."],
      ['ALTER TABLE REF ADD COLUMN NEWCOL INT;', "Cannot alter table 'REF': ALTER operations are not supported on source tables."],
      ['ALTER STREAM NOPE ADD COLUMN NEWCOL INT;', 'Source NOPE does not exist.'],
      ['ALTER TABLE PAYMENTS ADD COLUMN NEWCOL INT;', 'Incompatible data source type is STREAM, but statement was ALTER TABLE'],
      ['ALTER STREAM COPY ADD COLUMN NEWCOL INT;', 'ALTER command is not supported for CREATE ... AS statements.'],
      ['ALTER STREAM PAYMENTS ADD COLUMN NEWCOL INT, ADD COLUMN AMOUNT INT;', 'Cannot add column `AMOUNT` to schema. A column with the same name already exists.'],
      ['ALTER STREAM PAYMENTS ADD COLUMN ID INT;', 'Cannot add column `ID` to schema. A column with the same name already exists.'],
    ];
    for (const [sql, message] of cases) {
      const err = await errorOf(engine.executeStatements(sql));
      expect(err.message, sql).toBe(message);
    }
    // KAFKA holds one value column: the serde check refuses a second.
    const single = await errorOf(engine.executeStatements('ALTER STREAM SINGLE ADD COLUMN W BIGINT;'));
    expect(single.message).toContain('KAFKA');
    expect(columnsOf(engine, 'PAYMENTS')).toEqual(['ID STRING KEY', 'AMOUNT DOUBLE']);
    expect(columnsOf(engine, 'SINGLE')).toEqual(['V BIGINT']);
  });
});
