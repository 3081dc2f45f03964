import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalKsqlDb, type LocalKsqlDb } from '../../src/engine/embedded.js';
import { KsqlDbClient } from '../../src/ksql/index.js';
import type { LogRecord } from '../../src/log/topic-log.js';
import { readPaymentsCsv } from '../../src/pipeline/csv-source.js';
import { ingestPayments, InsertsStreamSink, TopicLogSink } from '../../src/pipeline/ingest.js';
import { deploy } from '../../src/pipeline/migrations.js';
import { DEFAULT_PIPELINE_VARIABLES, RAW_STREAM } from '../../src/pipeline/pipeline-config.js';
import { generatePayments } from '../../src/pipeline/synthetic.js';

const SQL_DIR = path.resolve(import.meta.dirname, '../../sql');
const EXTENDED = path.resolve(import.meta.dirname, '../../../shared/data/creditcard_extended.csv');
const running: { server: LocalKsqlDb; client: KsqlDbClient }[] = [];

async function deployed(variables: Record<string, string> = {}) {
  const server = await startLocalKsqlDb();
  const client = new KsqlDbClient({ url: server.url });
  running.push({ server, client });
  await deploy(client, SQL_DIR, { variables: { ...DEFAULT_PIPELINE_VARIABLES, ...variables } });
  return { server, client };
}

async function topicRecords(server: LocalKsqlDb, topic: string): Promise<LogRecord[]> {
  const reader = await server.engine.log.openReader({ topics: [topic], start: 'earliest' });
  const records: LogRecord[] = [];
  for (;;) {
    const batch = await reader.poll({ maxRecords: 10_000 });
    if (batch.length === 0) break;
    records.push(...batch);
  }
  await reader.close();
  return records;
}

afterEach(async () => {
  for (const { server, client } of running.splice(0)) {
    await client.close();
    await server.stop();
  }
});

describe('ingesting payments', () => {
  it('writes the same records (keys, values, timestamps) for the same input', async () => {
    const a = await deployed({ payments_partitions: '3' });
    const b = await deployed({ payments_partitions: '3' });
    for (const { server } of [a, b]) {
      const sink = new TopicLogSink(server.engine.log, server.engine.metastore.getSource(RAW_STREAM)!);
      const result = await ingestPayments(generatePayments({ count: 300, seed: 5 }), sink, { batchSize: 64 });
      expect(result.records).toBe(300);
    }
    const strip = (r: LogRecord) => ({ partition: r.partition, offset: r.offset, key: r.key, value: r.value, timestamp: r.timestamp });
    const recordsA = (await topicRecords(a.server, 'payments')).map(strip);
    expect(recordsA).toHaveLength(300);
    expect(new Set(recordsA.map((r) => r.partition)).size).toBe(3);
    expect((await topicRecords(b.server, 'payments')).map(strip)).toEqual(recordsA);
    // Record timestamps are the payments' event times, not the time of ingestion.
    const first = [...generatePayments({ count: 1, seed: 5 })][0]!;
    expect(recordsA.find((r) => r.key?.readBigInt64BE() === 1n)?.timestamp).toBe(Date.parse(first.Timestamp));
  });

  it('writes DELIMITED like the original when the pipeline is deployed that way', async () => {
    const { server, client } = await deployed({ payments_format: 'DELIMITED' });
    const sink = new TopicLogSink(server.engine.log, server.engine.metastore.getSource(RAW_STREAM)!);
    await ingestPayments(generatePayments({ count: 3, seed: 1 }), sink);
    const [record] = await topicRecords(server, 'payments');
    expect(record!.value!.toString()).toMatch(/^[0-9-]+T[0-9:.]+Z,\w+,0\.0,-?\d/);
    await server.engine.processUntilIdle();
    const rows = await client.query('SELECT ID, LABEL FROM PAYMENTS_FEATURES;');
    expect(rows.rows).toHaveLength(3);
  });

  it.skipIf(!existsSync(EXTENDED))('goes through /inserts-stream to any server, unlabelled rows included', async () => {
    const { server, client } = await deployed();
    const result = await ingestPayments(readPaymentsCsv(EXTENDED), new InsertsStreamSink(client, RAW_STREAM));
    expect(result).toMatchObject({ records: 10, frauds: 2, unlabelled: 1 });
    await server.engine.processUntilIdle();
    const rows = await client.query('SELECT ID, USER_MASKED, LABEL FROM PAYMENTS_FEATURES;');
    expect(rows.rows).toHaveLength(10);
    expect(rows.rows.find((r) => r[0] === 4)).toEqual([4, 'Fxx', null]);
  });

  it('rejects a rate that is not a positive number', async () => {
    const { server } = await deployed();
    const sink = new TopicLogSink(server.engine.log, server.engine.metastore.getSource(RAW_STREAM)!);
    await expect(ingestPayments(generatePayments({ count: 1 }), sink, { rate: 0 })).rejects.toThrow(/--rate must be a positive number/);
  });
});
