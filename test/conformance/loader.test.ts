import { describe, expect, it } from 'vitest';
import { isLosslessNumber } from 'lossless-json';
import { expandFile, parseQttFile } from '../../src/engine/conformance/qtt-loader.js';
import { parseIndexClasses, parseScopeTsv } from '../../src/engine/conformance/scope.js';
import { parseSchemaText } from '../../src/engine/conformance/schema-text.js';
import { topicOfCreateStatement, topicsToCreate } from '../../src/engine/conformance/topic-inference.js';
import { SqlTypes } from '../../src/engine/types.js';

const fileWith = (tests: unknown[]): string => JSON.stringify({ tests });

describe('variant expansion', () => {
  it('runs a test without format or config once, with empty variant columns', () => {
    const variants = expandFile('a.json', parseQttFile(fileWith([{ name: 't', statements: ['SELECT 1;'] }])));
    expect(variants).toHaveLength(1);
    expect(variants[0]).toMatchObject({ file: 'a.json', testIndex: 0, format: '', config: '', fullName: 'a - t', enabled: true });
  });

  it('expands `format` and replaces {FORMAT} in every statement', () => {
    const qtt = parseQttFile(
      fileWith([
        { name: 'skip', statements: ['x'] },
        { name: 'f', format: ['JSON', 'AVRO'], statements: ["CREATE STREAM S (A INT) WITH (value_format='{FORMAT}', kafka_topic='{FORMAT}');"] },
      ]),
    );
    const variants = expandFile('dir/b.json', qtt).filter((v) => v.name === 'f');
    expect(variants.map((v) => [v.testIndex, v.format, v.fullName])).toEqual([
      [1, 'JSON', 'b - f - JSON'],
      [1, 'AVRO', 'b - f - AVRO'],
    ]);
    expect(variants[1]!.statements[0]).toBe("CREATE STREAM S (A INT) WITH (value_format='AVRO', kafka_topic='AVRO');");
  });

  it('leaves the harness error text in place of {FORMAT} when the test has no format list', () => {
    const [variant] = expandFile('c.json', parseQttFile(fileWith([{ name: 't', statements: ["value_format='{FORMAT}'"] }])));
    expect(variant!.statements[0]).toContain("please set the 'format' test case element");
  });

  it('expands `config` into the {CONFIG} property, crossed with formats', () => {
    const qtt = parseQttFile(
      fileWith([
        {
          name: 't',
          format: ['JSON', 'DELIMITED'],
          config: ['true', 'false'],
          properties: { 'ksql.new.query.planner.enabled': '{CONFIG}', other: 'x' },
          statements: ['s'],
        },
      ]),
    );
    const variants = expandFile('d.json', qtt);
    expect(variants.map((v) => `${v.format}/${v.config}/${String(v.properties['ksql.new.query.planner.enabled'])}`)).toEqual([
      'JSON/true/true',
      'JSON/false/false',
      'DELIMITED/true/true',
      'DELIMITED/false/false',
    ]);
    expect(variants[1]!.fullName).toBe('d - t - JSON - ksql.new.query.planner.enabled=false');
    expect(variants[1]!.properties['other']).toBe('x');
  });

  it('rejects a config list without exactly one {CONFIG} property', () => {
    const qtt = parseQttFile(fileWith([{ name: 't', config: ['a'], properties: {}, statements: [] }]));
    expect(() => expandFile('e.json', qtt)).toThrow(/CONFIG/);
  });

  it('marks disabled tests and keeps numbers lossless in keys and values', () => {
    const text =
      '{"tests":[{"name":"t","enabled":false,"statements":[],"inputs":[{"topic":"T","key":12345678901234567890,"value":{"D":1.10},"timestamp":5,"window":{"start":0,"end":10,"type":"TIME"}}]}]}';
    const [variant] = expandFile('f.json', parseQttFile(text));
    expect(variant!.enabled).toBe(false);
    const input = variant!.inputs[0]!;
    expect(isLosslessNumber(input.key) && input.key.value).toBe('12345678901234567890');
    const d = (input.value as Record<string, unknown>)['D'];
    expect(isLosslessNumber(d) && d.value).toBe('1.10');
    expect(input.timestamp).toBe(5);
    expect(input.window).toEqual({ start: 0, end: 10, type: 'time' });
  });
});

