/**
 * The runner's flow against a stand-in engine that copies `in` to `OUT` unchanged, so each
 * outcome (pass, output mismatch, expected error, Unsupported skip, post condition) is decided
 * by the runner alone.
 */
import { describe, expect, it } from 'vitest';
import type { LocalEngine, LocalEngineOptions } from '../../src/engine/api.js';
import type { EngineBindings } from '../../src/engine/conformance/engine-bindings.js';
import { expandFile, parseQttFile } from '../../src/engine/conformance/qtt-loader.js';
import { runVariant, statementsWithHarnessLines } from '../../src/engine/conformance/run-variant.js';
import { KsqlStatementError, ParseError, UnsupportedError } from '../../src/engine/errors.js';
import type { DataSource, MetaStoreView } from '../../src/engine/metastore/types.js';
import { SqlTypes, type Column } from '../../src/engine/types.js';
import { MemoryTopicLog } from '../../src/log/memory-log.js';
import type { TopicLog } from '../../src/log/topic-log.js';

const columns: Column[] = [
  { name: 'ID', type: SqlTypes.INTEGER, namespace: 'KEY' },
  { name: 'V', type: SqlTypes.DOUBLE, namespace: 'VALUE' },
];

function source(name: string, topic: string, type: 'STREAM' | 'TABLE'): DataSource {
  return {
    name,
    type,
    topic,
    schema: { columns },
    keyFormat: { format: 'KAFKA' },
    valueFormat: { format: 'JSON' },
    isSource: false,
    sqlText: '',
  };
}

class CopyingEngine {
  readonly sources = [source('S', 'in', 'STREAM'), source('OUT', 'OUT', 'STREAM')];
  readonly metastore: MetaStoreView = {
    getSource: (name) => this.sources.find((s) => s.name === name),
    listSources: () => this.sources,
    sourcesForTopic: (topic) => this.sources.filter((s) => s.topic === topic),
  };
  constructor(readonly log: TopicLog) {}

  async executeStatements(text: string): Promise<never[]> {
    const sql = text.trim();
    if (sql.startsWith('UNSUPPORTED')) throw new UnsupportedError('EMIT FINAL');
    if (sql.startsWith('FAIL')) throw new KsqlStatementError('Cannot compare A (INTEGER) to B (STRING).');
    return [];
  }

  async processUntilIdle(): Promise<void> {
    const reader = await this.log.openReader({ topics: ['in'], start: 'earliest' });
    const records = await reader.poll({ maxWaitMs: 0 });
    await reader.close();
    await this.log.ensureTopic('OUT', { partitions: 1 });
    for (const r of records) await this.log.append('OUT', [{ key: r.key, value: r.value, timestamp: r.timestamp }]);
  }

  async close(): Promise<void> {}
}

const bindings: EngineBindings = {
  createLog: () => new MemoryTopicLog(),
  createEngine: async (opts: LocalEngineOptions) => new CopyingEngine(opts.log) as unknown as LocalEngine,
};

async function run(test: Record<string, unknown>) {
  const [variant] = expandFile('x.json', parseQttFile(JSON.stringify({ tests: [{ name: 't', statements: ['CREATE'], ...test }] })));
  return runVariant(bindings, variant!);
}

const io = {
  inputs: [{ topic: 'in', key: 1, value: { V: 1.5 }, timestamp: 7 }],
};

describe('runVariant', () => {
  it('passes when the outputs match', async () => {
    expect(await run({ ...io, outputs: [{ topic: 'OUT', key: 1, value: { v: 1.5 }, timestamp: 7 }] })).toEqual({ status: 'passed', reason: '' });
  });

  it('fails with the first mismatching record', async () => {
    const result = await run({ ...io, outputs: [{ topic: 'OUT', key: 1, value: { V: 2.5 }, timestamp: 7 }] });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^Topic 'OUT', message 0: Expected/);
  });

  it('checks only the topics named in outputs', async () => {
    expect(await run({ ...io, outputs: [] as unknown[] })).toEqual({ status: 'passed', reason: '' });
  });

  it('fails when the record count differs', async () => {
    const twice = await run({ ...io, outputs: [io.inputs[0], io.inputs[0]].map((r) => ({ ...r, topic: 'OUT' })) });
    expect(twice.status).toBe('failed');
    expect(twice.reason).toMatch(/Expected <2> records but it was <1>/);
  });

  it('skips only on Unsupported errors', async () => {
    expect(await run({ statements: ['CREATE', 'UNSUPPORTED'] })).toEqual({ status: 'skipped', reason: 'Unsupported: EMIT FINAL' });
  });

  it('matches expectedException by category and message substring', async () => {
    const ee = (type: string, message: string) => run({ statements: ['FAIL'], expectedException: { type, message } });
    expect((await ee('io.confluent.ksql.util.KsqlStatementException', 'Cannot compare A')).status).toBe('passed');
    expect((await ee('io.confluent.ksql.util.KsqlStatementException', 'Cannot compare C')).status).toBe('failed');
    expect((await ee('org.apache.kafka.streams.errors.StreamsException', 'Cannot compare A')).status).toBe('failed');
  });

  it('fails a negative test whose error comes before the last statement', async () => {
    const result = await run({ statements: ['FAIL', 'CREATE'], expectedException: { message: 'Cannot compare' } });
    expect(result.reason).toMatch(/Only the last statement/);
  });

  it('fails a negative test that raises nothing', async () => {
    expect((await run({ expectedException: { message: 'x' } })).reason).toMatch(/Expected test to throw/);
  });

  it('fails a statement error in a positive test', async () => {
    expect(await run({ statements: ['FAIL'] })).toEqual({
      status: 'failed',
      reason: 'statement 1 failed: KsqlStatementError: Cannot compare A (INTEGER) to B (STRING).',
    });
  });

  it('checks post conditions on sources', async () => {
    const post = (schema: string) => run({ ...io, outputs: [], post: { sources: [{ name: 'OUT', type: 'stream', schema }] } });
    expect((await post('ID INT KEY, V DOUBLE')).status).toBe('passed');
    expect((await post('ID INT KEY, V BIGINT')).reason).toMatch(/^post: source OUT: schema/);
  });

  it('reports a disabled test as skipped without running it', async () => {
    expect(await run({ enabled: false, statements: ['FAIL'] })).toEqual({ status: 'skipped', reason: 'disabled in the file ("enabled": false)' });
  });
});

