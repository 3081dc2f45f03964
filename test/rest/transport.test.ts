/**
 * Transport tests of the REST server against a scripted engine: routes, media types, the three
 * query formats, streaming, inserts, errors, auth and limits over HTTP/1.1 and HTTP/2.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRestServer, type RestServer } from '../../src/engine/rest/server.js';
import { FakeEngine, type ScriptedQuery } from './support/fake-engine.js';
import { Http2Client, lines, openHttp1, postJson, type Protocol, readAll, request } from './support/http-clients.js';

const PROTOCOLS: Protocol[] = ['http1', 'http2'];
const BIG = 9223372036854775807n;

let engine: FakeEngine;
let server: RestServer;

beforeAll(async () => {
  engine = new FakeEngine();
  server = await startRestServer({ engine, maxRequestBytes: 64 * 1024 });
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  engine.onQuery = () => {};
});

/** Makes the next query receive the given rows and end with `reason`. */
function scriptNextQuery(rows: unknown[][], reason: 'Limit Reached' | 'Query Completed' = 'Query Completed'): void {
  engine.onQuery = (q) => {
    q.push(...rows.map((values) => ({ values: values as never })));
    q.complete(reason);
  };
}

function nextQuery(): Promise<ScriptedQuery> {
  return new Promise((resolve) => {
    engine.onQuery = (q) => resolve(q);
  });
}

describe.each(PROTOCOLS)('simple endpoints over %s', (protocol) => {
  it('GET /info answers KsqlServerInfo as application/json', async () => {
    const res = await request(protocol, server.url, { path: '/info', headers: { accept: 'application/vnd.ksql.v1+json' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.text)).toEqual({ KsqlServerInfo: engine.serverInfo() });
  });

  it('GET / redirects to /info with 307', async () => {
    const res = await request(protocol, server.url, { path: '/' });
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe('/info');
  });

  it('GET /healthcheck reports every detail', async () => {
    const res = await request(protocol, server.url, { path: '/healthcheck' });
    expect(JSON.parse(res.text)).toEqual({
      isHealthy: true,
      details: { metastore: { isHealthy: true }, kafka: { isHealthy: true }, commandRunner: { isHealthy: true } },
      serverState: 'READY',
    });
  });

  it('GET /status lists command ids and /status/:type/:entity/:action returns one', async () => {
    const all = await request(protocol, server.url, { path: '/status' });
    expect(JSON.parse(all.text)).toEqual({ 'stream/`S`/create': 'SUCCESS' });
    const one = await request(protocol, server.url, { path: '/status/stream/%60S%60/create' });
    expect(one.status).toBe(200);
    expect(JSON.parse(one.text)).toEqual({ status: 'SUCCESS', message: 'Stream created', queryId: null });
    const missing = await request(protocol, server.url, { path: '/status/stream/%60NOPE%60/create' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual({ '@type': 'generic_error', error_code: 40400, message: 'Command not found' });
  });

  it('answers the /chc probes with {}', async () => {
    for (const path of ['/chc/ready', '/chc/live']) {
      const res = await request(protocol, server.url, { path });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({});
    }
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    expect((await request(protocol, server.url, { path: '/nope' })).status).toBe(404);
    expect((await request(protocol, server.url, { path: '/ksql' })).status).toBe(405);
  });
});

describe.each(PROTOCOLS)('/ksql over %s', (protocol) => {
  it('returns the entities, BIGINT values losslessly, with application/json', async () => {
    const res = await postJson(protocol, server.url, '/ksql', {
      ksql: 'CREATE STREAM S (ID INT KEY) WITH (kafka_topic=\'s\'); SHOW STREAMS;',
      streamsProperties: { 'auto.offset.reset': 'earliest' },
      sessionVariables: { x: 1 },
      commandSequenceNumber: 3,
    }, { accept: 'application/vnd.ksql.v1+json' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toContain(`"commandSequenceNumber":${BIG}`);
    const entities = JSON.parse(res.text) as { statementText: string }[];
    expect(entities.map((e) => e.statementText)).toEqual(["CREATE STREAM S (ID INT KEY) WITH (kafka_topic='s');", 'SHOW STREAMS;']);
    expect(engine.lastContext).toEqual({ properties: { 'auto.offset.reset': 'earliest' }, sessionVariables: { x: 1 } });
  });

  it('maps a parse error to 400 statement_error 40001', async () => {
    const res = await postJson(protocol, server.url, '/ksql', { ksql: 'GARBAGE;' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ '@type': 'statement_error', error_code: 40001, statementText: 'GARBAGE;', entities: [] });
  });

  it('rejects SELECT with 40002', async () => {
    const res = await postJson(protocol, server.url, '/ksql', { ksql: 'SELECT * FROM S;' });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.error_code).toBe(40002);
    expect(body.message).toContain("'/query'");
  });

  it('maps a generic KSQL error to 400 generic_error and a crash to 500 statement_error', async () => {
    const generic = await postJson(protocol, server.url, '/ksql', { ksql: 'GENERIC;' });
    expect(generic.status).toBe(400);
    expect(JSON.parse(generic.text)).toEqual({ '@type': 'generic_error', error_code: 40000, message: 'generic trouble' });
    const crash = await postJson(protocol, server.url, '/ksql', { ksql: 'CRASH;' });
    expect(crash.status).toBe(500);
    expect(JSON.parse(crash.text)).toMatchObject({ '@type': 'statement_error', error_code: 50000, statementText: 'CRASH;' });
  });

  it('answers malformed JSON with 400 / 40000', async () => {
    const res = await request(protocol, server.url, { method: 'POST', path: '/ksql', body: '{"ksql": ' });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ '@type': 'generic_error', error_code: 40000 });
    expect(body.message).toMatch(/^Invalid JSON in request: /);
  });

  it('answers 406 with an empty body to an Accept it cannot produce', async () => {
    const res = await postJson(protocol, server.url, '/ksql', { ksql: 'SHOW STREAMS;' }, { accept: 'text/html' });
    expect(res.status).toBe(406);
    expect(res.text).toBe('');
  });

  it('answers 413 to a body beyond the limit', async () => {
    const res = await postJson(protocol, server.url, '/ksql', { ksql: `SHOW STREAMS; -- ${'x'.repeat(70 * 1024)}` });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ '@type': 'generic_error', message: 'Request Entity Too Large' });
  });
});

