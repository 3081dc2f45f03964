import { describe, expect, it } from 'vitest';
import { KsqlStatementError, ParseError, UnsupportedError } from '../../src/engine/errors.js';
import type * as Ast from '../../src/engine/parser/ast.js';
import { formatExpression } from '../../src/engine/parser/format.js';
import { parseSqlType, parseStatement, parseStatements } from '../../src/engine/parser/parser.js';
import { SqlTypes, formatSqlType } from '../../src/engine/types.js';

function one<K extends Ast.Statement['kind']>(sql: string, kind: K): Extract<Ast.Statement, { kind: K }> {
  const s = parseStatement(sql);
  expect(s.kind).toBe(kind);
  return s as Extract<Ast.Statement, { kind: K }>;
}

describe('statement splitting', () => {
  it('splits on semicolons outside strings, quoted names and comments, keeping exact text', () => {
    const sql = "  -- leading comment\nSELECT ';' AS `a;b` FROM s /* ; */ EMIT CHANGES;\n\n SHOW STREAMS ;";
    const statements = parseStatements(sql);
    expect(statements.map((s) => s.text)).toEqual([
      "SELECT ';' AS `a;b` FROM s /* ; */ EMIT CHANGES;",
      'SHOW STREAMS ;',
    ]);
    expect(statements[0]!.loc).toEqual({ line: 2, column: 0 });
  });

  it('requires the terminating semicolon', () => {
    expect(() => parseStatements('SHOW STREAMS')).toThrow("line 1:13: Syntax Error\nmissing ';' at '<EOF>'");
  });

  it('parses an empty request as no statements', () => {
    expect(parseStatements('  -- nothing\n')).toEqual([]);
  });
});

describe('CREATE STREAM / TABLE', () => {
  it('reads columns, constraints and upper-cased property keys', () => {
    const s = one(
      "CREATE STREAM IF NOT EXISTS s (id INT KEY, `Name` VARCHAR, h BYTES HEADER('k'), hs ARRAY<STRUCT<k STRING, v BYTES>> HEADERS) " +
        "WITH (kafka_topic='t', value_format='JSON', partitions=3, 'wrap_single_value'=false);",
      'CreateSource',
    );
    expect(s).toMatchObject({ sourceType: 'STREAM', name: 'S', ifNotExists: true, orReplace: false, isSource: false });
    expect(s.elements).toEqual([
      { name: 'ID', type: SqlTypes.INTEGER, constraint: 'KEY' },
      { name: 'Name', type: SqlTypes.STRING },
      { name: 'H', type: SqlTypes.BYTES, constraint: { header: 'k' } },
      {
        name: 'HS',
        type: SqlTypes.array(SqlTypes.struct([{ name: 'K', type: SqlTypes.STRING }, { name: 'V', type: SqlTypes.BYTES }])),
        constraint: 'HEADERS',
      },
    ]);
    expect(s.properties).toEqual({ KAFKA_TOPIC: 't', VALUE_FORMAT: 'JSON', PARTITIONS: 3, WRAP_SINGLE_VALUE: false });
  });

  it('reads CREATE OR REPLACE SOURCE TABLE with PRIMARY KEY', () => {
    const s = one("CREATE OR REPLACE SOURCE TABLE t (k STRING PRIMARY KEY, v DECIMAL(4, 2)) WITH (kafka_topic='t');", 'CreateSource');
    expect(s).toMatchObject({ sourceType: 'TABLE', orReplace: true, isSource: true });
    expect(s.elements[1]).toEqual({ name: 'V', type: SqlTypes.decimal(4, 2) });
  });

  it('rejects the other source type key keyword like ksqlDB', () => {
    expect(() => parseStatement("CREATE TABLE INPUT (ID INT KEY, NAME STRING) WITH (kafka_topic='input');")).toThrow(
      "Line: 1, Col: 21: Column `ID` is a 'KEY' column: please use 'PRIMARY KEY' for tables.",
    );
    expect(() => parseStatement("CREATE STREAM INPUT (ID INT PRIMARY KEY) WITH (kafka_topic='input');")).toThrow(
      "Line: 1, Col: 22: Column `ID` is a 'PRIMARY KEY' column: please use 'KEY' for streams.",
    );
  });

  it('reads CREATE ... AS SELECT with properties and defaults EMIT CHANGES', () => {
    const s = one("CREATE TABLE agg WITH (kafka_topic='out') AS SELECT id, COUNT(*) AS cnt FROM s GROUP BY id;", 'CreateAsSelect');
    expect(s).toMatchObject({ sourceType: 'TABLE', name: 'AGG', properties: { KAFKA_TOPIC: 'out' } });
    expect(s.query.emit).toBe('CHANGES');
    expect(s.query.groupBy!.map((e) => formatExpression(e))).toEqual(['ID']);
    expect(s.query.select[1]).toMatchObject({ kind: 'SingleColumn', alias: 'CNT' });
  });

  it('rejects duplicate properties like ksqlDB', () => {
    expect(() => parseStatement("CREATE STREAM s (a INT) WITH (kafka_topic='a', KAFKA_TOPIC='b');")).toThrow(
      "Failed to prepare statement: Multiple entries with same key: KAFKA_TOPIC='b' and KAFKA_TOPIC='a'",
    );
  });

  it('validates source names', () => {
    expect(() => parseStatement('CREATE STREAM `a.b` (x INT);')).toThrow(
      "Illegal argument at Line: 1, Col: 15. Source names may only contain alphanumeric values, '_' or '-'. Got: 'a.b'",
    );
  });
});