describe('statement positions', () => {
  it('keeps the line numbers of the harness, which parses all statements joined by line breaks', () => {
    expect(statementsWithHarnessLines(['A;', 'B\nC;', 'D;'])).toEqual(['A;', '\nB\nC;', '\n\n\nD;']);
  });

  it('lets a syntax error in any statement end a negative test, as the up-front parse does', async () => {
    class ParseFailingEngine extends CopyingEngine {
      override async executeStatements(sql: string): Promise<never[]> {
        if (sql.includes('BAD')) throw new ParseError("line 2:1: Syntax error at or near 'BAD'", 2, 1);
        return [];
      }
    }
    const parseBindings: EngineBindings = { ...bindings, createEngine: async (opts) => new ParseFailingEngine(opts.log) as unknown as LocalEngine };
    const [variant] = expandFile(
      'x.json',
      parseQttFile(JSON.stringify({ tests: [{ name: 't', statements: ['OK', 'BAD', 'OK'], expectedException: { message: 'line 2:1' } }] })),
    );
    expect(await runVariant(parseBindings, variant!)).toEqual({ status: 'passed', reason: '' });
  });
});

describe('windowed table outputs', () => {
  class WindowingEngine extends CopyingEngine {
    override readonly sources = [
      source('S', 'in', 'STREAM'),
      { ...source('OUT', 'OUT', 'TABLE'), window: { type: 'TUMBLING' as const, sizeMs: 1000 } },
    ];

    /** Writes each input under its 1-second window, then a tombstone for the first input's window. */
    override async processUntilIdle(): Promise<void> {
      const reader = await this.log.openReader({ topics: ['in'], start: 'earliest' });
      const records = await reader.poll({ maxWaitMs: 0 });
      await reader.close();
      await this.log.ensureTopic('OUT', { partitions: 1 });
      for (const r of records) {
        const start = r.timestamp - (r.timestamp % 1000);
        const key = Buffer.concat([r.key!, Buffer.alloc(8)]);
        key.writeBigInt64BE(BigInt(start), r.key!.length);
        await this.log.append('OUT', [{ key, value: r.value, timestamp: r.timestamp }]);
      }
      const first = records[0]!;
      const tombstoneKey = Buffer.concat([first.key!, Buffer.alloc(8)]);
      tombstoneKey.writeBigInt64BE(BigInt(first.timestamp - (first.timestamp % 1000)), first.key!.length);
      await this.log.append('OUT', [{ key: tombstoneKey, value: null, timestamp: first.timestamp }]);
    }
  }

  const windowBindings: EngineBindings = { ...bindings, createEngine: async (opts) => new WindowingEngine(opts.log) as unknown as LocalEngine };

  const windowedTest = (firstWindowEnd: number) => ({
    name: 't',
    statements: ['CREATE'],
    inputs: [{ topic: 'in', key: 1, value: { V: 1.5 }, timestamp: 2500 }],
    outputs: [
      { topic: 'OUT', key: 1, value: { V: 1.5 }, timestamp: 2500, window: { start: 2000, end: firstWindowEnd, type: 'time' } },
      { topic: 'OUT', key: 1, value: null, timestamp: 2500, window: { start: 2000, end: 3000, type: 'time' } },
    ],
  });

  it('decodes window bounds with the sink window size and compares tombstones', async () => {
    const [variant] = expandFile('w.json', parseQttFile(JSON.stringify({ tests: [windowedTest(3000)] })));
    expect(await runVariant(windowBindings, variant!)).toEqual({ status: 'passed', reason: '' });
  });

  it('fails on a window whose end differs', async () => {
    const [variant] = expandFile('w.json', parseQttFile(JSON.stringify({ tests: [windowedTest(2500)] })));
    const result = await runVariant(windowBindings, variant!);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^Topic 'OUT', message 0:/);
  });
});
