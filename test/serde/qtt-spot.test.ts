/**
 * Spot checks of the serdes against expectations in ksqlDB's own QTT files
 * (/work/shared/ksqldb/qtt): records are pushed through our serdes the way the reference
 * topology would read and write them, and compared with the files' expected outputs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseLossless } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { serdeFactory } from '../../src/engine/serde/index.js';
import { SqlTypes, type Column, type SqlType } from '../../src/engine/types.js';
import { javaDoubleToString } from '../../src/engine/values/java-format.js';
import type { Value } from '../../src/engine/values/value.js';

const QTT_DIR = '/work/shared/ksqldb/qtt';
const S = SqlTypes;

interface QttRecord {
  key?: unknown;
  value: unknown;
}
interface QttTest {
  name: string;
  inputs?: QttRecord[];
  outputs?: QttRecord[];
}

function rawFile(file: string): string {
  return readFileSync(`${QTT_DIR}/${file}`, 'utf8');
}

function qttTest(file: string, name: string): QttTest {
  const doc = parseLossless(rawFile(file)) as { tests: QttTest[] };
  const test = doc.tests.find((t) => t.name === name);
  if (!test) throw new Error(`no test ${name} in ${file}`);
  return test;
}

const col = (name: string, type: SqlType, namespace: Column['namespace'] = 'VALUE'): Column => ({ name, type, namespace });
const utf8 = (s: unknown) => Buffer.from(String(s), 'utf8');

describe.skipIf(!existsSync(QTT_DIR))('QTT spot checks', () => {
  it('delimited.json "read written decimals": full scale, quoting of a leading minus', () => {
    const t = qttTest('delimited.json', 'read written decimals');
    const serde = serdeFactory.valueSerde({ format: 'DELIMITED', delimiter: ',' }, [col('V', S.decimal(33, 16))]);
    const written = t.inputs!.map((r) => serde.serialize(serde.deserialize(utf8(r.value)))!.toString('utf8'));
    expect(written).toEqual(t.outputs!.map((r) => r.value));
  });

  it('delimited.json "DECIMAL - key": quoted input, null key', () => {
    const t = qttTest('delimited.json', 'DECIMAL - key');
    const serde = serdeFactory.keySerde({ format: 'DELIMITED', delimiter: ',' }, [col('K', S.decimal(6, 4), 'KEY')]);
    const written = t.inputs!.map((r) => {
      const { values } = serde.deserialize(r.key === null ? null : utf8(r.key));
      const out = serde.serialize(values);
      return out === null ? null : out.toString('utf8');
    });
    expect(written).toEqual(t.outputs!.map((r) => r.key));
  });

  it('delimited.json SPACE and TAB delimiters pass values through unchanged', () => {
    for (const [name, delimiter] of [
      ['select delimited value_format with SPACE separated values using custom delimiter character', ' '],
      ['select delimited value_format with TAB separated values using custom delimiter character', '\t'],
    ] as const) {
      const t = qttTest('delimited.json', name);
      const serde = serdeFactory.valueSerde({ format: 'DELIMITED', delimiter }, [
        col('ID', S.BIGINT),
        col('NAME', S.STRING),
        col('VALUE', S.INTEGER),
      ]);
      const written = t.inputs!.map((r) => serde.serialize(serde.deserialize(utf8(r.value)))!.toString('utf8'));
      expect(written).toEqual(t.outputs!.map((r) => r.value));
    }
  });

  it('group-by.json: a DELIMITED key starting with "-" is quoted', () => {
    const t = qttTest('group-by.json', 'with single grouping set (stream->table)');
    const key = serdeFactory.keySerde({ format: 'DELIMITED', delimiter: ',' }, [
      col('F3', S.INTEGER, 'KEY'),
      col('F2', S.STRING, 'KEY'),
      col('F1', S.INTEGER, 'KEY'),
    ]);
    const value = serdeFactory.valueSerde({ format: 'DELIMITED', delimiter: ',' }, [
      col('F1', S.INTEGER),
      col('F2', S.STRING),
      col('F3', S.INTEGER),
    ]);
    const keys = t.inputs!.map((r) => {
      const [f1, f2, f3] = value.deserialize(utf8(r.value))!;
      return key.serialize([f3!, f2!, f1!])!.toString('utf8');
    });
    expect(keys).toEqual(t.outputs!.map((r) => r.key));
  });

  it('string.json: whitespace is kept on input and forces quotes on output', () => {
    const t = qttTest('string.json', 'LCASE, UCASE, TRIM SUBSTRING');
    const input = serdeFactory.valueSerde({ format: 'DELIMITED', delimiter: ',' }, [col('TEXT', S.STRING)]);
    const output = serdeFactory.valueSerde({ format: 'DELIMITED', delimiter: ',' }, [
      col('KSQL_COL_0', S.STRING),
      col('KSQL_COL_1', S.STRING),
      col('KSQL_COL_2', S.STRING),
      col('KSQL_COL_3', S.STRING),
    ]);
    const written = t.inputs!.map((r) => {
      const text = input.deserialize(utf8(r.value))![0] as string;
      const row: Value[] = [text.toLowerCase(), text.toUpperCase(), text.trim(), text.substring(1, 6)];
      return output.serialize(row)!.toString('utf8');
    });
    expect(written).toEqual(t.outputs!.map((r) => r.value));
  });

  it('math.json: NaN and infinities are written as JSON strings', () => {
    const serde = serdeFactory.valueSerde({ format: 'JSON' }, [col('I', S.DOUBLE), col('L', S.DOUBLE), col('D', S.DOUBLE)]);
    const expected = rawFile('math.json');
    for (const x of [NaN, Infinity, -Infinity]) {
      const json = serde.serialize([x, x, x])!.toString('utf8');
      const spaced = json.replaceAll('":', '": ').replaceAll(',"', ', "');
      expect(expected).toContain(`"value": ${spaced}`);
    }
  });

  it('average-udaf.json: DOUBLE text is JDK 8 FloatingDecimal, not shortest digits', () => {
    const serde = serdeFactory.valueSerde({ format: 'JSON' }, [col('AVG', S.DOUBLE)]);
    const written = serde.serialize([(2 ** 63 - 1) / 2])!.toString('utf8');
    expect(written).toBe('{"AVG":4.6116860184273879E18}');
    expect(rawFile('average-udaf.json')).toContain('{"AVG": 4.6116860184273879E18}');
  });

  it('kafka.json DOUBLE: 8-byte values read back to the expected digits', () => {
    const t = qttTest('kafka.json', 'DOUBLE');
    const serde = serdeFactory.valueSerde({ format: 'KAFKA' }, [col('FOO', S.DOUBLE)]);
    const key = serdeFactory.keySerde({ format: 'KAFKA' }, [col('K', S.DOUBLE, 'KEY')]);
    const values = t.inputs!.map((r) => javaDoubleToString(serde.deserialize(serde.serialize([Number(r.value)]))![0] as number));
    const keys = t.inputs!.map((r) => javaDoubleToString(key.deserialize(key.serialize([Number(r.key)])).values[0] as number));
    expect(values).toEqual(t.outputs!.map((r) => String(r.value)));
    expect(keys).toEqual(t.outputs!.map((r) => String(r.key)));
  });

  it('formats.json: explicit KAFKA key with an unsupported type is refused with its message', () => {
    const raw = rawFile('formats.json');
    let message = '';
    try {
      serdeFactory.keySerde({ format: 'KAFKA' }, [col('K', S.BOOLEAN, 'KEY')]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("The 'KAFKA' format does not support type 'BOOLEAN'");
    expect(raw).toContain("The 'KAFKA' format does not support type 'BOOLEAN'");
  });
});
