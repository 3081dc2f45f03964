import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { KsqlDbClient, KsqlDbError } from '../../src/ksql/index.js';

let server: LocalKsqlDb;
let client: KsqlDbClient;

beforeAll(async () => {
  server = await startLocalKsqlDb();
  client = new KsqlDbClient({ url: server.url });
  await client.execute(
    `CREATE STREAM PAYMENTS (ID BIGINT KEY, USER_NAME STRING, AMOUNT DOUBLE)
       WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON', PARTITIONS=2);`,
  );
});

afterAll(async () => {
  await client.close();
  await server.stop();
});

describe('ksqlDB client against the local engine over HTTP', () => {
  it('executes statements and reads their entities', async () => {
    const streams = await client.listStreams();
    expect(streams.map((s) => s.name)).toContain('PAYMENTS');
    const description = await client.describe('PAYMENTS');
    expect(description.fields.map((f: { name: string }) => f.name)).toEqual(['ID', 'USER_NAME', 'AMOUNT']);
    const topics = await client.listTopics();
    expect(topics.find((t) => t.name === 'payments')?.replicaInfo).toHaveLength(2);
  });

  it('inserts rows over HTTP/2 and reads them back with a pull query, BIGINTs exact', async () => {
    const acks = await client.insertRows('PAYMENTS', [
      { ID: 1, USER_NAME: 'Kai', AMOUNT: 10.5 },
      { ID: 9007199254740993n, USER_NAME: 'Hans', AMOUNT: 99.0 },
    ]);
    expect(acks.map((a) => a.seq)).toEqual([0, 1]);
    const result = await client.query('SELECT ID, USER_NAME, AMOUNT FROM PAYMENTS;');
    expect(result.columnNames).toEqual(['ID', 'USER_NAME', 'AMOUNT']);
    expect(result.columnTypes).toEqual(['BIGINT', 'STRING', 'DOUBLE']);
    const ids = result.rows.map((r) => r[0]);
    expect(ids).toContain(1);
    expect(ids).toContain(9007199254740993n);
  });

  it('streams a push query that sees new rows, and closes it', async () => {
    const push = await client.streamQuery('SELECT USER_NAME, AMOUNT FROM PAYMENTS EMIT CHANGES;');
    expect(push.queryId).toMatch(/^transient_PAYMENTS_/);
    const first = (async () => {
      for await (const row of push) return row;
      return undefined;
    })();
    // The query starts at the latest offset, so only rows inserted now arrive.
    await new Promise((r) => setTimeout(r, 100));
    await client.execute(`INSERT INTO PAYMENTS (ID, USER_NAME, AMOUNT) VALUES (3, 'Anna', 5.25);`);
    expect(await first).toEqual(['Anna', 5.25]);
    await push.close();
    const queries = await client.listQueries();
    expect(queries.find((q) => q.id === push.queryId)).toBeUndefined();
  });

  it('ends a push query at its LIMIT', async () => {
    const result = await client.query('SELECT ID FROM PAYMENTS EMIT CHANGES LIMIT 2;', {
      properties: { 'auto.offset.reset': 'earliest' },
    });
    expect(result.rows).toHaveLength(2);
  });

  it('raises typed errors with ksqlDB error codes', async () => {
    const parse = await client.execute('CREATE STREM X;').catch((e: unknown) => e);
    expect(parse).toBeInstanceOf(KsqlDbError);
    expect(parse).toMatchObject({ httpStatus: 400, errorCode: 40001, type: 'statement_error' });
    const unknown = await client.query('SELECT * FROM NOPE;').catch((e: unknown) => e);
    expect(unknown).toMatchObject({ httpStatus: 400, errorCode: 40001 });
    expect((unknown as Error).message).toMatch(/NOPE/);
    const badInsert = await client.insertRows('PAYMENTS', [{ USER_NAME: 'no key' }]).catch((e: unknown) => e);
    expect(badInsert).toBeInstanceOf(KsqlDbError);
  });

  it('sends session variables for substitution', async () => {
    const scoped = new KsqlDbClient({ url: server.url, sessionVariables: { threshold: '50' } });
    try {
      const result = await scoped.query('SELECT USER_NAME FROM PAYMENTS WHERE AMOUNT > ${threshold};');
      expect(result.rows).toEqual([['Hans']]);
    } finally {
      await scoped.close();
    }
  });
});
