import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, frameSize } from '../../src/log/record-codec.js';
import type { ProduceRecord } from '../../src/log/topic-log.js';

const record: ProduceRecord = {
  key: Buffer.from('key-1'),
  value: Buffer.from('{"amount": 12.5}'),
  headers: [
    { key: 'tråce', value: Buffer.from([1, 2, 3]) },
    { key: 'none', value: null },
  ],
};

function encoded(r: ProduceRecord, offset: number, timestamp: number): Buffer {
  const out = Buffer.alloc(frameSize(r));
  expect(encodeFrame(out, 0, r, offset, timestamp)).toBe(out.length);
  return out;
}

describe('record frames', () => {
  it('decode to what was encoded', () => {
    const frame = encoded(record, 2 ** 40 + 3, 1_700_000_000_123);
    const decoded = decodeFrame(frame, 0, frame.length, 'topic', 4);
    expect(decoded.kind).toBe('record');
    if (decoded.kind !== 'record') return;
    expect(decoded.end).toBe(frame.length);
    expect(decoded.record).toEqual({
      topic: 'topic',
      partition: 4,
      offset: 2 ** 40 + 3,
      key: record.key,
      value: record.value,
      timestamp: 1_700_000_000_123,
      headers: record.headers,
    });
  });

  it('report a frame cut anywhere as incomplete', () => {
    const frame = encoded(record, 0, 0);
    for (let length = 0; length < frame.length; length++) {
      expect(decodeFrame(frame, 0, length, 't', 0).kind).toBe('incomplete');
    }
  });

  it('never decode a frame with any byte changed', () => {
    const frame = encoded(record, 7, 99);
    for (let i = 0; i < frame.length; i++) {
      const damaged = Buffer.from(frame);
      damaged[i] ^= 0x5a;
      expect(decodeFrame(damaged, 0, damaged.length, 't', 0).kind, `byte ${i}`).not.toBe('record');
    }
  });
});