describe('topics the harness creates', () => {
  it('infers the topic of CREATE statements that declare columns, with their partitions', () => {
    expect(topicOfCreateStatement("CREATE STREAM S (ID INT KEY) WITH (kafka_topic='in', partitions=4, value_format='JSON');")).toEqual({
      name: 'in',
      partitions: 4,
      replicas: 1,
    });
    expect(topicOfCreateStatement("CREATE TABLE T WITH (kafka_topic='t', value_format='AVRO');")).toBeUndefined();
    expect(topicOfCreateStatement("CREATE STREAM O WITH (kafka_topic='o') AS SELECT * FROM S;")).toBeUndefined();
  });

  it('adds declared topics first, then statement topics, then record topics', () => {
    const [variant] = expandFile(
      'g.json',
      parseQttFile(
        fileWith([
          {
            name: 't',
            topics: [{ name: 'in', partitions: 2 }],
            statements: ["CREATE STREAM S (A INT) WITH (kafka_topic='in', partitions=4, value_format='JSON');"],
            inputs: [{ topic: 'in', value: {} }],
            outputs: [{ topic: 'OUT', value: {} }],
          },
        ]),
      ),
    );
    expect(topicsToCreate(variant!)).toEqual([
      { name: 'in', partitions: 2, replicas: 1 },
      { name: 'OUT', partitions: 1, replicas: 1 },
    ]);
  });
});

describe('post-condition schemas', () => {
  it('parses key and value columns, upper-casing unquoted names', () => {
    expect(parseSchemaText('`id` INT KEY, name VARCHAR, `V` DECIMAL(4,2)')).toEqual([
      { name: 'id', type: SqlTypes.INTEGER, namespace: 'KEY' },
      { name: 'NAME', type: SqlTypes.STRING, namespace: 'VALUE' },
      { name: 'V', type: SqlTypes.decimal(4, 2), namespace: 'VALUE' },
    ]);
  });

  it('parses nested types', () => {
    const [col] = parseSchemaText('L0 STRUCT<F1 INT, `f2` ARRAY<MAP<STRING, BIGINT>>> KEY');
    expect(col).toEqual({
      name: 'L0',
      namespace: 'KEY',
      type: SqlTypes.struct([
        { name: 'F1', type: SqlTypes.INTEGER },
        { name: 'f2', type: SqlTypes.array(SqlTypes.map(SqlTypes.STRING, SqlTypes.BIGINT)) },
      ]),
    });
  });
});

describe('scope and classes', () => {
  it('reads scope.tsv lines keyed by file, index and variant columns', () => {
    const scopes = parseScopeTsv(
      'file\ttest_index\ttest_name\tformat_variant\tconfig_variant\tstatus\treasons\n' +
        'a.json\t0\tt "quoted\t\t\tin\t\n' +
        'a.json\t1\tu\tAVRO\t\tout\tsr_format\n' +
        's.json\t4\tv\t\tfalse\tin-extended\tmap\n',
    );
    expect(scopes.get('a.json\t0\t\t')).toEqual({ status: 'in', reasons: '' });
    expect(scopes.get('a.json\t1\tAVRO\t')).toEqual({ status: 'out', reasons: 'sr_format' });
    expect(scopes.get('s.json\t4\t\tfalse')?.status).toBe('in-extended');
  });

  it("reads each file's class from INDEX.md's table", () => {
    const classes = parseIndexClasses(
      '| File | Entries | Class | What |\n|---|---:|---|---|\n| `math.json` | 35 | 36 | Math functions | ABS, ... |\n| `joins.json` | 1 | Joins | x |\n',
    );
    expect(classes.get('math.json')).toBe('Math functions');
    expect(classes.get('joins.json')).toBe('Joins');
  });
});

describe('failure causes', () => {
  it('groups reasons by cause with names and numbers blanked', async () => {
    const { causeOf, groupReasons } = await import('../../src/engine/conformance/reason-groups.js');
    expect(causeOf("Topic 'OUT', message 3: Expected <1, 2> but was <1, 3>")).toBe('output record differs');
    expect(causeOf('Topic OUT. Expected <2> records but it was <0>. Actual records: ')).toBe('no output records');
    expect(causeOf("statement 2 failed: Line: 1, Col: 8: Unknown function 'FOO'")).toBe("statement failed: Line: N, Col: N: Unknown function '…'");
    const base = { file: 'a.json', testIndex: 0, name: 'n', format: '', config: '', scope: 'in' as const };
    const groups = groupReasons([
      { ...base, status: 'skipped', reason: 'Unsupported: WINDOW SESSION' },
      { ...base, status: 'skipped', reason: 'Unsupported: WINDOW SESSION' },
      { ...base, status: 'failed', reason: 'statement 1 failed: x' },
      { ...base, status: 'passed', reason: '' },
    ]);
    expect(groups.map((g) => [g.status, g.cause, g.count])).toEqual([
      ['skipped', 'Unsupported: WINDOW SESSION', 2],
      ['failed', 'statement failed: x', 1],
    ]);
  });
});
