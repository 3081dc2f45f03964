/**
 * Aggregations on the local engine over Kafka: a per-user total and a windowed count fill
 * their tables through Kafka transactions (output, changelog and offsets together), pull
 * queries answer from the state stores, and a restarted engine restores the stores from their
 * changelog topics and continues, giving the same tables as the embedded log. Skipped without
 * KAFKA_BOOTSTRAP_SERVERS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import type { TopicLogSpec } from '../../src/log/index.js';
import { createLogger } from '../../src/logging.js';
import { KAFKA_TEST_OPTIONS, kafkaBrokers } from '../log/implementations.js';
import { collect } from './helpers.js';
import { engineNamespace } from './kafka-namespace.js';

const brokers = kafkaBrokers();
const ns = engineNamespace('kafka-aggregation');
const TOPIC = `${ns.variables.payments_topic}-aggregation`;

const STATEMENTS = `
CREATE STREAM CLICKS (USER_ID STRING KEY, PAGE STRING) WITH (kafka_topic='${TOPIC}', value_format='JSON', partitions=2);
CREATE TABLE CLICK_COUNTS AS SELECT USER_ID, COUNT(*) AS CLICKS, LATEST_BY_OFFSET(PAGE) AS LAST_PAGE FROM CLICKS GROUP BY USER_ID;
CREATE TABLE CLICKS_PER_MINUTE AS SELECT USER_ID, COUNT(*) AS CLICKS FROM CLICKS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY USER_ID;
`;

async function start(log?: TopicLogSpec): Promise<LocalKsqlDb> {
  return startLocalKsqlDb({
    properties: { ...ns.properties, 'ksql.streams.auto.offset.reset': 'earliest' },
    logger: createLogger('kafka-aggregation-test', { level: 'silent' }),
    ...(log ? { log } : {}),
  });
}

async function click(db: LocalKsqlDb, rows: readonly [string, string, number][]): Promise<void> {
  const values = rows.map(([user, page, ts]) => `INSERT INTO CLICKS (ROWTIME, USER_ID, PAGE) VALUES (${ts}, '${user}', '${page}');`);
  await db.engine.executeStatements(values.join('\n'));
  await db.engine.processUntilIdle();
}

async function table(db: LocalKsqlDb, name: string): Promise<string[]> {
  const query = await db.engine.executeQuery(`SELECT * FROM ${name};`);
  return (await collect(query.rows)).map((r) => JSON.stringify(r.values, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))).sort();
}

describe.skipIf(brokers === undefined)('aggregations over Kafka', () => {
  const kafkaSpec: TopicLogSpec = { kind: 'kafka', brokers: brokers ?? [], ...KAFKA_TEST_OPTIONS };
  let kafka: LocalKsqlDb | undefined;
  let embedded: LocalKsqlDb | undefined;
  const first: [string, string, number][] = [
    ['ann', 'home', 1_000],
    ['bob', 'home', 2_000],
    ['ann', 'cart', 61_000],
  ];
  const second: [string, string, number][] = [
    ['bob', 'cart', 62_000],
    ['ann', 'pay', 63_000],
  ];

  beforeAll(async () => {
    [kafka, embedded] = await Promise.all([start(kafkaSpec), start()]);
    for (const db of [kafka, embedded]) {
      await db.engine.executeStatements(STATEMENTS);
      await click(db, first);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([kafka?.stop(), embedded?.stop()]);
    if (brokers !== undefined) await ns.cleanup(brokers);
  });

  it('fills the tables and their changelog topics', async () => {
    expect(await table(kafka!, 'CLICK_COUNTS')).toEqual(['["ann",2,"cart"]', '["bob",1,"home"]']);
    expect(await table(kafka!, 'CLICKS_PER_MINUTE')).toEqual(await table(embedded!, 'CLICKS_PER_MINUTE'));
    const changelog = `_confluent-ksql-${ns.properties['ksql.service.id']}query_CTAS_CLICK_COUNTS_1-Aggregate-Aggregate-Materialize-changelog`;
    const description = await kafka!.engine.log.describeTopic(changelog);
    expect(description?.config['cleanup.policy']).toBe('compact');
  });

  it('restores the state stores after a restart and continues where it stopped', async () => {
    await kafka!.stop();
    kafka = await start(kafkaSpec);
    expect(await table(kafka, 'CLICK_COUNTS')).toEqual(['["ann",2,"cart"]', '["bob",1,"home"]']);
    await click(kafka, second);
    await click(embedded!, second);
    for (const name of ['CLICK_COUNTS', 'CLICKS_PER_MINUTE']) expect(await table(kafka, name)).toEqual(await table(embedded!, name));
    expect(await table(kafka, 'CLICK_COUNTS')).toEqual(['["ann",3,"pay"]', '["bob",2,"cart"]']);
  }, 60_000);
});
