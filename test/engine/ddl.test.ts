import { afterEach, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engine/api.js';
import { KsqlStatementError } from '../../src/engine/errors.js';
import { errorOf, memoryEngine, single } from './helpers.js';
import type { MemoryTopicLog } from '../../src/log/memory-log.js';

let engine: LocalEngine;
let log: MemoryTopicLog;

afterEach(async () => {
  await engine?.close();
});

async function setup(): Promise<void> {
  ({ engine, log } = await memoryEngine());
}

const CREATE_INPUT =
  "CREATE STREAM INPUT (ID INT KEY, NAME STRING, AMOUNT DOUBLE) WITH (kafka_topic='input', value_format='JSON', partitions=2);";

describe('CREATE STREAM', () => {
  it('answers with a currentStatus entity and creates the topic when PARTITIONS is given', async () => {
    await setup();
    const entity = await single(engine, CREATE_INPUT);
    expect(entity).toEqual({
      '@type': 'currentStatus',
      statementText: CREATE_INPUT,
      commandId: 'stream/`INPUT`/create',
      commandStatus: { status: 'SUCCESS', message: 'Stream created', queryId: null },
      commandSequenceNumber: 0,
      warnings: [],
    });
    expect((await log.describeTopic('input'))?.partitions).toBe(2);
    const source = engine.metastore.getSource('INPUT')!;
    expect(source.schema.columns.map((c) => `${c.name}:${c.namespace}`)).toEqual(['ID:KEY', 'NAME:VALUE', 'AMOUNT:VALUE']);
    expect(source.keyFormat.format).toBe('KAFKA');
    expect(source.valueFormat.format).toBe('JSON');
    expect(engine.commandStatuses()['stream/`INPUT`/create']).toEqual({ status: 'SUCCESS', message: 'Stream created', queryId: null });
  });

  it('refuses a missing topic without PARTITIONS, with an example statement', async () => {
    await setup();
    const err = await errorOf(
      engine.executeStatements("CREATE STREAM FOO (ID INT KEY, V STRING) WITH (kafka_topic='nope', value_format='JSON');"),
    );
    expect(err).toBeInstanceOf(KsqlStatementError);
    expect(err.message).toBe(
      "Topic 'nope' does not exist. If you want to create a new topic for the stream/table please re-run the statement " +
        "providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). For example: " +
        "CREATE STREAM FOO (ID INTEGER KEY, V STRING) WITH (KAFKA_TOPIC='nope', PARTITIONS=2, VALUE_FORMAT='JSON');",
    );
    expect(engine.metastore.getSource('FOO')).toBeUndefined();
  });

  it('registers over an existing topic and rejects duplicates with ksqlDB messages', async () => {
    await setup();
    await log.createTopic('existing', { partitions: 1 });
    await engine.executeStatements("CREATE STREAM S (V STRING) WITH (kafka_topic='existing', value_format='DELIMITED');");
    expect(engine.metastore.getSource('S')!.keyFormat.format).toBe('KAFKA');

    const dup = await errorOf(engine.executeStatements("CREATE STREAM S (V STRING) WITH (kafka_topic='existing', value_format='JSON');"));
    expect(dup.message).toBe("Cannot add stream 'S': A stream with the same name already exists");
    expect(dup.statementText).toBe("CREATE STREAM S (V STRING) WITH (kafka_topic='existing', value_format='JSON');");

    const warning = await single(engine, "CREATE STREAM IF NOT EXISTS S (V STRING) WITH (kafka_topic='existing', value_format='JSON');");
    expect(warning['@type']).toBe('warning_entity');
    expect(warning.message).toBe("Cannot add stream 'S': A stream with the same name already exists");
  });

  it('enforces read-only source rules', async () => {
    await setup();
    await log.createTopic('t', { partitions: 1 });
    const replaceSource = await errorOf(
      engine.executeStatements("CREATE OR REPLACE SOURCE STREAM INPUT (K STRING KEY, text STRING) WITH (kafka_topic='t', value_format='DELIMITED');"),
    );
    expect(replaceSource.message).toBe("Cannot add stream 'INPUT': CREATE OR REPLACE is not supported on source streams.");

    await engine.executeStatements("CREATE SOURCE STREAM INPUT (K STRING KEY, text STRING) WITH (kafka_topic='t', value_format='DELIMITED');");
    expect(engine.metastore.getSource('INPUT')!.isSource).toBe(true);
    const insert = await errorOf(engine.executeStatements("INSERT INTO INPUT VALUES ('a', 'b');"));
    expect(insert.message).toBe('Cannot insert values into read-only stream: INPUT');
    const drop = await errorOf(engine.executeStatements('DROP STREAM INPUT DELETE TOPIC;'));
    expect(drop.message).toBe('Cannot delete topic for read-only source: INPUT');
  });

  it('declares tables over topics and requires a PRIMARY KEY', async () => {
    await setup();
    await log.createTopic('t', { partitions: 1 });
    const entity = await single(engine, "CREATE TABLE T (ID INT PRIMARY KEY, V STRING) WITH (kafka_topic='t', value_format='JSON');");
    expect(entity.commandId).toBe('table/`T`/create');
    expect((entity.commandStatus as { message: string }).message).toBe('Table created');
    const noKey = await errorOf(engine.executeStatements("CREATE TABLE T2 (V STRING) WITH (kafka_topic='t', value_format='JSON');"));
    expect(noKey.message).toBe('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.');
  });

  it('validates the TIMESTAMP column', async () => {
    await setup();
    const missing = await errorOf(
      engine.executeStatements("CREATE STREAM S (V STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1, timestamp='ts');"),
    );
    expect(missing.message).toBe("The TIMESTAMP column set in the WITH clause does not exist in the schema: 'TS'");
    const wrongType = await errorOf(
      engine.executeStatements("CREATE STREAM S (TS INT) WITH (kafka_topic='s', value_format='JSON', partitions=1, timestamp='ts');"),
    );
    expect(wrongType.message).toBe('Timestamp column, `TS`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified');
  });
});

describe('request processing', () => {
  it('validates the whole request before executing any statement', async () => {
    await setup();
    const err = await errorOf(
      engine.executeStatements(`${CREATE_INPUT}\nCREATE STREAM BAD AS SELECT NOPE FROM INPUT;`),
    );
    expect(err).toBeInstanceOf(KsqlStatementError);
    expect(err.message).toBe("SELECT column 'NOPE' cannot be resolved.");
    expect(err.statementText).toBe('CREATE STREAM BAD AS SELECT NOPE FROM INPUT;');
    expect(err.entities).toEqual([]);
    // nothing ran: the first statement's stream and topic do not exist
    expect(engine.metastore.getSource('INPUT')).toBeUndefined();
    expect(await log.describeTopic('input')).toBeUndefined();
  });

  it('rejects SELECT and PRINT with error code 40002', async () => {
    await setup();
    await engine.executeStatements(CREATE_INPUT);
    const err = await errorOf(engine.executeStatements('SELECT * FROM INPUT EMIT CHANGES;'));
    expect((err as unknown as KsqlStatementError).errorCode).toBe(40002);
    expect(err.message).toBe("The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT");
  });

  it('applies DEFINE and session variables to later statements of the request', async () => {
    await setup();
    const entities = await engine.executeStatements(
      "DEFINE topic = 'vars_topic'; CREATE STREAM V (X INT) WITH (kafka_topic='${topic}', value_format='JSON', partitions=1); SHOW VARIABLES;",
    );
    expect(engine.metastore.getSource('V')!.topic).toBe('vars_topic');
    expect(entities[entities.length - 1]).toMatchObject({ '@type': 'variables', variables: [{ name: 'topic', value: 'vars_topic' }] });
    const undefineUnknown = await single(engine, 'UNDEFINE nothing;');
    expect(undefineUnknown).toMatchObject({ '@type': 'warning_entity', message: "Cannot undefine variable 'nothing' which was never defined" });
  });

  it('lists topics, properties and functions', async () => {
    await setup();
    await engine.executeStatements(CREATE_INPUT);
    const topics = await single(engine, 'SHOW TOPICS;');
    expect(topics['@type']).toBe('kafka_topics');
    expect(topics.topics).toContainEqual({ name: 'input', replicaInfo: [1, 1] });
    const props = await engine.executeStatements("SET 'auto.offset.reset'='earliest'; SHOW PROPERTIES;");
    expect(props).toHaveLength(1);
    const offsetReset = (props[0]!.properties as { name: string; value: string }[]).find((p) => p.name === 'ksql.streams.auto.offset.reset');
    expect(offsetReset?.value).toBe('earliest');
    expect(props[0]!.overwrittenProperties).toEqual(['ksql.streams.auto.offset.reset']);
    const functions = await single(engine, 'SHOW FUNCTIONS;');
    expect(functions['@type']).toBe('function_names');
  });
});

describe('DESCRIBE', () => {
  it('describes a stream in the sourceDescription shape', async () => {
    await setup();
    await engine.executeStatements(CREATE_INPUT);
    const entity = await single(engine, 'DESCRIBE INPUT;');
    expect(entity['@type']).toBe('sourceDescription');
    const d = entity.sourceDescription as Record<string, unknown>;
    expect(d).toMatchObject({
      name: 'INPUT',
      windowType: null,
      type: 'STREAM',
      timestamp: '',
      extended: false,
      keyFormat: 'KAFKA',
      valueFormat: 'JSON',
      topic: 'input',
      partitions: 0,
      replication: 0,
      statement: CREATE_INPUT,
    });
    expect(d.fields).toEqual([
      { name: 'ID', schema: { type: 'INTEGER', fields: null, memberSchema: null }, type: 'KEY' },
      { name: 'NAME', schema: { type: 'STRING', fields: null, memberSchema: null } },
      { name: 'AMOUNT', schema: { type: 'DOUBLE', fields: null, memberSchema: null } },
    ]);
    const missing = await errorOf(engine.executeStatements('DESCRIBE NOPE;'));
    expect(missing.message).toBe("Could not find STREAM/TABLE 'NOPE' in the Metastore");
  });

  it('lists source descriptions for DESCRIBE STREAMS', async () => {
    await setup();
    await engine.executeStatements(CREATE_INPUT);
    const entity = await single(engine, 'SHOW STREAMS EXTENDED;');
    expect(entity['@type']).toBe('source_descriptions');
    const descriptions = entity.sourceDescriptions as Record<string, unknown>[];
    expect(descriptions.map((s) => s.name)).toEqual(['INPUT']);
    expect(descriptions[0]).toMatchObject({ extended: true, partitions: 2, replication: 1 });
  });
});