describe.each(PROTOCOLS)('query formats over %s', (protocol) => {
  const rows = [
    [1, 'a', BIG],
    [2, 'b', 3n],
  ];

  it('/query-stream defaults to the delimited format', async () => {
    scriptNextQuery(rows);
    const res = await postJson(protocol, server.url, '/query-stream', { sql: 'SELECT * FROM S;' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.ksqlapi.delimited.v1');
    const [meta, ...rest] = res.text.split('\n');
    expect(JSON.parse(meta!)).toEqual({ queryId: expect.stringMatching(/^transient_S_/), columnNames: ['ID', 'NAME', 'BIG'], columnTypes: ['INTEGER', 'STRING', 'BIGINT'] });
    expect(rest).toEqual([`[1,"a",${BIG}]`, '[2,"b",3]', '']);
  });

  it('/query-stream with Accept application/json writes one JSON array', async () => {
    scriptNextQuery(rows);
    const res = await postJson(protocol, server.url, '/query-stream', { sql: 'SELECT * FROM S;' }, { accept: 'application/json' });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toMatch(/^\[\{"queryId":"transient_S_\d+","columnNames":\["ID","NAME","BIG"\],"columnTypes":\["INTEGER","STRING","BIGINT"\]\},\[1,"a",9223372036854775807\],\[2,"b",3\]\]$/);
  });

  it('/query-stream with Accept v1+json writes StreamedRow lines with a final message', async () => {
    scriptNextQuery(rows, 'Limit Reached');
    const res = await postJson(protocol, server.url, '/query-stream', { sql: 'SELECT * FROM S EMIT CHANGES LIMIT 2;' }, { accept: 'application/vnd.ksql.v1+json' });
    expect(res.headers['content-type']).toBe('application/vnd.ksql.v1+json');
    const lines = res.text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\[\{"header":\{"queryId":"transient_S_\d+","schema":"`ID` INTEGER, `NAME` STRING, `BIG` BIGINT"\}\},$/);
    expect(lines.slice(1)).toEqual([`{"row":{"columns":[1,"a",${BIG}]}},`, '{"row":{"columns":[2,"b",3]}},', '{"finalMessage":"Limit Reached"}]']);
  });

  it('/query answers StreamedRow by default and delimited on request', async () => {
    scriptNextQuery(rows);
    const streamed = await postJson(protocol, server.url, '/query', { ksql: 'SELECT * FROM S;' });
    expect(streamed.headers['content-type']).toBe('application/vnd.ksql.v1+json');
    expect(streamed.text.endsWith('{"finalMessage":"Query Completed"}]')).toBe(true);
    scriptNextQuery(rows);
    const delimited = await postJson(protocol, server.url, '/query', { ksql: 'SELECT * FROM S;' }, { accept: 'application/vnd.ksqlapi.delimited.v1' });
    expect(delimited.headers['content-type']).toBe('application/vnd.ksqlapi.delimited.v1');
    expect(delimited.text.split('\n').slice(1)).toEqual([`[1,"a",${BIG}]`, '[2,"b",3]', '']);
  });

  it('negotiates wildcards and weights like Vert.x: */* picks the delimited format', async () => {
    scriptNextQuery(rows);
    const wildcard = await postJson(protocol, server.url, '/query', { ksql: 'SELECT * FROM S;' }, { accept: '*/*' });
    expect(wildcard.headers['content-type']).toBe('application/vnd.ksqlapi.delimited.v1');
    scriptNextQuery(rows);
    const weighted = await postJson(protocol, server.url, '/query-stream', { sql: 'SELECT * FROM S;' }, { accept: 'application/json;q=0.5, application/vnd.ksql.v1+json' });
    expect(weighted.headers['content-type']).toBe('application/vnd.ksql.v1+json');
    const refused = await postJson(protocol, server.url, '/query-stream', { sql: 'SELECT * FROM S;' }, { accept: 'text/plain, application/xml' });
    expect(refused.status).toBe(406);
  });

  it('table pull queries mark keys and end with "]" instead of a final message', async () => {
    scriptNextQuery(rows);
    const res = await postJson(protocol, server.url, '/query', { ksql: 'SELECT * FROM TABLE T;' });
    expect(res.text).toMatch(/^\[\{"header":\{"queryId":"query_\d+","schema":"`ID` INTEGER KEY, `NAME` STRING, `BIG` BIGINT"\}\},\n\{"row":\{"columns":\[1,"a",9223372036854775807\]\}\},\n\{"row":\{"columns":\[2,"b",3\]\}\}\]$/);
    scriptNextQuery([]);
    const empty = await postJson(protocol, server.url, '/query', { ksql: 'SELECT * FROM TABLE T;' });
    expect(empty.text).toMatch(/^\[\{"header":\{[^\n]*\}\}\]$/);
  });

  it('maps errors before streaming to statement_error / 500 bodies', async () => {
    const unknown = await postJson(protocol, server.url, '/query-stream', { sql: 'SELECT * FROM UNKNOWN;' });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toMatchObject({ '@type': 'statement_error', error_code: 40001, statementText: 'SELECT * FROM UNKNOWN;' });
    const crash = await postJson(protocol, server.url, '/query-stream', { sql: 'SELECT CRASH;' });
    expect(crash.status).toBe(500);
    expect(JSON.parse(crash.text)).toMatchObject({ '@type': 'generic_error', error_code: 50000 });
    const missing = await postJson(protocol, server.url, '/query-stream', { properties: {} });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text)).toEqual({ '@type': 'generic_error', error_code: 40000, message: 'No sql in arguments' });
  });

  it('writes an error that happens mid-stream into the body', async () => {
    engine.onQuery = (q) => {
      q.push({ values: [1, 'a', 1n] });
      q.fail(new Error('disk on fire'));
    };
    const delimited = await postJson(protocol, server.url, '/query-stream', { sql: 'SELECT * FROM S EMIT CHANGES;' });
    expect(delimited.status).toBe(200);
    const lastLine = delimited.text.trimEnd().split('\n').pop()!;
    expect(JSON.parse(lastLine)).toEqual({ '@type': 'generic_error', error_code: 50000, message: 'Error in processing query. Check server logs for details.' });
    engine.onQuery = (q) => q.fail(new Error('disk on fire'));
    const streamed = await postJson(protocol, server.url, '/query', { ksql: 'SELECT * FROM S EMIT CHANGES;' });
    expect(streamed.text.split('\n').slice(1)).toEqual(['{"errorMessage":{"@type":"generic_error","error_code":50000,"message":"Error in processing query. Check server logs for details."}},', ']']);
  });
});

