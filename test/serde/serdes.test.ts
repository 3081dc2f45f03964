import { describe, expect, it } from 'vitest';
import { KsqlError, SerdeError, UnsupportedError } from '../../src/engine/errors.js';
import { serdeFactory } from '../../src/engine/serde/index.js';
import type { FormatInfo } from '../../src/engine/serde/types.js';
import { SqlTypes, type Column, type SqlType } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';
import type { Value } from '../../src/engine/values/value.js';

const S = SqlTypes;
const col = (name: string, type: SqlType, namespace: Column['namespace'] = 'VALUE'): Column => ({ name, type, namespace });
const key = (name: string, type: SqlType): Column => col(name, type, 'KEY');
const JSON_FMT: FormatInfo = { format: 'JSON' };
const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));
const bytes = (s: string) => Buffer.from(s, 'utf8');

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('JSON values', () => {
  const columns = [
    col('B', S.BOOLEAN),
    col('I', S.INTEGER),
    col('L', S.BIGINT),
    col('D', S.DOUBLE),
    col('DEC', S.decimal(6, 2)),
    col('S', S.STRING),
    col('BY', S.BYTES),
    col('TS', S.TIMESTAMP),
    col('DT', S.DATE),
    col('TM', S.TIME),
    col('A', S.array(S.STRING)),
    col('M', S.map(S.STRING, S.INTEGER)),
    col('ST', S.struct([{ name: 'f', type: S.DOUBLE }])),
  ];
  const serde = serdeFactory.valueSerde(JSON_FMT, columns);
  const row: Value[] = [
    true,
    -7,
    9007199254740993n,
    0.5,
    new Decimal(-1234n, 2),
    'hé"llo',
    Buffer.from([1, 2, 3]),
    1700000000000,
    19000,
    3600000,
    ['x', null],
    new Map<Value, Value>([['k', 1]]),
    { f: 1e21 },
  ];

  it('writes an object keyed by the declared names', () => {
    expect(text(serde.serialize(row))).toBe(
      '{"B":true,"I":-7,"L":9007199254740993,"D":0.5,"DEC":-12.34,"S":"hé\\"llo","BY":"AQID","TS":1700000000000,' +
        '"DT":19000,"TM":3600000,"A":["x",null],"M":{"k":1},"ST":{"f":1.0E21}}',
    );
  });

  it('round-trips every type', () => {
    expect(serde.deserialize(serde.serialize(row))).toEqual(row);
  });

  it('matches field names case-insensitively, ignores unknown fields, nulls missing ones', () => {
    const two = serdeFactory.valueSerde(JSON_FMT, [col('ID', S.BIGINT), col('NAME', S.STRING)]);
    expect(two.deserialize(bytes('{"id": 1, "other": true}'))).toEqual([1n, null]);
  });

  it('keeps null values (tombstones) null', () => {
    expect(serde.serialize(null)).toBeNull();
    expect(serde.deserialize(null)).toBeNull();
    expect(serde.deserialize(bytes('null'))).toBeNull();
  });

  it('wraps a single column unless WRAP_SINGLE_VALUE=false', () => {
    const cols = [col('V', S.INTEGER)];
    expect(text(serdeFactory.valueSerde(JSON_FMT, cols).serialize([5]))).toBe('{"V":5}');
    const bare = serdeFactory.valueSerde({ format: 'JSON', wrapSingleValue: false }, cols);
    expect(text(bare.serialize([5]))).toBe('5');
    expect(bare.deserialize(bytes('6'))).toEqual([6]);
  });

  it('rejects malformed JSON and wrong shapes with SerdeError', () => {
    expect(errorOf(() => serde.deserialize(bytes('{"B": tru')))).toBeInstanceOf(SerdeError);
    const e = errorOf(() => serde.deserialize(bytes('{"B": "yes"}')));
    expect(e).toBeInstanceOf(SerdeError);
    expect(e.message).toBe("Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: $.B");
    expect(errorOf(() => serde.deserialize(bytes('[1]'))).message).toContain('sourceType: ArrayNode');
    expect(errorOf(() => serde.deserialize(bytes('{"B": 1.0}'))).message).toContain('sourceType: DecimalNode, requiredType: BOOLEAN');
    expect(errorOf(() => serde.deserialize(bytes('{"B": 1}'))).message).toContain('sourceType: IntNode, requiredType: BOOLEAN');
  });

  it('re-reads losslessly when a number literal matters: big BIGINTs, numbers into STRING', () => {
    const serde = serdeFactory.valueSerde(JSON_FMT, [col('L', S.BIGINT), col('S', S.STRING), col('D', S.DOUBLE)]);
    expect(serde.deserialize(bytes('{"L": 9223372036854775807, "S": 1.50, "D": 0.1}'))).toEqual([9223372036854775807n, '1.50', 0.1]);
    expect(serde.deserialize(bytes('{"L": -9007199254740993, "S": {"a": 1.0}, "D": 1}'))).toEqual([-9007199254740993n, '{"a":1.0}', 1]);
    expect(serde.deserialize(bytes('{"l": 1, "s": 12}'))).toEqual([1n, '12', null]);
  });

  it('reads decimals exactly and refuses extra fraction digits', () => {
    const dec = serdeFactory.valueSerde(JSON_FMT, [col('D', S.decimal(20, 10))]);
    expect(dec.deserialize(bytes('{"D": 1234567890.0123456789}'))).toEqual([new Decimal(12345678900123456789n, 10)]);
    expect(errorOf(() => dec.deserialize(bytes('{"D": 1.00000000001}')))).toBeInstanceOf(SerdeError);
  });
});

