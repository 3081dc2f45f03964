/**
 * Acceptance: the real local engine embedded with startLocalKsqlDb(), driven over HTTP/1.1 and
 * HTTP/2 exactly as curl, the ksqlDB CLI and the Java client would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { Http2Client, lines, openHttp1, postJson, type Protocol, readAll, request } from './support/http-clients.js';

const PROTOCOLS: Protocol[] = ['http1', 'http2'];
const EARLIEST = { 'ksql.streams.auto.offset.reset': 'earliest' };

let db: LocalKsqlDb;
let counter = 0;

beforeAll(async () => {
  db = await startLocalKsqlDb({ maxRequestBytes: 256 * 1024 });
});

afterAll(async () => {
  await db.stop();
});

async function ksql(statements: string, protocol: Protocol = 'http1'): Promise<unknown[]> {
  const res = await postJson(protocol, db.url, '/ksql', { ksql: statements, streamsProperties: EARLIEST });
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text) as unknown[];
}

/** A fresh stream PV<n> holding two rows; the second VIEWTIME exceeds 2^53. */
async function pageviews(): Promise<string> {
  const name = `PV${++counter}`;
  await ksql(
    `CREATE STREAM ${name} (PAGEID STRING KEY, USERID STRING, VIEWTIME BIGINT) WITH (kafka_topic='${name.toLowerCase()}', value_format='JSON', partitions=1);
     INSERT INTO ${name} (PAGEID, USERID, VIEWTIME) VALUES ('p1', 'u1', 1);
     INSERT INTO ${name} (PAGEID, USERID, VIEWTIME) VALUES ('p2', 'u2', 9223372036854775807);`,
  );
  return name;
}

describe.each(PROTOCOLS)('/ksql over %s', (protocol) => {
  it('creates, lists and describes a stream', async () => {
    const name = `S${++counter}`;
    const [created] = (await ksql(
      `CREATE STREAM ${name} (ID INT KEY, V STRING) WITH (kafka_topic='${name.toLowerCase()}', value_format='JSON', partitions=1);`,
      protocol,
    )) as Record<string, unknown>[];
    expect(created).toMatchObject({
      '@type': 'currentStatus',
      commandId: `stream/\`${name}\`/create`,
      commandStatus: { status: 'SUCCESS', message: 'Stream created', queryId: null },
      warnings: [],
    });

    const [streams] = (await ksql('SHOW STREAMS;', protocol)) as { '@type': string; streams: unknown[] }[];
    expect(streams!['@type']).toBe('streams');
    expect(streams!.streams).toContainEqual({
      type: 'STREAM',
      name,
      topic: name.toLowerCase(),
      keyFormat: 'KAFKA',
      valueFormat: 'JSON',
      isWindowed: false,
    });

    const [described] = (await ksql(`DESCRIBE ${name};`, protocol)) as { sourceDescription: Record<string, unknown> }[];
    expect(described!.sourceDescription).toMatchObject({
      name,
      type: 'STREAM',
      topic: name.toLowerCase(),
      fields: [
        { name: 'ID', schema: { type: 'INTEGER', fields: null, memberSchema: null }, type: 'KEY' },
        { name: 'V', schema: { type: 'STRING', fields: null, memberSchema: null } },
      ],
    });
  });

  it('answers SQL that does not parse with 400 statement_error 40001', async () => {
    const res = await postJson(protocol, db.url, '/ksql', { ksql: 'CREATE STREM X;' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.text)).toMatchObject({ '@type': 'statement_error', error_code: 40001, statementText: 'CREATE STREM X;' });
  });

  it('answers SELECT with 40002', async () => {
    const name = await pageviews();
    const res = await postJson(protocol, db.url, '/ksql', { ksql: `SELECT * FROM ${name};` });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ '@type': 'statement_error', error_code: 40002 });
  });

  it('answers 406 to an Accept header it cannot produce', async () => {
    const res = await postJson(protocol, db.url, '/ksql', { ksql: 'SHOW STREAMS;' }, { accept: 'text/csv' });
    expect(res.status).toBe(406);
  });
});