describe('queries', () => {
  it('reads every clause', () => {
    const s = one(
      'SELECT s.id, t.v AS val, * , t.* FROM s AS s JOIN t ON s.id = t.id ' +
        'WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 2 DAYS, GRACE PERIOD 10 MINUTES) ' +
        "WHERE s.x > 1 GROUP BY s.id, t.v HAVING COUNT(*) > 2 EMIT CHANGES LIMIT 10;",
      'QueryStatement',
    );
    const q = s.query;
    expect(q.select.map((i) => i.kind)).toEqual(['SingleColumn', 'SingleColumn', 'AllColumns', 'AllColumns']);
    expect(q.select[3]).toMatchObject({ kind: 'AllColumns', source: 'T' });
    expect(q.from).toMatchObject({ kind: 'Join', left: { name: 'S', alias: 'S' }, joins: [{ type: 'INNER', relation: { name: 'T' } }] });
    expect(q.window).toMatchObject({ kind: 'TUMBLING', sizeMs: 3_600_000, retentionMs: 172_800_000, graceMs: 600_000 });
    expect(formatExpression(q.where!)).toBe('(S.X > 1)');
    expect(formatExpression(q.having!)).toBe('(COUNT(*) > 2)');
    expect(q.emit).toBe('CHANGES');
    expect(q.limit).toBe(10);
  });

  it('leaves emit absent for pull queries', () => {
    expect(one("SELECT * FROM t WHERE k = 'a';", 'QueryStatement').query.emit).toBeUndefined();
    expect(one('SELECT * FROM t EMIT FINAL;', 'QueryStatement').query.emit).toBe('FINAL');
  });

  it('reads hopping and session windows', () => {
    const hop = one('SELECT COUNT(*) FROM s WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS) GROUP BY k EMIT CHANGES;', 'QueryStatement');
    expect(hop.query.window).toEqual({ kind: 'HOPPING', loc: { line: 1, column: 30 }, sizeMs: 30_000, advanceMs: 10_000 });
    const session = one('SELECT COUNT(*) FROM s WINDOW w SESSION (5 MINUTES, GRACE PERIOD 1 SECOND) GROUP BY k EMIT CHANGES;', 'QueryStatement');
    expect(session.query.window).toMatchObject({ kind: 'SESSION', gapMs: 300_000, graceMs: 1000 });
  });

  it('reads join kinds and WITHIN windows', () => {
    const s = one(
      'SELECT * FROM a LEFT OUTER JOIN b WITHIN 10 SECONDS ON a.k = b.k FULL JOIN c WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 3 SECONDS ON a.k = c.k RIGHT JOIN d ON a.k = d.k EMIT CHANGES;',
      'QueryStatement',
    );
    const from = s.query.from as Ast.JoinRelation;
    expect(from.joins.map((j) => j.type)).toEqual(['LEFT', 'FULL', 'RIGHT']);
    expect(from.joins[0]!.within).toEqual({ beforeMs: 10_000, afterMs: 10_000 });
    expect(from.joins[1]!.within).toEqual({ beforeMs: 1000, afterMs: 2000, graceMs: 3000 });
  });

  it('reads PARTITION BY, aliases without AS and parenthesised GROUP BY lists', () => {
    const s = one('SELECT * FROM s x PARTITION BY x.a, b EMIT CHANGES;', 'QueryStatement');
    expect(s.query.from).toEqual(expect.objectContaining({ name: 'S', alias: 'X' }));
    expect(s.query.partitionBy!.map((e) => formatExpression(e))).toEqual(['X.A', 'B']);
    const noAlias = one('SELECT * FROM s PARTITION BY a;', 'QueryStatement');
    expect(noAlias.query.from).toEqual(expect.not.objectContaining({ alias: expect.anything() }));
    const grouped = one('SELECT a, b, COUNT(*) FROM s GROUP BY (a, b);', 'QueryStatement');
    expect(grouped.query.groupBy!.map((e) => formatExpression(e))).toEqual(['A', 'B']);
    const parenthesised = one('SELECT COUNT(*) FROM s GROUP BY (a + 1) * 2;', 'QueryStatement');
    expect(parenthesised.query.groupBy!.map((e) => formatExpression(e))).toEqual(['((A + 1) * 2)']);
  });

  it('checks qualifiers against the statement sources', () => {
    expect(() => parseStatement('CREATE STREAM o AS SELECT unknown.* FROM s i;')).toThrow(
      "Failed to prepare statement: 'UNKNOWN' is not a valid stream/table name or alias.",
    );
    expect(() => parseStatement('SELECT * FROM a JOIN b ON unknown.k = b.k EMIT CHANGES;')).toThrow(KsqlStatementError);
    expect(() => parseStatement('SELECT i.x, s.y FROM s AS i EMIT CHANGES;')).not.toThrow();
  });

  it('reports syntax errors before errors found while building the AST', () => {
    expect(() => parseStatement('CREATE STREAM s (a FOO, b INT (KEY));')).toThrow("line 1:32: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}");
    expect(() => parseStatement('CREATE STREAM s (a FOO, b INT KEY);')).toThrow('Failed to prepare statement: Cannot resolve unknown type: FOO');
  });

  it('rejects a non-integer LIMIT', () => {
    expect(() => parseStatement('SELECT * FROM s LIMIT 1.5;')).toThrow('Failed to prepare statement: Value must be integer for command: LIMIT');
  });
});