describe('JSON keys', () => {
  it('writes one key column as the bare value', () => {
    const k = serdeFactory.keySerde(JSON_FMT, [key('K', S.STRING)]);
    expect(text(k.serialize(['a']))).toBe('"a"');
    expect(k.deserialize(bytes('"b"'))).toEqual({ values: ['b'] });
  });

  it('writes several key columns as an object', () => {
    const k = serdeFactory.keySerde(JSON_FMT, [key('K', S.INTEGER), key('K2', S.INTEGER)]);
    expect(text(k.serialize([1, 2]))).toBe('{"K":1,"K2":2}');
    expect(k.deserialize(bytes('{"k": 1, "K2": 2}'))).toEqual({ values: [1, 2] });
  });

  it('maps null keys to null columns and back', () => {
    const k = serdeFactory.keySerde(JSON_FMT, [key('K', S.STRING)]);
    expect(k.serialize([null])).toBeNull();
    expect(k.deserialize(null)).toEqual({ values: [null] });
  });
});

describe('DELIMITED', () => {
  const fmt: FormatInfo = { format: 'DELIMITED', delimiter: ',' };

  it('writes CSV with commons-csv quoting', () => {
    const serde = serdeFactory.valueSerde(fmt, [col('A', S.STRING), col('B', S.STRING), col('C', S.STRING), col('D', S.STRING)]);
    expect(text(serde.serialize([' \t x \t', 'a,b', 'say "hi"', null]))).toBe('" \t x \t","a,b","say ""hi""",');
    expect(text(serde.serialize(['-1', '-1', '', '#x']))).toBe('"-1",-1,,"#x"');
    expect(text(serde.serialize(['', 'x', 'trailing ', 'ok']))).toBe('"",x,"trailing ",ok');
  });

  it('writes numbers like Java: doubles, decimals at full scale, booleans, timestamps', () => {
    const serde = serdeFactory.valueSerde(fmt, [
      col('D', S.DOUBLE),
      col('DEC', S.decimal(6, 4)),
      col('B', S.BOOLEAN),
      col('TS', S.TIMESTAMP),
      col('L', S.BIGINT),
    ]);
    expect(text(serde.serialize([1e7, new Decimal(100000n, 4), false, 1000, -5n]))).toBe('1.0E7,10.0000,false,1000,-5');
  });

  it('parses quoted fields, empty fields as null and custom delimiters', () => {
    const serde = serdeFactory.valueSerde({ format: 'DELIMITED', delimiter: '\t' }, [
      col('A', S.STRING),
      col('B', S.INTEGER),
      col('C', S.STRING),
    ]);
    expect(serde.deserialize(bytes('"a\tb"\t\t"x ""y"""'))).toEqual(['a\tb', null, 'x "y"']);
    expect(serde.deserialize(bytes('plain\t3\t'))).toEqual(['plain', 3, null]);
  });

  it('parses booleans like Boolean.parseBoolean and doubles like Double.parseDouble', () => {
    const serde = serdeFactory.valueSerde(fmt, [col('B', S.BOOLEAN), col('D', S.DOUBLE)]);
    expect(serde.deserialize(bytes('TRUE,1e3'))).toEqual([true, 1000]);
    expect(serde.deserialize(bytes('yes,-Infinity'))).toEqual([false, -Infinity]);
  });

  it('refuses a wrong field count or bad numbers', () => {
    const serde = serdeFactory.valueSerde(fmt, [col('A', S.INTEGER), col('B', S.INTEGER)]);
    const e = errorOf(() => serde.deserialize(bytes('1,2,3')));
    expect(e).toBeInstanceOf(SerdeError);
    expect(e.message).toContain('Unexpected field count, csvFields:3 schemaFields:2');
    expect(errorOf(() => serde.deserialize(bytes('1,x')))).toBeInstanceOf(SerdeError);
    expect(errorOf(() => serde.deserialize(bytes('1,"2')))).toBeInstanceOf(SerdeError);
  });

  it('refuses complex types with ksqlDB message', () => {
    const e = errorOf(() => serdeFactory.keySerde(fmt, [key('K', S.array(S.DOUBLE))]));
    expect(e).toBeInstanceOf(KsqlError);
    expect(e.message).toBe(
      "Key format does not support schema.\nformat: DELIMITED\nschema: Persistence{columns=[`K` ARRAY<DOUBLE> KEY], features=[]}\n" +
        "reason: The 'DELIMITED' format does not support type 'ARRAY', column: `K`",
    );
  });

  it('reads multi-column keys with their own delimiter', () => {
    const k = serdeFactory.keySerde({ format: 'DELIMITED', delimiter: ';' }, [key('K1', S.STRING), key('K2', S.STRING)]);
    expect(k.deserialize(bytes('foo,bar;baz'))).toEqual({ values: ['foo,bar', 'baz'] });
    expect(text(k.serialize(['foo,bar', 'baz']))).toBe('foo,bar;baz');
  });
});

