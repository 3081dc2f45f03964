import { describe, expect, it } from 'vitest';
import { KsqlStatementError, ParseError } from '../../src/engine/errors.js';
import { parseExpression, parseStatement, parseStatements } from '../../src/engine/parser/parser.js';

function parseFailure(sql: string): ParseError {
  try {
    parseStatements(sql);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error(`expected a ParseError for: ${sql}`);
}

describe('syntax errors', () => {
  it('reports an unexpected token with 1-based line:column positions', () => {
    const e = parseFailure('SELECT * FROM s;\nSELECT FROM t;');
    expect(e.message).toBe("line 2:8: Syntax Error\nSyntax error at or near 'FROM' at line 2:8");
    expect([e.line, e.column]).toEqual([2, 8]);
    expect(e.category).toBe('parse');
  });

  it('shows the offending token as written', () => {
    expect(parseFailure('select table from s;').message).toBe("line 1:8: Syntax Error\nSyntax error at or near 'table' at line 1:8");
  });

  it('reports a missing closing parenthesis like ANTLR single-token insertion', () => {
    expect(parseFailure('SELECT * FROM s GROUP BY f3, (f2, f1);').message).toBe("line 1:33: Syntax Error\nmissing ')' at ','");
  });

  it('lists the expected tokens on a mismatch', () => {
    expect(parseFailure("CREATE STREAM INPUT (K STRING (KEY)) WITH (kafka_topic='input');").message).toBe(
      "line 1:32: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}",
    );
    expect(parseFailure('CREATE STREAM INPUT (K VARCHAR(STRING) (KEY));').message).toBe("line 1:40: Syntax Error\nExpecting {',', ')'}");
  });

  it('reports extraneous input, naming reserved keywords', () => {
    expect(parseFailure('SELECT * FROM s WINDOW TUMBLING (SIZE 1 SECOND WHERE);').message).toMatch(/^line 1:48: Syntax Error\n/);
    expect(parseFailure('DROP STREAM s x;').message).toBe("line 1:15: Syntax Error\nextraneous input 'x' expecting ';'");
    expect(parseFailure('SHOW STREAMS from;').message).toBe(
      'line 1:14: Syntax Error\n"from" is a reserved keyword and it can\'t be used as an identifier. You can use it as an identifier by escaping it as \'from\' ',
    );
  });

  it('rejects NULL as a type and empty IN lists', () => {
    expect(parseFailure('CREATE STREAM INPUT (COL0 NULL);').message).toContain('Syntax Error');
    expect(parseFailure('CREATE STREAM INPUT (COL0 ARRAY<NULL>);').message).toContain('Syntax Error');
    expect(parseFailure('SELECT * FROM s WHERE id IN ( );').message).toBe(
      "line 1:31: Syntax Error\nSyntax error at or near ')' at line 1:31",
    );
  });

  it('treats unknown characters and unterminated strings as unrecognised input', () => {
    expect(parseFailure('SELECT # FROM s;').message).toBe("line 1:8: Syntax Error\nSyntax error at or near '#' at line 1:8");
    expect(parseFailure("SELECT 'abc FROM s;").message).toContain("Syntax error at or near '''");
  });

  it('carries the whole request as the statement text of a syntax error', () => {
    const sql = 'SHOW STREAMS;\nSHOW NOTHING;';
    expect(parseFailure(sql).statementText).toBe(sql);
  });

  it('carries the failing statement for errors raised while building the AST', () => {
    try {
      parseStatements("SHOW STREAMS;\nSELECT x.a FROM s;");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KsqlStatementError);
      expect(e).not.toBeInstanceOf(ParseError);
      expect((e as KsqlStatementError).statementText).toBe('SELECT x.a FROM s;');
      expect((e as Error).message).toBe("Failed to prepare statement: 'X' is not a valid stream/table name or alias.");
    }
  });

  it('defers checks of statements holding variable references to their re-parse after substitution', () => {
    const [stmt] = parseStatements('CREATE STREAM ${name} AS SELECT * FROM s WHERE a = ${x};');
    expect(stmt).toMatchObject({ kind: 'CreateAsSelect', name: '${NAME}' });
    expect(() => parseStatements('SELECT * FROM s WHERE a = ${x} AND;')).toThrow(/Syntax Error/);
  });

  it('rejects trailing input after an expression', () => {
    expect(() => parseExpression('a b')).toThrow(ParseError);
  });

  it('rejects statements that are not ksqlDB statements', () => {
    expect(() => parseStatement('UPDATE s SET a = 1;')).toThrow("line 1:1: Syntax Error\nSyntax error at or near 'UPDATE' at line 1:1");
  });
});