describe.each(PROTOCOLS)('queries over %s', (protocol) => {
  it('/query streams a stream pull query as StreamedRow lines ending with its final message', async () => {
    const name = await pageviews();
    const res = await postJson(protocol, db.url, '/query', { ksql: `SELECT * FROM ${name};` }, { accept: 'application/vnd.ksql.v1+json' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.ksql.v1+json');
    const body = res.text.split('\n');
    expect(body[0]).toMatch(new RegExp(`^\\[\\{"header":\\{"queryId":"transient_${name}_\\d+","schema":"\`PAGEID\` STRING, \`USERID\` STRING, \`VIEWTIME\` BIGINT"\\}\\},$`));
    expect(body.slice(1)).toEqual([
      '{"row":{"columns":["p1","u1",1]}},',
      '{"row":{"columns":["p2","u2",9223372036854775807]}},',
      '{"finalMessage":"Query Completed"}]',
    ]);
  });

  it('/query ends a push query with LIMIT with "Limit Reached"', async () => {
    const name = await pageviews();
    const res = await postJson(protocol, db.url, '/query', { ksql: `SELECT USERID, VIEWTIME FROM ${name} EMIT CHANGES LIMIT 2;`, streamsProperties: EARLIEST });
    expect(res.status).toBe(200);
    expect(res.text.split('\n').slice(1)).toEqual([
      '{"row":{"columns":["u1",1]}},',
      '{"row":{"columns":["u2",9223372036854775807]}},',
      '{"finalMessage":"Limit Reached"}]',
    ]);
  });

  it('/query-stream answers in all three media types', async () => {
    const name = await pageviews();
    const sql = `SELECT USERID, VIEWTIME FROM ${name};`;
    const metadata = { queryId: expect.stringMatching(/^transient_/), columnNames: ['USERID', 'VIEWTIME'], columnTypes: ['STRING', 'BIGINT'] };

    const delimited = await postJson(protocol, db.url, '/query-stream', { sql });
    expect(delimited.headers['content-type']).toBe('application/vnd.ksqlapi.delimited.v1');
    const [meta, ...rows] = delimited.text.split('\n');
    expect(JSON.parse(meta!)).toEqual(metadata);
    expect(rows).toEqual(['["u1",1]', '["u2",9223372036854775807]', '']);

    const array = await postJson(protocol, db.url, '/query-stream', { sql }, { accept: 'application/json' });
    expect(array.headers['content-type']).toBe('application/json');
    expect(array.text).toMatch(/^\[\{"queryId":"transient_\w+","columnNames":\["USERID","VIEWTIME"\],"columnTypes":\["STRING","BIGINT"\]\},\["u1",1\],\["u2",9223372036854775807\]\]$/);

    const streamed = await postJson(protocol, db.url, '/query-stream', { sql }, { accept: 'application/vnd.ksql.v1+json' });
    expect(streamed.headers['content-type']).toBe('application/vnd.ksql.v1+json');
    expect(streamed.text.split('\n').slice(1)).toEqual([
      '{"row":{"columns":["u1",1]}},',
      '{"row":{"columns":["u2",9223372036854775807]}},',
      '{"finalMessage":"Query Completed"}]',
    ]);
  });

  it('/query streams PRINT output as text lines', async () => {
    const name = await pageviews();
    const res = await postJson(protocol, db.url, '/query', { ksql: `PRINT '${name.toLowerCase()}' FROM BEGINNING LIMIT 2;` });
    expect(res.status).toBe(200);
    const records = res.text.split('\n').filter((l) => l.startsWith('rowtime:'));
    expect(records).toHaveLength(2);
    expect(records[0]).toContain('key: p1');
    expect(records[1]).toContain('9223372036854775807');
  });

  it('/query-stream answers an unknown source with 400 statement_error', async () => {
    const res = await postJson(protocol, db.url, '/query-stream', { sql: 'SELECT * FROM NO_SUCH_STREAM;' });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ '@type': 'statement_error', error_code: 40001, statementText: 'SELECT * FROM NO_SUCH_STREAM;' });
    expect(body.message).toContain('NO_SUCH_STREAM');
  });
});