describe('INSERT, DROP, TERMINATE, SHOW, DESCRIBE, EXPLAIN, PRINT', () => {
  it('reads INSERT INTO ... SELECT and INSERT ... VALUES', () => {
    const insert = one("INSERT INTO out WITH (query_id='q') SELECT * FROM s;", 'InsertInto');
    expect(insert).toMatchObject({ target: 'OUT', properties: { QUERY_ID: 'q' } });
    expect(insert.query.emit).toBe('CHANGES');
    const values = one("INSERT INTO s (id, `v`) VALUES (1, 'x');", 'InsertValues');
    expect(values.columns).toEqual(['ID', 'v']);
    expect(values.values.map((v) => formatExpression(v))).toEqual(['1', "'x'"]);
    expect(one('INSERT INTO s VALUES ();', 'InsertValues').values).toEqual([]);
  });

  it('reads DROP and TERMINATE', () => {
    expect(one('DROP TABLE IF EXISTS t DELETE TOPIC;', 'DropSource')).toMatchObject({ sourceType: 'TABLE', name: 'T', ifExists: true, deleteTopic: true });
    expect(one('DROP STREAM s;', 'DropSource')).toMatchObject({ sourceType: 'STREAM', ifExists: false, deleteTopic: false });
    expect(one('TERMINATE csas_out_1;', 'Terminate')).toMatchObject({ queryId: 'CSAS_OUT_1', all: false });
    expect(one('TERMINATE ALL;', 'Terminate')).toMatchObject({ all: true });
  });

  it.each([
    ['SHOW STREAMS;', 'STREAMS', false],
    ['LIST TABLES EXTENDED;', 'TABLES', true],
    ['SHOW ALL TOPICS;', 'ALL TOPICS', false],
    ['SHOW TOPICS EXTENDED;', 'TOPICS', true],
    ['SHOW QUERIES;', 'QUERIES', false],
    ['SHOW PROPERTIES;', 'PROPERTIES', false],
    ['SHOW FUNCTIONS;', 'FUNCTIONS', false],
    ['SHOW VARIABLES;', 'VARIABLES', false],
    ['SHOW TYPES;', 'TYPES', false],
    ['SHOW SOURCE CONNECTORS;', 'CONNECTORS', false],
    ['DESCRIBE STREAMS;', 'STREAMS', true],
    ['DESCRIBE TABLES EXTENDED;', 'TABLES', true],
  ])('%s', (sql, what, extended) => {
    expect(one(sql, 'Show')).toMatchObject({ what, extended });
  });

  it('reads DESCRIBE, DESCRIBE FUNCTION and EXPLAIN', () => {
    expect(one('DESCRIBE s EXTENDED;', 'Describe')).toMatchObject({ name: 'S', extended: true });
    expect(one('DESCRIBE `tables`;', 'Describe')).toMatchObject({ name: 'tables', extended: false });
    expect(one('DESCRIBE FUNCTION abs;', 'DescribeFunction')).toMatchObject({ name: 'ABS' });
    expect(one('DESCRIBE function;', 'Describe')).toMatchObject({ name: 'FUNCTION' });
    expect(one('EXPLAIN ctas_t_3;', 'Explain')).toMatchObject({ queryId: 'CTAS_T_3' });
    const explain = one('EXPLAIN SELECT * FROM s EMIT CHANGES;', 'Explain');
    expect(explain.statement).toMatchObject({ kind: 'QueryStatement', text: 'SELECT * FROM s EMIT CHANGES;' });
  });

  it('reads PRINT with its clauses', () => {
    expect(one("PRINT 'My_Topic' FROM BEGINNING INTERVAL 2 LIMIT 5;", 'Print')).toEqual(
      expect.objectContaining({ topic: 'My_Topic', quoted: true, fromBeginning: true, interval: 2, limit: 5 }),
    );
    expect(one('PRINT my_topic;', 'Print')).toEqual(expect.objectContaining({ topic: 'my_topic', quoted: false, fromBeginning: false }));
  });
});

