/**
 * ksql.service.id names the engine's command topic and its queries' consumer groups, as in
 * ksqlDB, so that engines with different ids share one cluster without meeting.
 */
import { expect, it } from 'vitest';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { MemoryTopicLog } from '../../src/log/memory-log.js';

it('keeps the command topic and query groups of each service id apart on one log', async () => {
  const log = new MemoryTopicLog();
  const start = (id: string) =>
    createLocalEngine({ log, autoStart: false, properties: { 'ksql.service.id': id, 'ksql.streams.auto.offset.reset': 'earliest' } });
  const a = await start('alpha_');
  await a.executeStatements("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);");
  await a.executeStatements('CREATE STREAM T AS SELECT * FROM S;');
  await log.append('s', [{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from('{"V":1}') }]);
  await a.processUntilIdle();
  const topics = (await log.listTopics()).map((t) => t.name);
  expect(topics).toContain('_confluent-ksql-alpha__command_topic');
  expect(topics).not.toContain('_confluent-ksql-default__command_topic');
  const [query] = (await a.executeStatements('SHOW QUERIES;'))[0]!.queries as { id: string }[];
  expect(await log.committedOffsets(`_confluent-ksql-alpha_query_${query!.id}`, 's')).toEqual([{ topic: 's', partition: 0, offset: 1 }]);

  // Another service id on the same log starts with an empty catalogue.
  const b = await start('beta_');
  expect((await b.executeStatements('SHOW STREAMS;'))[0]!.streams).toEqual([]);
  await b.close();
  await a.close();
});