describe('push queries on the real engine', () => {
  it('streams newly inserted rows, and /close-query ends the response', async () => {
    const name = await pageviews();
    const res = await openHttp1(db.url, {
      method: 'POST',
      path: '/query-stream',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: `SELECT PAGEID, VIEWTIME FROM ${name} EMIT CHANGES;` }),
    });
    expect(res.status).toBe(200);
    const reader = lines(res.body);
    const { queryId } = JSON.parse((await reader.next()).value as string) as { queryId: string };
    // The query started at the latest offset: only rows inserted from now on arrive.
    await ksql(`INSERT INTO ${name} (PAGEID, USERID, VIEWTIME) VALUES ('p3', 'u3', 3);`);
    expect((await reader.next()).value).toBe('["p3",3]');
    await ksql(`INSERT INTO ${name} (PAGEID, USERID, VIEWTIME) VALUES ('p4', 'u4', 4);`);
    expect((await reader.next()).value).toBe('["p4",4]');

    const closed = await postJson('http2', db.url, '/close-query', { queryId });
    expect(closed.status).toBe(200);
    expect((await reader.next()).done).toBe(true);

    const again = await postJson('http1', db.url, '/close-query', { queryId });
    expect(again.status).toBe(400);
    expect(JSON.parse(again.text)).toEqual({ '@type': 'generic_error', error_code: 40000, message: `No query with id ${queryId}` });
  });

  it('stops a push query whose HTTP/2 client cancels the stream', async () => {
    const name = await pageviews();
    const client = new Http2Client(db.url);
    try {
      const res = await client.open({
        method: 'POST',
        path: '/query-stream',
        headers: { accept: 'application/vnd.ksql.v1+json' },
        body: JSON.stringify({ sql: `SELECT * FROM ${name} EMIT CHANGES;`, properties: { 'auto.offset.reset': 'earliest' } }),
      });
      const reader = lines(res.body);
      const header = JSON.parse(((await reader.next()).value as string).slice(1, -1)) as { header: { queryId: string } };
      expect((await reader.next()).value).toBe('{"row":{"columns":["p1","u1",1]}},');
      res.close();
      // Once the server noticed, the query is gone: closing it again finds nothing.
      await expect
        .poll(async () => (await postJson('http1', db.url, '/close-query', { queryId: header.header.queryId })).status)
        .toBe(400);
    } finally {
      await client.close();
    }
  });
});