describe('SET, UNSET, DEFINE, UNDEFINE', () => {
  it('reads property and variable statements', () => {
    expect(one("SET 'auto.offset.reset'='earliest';", 'SetProperty')).toMatchObject({ name: 'auto.offset.reset', value: 'earliest' });
    expect(one("UNSET 'auto.offset.reset';", 'UnsetProperty')).toMatchObject({ name: 'auto.offset.reset' });
    expect(one("DEFINE myVar = 'it''s';", 'DefineVariable')).toMatchObject({ name: 'myVar', value: "it's" });
    expect(one('UNDEFINE myVar;', 'UndefineVariable')).toMatchObject({ name: 'myVar' });
  });
});

describe('ALTER STREAM|TABLE', () => {
  it('reads the added columns, COLUMN optional', () => {
    expect(one('ALTER TABLE t ADD COLUMN c INT, ADD `d` ARRAY<STRING>;', 'AlterSource')).toMatchObject({
      sourceType: 'TABLE',
      name: 'T',
      columns: [
        { name: 'C', type: { kind: 'INTEGER' } },
        { name: 'd', type: { kind: 'ARRAY', item: { kind: 'STRING' } } },
      ],
    });
    expect(() => parseStatement('ALTER STREAM s ADD COLUMN;')).toThrow(ParseError);
  });
});

