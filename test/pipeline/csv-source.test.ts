import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPaymentsCsv } from '../../src/pipeline/csv-source.js';

const shared = path.resolve(import.meta.dirname, '../../../shared/data');
const haveShared = existsSync(path.join(shared, 'creditcard_small.csv'));
if (!haveShared) console.log(`skipping real-sample ingestion tests: ${shared} is absent`);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'csv-source-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!haveShared)('reading the real sample files', () => {
  it('reads the Kaggle header layout with quoted classes, deterministically', async () => {
    const file = path.join(shared, 'creditcard_small.csv');
    const rows = await collect(readPaymentsCsv(file));
    expect(rows).toHaveLength(999);
    expect(rows.filter((r) => r.Class === 1)).toHaveLength(15);
    expect(rows[0]).toMatchObject({ Id: 1, Time: 0, V1: -1.3598071336738, Amount: 149.62, Class: 0, Timestamp: '2018-12-18T12:00:00.000Z' });
    expect(await collect(readPaymentsCsv(file))).toEqual(rows);
  });

  it('reads the extended layout with its own ids, timestamps and users', async () => {
    const rows = await collect(readPaymentsCsv(path.join(shared, 'creditcard_extended.csv')));
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r.Class === 1)).toHaveLength(2);
    expect(rows[0]).toMatchObject({ Id: 1, Timestamp: '2018-12-18T12:00:00Z', User: 'Kai', Time: 0, Amount: 149.62 });
    expect(rows[1]!.User).toBe('Hans');
    expect(rows[3]).toMatchObject({ Id: 4, User: 'Flo', Class: null });
  });

  it('reads gzipped files the same as plain ones', async () => {
    const file = path.join(shared, 'creditcard_small.csv');
    const gz = path.join(tmp, 'small.csv.gz');
    await writeFile(gz, gzipSync(await readFile(file)));
    expect(await collect(readPaymentsCsv(gz))).toEqual(await collect(readPaymentsCsv(file)));
  });
});

describe('bad input', () => {
  it('names the file, line and problem', async () => {
    const header = '"Time",' + Array.from({ length: 28 }, (_, i) => `"V${i + 1}"`).join(',') + ',"Amount","Class"';
    const good = ['0', ...Array.from({ length: 28 }, () => '0.5'), '10.0', '"0"'].join(',');
    const bad = ['1', ...Array.from({ length: 28 }, () => '0.5'), 'abc', '"0"'].join(',');
    const file = path.join(tmp, 'bad.csv');
    await writeFile(file, [header, good, bad].join('\n') + '\n');
    await expect(collect(readPaymentsCsv(file))).rejects.toThrow(/bad\.csv:3: Amount is not a number: 'abc'/);
    const other = path.join(tmp, 'other.csv');
    await writeFile(other, 'a,b,c\n');
    await expect(collect(readPaymentsCsv(other))).rejects.toThrow(/neither the Kaggle header layout/);
  });
});
