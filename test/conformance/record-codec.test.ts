import { describe, expect, it } from 'vitest';
import { parseLosslessJson } from '../../src/engine/conformance/qtt-loader.js';
import {
  decodeHarness,
  encodeHarness,
  splitWindowedKey,
  windowKeyBytes,
  type RecordSide,
} from '../../src/engine/conformance/record-codec.js';
import { RecordingTopicLog } from '../../src/engine/conformance/recording-log.js';
import { SqlTypes, type SqlType } from '../../src/engine/types.js';
import { MemoryTopicLog } from '../../src/log/memory-log.js';

const kafka = (type: SqlType): RecordSide => ({ format: { format: 'KAFKA' }, columns: [{ name: 'K', type, namespace: 'KEY' }] });
const json: RecordSide = { format: { format: 'JSON' }, columns: [] };

describe('KAFKA format', () => {
  it('writes big-endian INT, BIGINT and DOUBLE', () => {
    expect(encodeHarness(parseLosslessJson('1'), kafka(SqlTypes.INTEGER))).toEqual(Buffer.from([0, 0, 0, 1]));
    expect(encodeHarness(parseLosslessJson('-1'), kafka(SqlTypes.BIGINT))).toEqual(Buffer.alloc(8, 0xff));
    expect(encodeHarness(parseLosslessJson('9223372036854775807'), kafka(SqlTypes.BIGINT))!.readBigInt64BE()).toBe(9223372036854775807n);
    expect(encodeHarness(parseLosslessJson('1.5'), kafka(SqlTypes.DOUBLE))!.readDoubleBE()).toBe(1.5);
  });

  it('reads BIGINT back as Integer when it fits and DOUBLE as BigDecimal of Double.toString', () => {
    const long = Buffer.alloc(8);
    long.writeBigInt64BE(7n);
    expect(decodeHarness(long, kafka(SqlTypes.BIGINT))).toEqual({ t: 'int', v: 7 });
    long.writeBigInt64BE(2n ** 40n);
    expect(decodeHarness(long, kafka(SqlTypes.BIGINT))).toEqual({ t: 'long', v: 2n ** 40n });
    const double = Buffer.alloc(8);
    double.writeDoubleBE(2);
    expect(decodeHarness(double, kafka(SqlTypes.DOUBLE))).toEqual({ t: 'decimal', unscaled: 20n, scale: 1 });
  });

  it('passes BYTES as the UTF-8 text of the string, as the harness does', () => {
    expect(encodeHarness('abc', kafka(SqlTypes.BYTES))).toEqual(Buffer.from('abc'));
    expect(decodeHarness(Buffer.from('abc'), kafka(SqlTypes.BYTES))).toBe('abc');
  });

  it('rejects data of the wrong size', () => {
    expect(() => decodeHarness(Buffer.from([1, 2]), kafka(SqlTypes.INTEGER))).toThrow(/not 4/);
  });
});

describe('JSON and DELIMITED', () => {
  it('writes JSON text with the digits as written and reads numbers like Jackson', () => {
    expect(encodeHarness(parseLosslessJson('{"A":1.50,"B":12345678901234567890}'), json)!.toString()).toBe(
      '{"A":1.50,"B":12345678901234567890}',
    );
    expect(decodeHarness(Buffer.from('{"A":1.50,"B":3000000000}'), json)).toEqual({
      t: 'map',
      entries: new Map<string, unknown>([
        ['A', { t: 'decimal', unscaled: 150n, scale: 2 }],
        ['B', { t: 'long', v: 3000000000n }],
      ]),
    });
  });

  it('keeps DELIMITED lines as raw strings', () => {
    const side: RecordSide = { format: { format: 'DELIMITED' }, columns: [] };
    expect(encodeHarness('1,"a,b",', side)!.toString()).toBe('1,"a,b",');
    expect(decodeHarness(Buffer.from('1.0,x'), side)).toBe('1.0,x');
  });
});

describe('windowed keys', () => {
  it('round-trips time windows as key + 8-byte start', () => {
    const bytes = windowKeyBytes(Buffer.from('"k"'), { start: 3000, end: 4000, type: 'time' });
    expect(bytes.length).toBe(3 + 8);
    const split = splitWindowedKey(bytes, { type: 'TUMBLING', sizeMs: 1000 });
    expect(split.inner.toString()).toBe('"k"');
    expect(split.window).toEqual({ start: 3000, end: 4000, type: 'time' });
  });

  it('round-trips session windows as key + 8-byte end + 8-byte start', () => {
    const bytes = windowKeyBytes(Buffer.from('k'), { start: 10, end: 20, type: 'session' });
    expect(splitWindowedKey(bytes, { type: 'SESSION' }).window).toEqual({ start: 10, end: 20, type: 'session' });
  });
});

describe('recording log', () => {
  it('reads a topic back in append order across partitions', async () => {
    const log = new RecordingTopicLog(new MemoryTopicLog());
    await log.createTopic('t', { partitions: 3 });
    const order = [2, 0, 1, 0, 2];
    for (const [i, partition] of order.entries()) {
      await log.append('t', [{ key: null, value: Buffer.from(String(i)), partition, timestamp: 0 }]);
    }
    const records = await log.readAllInWriteOrder('t');
    expect(records.map((r) => r.value!.toString())).toEqual(['0', '1', '2', '3', '4']);
    expect(records.map((r) => r.partition)).toEqual(order);
  });
});