describe('/inserts-stream on the real engine', () => {
  it('acks each row over HTTP/2 and the rows are queryable', async () => {
    const name = await pageviews();
    const client = new Http2Client(db.url);
    try {
      const res = await client.request({
        method: 'POST',
        path: '/inserts-stream',
        body: [
          JSON.stringify({ target: name.toLowerCase(), properties: {} }),
          JSON.stringify({ PAGEID: 'p5', USERID: 'u5', VIEWTIME: 5 }),
          '{"pageid": "p6", "userid": "u6", "viewtime": 12345678901234567}',
        ].join('\n'),
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"status":"ok","seq":0}\n{"status":"ok","seq":1}\n');
    } finally {
      await client.close();
    }
    const rows = await postJson('http1', db.url, '/query-stream', { sql: `SELECT PAGEID, VIEWTIME FROM ${name};` });
    expect(rows.text.split('\n').slice(3)).toEqual(['["p5",5]', '["p6",12345678901234567]', '']);
  });

  it('ends with an error ack for a row without its key', async () => {
    const name = await pageviews();
    const client = new Http2Client(db.url);
    try {
      const res = await client.request({
        method: 'POST',
        path: '/inserts-stream',
        headers: { accept: 'application/json' },
        body: `{"target":"${name}"}\n{"PAGEID":"p7","VIEWTIME":7}\n{"USERID":"nokey"}\n{"PAGEID":"p8"}\n`,
      });
      expect(res.status).toBe(200);
      const acks = JSON.parse(res.text) as Record<string, unknown>[];
      expect(acks[0]).toEqual({ status: 'ok', seq: 0 });
      expect(acks[1]).toMatchObject({ status: 'error', seq: 1, error_code: 40000, message: 'Key field must be specified: PAGEID' });
      expect(acks).toHaveLength(2);
    } finally {
      await client.close();
    }
  });

  it('is refused over HTTP/1.1 with 40004', async () => {
    const res = await request('http1', db.url, { method: 'POST', path: '/inserts-stream', body: '{"target":"X"}\n' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ '@type': 'generic_error', error_code: 40004, message: 'This endpoint is only available when using HTTP2' });
  });
});

describe.each(PROTOCOLS)('server endpoints over %s', (protocol) => {
  it('/info, /healthcheck and /status', async () => {
    const info = await request(protocol, db.url, { path: '/info' });
    expect(JSON.parse(info.text)).toEqual({
      KsqlServerInfo: { version: '0.29.0', kafkaClusterId: expect.any(String), ksqlServiceId: expect.any(String), serverStatus: 'RUNNING' },
    });
    const health = await request(protocol, db.url, { path: '/healthcheck' });
    expect(JSON.parse(health.text)).toMatchObject({ isHealthy: true, serverState: 'READY' });

    const name = await pageviews();
    const all = JSON.parse((await request(protocol, db.url, { path: '/status' })).text) as Record<string, string>;
    expect(all[`stream/\`${name}\`/create`]).toBe('SUCCESS');
    const one = await request(protocol, db.url, { path: `/status/stream/${encodeURIComponent(`\`${name}\``)}/create` });
    expect(JSON.parse(one.text)).toEqual({ status: 'SUCCESS', message: 'Stream created', queryId: null });
  });

  it('refuses a request body beyond the limit with 413', async () => {
    const res = await postJson(protocol, db.url, '/ksql', { ksql: `SHOW STREAMS; -- ${'x'.repeat(300 * 1024)}` });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ '@type': 'generic_error' });
  });
});

describe('embedded engine options', () => {
  it('requires basic auth when configured', async () => {
    const secured = await startLocalKsqlDb({ auth: { username: 'u', password: 'p' } });
    try {
      for (const protocol of PROTOCOLS) {
        const denied = await postJson(protocol, secured.url, '/ksql', { ksql: 'SHOW STREAMS;' });
        expect(denied.status).toBe(401);
        expect(JSON.parse(denied.text)).toEqual({ '@type': 'generic_error', error_code: 40100, message: 'Unauthorized' });
        const allowed = await request(protocol, secured.url, {
          method: 'POST',
          path: '/ksql',
          auth: { username: 'u', password: 'p' },
          body: JSON.stringify({ ksql: 'SHOW STREAMS;' }),
        });
        expect(allowed.status).toBe(200);
      }
    } finally {
      await secured.stop();
    }
  });

  it('keeps streams and rows in a file log across restarts', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ksml-rest-'));
    try {
      const first = await startLocalKsqlDb({ dataDir });
      try {
        const res = await postJson('http1', first.url, '/ksql', {
          ksql: "CREATE STREAM KEPT (ID INT KEY, V STRING) WITH (kafka_topic='kept', value_format='JSON', partitions=1); INSERT INTO KEPT (ID, V) VALUES (1, 'a');",
        });
        expect(res.status, res.text).toBe(200);
      } finally {
        await first.stop();
      }
      const second = await startLocalKsqlDb({ dataDir });
      try {
        const rows = await postJson('http1', second.url, '/query-stream', { sql: 'SELECT * FROM KEPT;' });
        expect(rows.status, rows.text).toBe(200);
        expect(rows.text.split('\n').slice(1)).toEqual(['[1,"a"]', '']);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('stop() ends running push queries', async () => {
    const local = await startLocalKsqlDb();
    await postJson('http1', local.url, '/ksql', {
      ksql: "CREATE STREAM LIVE (ID INT KEY) WITH (kafka_topic='live', value_format='JSON', partitions=1);",
    });
    const res = await openHttp1(local.url, { method: 'POST', path: '/query-stream', body: JSON.stringify({ sql: 'SELECT * FROM LIVE EMIT CHANGES;' }) });
    const body = readAll(res.body).catch(() => 'aborted');
    await local.stop();
    // The response ends (or the connection is cut) instead of hanging forever.
    expect(typeof (await body)).toBe('string');
  });
});