describe('push queries', () => {
  it('streams rows as they arrive and stops the query when the HTTP/1.1 client goes away', async () => {
    const started = nextQuery();
    const res = await openHttp1(server.url, {
      method: 'POST',
      path: '/query-stream',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT * FROM S EMIT CHANGES;' }),
    });
    const query = await started;
    const reader = lines(res.body);
    expect(JSON.parse((await reader.next()).value as string).queryId).toBe(query.queryId);
    query.push({ values: [7, 'x', 1n] });
    expect((await reader.next()).value).toBe('[7,"x",1]');
    query.push({ values: [8, 'y', 2n] });
    expect((await reader.next()).value).toBe('[8,"y",2]');
    res.close();
    await expect.poll(() => query.closed).toBe(true);
  });

  it('stops the query when an HTTP/2 stream is cancelled', async () => {
    const client = new Http2Client(server.url);
    try {
      const started = nextQuery();
      const res = await client.open({ method: 'POST', path: '/query-stream', body: JSON.stringify({ sql: 'SELECT * FROM S EMIT CHANGES;' }) });
      const query = await started;
      const reader = lines(res.body);
      await reader.next();
      query.push({ values: [1, 'a', 1n] });
      expect((await reader.next()).value).toBe('[1,"a",1]');
      res.close();
      await expect.poll(() => query.closed).toBe(true);
    } finally {
      await client.close();
    }
  });

  it.each(PROTOCOLS)('/close-query ends a running push query over %s', async (protocol) => {
    const client = protocol === 'http2' ? new Http2Client(server.url) : undefined;
    try {
      const started = nextQuery();
      const spec = {
        method: 'POST',
        path: '/query-stream',
        headers: { accept: 'application/json' },
        body: JSON.stringify({ sql: 'SELECT * FROM S EMIT CHANGES;' }),
      };
      const res = client ? await client.open(spec) : await openHttp1(server.url, spec);
      const query = await started;
      query.push({ values: [1, 'a', 1n] });
      const bodyText = readAll(res.body);
      const closed = await postJson(protocol, server.url, '/close-query', { queryId: query.queryId });
      expect(closed.status).toBe(200);
      expect(closed.text).toBe('');
      expect(query.closed).toBe(true);
      const text = await bodyText;
      expect(JSON.parse(text)).toEqual([{ queryId: query.queryId, columnNames: ['ID', 'NAME', 'BIG'], columnTypes: ['INTEGER', 'STRING', 'BIGINT'] }, [1, 'a', 1]]);
      const again = await postJson(protocol, server.url, '/close-query', { queryId: query.queryId });
      expect(again.status).toBe(400);
      expect(JSON.parse(again.text)).toEqual({ '@type': 'generic_error', error_code: 40000, message: `No query with id ${query.queryId}` });
    } finally {
      await client?.close();
    }
  });

  it.each(PROTOCOLS)('respects back-pressure over %s: a client that stops reading stops the producer', async (protocol) => {
    const client = protocol === 'http2' ? new Http2Client(server.url) : undefined;
    try {
      const started = nextQuery();
      const spec = { method: 'POST', path: '/query-stream', body: JSON.stringify({ sql: 'SELECT ENDLESS FROM S EMIT CHANGES;' }) };
      const res = client ? await client.open(spec) : await openHttp1(server.url, spec);
      const query = await started;
      res.body.pause();
      // Wait until the server stops pulling rows: with back-pressure it stalls on a full buffer.
      let last = -1;
      await expect
        .poll(
          () => {
            const stalled = query.pulled === last && query.pulled > 0;
            last = query.pulled;
            return stalled;
          },
          { timeout: 20_000, interval: 200 },
        )
        .toBe(true);
      expect(query.pulled).toBeLessThan(100_000);
      res.close();
      await expect.poll(() => query.closed).toBe(true);
    } finally {
      await client?.close();
    }
  });
});

