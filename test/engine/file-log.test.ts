import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalEngine } from '../../src/engine/local-engine.js';
import { openTopicLog } from '../../src/log/index.js';
import type { TopicLog } from '../../src/log/topic-log.js';
import { readTopic, valuesOf } from './helpers.js';

const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}

async function sinkValues(log: TopicLog): Promise<unknown[]> {
  return valuesOf(await readTopic(log, 'BIG'));
}

describe('engine over the file log', () => {
  it('runs queries by themselves and resumes them after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-file-log-'));
    dirs.push(dir);

    let log = await openTopicLog({ kind: 'file', dir });
    let engine = await createLocalEngine({ log, autoStart: true, properties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
    await engine.executeStatements(
      "CREATE STREAM PAYMENTS (ID STRING KEY, AMOUNT DOUBLE) WITH (kafka_topic='payments', value_format='JSON', partitions=2);" +
        'CREATE STREAM BIG AS SELECT ID, AMOUNT FROM PAYMENTS WHERE AMOUNT >= 100;',
    );
    await engine.executeStatements("INSERT INTO PAYMENTS (ID, AMOUNT) VALUES ('a', 150); INSERT INTO PAYMENTS (ID, AMOUNT) VALUES ('b', 5);");
    await engine.executeStatements('CREATE STREAM SMALL AS SELECT ID, AMOUNT FROM PAYMENTS WHERE AMOUNT < 100; TERMINATE CSAS_SMALL_2;');
    await waitFor(async () => (await sinkValues(log)).length === 1);
    await engine.processUntilIdle();
    expect(await sinkValues(log)).toEqual([{ AMOUNT: 150 }]);
    const smallBefore = valuesOf(await readTopic(log, 'SMALL'));
    await engine.close();
    await log.close();

    log = await openTopicLog({ kind: 'file', dir });
    engine = await createLocalEngine({ log, autoStart: true, properties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
    expect(engine.metastore.getSource('BIG')?.createdByQueryId).toBe('CSAS_BIG_1');
    const queries = (await engine.executeStatements('SHOW QUERIES;'))[0]!.queries as { id: string }[];
    expect(queries.map((q) => q.id)).toEqual(['CSAS_BIG_1']);
    await engine.executeStatements("INSERT INTO PAYMENTS (ID, AMOUNT) VALUES ('c', 300); INSERT INTO PAYMENTS (ID, AMOUNT) VALUES ('d', 7);");
    await waitFor(async () => (await sinkValues(log)).length >= 2);
    await engine.processUntilIdle();
    // the replayed query resumed from its committed offsets: 'a' was not processed twice
    expect(await sinkValues(log)).toEqual([{ AMOUNT: 150 }, { AMOUNT: 300 }]);
    // the terminated query stayed terminated: nothing was replayed into its sink
    expect(valuesOf(await readTopic(log, 'SMALL'))).toEqual(smallBefore);
    await engine.close();
    await log.close();
  });
});
