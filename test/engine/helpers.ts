import { MemoryTopicLog } from '../../src/log/memory-log.js';
import type { LogRecord, TopicLog } from '../../src/log/topic-log.js';
import type { KsqlEntity, LocalEngine } from '../../src/engine/api.js';
import { createLocalEngine } from '../../src/engine/local-engine.js';

export async function memoryEngine(properties?: Record<string, string>): Promise<{ engine: LocalEngine; log: MemoryTopicLog }> {
  const log = new MemoryTopicLog();
  const engine = await createLocalEngine({ log, autoStart: false, ...(properties ? { properties } : {}) });
  return { engine, log };
}

export async function readTopic(log: TopicLog, topic: string): Promise<LogRecord[]> {
  const reader = await log.openReader({ topics: [topic], start: 'earliest' });
  const ends = await log.endOffsets(topic);
  const out: LogRecord[] = [];
  try {
    for (;;) {
      const done = reader.positions().every((p) => p.offset >= (ends[p.partition] ?? 0));
      if (done) break;
      const batch = await reader.poll({ maxWaitMs: 0 });
      if (batch.length === 0) break;
      out.push(...batch);
    }
  } finally {
    await reader.close();
  }
  return out;
}

export function valuesOf(records: readonly LogRecord[]): unknown[] {
  return records.map((r) => (r.value === null ? null : JSON.parse(r.value.toString('utf8'))));
}

/** Runs statements and returns the single entity of the last one. */
export async function single(engine: LocalEngine, sql: string): Promise<KsqlEntity> {
  const entities = await engine.executeStatements(sql);
  return entities[entities.length - 1]!;
}

export async function errorOf(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected an error');
}

export async function collect<T>(iterable: AsyncIterable<T>, max = Infinity): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) {
    out.push(x);
    if (out.length >= max) break;
  }
  return out;
}