describe('/inserts-stream', () => {
  function insertBody(lines: unknown[]): string {
    return lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
  }

  it('acknowledges every row over HTTP/2, delimited by default', async () => {
    const client = new Http2Client(server.url);
    try {
      const before = engine.inserted.length;
      const res = await client.request({
        method: 'POST',
        path: '/inserts-stream',
        body: insertBody([{ target: 'S', properties: {} }, { ID: 1, V: 'a' }, '{"ID": 12345678901234567890, "V": "b"}']),
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.ksqlapi.delimited.v1');
      expect(res.text).toBe('{"status":"ok","seq":0}\n{"status":"ok","seq":1}\n');
      // Numbers reach the engine with their literal text, so BIGINT values stay exact.
      expect(engine.inserted.slice(before).map((i) => ({ ID: String(i.row.ID), V: i.row.V }))).toEqual([
        { ID: '1', V: 'a' },
        { ID: '12345678901234567890', V: 'b' },
      ]);
    } finally {
      await client.close();
    }
  });

  it('acks rows as they are sent, before the request ends', async () => {
    const client = new Http2Client(server.url);
    try {
      let write!: (chunk: string) => void;
      let end!: () => void;
      const res = await client.open({ method: 'POST', path: '/inserts-stream', headers: { accept: 'application/vnd.ksqlapi.delimited.v1' } }, (w, e) => {
        write = w;
        end = e;
        w(`${JSON.stringify({ target: 's' })}\n`);
      });
      const reader = lines(res.body);
      write(`${JSON.stringify({ ID: 1 })}\n`);
      expect(JSON.parse((await reader.next()).value as string)).toEqual({ status: 'ok', seq: 0 });
      write(`${JSON.stringify({ ID: 2 })}\n`);
      expect(JSON.parse((await reader.next()).value as string)).toEqual({ status: 'ok', seq: 1 });
      end();
      expect((await reader.next()).done).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('ends with an error ack on a failing row, and writes a JSON array for application/json', async () => {
    const client = new Http2Client(server.url);
    try {
      const res = await client.request({
        method: 'POST',
        path: '/inserts-stream',
        headers: { accept: 'application/json' },
        body: insertBody([{ target: 'S' }, { ID: 1 }, { FAIL: true }, { ID: 3 }]),
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual([
        { status: 'ok', seq: 0 },
        { status: 'error', seq: 1, error_code: 40000, message: 'Key field must be specified: ID' },
      ]);
      const badJson = await client.request({ method: 'POST', path: '/inserts-stream', body: insertBody([{ target: 'S' }, '{nope']) });
      expect(JSON.parse(badJson.text.trim())).toEqual({ status: 'error', seq: 0, error_code: 40000, message: 'Invalid JSON in inserts stream' });
      const none = await client.request({ method: 'POST', path: '/inserts-stream', headers: { accept: 'application/json' }, body: insertBody([{ target: 'S' }]) });
      expect(none.text).toBe('[]');
    } finally {
      await client.close();
    }
  });

  it('rejects an unknown target with 400 generic_error 40001', async () => {
    const client = new Http2Client(server.url);
    try {
      const res = await client.request({ method: 'POST', path: '/inserts-stream', body: insertBody([{ target: 'NOPE' }, { ID: 1 }]) });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({
        '@type': 'generic_error',
        error_code: 40001,
        message: 'Cannot insert values into an unknown stream/table: NOPE',
      });
    } finally {
      await client.close();
    }
  });

  it('answers 40004 over HTTP/1.1', async () => {
    const res = await request('http1', server.url, { method: 'POST', path: '/inserts-stream', body: insertBody([{ target: 'S' }, { ID: 1 }]) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ '@type': 'generic_error', error_code: 40004, message: 'This endpoint is only available when using HTTP2' });
  });
});

describe('basic authentication', () => {
  let secured: RestServer;
  beforeAll(async () => {
    secured = await startRestServer({ engine, auth: { username: 'fred', password: 'letmein' } });
  });
  afterAll(async () => {
    await secured.close();
  });

  it.each(PROTOCOLS)('answers 401 with an error body without valid credentials over %s', async (protocol) => {
    for (const auth of [undefined, { username: 'fred', password: 'wrong' }]) {
      const res = await request(protocol, secured.url, { path: '/info', ...(auth ? { auth } : {}) });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(JSON.parse(res.text)).toEqual({ '@type': 'generic_error', error_code: 40100, message: 'Unauthorized' });
    }
    const ok = await request(protocol, secured.url, { path: '/info', auth: { username: 'fred', password: 'letmein' } });
    expect(ok.status).toBe(200);
  });
});