describe('valid syntax the engine does not implement', () => {
  it.each([
    ['CREATE TYPE addr AS STRUCT<street STRING>;', 'CREATE TYPE'],
    ['DROP TYPE IF EXISTS addr;', 'DROP TYPE'],
    ["CREATE SOURCE CONNECTOR c WITH ('connector.class'='x');", 'CREATE CONNECTOR'],
    ['DROP CONNECTOR c;', 'DROP CONNECTOR'],
    ['DESCRIBE CONNECTOR c;', 'DESCRIBE CONNECTOR'],
    ['SHOW CONNECTOR PLUGINS;', 'SHOW CONNECTOR PLUGINS'],
    ["ALTER SYSTEM 'ksql.x'='y';", 'ALTER SYSTEM'],
    ["ASSERT NOT EXISTS TOPIC 't' WITH (partitions=1) TIMEOUT 3 SECONDS;", 'ASSERT TOPIC'],
    ["ASSERT SCHEMA SUBJECT 's' ID 5;", 'ASSERT SCHEMA'],
    ['PAUSE q1;', 'PAUSE'],
    ['RESUME ALL;', 'RESUME'],
  ])('%s', (sql, what) => {
    expect(one(sql, 'UnsupportedStatement').what).toBe(what);
  });

  it('still checks their syntax', () => {
    expect(() => parseStatement('CREATE TYPE addr AS;')).toThrow(ParseError);
  });

  it('reports struct wildcards as unsupported', () => {
    expect(() => parseStatement('SELECT s->* FROM t EMIT CHANGES;')).toThrow(UnsupportedError);
  });
});

describe('types', () => {
  it.each([
    ['INT', 'INTEGER'],
    ['integer', 'INTEGER'],
    ['BIGINT', 'BIGINT'],
    ['DOUBLE', 'DOUBLE'],
    ['BOOLEAN', 'BOOLEAN'],
    ['STRING', 'STRING'],
    ['VARCHAR', 'STRING'],
    ['VARCHAR(STRING)', 'STRING'],
    ['BYTES', 'BYTES'],
    ['TIMESTAMP', 'TIMESTAMP'],
    ['DATE', 'DATE'],
    ['TIME', 'TIME'],
    ['DECIMAL(10, 2)', 'DECIMAL(10, 2)'],
    ['ARRAY<MAP<STRING, ARRAY<INT>>>', 'ARRAY<MAP<STRING, ARRAY<INTEGER>>>'],
    ['STRUCT<a INT, `b` STRUCT<c STRING>>', 'STRUCT<`A` INTEGER, `b` STRUCT<`C` STRING>>'],
    ['STRUCT< >', 'STRUCT< >'],
    ['INT ARRAY', 'ARRAY<INTEGER>'],
  ])('%s', (text, expected) => {
    expect(formatSqlType(parseSqlType(text))).toBe(expected);
  });

  it('rejects unknown types and invalid decimals', () => {
    expect(() => parseSqlType('FOO')).toThrow('Failed to prepare statement: Cannot resolve unknown type: FOO');
    expect(() => parseSqlType('DECIMAL(2, 3)')).toThrow(/DECIMAL precision must be >= scale/);
    expect(() => parseSqlType('STRUCT<a INT, a STRING>')).toThrow(/Duplicate field names found in STRUCT/);
    expect(() => parseSqlType('NULL')).toThrow(ParseError);
    // `<>` is one token (not-equal), so an empty struct needs a space, as in ksqlDB.
    expect(() => parseSqlType('STRUCT<>')).toThrow(ParseError);
  });
});
