import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/engine/errors.js';
import { parseStatement } from '../../src/engine/parser/parser.js';
import { parseDefine, sanitize, substituteVariables } from '../../src/engine/parser/variables.js';

const vars = (entries: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(entries));

describe('substituteVariables', () => {
  it('inserts identifiers as is, with case-insensitive names', () => {
    expect(substituteVariables('SELECT ${Col} AS x, ${src}.a FROM ${SRC};', vars({ col: "'k'", src: 'Orders' }))).toBe(
      "SELECT 'k' AS x, Orders.a FROM Orders;",
    );
    expect(substituteVariables('CREATE STREAM ${name} (a INT);', vars({ name: '`MyStream`' }))).toBe('CREATE STREAM `MyStream` (a INT);');
  });

  it('checks identifier values', () => {
    expect(() => substituteVariables('CREATE STREAM ${name} (a INT);', vars({ name: 'a-b' }))).toThrow(
      "Illegal argument at Line: 1, Col: 15. Identifier names cannot start with '@' and may only contain alphanumeric values and '_'.",
    );
    expect(() => substituteVariables('DROP STREAM ${unknown};', vars({}))).toThrow(ParseError);
  });

  it('accepts strings, booleans and numbers where literals go, and rejects anything else', () => {
    const sql = 'INSERT INTO s (a, b, c, d) VALUES (${s}, ${b}, ${n}, ${d});';
    expect(substituteVariables(sql, vars({ s: "'it''s'", b: 'TRUE', n: '-12', d: '1.5e3' }))).toBe(
      "INSERT INTO s (a, b, c, d) VALUES ('it''s', TRUE, -12, 1.5e3);",
    );
    expect(() => substituteVariables(sql, vars({ s: 'abc', b: 'true', n: '1', d: '1' }))).toThrow('Illegal argument at Line: 1, Col: 36.');
    expect(() => substituteVariables("SELECT * FROM t WHERE k = ${missing};", vars({}))).toThrow('Illegal argument at Line: 1, Col: 27.');
  });

  it('escapes values inside string literals and leaves unknown references there alone', () => {
    const sql = "CREATE STREAM s (a INT) WITH (kafka_topic='${topic}', value_format='${fmt}', partitions=${p});";
    expect(substituteVariables(sql, vars({ TOPIC: "it's", p: '2' }))).toBe(
      "CREATE STREAM s (a INT) WITH (kafka_topic='it''s', value_format='${fmt}', partitions=2);",
    );
    expect(parseStatement(substituteVariables(sql, vars({ topic: "it's", p: '2' })))).toMatchObject({
      properties: { KAFKA_TOPIC: "it's", VALUE_FORMAT: '${fmt}', PARTITIONS: 2 },
    });
  });

  it('substitutes in DEFINE values and SET properties', () => {
    expect(substituteVariables("DEFINE b = '${a}_x';", vars({ a: 'v' }))).toBe("DEFINE b = 'v_x';");
    expect(substituteVariables("SET '${p}' = '${v}';", vars({ p: 'auto.offset.reset', v: 'earliest' }))).toBe(
      "SET 'auto.offset.reset' = 'earliest';",
    );
  });

  it('turns $${name} into a literal reference', () => {
    expect(substituteVariables("SELECT '$${a}', '${a}' FROM s;", vars({ a: 'x' }))).toBe("SELECT '${a}', 'x' FROM s;");
  });

  it('leaves text without references untouched', () => {
    const sql = "SELECT '$' FROM s;";
    expect(substituteVariables(sql, vars({ a: 'x' }))).toBe(sql);
  });

  it('reports syntax errors of the statement itself', () => {
    expect(() => substituteVariables('SELECT ${a} FROM;', vars({ a: '1' }))).toThrow(/Syntax Error/);
  });
});

describe('sanitize', () => {
  it.each([
    ["it's", "it''s"],
    ["'quoted'", "'quoted'"],
    ["'it''s'", "'it''s'"],
    ['plain', 'plain'],
  ])('%s', (value, expected) => {
    expect(sanitize(value)).toBe(expected);
  });
});

describe('parseDefine', () => {
  it('reads DEFINE statements only', () => {
    expect(parseDefine("DEFINE topic = 'my''topic';")).toEqual({ name: 'topic', value: "my'topic" });
    expect(parseDefine("define Topic='x'")).toEqual({ name: 'Topic', value: 'x' });
    expect(parseDefine('UNDEFINE topic;')).toBeUndefined();
    expect(parseDefine("DEFINE a = 'x'; DEFINE b = 'y';")).toBeUndefined();
  });
});