describe('KAFKA', () => {
  const fmt: FormatInfo = { format: 'KAFKA' };
  const one = (type: SqlType) => serdeFactory.valueSerde(fmt, [col('V', type)]);

  it('uses Kafka primitive layouts', () => {
    expect(one(S.INTEGER).serialize([-2])!.toString('hex')).toBe('fffffffe');
    expect(one(S.BIGINT).serialize([258n])!.toString('hex')).toBe('0000000000000102');
    expect(one(S.DOUBLE).serialize([1.5])!.toString('hex')).toBe('3ff8000000000000');
    expect(one(S.STRING).serialize(['é'])!.toString('hex')).toBe('c3a9');
    expect(one(S.BYTES).serialize([Buffer.from([9, 8])])!.toString('hex')).toBe('0908');
  });

  it('round-trips values and refuses wrong sizes', () => {
    expect(one(S.INTEGER).deserialize(Buffer.from('0000007b', 'hex'))).toEqual([123]);
    expect(one(S.BIGINT).deserialize(Buffer.from('ffffffffffffffff', 'hex'))).toEqual([-1n]);
    expect(one(S.DOUBLE).deserialize(Buffer.from('3ff8000000000000', 'hex'))).toEqual([1.5]);
    const e = errorOf(() => one(S.INTEGER).deserialize(Buffer.from('00', 'hex')));
    expect(e).toBeInstanceOf(SerdeError);
    expect(e.message).toBe('Size of data received by IntegerDeserializer is not 4');
  });

  it('writes no key for keyless schemas', () => {
    const k = serdeFactory.keySerde(fmt, []);
    expect(k.serialize([])).toBeNull();
    expect(k.deserialize(Buffer.from('ab'))).toEqual({ values: [] });
  });

  it('refuses unsupported types and several columns with ksqlDB messages', () => {
    expect(errorOf(() => serdeFactory.keySerde(fmt, [key('K', S.BOOLEAN)])).message).toBe(
      "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` BOOLEAN KEY], features=[]}\n" +
        "reason: The 'KAFKA' format does not support type 'BOOLEAN'",
    );
    expect(errorOf(() => serdeFactory.keySerde(fmt, [key('K1', S.INTEGER), key('K2', S.INTEGER)])).message).toContain(
      "reason: The 'KAFKA' format only supports a single field. Got: [`K1` INTEGER KEY, `K2` INTEGER KEY]",
    );
    expect(errorOf(() => serdeFactory.valueSerde(fmt, [col('V0', S.INTEGER), col('V1', S.STRING)])).message).toContain(
      "The 'KAFKA' format only supports a single field. Got: [`V0` INTEGER, `V1` STRING]",
    );
    expect(errorOf(() => one(S.decimal(4, 2))).message).toContain("The 'KAFKA' format does not support type 'DECIMAL'");
    expect(errorOf(() => one(S.TIMESTAMP)).message).toContain("The 'KAFKA' format does not support type 'TIMESTAMP'");
  });
});

describe('windowed keys', () => {
  it('appends the window start for time windows', () => {
    const k = serdeFactory.keySerde({ format: 'KAFKA' }, [key('K', S.INTEGER)], { type: 'TUMBLING', sizeMs: 1000 });
    const b = k.serialize([1], { start: 5000, end: 6000 })!;
    expect(b.toString('hex')).toBe('00000001' + '0000000000001388');
    expect(k.deserialize(b)).toEqual({ values: [1], window: { start: 5000, end: 6000 } });
  });

  it('appends end then start for session windows', () => {
    const k = serdeFactory.keySerde({ format: 'JSON' }, [key('K', S.STRING)], { type: 'SESSION' });
    const b = k.serialize(['a'], { start: 1, end: 2 })!;
    expect(b.toString('hex')).toBe(Buffer.from('"a"').toString('hex') + '0000000000000002' + '0000000000000001');
    expect(k.deserialize(b)).toEqual({ values: ['a'], window: { start: 1, end: 2 } });
  });
});

describe('Schema Registry formats', () => {
  it.each(['AVRO', 'PROTOBUF', 'PROTOBUF_NOSR', 'JSON_SR'] as const)('%s is refused as unsupported', (format) => {
    const e = errorOf(() => serdeFactory.valueSerde({ format }, [col('V', S.INTEGER)]));
    expect(e).toBeInstanceOf(UnsupportedError);
    expect(e.message).toMatch(/^Unsupported: .*format/);
  });
});
