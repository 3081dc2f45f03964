/**
 * Pull queries on materialized tables over the REST API of the embedded engine (queries
 * running by themselves): the StreamedRow body of table pull queries (KEY-marked header
 * schema, no final message), the new API's media types, windowed tables, and the errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { createLogger } from '../../src/logging.js';
import { postJson, type Protocol } from './support/http-clients.js';

const PROTOCOLS: Protocol[] = ['http1', 'http2'];
const EARLIEST = { 'ksql.streams.auto.offset.reset': 'earliest' };
const STREAMED = { accept: 'application/vnd.ksql.v1+json' };

let db: LocalKsqlDb;

beforeAll(async () => {
  db = await startLocalKsqlDb({ logger: createLogger('pull-queries-test', { level: 'silent' }) });
  const res = await postJson('http1', db.url, '/ksql', {
    ksql: `CREATE STREAM CLICKS (USER_ID STRING KEY, PAGE STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);
           INSERT INTO CLICKS (ROWTIME, USER_ID, PAGE) VALUES (1000, 'ann', 'home');
           INSERT INTO CLICKS (ROWTIME, USER_ID, PAGE) VALUES (2000, 'bob', 'home');
           INSERT INTO CLICKS (ROWTIME, USER_ID, PAGE) VALUES (61000, 'ann', 'cart');
           CREATE TABLE CLICK_COUNTS AS SELECT USER_ID, COUNT(*) AS CLICKS FROM CLICKS GROUP BY USER_ID;
           CREATE TABLE CLICKS_PER_MINUTE AS SELECT USER_ID, COUNT(*) AS CLICKS FROM CLICKS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY USER_ID;
           CREATE TABLE PLAIN (ID STRING PRIMARY KEY, V INT) WITH (kafka_topic='plain', value_format='JSON', partitions=1);`,
    streamsProperties: EARLIEST,
  });
  expect(res.status, res.text).toBe(200);
  // The queries run by themselves: wait until both tables hold every click.
  await eventually(async () => {
    const counts = await postJson('http1', db.url, '/query', { ksql: "SELECT * FROM CLICK_COUNTS WHERE USER_ID = 'ann';" }, STREAMED);
    const windows = await postJson('http1', db.url, '/query', { ksql: "SELECT * FROM CLICKS_PER_MINUTE WHERE USER_ID = 'ann';" }, STREAMED);
    return counts.text.includes('["ann",2]') && windows.text.split('\n').length === 3;
  });
});

afterAll(async () => {
  await db.stop();
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(PROTOCOLS)('table pull queries over %s', (protocol) => {
  it('/query answers with a KEY-marked header and the rows, without a final message', async () => {
    const res = await postJson(protocol, db.url, '/query', { ksql: "SELECT CLICKS, USER_ID FROM CLICK_COUNTS WHERE USER_ID = 'ann';" }, STREAMED);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.ksql.v1+json');
    const lines = res.text.split('\n');
    expect(lines[0]).toMatch(/^\[\{"header":\{"queryId":"query_\d+","schema":"`CLICKS` BIGINT, `USER_ID` STRING KEY"\}\},$/);
    expect(lines.slice(1)).toEqual(['{"row":{"columns":[2,"ann"]}}]']);
  });

  it('/query answers an empty result with the header alone', async () => {
    const res = await postJson(protocol, db.url, '/query', { ksql: "SELECT * FROM CLICK_COUNTS WHERE USER_ID = 'nobody';" }, STREAMED);
    expect(res.text).toMatch(/^\[\{"header":\{"queryId":"query_\d+","schema":"`USER_ID` STRING KEY, `CLICKS` BIGINT"\}\}\]$/);
  });

  it('/query-stream answers in the delimited and JSON array formats', async () => {
    const sql = "SELECT * FROM CLICK_COUNTS WHERE USER_ID IN ('ann', 'bob');";
    const delimited = await postJson(protocol, db.url, '/query-stream', { sql });
    const [meta, ...rows] = delimited.text.split('\n');
    expect(JSON.parse(meta!)).toEqual({ queryId: expect.stringMatching(/^query_\d+$/), columnNames: ['USER_ID', 'CLICKS'], columnTypes: ['STRING', 'BIGINT'] });
    expect(rows).toEqual(['["ann",2]', '["bob",1]', '']);
    const array = await postJson(protocol, db.url, '/query-stream', { sql }, { accept: 'application/json' });
    expect(array.text).toMatch(/^\[\{"queryId":"query_\d+","columnNames":\["USER_ID","CLICKS"\],"columnTypes":\["STRING","BIGINT"\]\},\["ann",2\],\["bob",1\]\]$/);
  });

  it('answers windowed tables with the window bounds as key columns, bounded by WINDOWSTART', async () => {
    const all = await postJson(protocol, db.url, '/query', { ksql: "SELECT * FROM CLICKS_PER_MINUTE WHERE USER_ID = 'ann';" }, STREAMED);
    const lines = all.text.split('\n');
    expect(lines[0]).toMatch(
      /"schema":"`USER_ID` STRING KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `CLICKS` BIGINT"\}\},$/,
    );
    expect(lines.slice(1)).toEqual(['{"row":{"columns":["ann",0,60000,1]}},', '{"row":{"columns":["ann",60000,120000,1]}}]']);
    const bounded = await postJson(
      protocol,
      db.url,
      '/query',
      { ksql: "SELECT WINDOWSTART, CLICKS FROM CLICKS_PER_MINUTE WHERE USER_ID = 'ann' AND WINDOWSTART >= 60000;" },
      STREAMED,
    );
    expect(bounded.text.split('\n').slice(1)).toEqual(['{"row":{"columns":[60000,1]}}]']);
  });

  it('answers a table that is not materialized with 400 statement_error', async () => {
    const res = await postJson(protocol, db.url, '/query-stream', { sql: 'SELECT * FROM PLAIN;' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({
      '@type': 'statement_error',
      error_code: 40001,
      message: expect.stringMatching(/^The `PLAIN` table isn't queryable\. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_PLAIN AS SELECT \* FROM PLAIN'\./),
      statementText: 'SELECT * FROM PLAIN;',
    });
  });
});
