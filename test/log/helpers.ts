import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord, ProduceRecord, TopicReader } from '../../src/log/topic-log.js';

export async function makeTempDir(prefix = 'topic-log-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function textRecord(key: string | null, value: string | null, extra: Partial<ProduceRecord> = {}): ProduceRecord {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    ...extra,
  };
}

export function text(bytes: Buffer | null): string | null {
  return bytes === null ? null : bytes.toString('utf8');
}

/** Polls until `count` records arrived (failing after `maxPolls` empty polls). */
export async function pollAtLeast(reader: TopicReader, count: number, maxPolls = 50): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  let empty = 0;
  while (out.length < count && empty < maxPolls) {
    const records = await reader.poll({ maxWaitMs: 100 });
    if (records.length === 0) empty++;
    out.push(...records);
  }
  return out;
}
