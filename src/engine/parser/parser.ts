/**
 * Recursive-descent parser for ksqlDB 0.29's SQL dialect (SqlBase.g4 + AstBuilder.java), producing
 * the AST of ./ast.ts. Operator precedence follows the grammar's left-recursive rules:
 *   OR < AND < NOT < predicate (comparison, BETWEEN, IN, LIKE, IS ...) < `||` < `+ -` < `* / %`
 *   < unary `- +` < postfix `[i]` / `->f` < primary.
 * Syntax errors are ParseErrors worded like ksqlDB's: "line L:C: Syntax Error\n<detail>".
 */
import { KsqlStatementError, ParseError, UnsupportedError } from '../errors.js';
import { SqlTypes, formatSqlType, type SqlType, type StructField } from '../types.js';
import type * as Ast from './ast.js';
import { formatExpression } from './format.js';
import { NON_RESERVED, isReservedWord, splitTokens, tokenize, type Token } from './lexer.js';
import { PRIMITIVE_TYPES } from './primitive-types.js';

/** Where a `${name}` reference sits, which decides how variable substitution treats it. */
export type VariablePosition = 'identifier' | 'literal';

export interface ParseOptions {
  /** Called for every `${name}` token the parser consumes (used by variable substitution). */
  readonly onVariable?: (token: Token, position: VariablePosition) => void;
}

/** Parses every statement of `sql`; each must end with ';'. Error positions are relative to `sql`. */
export function parseStatements(sql: string, options: ParseOptions = {}): Ast.Statement[] {
  const tokens = tokenize(sql);
  return splitTokens(sql, tokens).map((slice) => {
    const eof = slice.tokens[slice.tokens.length - 1]!.value === ';' ? endToken(slice.tokens) : tokens[tokens.length - 1]!;
    try {
      return new Parser(sql, [...slice.tokens, eof], options).statementWithSemicolon(slice.text);
    } catch (e) {
      // As in ksqlDB: syntax errors carry the whole request text, AST-building errors the statement.
      if (e instanceof KsqlStatementError && e.statementText === '') {
        e.statementText = e instanceof ParseError ? sql : slice.text;
      }
      throw e;
    }
  });
}

/** Parses exactly one statement (the text of one element of parseStatements, or a whole request with one statement). */
export function parseStatement(text: string, options: ParseOptions = {}): Ast.Statement {
  const statements = parseStatements(text, options);
  if (statements.length !== 1) {
    throw new ParseError(`Expected exactly one statement, got ${statements.length}`, 1, 1, text);
  }
  return statements[0]!;
}

/** Parses a standalone expression (ksqlDB's `singleExpression`). */
export function parseExpression(text: string, options: ParseOptions = {}): Ast.Expression {
  const parser = new Parser(text, tokenize(text), options);
  const e = parser.expressionToEnd();
  return e;
}

/** Parses a type as written in SQL (`ARRAY<STRING>`, `STRUCT<a INT>`, `DECIMAL(4, 2)`). */
export function parseSqlType(text: string): SqlType {
  return new Parser(text, tokenize(text), {}).typeToEnd();
}

/** An EOF token placed right after a statement's ';' so errors past it point at the following text. */
function endToken(tokens: readonly Token[]): Token {
  const last = tokens[tokens.length - 1]!;
  return { type: 'EOF', text: '<EOF>', value: '<EOF>', start: last.end, end: last.end, line: last.line, column: last.column + last.text.length };
}

const WINDOW_UNITS: Readonly<Record<string, Ast.TimeUnit>> = {
  DAY: 'DAYS',
  DAYS: 'DAYS',
  HOUR: 'HOURS',
  HOURS: 'HOURS',
  MINUTE: 'MINUTES',
  MINUTES: 'MINUTES',
  SECOND: 'SECONDS',
  SECONDS: 'SECONDS',
  MILLISECOND: 'MILLISECONDS',
  MILLISECONDS: 'MILLISECONDS',
};

const UNIT_MS: Readonly<Record<string, number>> = {
  DAYS: 86_400_000,
  HOURS: 3_600_000,
  MINUTES: 60_000,
  SECONDS: 1000,
  MILLISECONDS: 1,
};

const COMPARISON_OPERATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
/** Tokens after which ANTLR's single-token insertion reports "missing X" for a closing token. */
const CLOSER_FOLLOWERS = new Set([',', ')', ']', ';', '<EOF>']);
const VALID_SOURCE_NAME = /^[a-zA-Z0-9_-]*$/;
const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MIN = -9223372036854775808n;
const LONG_MAX = 9223372036854775807n;

interface Identifier {
  readonly name: string;
  readonly quoted: boolean;
  readonly token: Token;
}

/** ANTLR's display of a token in error messages. */
function display(token: Token): string {
  if (token.type === 'EOF') return '<EOF>';
  return token.text.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

/**
 * How ANTLR's vocabulary names an expected token: keywords and symbols quoted (`'FROM'`, `')'`),
 * token types by symbolic name. Token types are written with a leading '#' (`#STRING`) here so
 * they do not clash with the keyword of the same spelling.
 */
function expectedName(t: string): string {
  return t.startsWith('#') ? t.slice(1) : `'${t}'`;
}

class Parser {
  private pos = 0;
  private readonly lambdaArgs: string[][] = [];
  /** Source names and aliases of the statement, for ksqlDB's "not a valid stream/table name" check. */
  private sourceNames: Set<string> | undefined;
  private readonly qualifierChecks: { name: string }[] = [];
  private deferred: KsqlStatementError | undefined;

  constructor(
    private readonly sql: string,
    private readonly tokens: readonly Token[],
    private readonly options: ParseOptions,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Token helpers
  // -------------------------------------------------------------------------------------------

  private peek(offset = 0): Token {
    const i = Math.min(this.pos + offset, this.tokens.length - 1);
    return this.tokens[i]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isSymbol(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'SYMBOL' && t.value === value;
  }

  private isKeyword(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'KEYWORD' && t.value === value;
  }

  private acceptSymbol(value: string): boolean {
    if (this.isSymbol(value)) {
      this.next();
      return true;
    }
    return false;
  }

  private acceptKeyword(value: string): boolean {
    if (this.isKeyword(value)) {
      this.next();
      return true;
    }
    return false;
  }

  private matches(token: Token, value: string): boolean {
    if (value.startsWith('#')) return token.type === value.slice(1);
    return (token.type === 'SYMBOL' || token.type === 'KEYWORD') && token.value === value;
  }

  /** Consumes the symbol or keyword `value`, or fails like ANTLR's `match` (extraneous / missing / mismatch). */
  private expect(value: string, expected: readonly string[] = [value]): Token {
    const t = this.peek();
    if (this.matches(t, value)) return this.next();
    throw this.mismatch(expected);
  }

  private mismatch(expected: readonly string[]): ParseError {
    const t = this.peek();
    const names = expected.map(expectedName);
    const set = names.length === 1 ? names[0]! : `{${names.join(', ')}}`;
    if (expected.some((e) => this.matches(this.peek(1), e))) {
      if (t.type === 'KEYWORD' && isReservedWord(t.value)) {
        return this.error(
          t,
          `"${t.text}" is a reserved keyword and it can't be used as an identifier. You can use it as an identifier by escaping it as '${t.text}' `,
        );
      }
      return this.error(t, `extraneous input '${display(t)}' expecting ${set}`);
    }
    if (expected.length === 1 && /^[)\]>;]$/.test(expected[0]!) && CLOSER_FOLLOWERS.has(t.type === 'EOF' ? '<EOF>' : t.value)) {
      return this.error(t, `missing ${set} at '${display(t)}'`);
    }
    return this.error(t, `Expecting ${set}`);
  }

  /** ANTLR's NoViableAltException as ksqlDB 0.29 words it. */
  private noViable(token: Token = this.peek()): ParseError {
    return this.error(token, `Syntax error at or near '${display(token)}' at line ${token.line}:${token.column + 1}`);
  }

  private error(token: Token, detail: string): ParseError {
    return new ParseError(`line ${token.line}:${token.column + 1}: Syntax Error\n${detail}`, token.line, token.column + 1);
  }

  private loc(token: Token): Ast.Location {
    return { line: token.line, column: token.column };
  }

  private atEnd(): boolean {
    return this.peek().type === 'EOF';
  }

  /**
   * Records an error ksqlDB raises while building the AST (after a successful parse), so a
   * syntax error later in the statement still wins, as it does in ksqlDB. Parsing continues
   * with a placeholder; the first recorded error is thrown once the statement has parsed.
   */
  private defer(error: KsqlStatementError): void {
    this.deferred ??= error;
  }

  /**
   * AST-level checks do not apply to text that still holds `${name}` references: ksqlDB builds the
   * AST only after substituting them, so the statement is checked when re-parsed after
   * substitution (see ./variables.ts).
   */
  private throwDeferred(): void {
    if (this.deferred === undefined) return;
    if (this.options.onVariable !== undefined || this.tokens.some((t) => t.type === 'VARIABLE')) return;
    throw this.deferred;
  }



  // -------------------------------------------------------------------------------------------
  // Entry points
  // -------------------------------------------------------------------------------------------

  expressionToEnd(): Ast.Expression {
    const e = this.expression();
    if (!this.atEnd()) throw this.mismatch(['#EOF']);
    this.throwDeferred();
    return e;
  }

  typeToEnd(): SqlType {
    const t = this.type();
    if (!this.atEnd()) throw this.mismatch(['#EOF']);
    this.throwDeferred();
    return t;
  }

  statementWithSemicolon(text: string): Ast.Statement {
    this.sourceNames = this.collectSourceNames();
    const statement = this.statement(text);
    this.expect(';');
    this.checkQualifiers();
    this.throwDeferred();
    return statement;
  }

  // -------------------------------------------------------------------------------------------
  // Statements
  // -------------------------------------------------------------------------------------------

  private statement(text: string): Ast.Statement {
    const t = this.peek();
    const loc = this.loc(t);
    if (t.type !== 'KEYWORD') throw this.noViable(t);
    switch (t.value) {
      case 'SELECT':
        return { kind: 'QueryStatement', text, loc, query: this.query(false) };
      case 'LIST':
      case 'SHOW':
        return this.show(text);
      case 'DESCRIBE':
        return this.describe(text);
      case 'PRINT':
        return this.print(text);
      case 'TERMINATE': {
        this.next();
        if (this.acceptKeyword('ALL')) return { kind: 'Terminate', text, loc, queryId: 'ALL', all: true };
        const id = this.identifier();
        // Query ids are case-insensitive in ksqlDB (QueryId compares upper-cased).
        return { kind: 'Terminate', text, loc, queryId: id.name.toUpperCase(), all: false };
      }
      case 'SET':
        return this.setProperty(text);
      case 'UNSET': {
        this.next();
        const name = this.propertyString();
        return { kind: 'UnsetProperty', text, loc, name };
      }
      case 'DEFINE': {
        this.next();
        const name = this.variableName();
        this.expect('=');
        const valueToken = this.peek();
        if (valueToken.type !== 'STRING') throw this.mismatch(['#STRING']);
        this.next();
        return { kind: 'DefineVariable', text, loc, name, value: valueToken.value };
      }
      case 'UNDEFINE': {
        this.next();
        return { kind: 'UndefineVariable', text, loc, name: this.variableName() };
      }
      case 'CREATE':
        return this.create(text);
      case 'INSERT':
        return this.insert(text);
      case 'DROP':
        return this.drop(text);
      case 'EXPLAIN':
        return this.explain(text);
      case 'ALTER':
        return this.alter(text);
      case 'ASSERT':
        return this.assert(text);
      case 'PAUSE':
      case 'RESUME': {
        this.next();
        if (!this.acceptKeyword('ALL')) this.identifier();
        return this.unsupported(text, loc, t.value);
      }
      case 'RUN': {
        this.next();
        this.expect('SCRIPT');
        this.stringToken();
        return this.unsupported(text, loc, 'RUN SCRIPT');
      }
      default:
        throw this.noViable(t);
    }
  }

  private unsupported(text: string, loc: Ast.Location, what: string): Ast.UnsupportedStatement {
    return { kind: 'UnsupportedStatement', text, loc, what };
  }

  private show(text: string): Ast.Statement {
    const loc = this.loc(this.next());
    const t = this.peek();
    const simple = (what: Ast.ShowWhat, canExtend: boolean): Ast.Show => {
      this.next();
      const extended = canExtend && this.acceptKeyword('EXTENDED');
      return { kind: 'Show', text, loc, what, extended };
    };
    if (t.type === 'KEYWORD') {
      switch (t.value) {
        case 'PROPERTIES':
          return simple('PROPERTIES', false);
        case 'ALL':
          this.next();
          if (!this.isKeyword('TOPICS')) throw this.mismatch(['TOPICS']);
          return simple('ALL TOPICS', true);
        case 'TOPICS':
          return simple('TOPICS', true);
        case 'STREAMS':
          return simple('STREAMS', true);
        case 'TABLES':
          return simple('TABLES', true);
        case 'FUNCTIONS':
          return simple('FUNCTIONS', false);
        case 'SOURCE':
        case 'SINK':
          this.next();
          if (!this.isKeyword('CONNECTORS')) throw this.mismatch(['CONNECTORS']);
          return simple('CONNECTORS', false);
        case 'CONNECTORS':
          return simple('CONNECTORS', false);
        case 'CONNECTOR':
          this.next();
          this.expect('PLUGINS');
          return this.unsupported(text, loc, 'SHOW CONNECTOR PLUGINS');
        case 'TYPES':
          return simple('TYPES', false);
        case 'VARIABLES':
          return simple('VARIABLES', false);
        case 'QUERIES':
          return simple('QUERIES', true);
      }
    }
    throw this.noViable(t);
  }

  private describe(text: string): Ast.Statement {
    const loc = this.loc(this.next());
    if (this.isKeyword('STREAMS')) {
      this.next();
      this.acceptKeyword('EXTENDED');
      return { kind: 'Show', text, loc, what: 'STREAMS', extended: true };
    }
    if (this.isKeyword('FUNCTION') && !this.isSymbol(';', 1) && !this.isKeyword('EXTENDED', 1)) {
      this.next();
      const id = this.identifier();
      return { kind: 'DescribeFunction', text, loc, name: id.name };
    }
    if (this.isKeyword('CONNECTOR') && this.peek(1).type !== 'EOF') {
      this.next();
      this.identifier();
      return this.unsupported(text, loc, 'DESCRIBE CONNECTOR');
    }
    const nameToken = this.peek();
    const name = this.sourceName();
    const extended = this.acceptKeyword('EXTENDED');
    // ksqlDB special-cases an unquoted TABLES: DESCRIBE TABLES lists all tables.
    if (nameToken.type === 'KEYWORD' && nameToken.value === 'TABLES') {
      return { kind: 'Show', text, loc, what: 'TABLES', extended: true };
    }
    return { kind: 'Describe', text, loc, name, extended };
  }

  private print(text: string): Ast.Print {
    const loc = this.loc(this.next());
    const t = this.peek();
    let topic: string;
    let quoted: boolean;
    if (t.type === 'STRING') {
      this.next();
      topic = t.value;
      quoted = true;
    } else {
      const id = this.identifier();
      quoted = id.quoted;
      topic = id.quoted ? id.name : id.token.text;
    }
    let fromBeginning = false;
    if (this.acceptKeyword('FROM')) {
      this.expect('BEGINNING');
      fromBeginning = true;
    }
    let interval: number | undefined;
    if (this.isKeyword('INTERVAL') || this.isKeyword('SAMPLE')) {
      this.next();
      interval = this.integerNumber('INTERVAL');
    }
    let limit: number | undefined;
    if (this.acceptKeyword('LIMIT')) limit = this.integerNumber('LIMIT');
    return { kind: 'Print', text, loc, topic, quoted, fromBeginning, ...(interval === undefined ? {} : { interval }), ...(limit === undefined ? {} : { limit }) };
  }

  private setProperty(text: string): Ast.Statement {
    const loc = this.loc(this.next());
    const name = this.propertyString();
    this.expect('=');
    const value = this.propertyString();
    return { kind: 'SetProperty', text, loc, name, value };
  }

  /** `STRING | VARIABLE` of SET / UNSET. */
  private propertyString(): string {
    const t = this.peek();
    if (t.type === 'STRING') {
      this.next();
      return t.value;
    }
    if (t.type === 'VARIABLE') {
      this.next();
      return t.text;
    }
    throw this.mismatch(['#STRING', '#VARIABLE']);
  }

  private variableName(): string {
    const t = this.peek();
    // ksqlDB accepts keywords as variable names (SyntaxErrorValidator).
    if (t.type === 'IDENTIFIER' || t.type === 'KEYWORD') {
      this.next();
      return t.text;
    }
    throw this.mismatch(['#IDENTIFIER']);
  }

  private create(text: string): Ast.Statement {
    const loc = this.loc(this.next());
    let orReplace = false;
    if (this.acceptKeyword('OR')) {
      this.expect('REPLACE');
      orReplace = true;
    }
    if (!orReplace && (this.isKeyword('SINK') || (this.isKeyword('SOURCE') && this.isKeyword('CONNECTOR', 1)))) {
      this.next();
      this.expect('CONNECTOR');
      this.ifNotExists();
      this.identifier();
      this.expect('WITH');
      this.tableProperties();
      return this.unsupported(text, loc, 'CREATE CONNECTOR');
    }
    if (!orReplace && this.isKeyword('TYPE')) {
      this.next();
      this.ifNotExists();
      this.identifier();
      this.expect('AS');
      this.type();
      return this.unsupported(text, loc, 'CREATE TYPE');
    }
    const isSource = this.acceptKeyword('SOURCE');
    const kindToken = this.peek();
    if (!this.isKeyword('STREAM') && !this.isKeyword('TABLE')) {
      throw isSource ? this.mismatch(['STREAM', 'TABLE']) : this.noViable(kindToken);
    }
    this.next();
    const sourceType: Ast.SourceType = kindToken.value === 'STREAM' ? 'STREAM' : 'TABLE';
    const ifNotExists = this.ifNotExists();
    const name = this.sourceName();
    let elements: Ast.TableElement[] = [];
    const hasElements = this.isSymbol('(');
    if (hasElements) elements = this.tableElements(sourceType);
    let properties: Ast.Properties = {};
    if (this.acceptKeyword('WITH')) properties = this.tableProperties();
    if (!isSource && !hasElements && this.acceptKeyword('AS')) {
      const query = this.query(true);
      return { kind: 'CreateAsSelect', text, loc, sourceType, name, orReplace, ifNotExists, properties, query };
    }
    return { kind: 'CreateSource', text, loc, sourceType, name, orReplace, ifNotExists, isSource, elements, properties };
  }

  private ifNotExists(): boolean {
    if (this.isKeyword('IF') && this.isKeyword('NOT', 1)) {
      this.next();
      this.next();
      this.expect('EXISTS');
      return true;
    }
    return false;
  }

  private ifExists(): boolean {
    if (this.isKeyword('IF') && this.isKeyword('EXISTS', 1)) {
      this.next();
      this.next();
      return true;
    }
    return false;
  }

  private tableElements(sourceType?: Ast.SourceType): Ast.TableElement[] {
    this.expect('(');
    const elements: Ast.TableElement[] = [];
    for (;;) {
      elements.push(this.tableElement(sourceType));
      if (this.acceptSymbol(',')) continue;
      this.expect(')', [',', ')']);
      return elements;
    }
  }

  private tableElement(sourceType?: Ast.SourceType): Ast.TableElement {
    const idToken = this.peek();
    const id = this.identifier();
    const type = this.type();
    let constraint: Ast.ColumnConstraint | undefined;
    if (this.isKeyword('PRIMARY')) {
      this.next();
      this.expect('KEY');
      constraint = 'PRIMARY KEY';
    } else if (this.acceptKeyword('KEY')) {
      constraint = 'KEY';
    } else if (this.acceptKeyword('HEADERS')) {
      constraint = 'HEADERS';
    } else if (this.acceptKeyword('HEADER')) {
      this.expect('(');
      const header = this.stringToken();
      this.expect(')');
      constraint = { header };
    }
    // ksqlDB's AstBuilder rejects the key keyword of the other source type.
    const where = `Line: ${idToken.line}, Col: ${idToken.column + 1}`;
    if (sourceType === 'TABLE' && constraint === 'KEY') {
      this.defer(new ParseError(`${where}: Column \`${id.name}\` is a 'KEY' column: please use 'PRIMARY KEY' for tables.`, idToken.line, idToken.column + 1));
    }
    if (sourceType === 'STREAM' && constraint === 'PRIMARY KEY') {
      this.defer(new ParseError(`${where}: Column \`${id.name}\` is a 'PRIMARY KEY' column: please use 'KEY' for streams.`, idToken.line, idToken.column + 1));
    }
    return constraint === undefined ? { name: id.name, type } : { name: id.name, type, constraint };
  }

  private stringToken(): string {
    const t = this.peek();
    if (t.type !== 'STRING') throw this.mismatch(['#STRING']);
    this.next();
    return t.value;
  }

  private tableProperties(): Ast.Properties {
    this.expect('(');
    const properties: Record<string, Ast.PropertyValue> = {};
    const seen = new Map<string, Ast.Expression>();
    for (;;) {
      const keyToken = this.peek();
      let key: string;
      if (keyToken.type === 'STRING') {
        this.next();
        key = keyToken.value;
      } else {
        key = this.identifier().name;
      }
      this.expect('=');
      const value = this.literal();
      const previous = seen.get(key);
      if (previous !== undefined) {
        // ksqlDB collects properties into a Guava ImmutableMap, which rejects duplicate keys.
        this.defer(prepareError(`Multiple entries with same key: ${key}=${formatExpression(value)} and ${key}=${formatExpression(previous)}`));
      }
      seen.set(key, value);
      const propertyValue = this.propertyValue(value);
      if (propertyValue !== undefined) properties[key.toUpperCase()] = propertyValue;
      if (this.acceptSymbol(',')) continue;
      this.expect(')', [',', ')']);
      return properties;
    }
  }

  private propertyValue(e: Ast.Expression): Ast.PropertyValue | undefined {
    switch (e.kind) {
      case 'StringLiteral':
        return e.value;
      case 'BooleanLiteral':
        return e.value;
      case 'IntegerLiteral':
        return e.value;
      case 'BigintLiteral':
        return e.value;
      case 'DecimalLiteral':
        return Number(e.text);
      case 'DoubleLiteral':
        return e.value;
      default:
        return undefined;
    }
  }

  private insert(text: string): Ast.Statement {
    const loc = this.loc(this.next());
    this.expect('INTO');
    const target = this.sourceName();
    if (this.acceptKeyword('WITH')) {
      const properties = this.tableProperties();
      const query = this.query(true);
      return { kind: 'InsertInto', text, loc, target, properties, query };
    }
    if (this.isKeyword('SELECT')) {
      return { kind: 'InsertInto', text, loc, target, properties: {}, query: this.query(true) };
    }
    let columns: string[] | undefined;
    if (this.isSymbol('(')) {
      this.next();
      columns = [this.identifier().name];
      while (this.acceptSymbol(',')) columns.push(this.identifier().name);
      this.expect(')', [',', ')']);
    }
    if (!this.isKeyword('VALUES')) {
      throw columns === undefined ? this.noViable() : this.mismatch(['VALUES']);
    }
    this.next();
    const values = this.valuesList();
    return columns === undefined
      ? { kind: 'InsertValues', text, loc, target, values }
      : { kind: 'InsertValues', text, loc, target, columns, values };
  }

  private valuesList(): Ast.Expression[] {
    this.expect('(');
    const values: Ast.Expression[] = [];
    if (this.acceptSymbol(')')) return values;
    values.push(this.valueExpression());
    while (this.acceptSymbol(',')) values.push(this.valueExpression());
    this.expect(')', [',', ')']);
    return values;
  }

  private drop(text: string): Ast.Statement {
    const loc = this.loc(this.next());
    const t = this.peek();
    if (this.isKeyword('STREAM') || this.isKeyword('TABLE')) {
      this.next();
      const ifExists = this.ifExists();
      const name = this.sourceName();
      let deleteTopic = false;
      if (this.acceptKeyword('DELETE')) {
        this.expect('TOPIC');
        deleteTopic = true;
      }
      return { kind: 'DropSource', text, loc, sourceType: t.value === 'STREAM' ? 'STREAM' : 'TABLE', name, ifExists, deleteTopic };
    }
    if (this.isKeyword('CONNECTOR') || this.isKeyword('TYPE')) {
      this.next();
      this.ifExists();
      this.identifier();
      return this.unsupported(text, loc, `DROP ${t.value}`);
    }
    throw this.noViable(t);
  }

  private explain(text: string): Ast.Statement {
    const loc = this.loc(this.next());
    const start = this.pos;
    // EXPLAIN (statement | identifier): try the statement first, as ANTLR's ordering does.
    if (this.peek().type === 'KEYWORD' && !(this.isSymbol(';', 1) && NON_RESERVED.has(this.peek().value))) {
      try {
        const inner = this.statement(this.sql.slice(this.peek().start, this.statementEnd()));
        return { kind: 'Explain', text, loc, statement: inner };
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.pos = start;
        if (!(this.isSymbol(';', 1) && this.isIdentifierToken(this.peek()))) throw e;
      }
    }
    const id = this.identifier();
    return { kind: 'Explain', text, loc, queryId: id.name.toUpperCase() };
  }

  /** Offset of the end of the current statement's ';' (or the end of input). */
  private statementEnd(): number {
    for (let i = this.pos; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.type === 'EOF') return t.start;
      if (t.type === 'SYMBOL' && t.value === ';') return t.end;
    }
    return this.sql.length;
  }

  private alter(text: string): Ast.Statement {
    const loc = this.loc(this.next());
    if (this.acceptKeyword('SYSTEM')) {
      this.stringToken();
      this.expect('=');
      this.stringToken();
      return this.unsupported(text, loc, 'ALTER SYSTEM');
    }
    const t = this.peek();
    if (!this.isKeyword('STREAM') && !this.isKeyword('TABLE')) throw this.noViable(t);
    this.next();
    const name = this.sourceName();
    const columns: { name: string; type: SqlType }[] = [];
    do {
      this.expect('ADD');
      this.acceptKeyword('COLUMN');
      const column = this.identifier().name;
      columns.push({ name: column, type: this.type() });
    } while (this.acceptSymbol(','));
    return { kind: 'AlterSource', text, loc, sourceType: t.value === 'STREAM' ? 'STREAM' : 'TABLE', name, columns };
  }

  private assert(text: string): Ast.Statement {
    const loc = this.loc(this.next());
    const notExists = this.isKeyword('NOT') && this.isKeyword('EXISTS', 1);
    if (notExists) {
      this.next();
      this.next();
    }
    if (this.acceptKeyword('TOPIC')) {
      this.resourceName();
      if (this.acceptKeyword('WITH')) this.tableProperties();
      this.timeout();
      return this.unsupported(text, loc, 'ASSERT TOPIC');
    }
    if (this.acceptKeyword('SCHEMA')) {
      if (this.acceptKeyword('SUBJECT')) this.resourceName();
      if (this.acceptKeyword('ID')) this.literal();
      this.timeout();
      return this.unsupported(text, loc, 'ASSERT SCHEMA');
    }
    if (notExists) throw this.mismatch(['TOPIC', 'SCHEMA']);
    // Test-only forms of ksqlDB's testStatement rule.
    if (this.acceptKeyword('VALUES')) {
      this.sourceName();
      if (this.isSymbol('(')) this.columnsList();
      this.expect('VALUES');
      this.valuesList();
      return this.unsupported(text, loc, 'ASSERT VALUES');
    }
    if (this.acceptKeyword('NULL')) {
      this.expect('VALUES');
      this.sourceName();
      if (this.isSymbol('(')) this.columnsList();
      this.expect('KEY');
      this.valuesList();
      return this.unsupported(text, loc, 'ASSERT NULL VALUES');
    }
    if (this.isKeyword('STREAM') || this.isKeyword('TABLE')) {
      const kind = this.next().value;
      this.sourceName();
      if (this.isSymbol('(')) this.tableElements();
      if (this.acceptKeyword('WITH')) this.tableProperties();
      return this.unsupported(text, loc, `ASSERT ${kind}`);
    }
    throw this.noViable();
  }

  private columnsList(): string[] {
    this.expect('(');
    const columns = [this.identifier().name];
    while (this.acceptSymbol(',')) columns.push(this.identifier().name);
    this.expect(')', [',', ')']);
    return columns;
  }

  private resourceName(): string {
    const t = this.peek();
    if (t.type === 'STRING') {
      this.next();
      return t.value;
    }
    return this.identifier().name;
  }

  private timeout(): void {
    if (this.acceptKeyword('TIMEOUT')) this.duration();
  }

  // -------------------------------------------------------------------------------------------
  // Queries
  // -------------------------------------------------------------------------------------------

  private query(persistent: boolean): Ast.Query {
    const selectToken = this.expect('SELECT');
    const select: Ast.SelectItem[] = [this.selectItem()];
    while (this.acceptSymbol(',')) select.push(this.selectItem());
    this.expect('FROM', [',', 'FROM']);
    const from = this.relation();
    let window: Ast.WindowExpression | undefined;
    if (this.acceptKeyword('WINDOW')) window = this.windowExpression();
    let where: Ast.Expression | undefined;
    if (this.acceptKeyword('WHERE')) where = this.booleanExpression();
    let groupBy: Ast.Expression[] | undefined;
    if (this.isKeyword('GROUP')) {
      this.next();
      this.expect('BY');
      groupBy = this.expressionGroup();
    }
    let partitionBy: Ast.Expression[] | undefined;
    if (this.isKeyword('PARTITION') && this.isKeyword('BY', 1)) {
      this.next();
      this.next();
      partitionBy = this.expressionGroup();
    }
    let having: Ast.Expression | undefined;
    if (this.acceptKeyword('HAVING')) having = this.booleanExpression();
    let emit: 'CHANGES' | 'FINAL' | undefined;
    if (this.acceptKeyword('EMIT')) {
      if (this.acceptKeyword('CHANGES')) emit = 'CHANGES';
      else if (this.acceptKeyword('FINAL')) emit = 'FINAL';
      else throw this.mismatch(['CHANGES', 'FINAL']);
    } else if (persistent) {
      // ksqlDB's AstBuilder defaults persistent queries to EMIT CHANGES.
      emit = 'CHANGES';
    }
    let limit: number | undefined;
    if (this.acceptKeyword('LIMIT')) limit = this.integerNumber('LIMIT');
    const query: Ast.Query = {
      kind: 'Query',
      loc: this.loc(selectToken),
      select,
      from,
      ...(window === undefined ? {} : { window }),
      ...(where === undefined ? {} : { where }),
      ...(groupBy === undefined ? {} : { groupBy }),
      ...(partitionBy === undefined ? {} : { partitionBy }),
      ...(having === undefined ? {} : { having }),
      ...(emit === undefined ? {} : { emit }),
      ...(limit === undefined ? {} : { limit }),
    };
    return query;
  }

  private selectItem(): Ast.SelectItem {
    const t = this.peek();
    if (this.isSymbol('*')) {
      this.next();
      return { kind: 'AllColumns', loc: this.loc(t) };
    }
    if (this.isIdentifierToken(t) && this.isSymbol('.', 1) && this.isSymbol('*', 2)) {
      const id = this.identifier();
      this.next();
      this.next();
      this.qualifierChecks.push({ name: id.name });
      return { kind: 'AllColumns', loc: this.loc(t), source: id.name };
    }
    const expression = this.expression();
    if (this.isSymbol('->') && this.isSymbol('*', 1)) {
      this.next();
      this.next();
      this.defer(new UnsupportedError('struct field wildcard (->*) in a SELECT'));
    }
    let alias: string | undefined;
    if (this.acceptKeyword('AS')) {
      alias = this.identifier().name;
    } else if (this.isIdentifierToken(this.peek())) {
      alias = this.identifier().name;
    }
    return alias === undefined
      ? { kind: 'SingleColumn', loc: this.loc(t), expression }
      : { kind: 'SingleColumn', loc: this.loc(t), expression, alias };
  }

  private relation(): Ast.Relation {
    const first = this.peek();
    const left = this.aliasedRelation();
    const joins: Ast.JoinedSource[] = [];
    for (;;) {
      let type: Ast.JoinType | undefined;
      if (this.isKeyword('JOIN')) type = 'INNER';
      else if (this.isKeyword('INNER')) {
        this.next();
        type = 'INNER';
      } else if (this.isKeyword('LEFT') || this.isKeyword('RIGHT') || this.isKeyword('FULL')) {
        type = this.next().value as Ast.JoinType;
        this.acceptKeyword('OUTER');
      }
      if (type === undefined) break;
      this.expect('JOIN');
      const relation = this.aliasedRelation();
      let within: Ast.JoinedSource['within'];
      if (this.acceptKeyword('WITHIN')) within = this.withinExpression();
      this.expect('ON', within === undefined ? ['WITHIN', 'ON'] : ['ON']);
      const criteria = this.booleanExpression();
      joins.push(within === undefined ? { type, relation, criteria } : { type, relation, criteria, within });
    }
    return joins.length === 0 ? left : { kind: 'Join', loc: this.loc(first), left, joins };
  }

  private aliasedRelation(): Ast.AliasedRelation {
    const t = this.peek();
    const name = this.sourceName();
    let alias: string | undefined;
    if (this.acceptKeyword('AS')) alias = this.sourceName();
    else if (this.isAliasCandidate()) alias = this.sourceName();
    return alias === undefined ? { kind: 'AliasedRelation', loc: this.loc(t), name } : { kind: 'AliasedRelation', loc: this.loc(t), name, alias };
  }

  /** A bare alias after a source name, unless the word starts the next clause (`PARTITION BY`, `EMIT CHANGES`). */
  private isAliasCandidate(): boolean {
    const t = this.peek();
    if (!this.isIdentifierToken(t)) return false;
    if (t.type === 'KEYWORD') {
      if (t.value === 'PARTITION' && this.isKeyword('BY', 1)) return false;
      if (t.value === 'EMIT' && (this.isKeyword('CHANGES', 1) || this.isKeyword('FINAL', 1))) return false;
    }
    return true;
  }

  private withinExpression(): NonNullable<Ast.JoinedSource['within']> {
    let beforeMs: number;
    let afterMs: number;
    if (this.acceptSymbol('(')) {
      beforeMs = this.duration();
      this.expect(',');
      afterMs = this.duration();
      this.expect(')');
    } else {
      beforeMs = this.duration();
      afterMs = beforeMs;
    }
    const graceMs = this.gracePeriod();
    return graceMs === undefined ? { beforeMs, afterMs } : { beforeMs, afterMs, graceMs };
  }

  private gracePeriod(): number | undefined {
    if (!this.isKeyword('GRACE')) return undefined;
    this.next();
    this.expect('PERIOD');
    return this.duration();
  }

  /** `number windowUnit` in milliseconds. */
  private duration(): number {
    const amount = this.longNumber();
    const unitToken = this.peek();
    const unit = unitToken.type === 'KEYWORD' ? WINDOW_UNITS[unitToken.value] : undefined;
    if (unit === undefined) {
      throw this.mismatch(['DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'DAYS', 'HOURS', 'MINUTES', 'SECONDS', 'MILLISECONDS']);
    }
    this.next();
    return Number(amount) * UNIT_MS[unit]!;
  }

  /** A `number` that must be a Java long (window sizes). */
  private longNumber(): bigint {
    const t = this.peek();
    const negative = this.isSymbol('-');
    const digits = negative ? this.peek(1) : t;
    if (digits.type !== 'INTEGER_VALUE') {
      if (digits.type === 'DECIMAL_VALUE' || digits.type === 'FLOATING_POINT_VALUE') {
        if (negative) this.next();
        this.next();
        this.defer(prepareError(`For input string: "${negative ? '-' : ''}${digits.text}"`));
        return 0n;
      }
      throw this.mismatch(['#INTEGER_VALUE']);
    }
    if (negative) this.next();
    this.next();
    const value = BigInt((negative ? '-' : '') + digits.text);
    if (value < LONG_MIN || value > LONG_MAX) {
      this.defer(prepareError(`For input string: "${negative ? '-' : ''}${digits.text}"`));
      return 0n;
    }
    return value;
  }

  /** ParserUtil.processIntegerNumber: LIMIT / INTERVAL values must be integer literals. */
  private integerNumber(context: string): number {
    const e = this.numberLiteral();
    if (e.kind !== 'IntegerLiteral') {
      this.defer(prepareError(`Value must be integer for command: ${context}`));
      return 1;
    }
    return e.value;
  }

  private windowExpression(): Ast.WindowExpression {
    const loc = this.loc(this.peek());
    // An optional window name (IDENTIFIER token only) may precede the window kind.
    if (this.peek().type === 'IDENTIFIER') this.next();
    const kind = this.peek();
    if (this.acceptKeyword('TUMBLING')) {
      this.expect('(');
      this.expect('SIZE');
      const sizeMs = this.duration();
      const { retentionMs, graceMs } = this.windowTail();
      return { kind: 'TUMBLING', loc, sizeMs, ...opt('retentionMs', retentionMs), ...opt('graceMs', graceMs) };
    }
    if (this.acceptKeyword('HOPPING')) {
      this.expect('(');
      this.expect('SIZE');
      const sizeMs = this.duration();
      this.expect(',');
      this.expect('ADVANCE');
      this.expect('BY');
      const advanceMs = this.duration();
      const { retentionMs, graceMs } = this.windowTail();
      return { kind: 'HOPPING', loc, sizeMs, advanceMs, ...opt('retentionMs', retentionMs), ...opt('graceMs', graceMs) };
    }
    if (this.acceptKeyword('SESSION')) {
      this.expect('(');
      const gapMs = this.duration();
      const { retentionMs, graceMs } = this.windowTail();
      return { kind: 'SESSION', loc, gapMs, ...opt('retentionMs', retentionMs), ...opt('graceMs', graceMs) };
    }
    throw this.noViable(kind);
  }

  /** `(',' RETENTION d)? (',' GRACE PERIOD d)? ')'` */
  private windowTail(): { retentionMs?: number; graceMs?: number } {
    let retentionMs: number | undefined;
    let graceMs: number | undefined;
    if (this.isSymbol(',') && this.isKeyword('RETENTION', 1)) {
      this.next();
      this.next();
      retentionMs = this.duration();
    }
    if (this.isSymbol(',') && this.isKeyword('GRACE', 1)) {
      this.next();
      graceMs = this.gracePeriod();
    }
    this.expect(')', retentionMs === undefined && graceMs === undefined ? [',', ')'] : [')']);
    return { ...opt('retentionMs', retentionMs), ...opt('graceMs', graceMs) };
  }

  /** groupBy / partitionBy: `e, e, ...` or `(e, e, ...)` or `()`. */
  private expressionGroup(): Ast.Expression[] {
    if (this.isSymbol('(') && this.isParenthesizedList()) {
      this.next();
      const items: Ast.Expression[] = [];
      if (this.acceptSymbol(')')) return items;
      items.push(this.valueExpression());
      while (this.acceptSymbol(',')) items.push(this.valueExpression());
      this.expect(')', [',', ')']);
      return items;
    }
    const items = [this.valueExpression()];
    while (this.acceptSymbol(',')) items.push(this.valueExpression());
    return items;
  }

  /**
   * At a '(' starting a GROUP BY / PARTITION BY: true when it is the parenthesised-list form,
   * i.e. the parentheses are empty or hold a top-level ',' and close the clause.
   */
  private isParenthesizedList(): boolean {
    let depth = 0;
    let sawComma = false;
    let i = this.pos;
    for (; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.type === 'EOF') return false;
      if (t.type !== 'SYMBOL') continue;
      if (t.value === '(' || t.value === '[') depth++;
      else if (t.value === ')' || t.value === ']') {
        depth--;
        if (depth === 0) break;
      } else if (t.value === ',' && depth === 1) sawComma = true;
    }
    const empty = i === this.pos + 1;
    const after = this.tokens[i + 1];
    const closesClause =
      after === undefined ||
      after.type === 'EOF' ||
      (after.type === 'SYMBOL' && after.value === ';') ||
      (after.type === 'KEYWORD' && ['PARTITION', 'HAVING', 'EMIT', 'LIMIT', 'GROUP'].includes(after.value));
    return closesClause && (empty || sawComma);
  }

  // -------------------------------------------------------------------------------------------
  // Expressions
  // -------------------------------------------------------------------------------------------

  private expression(): Ast.Expression {
    return this.booleanExpression();
  }

  private booleanExpression(): Ast.Expression {
    return this.orExpression();
  }

  private orExpression(): Ast.Expression {
    return this.leftAssociative('OR', () => this.andExpression());
  }

  private andExpression(): Ast.Expression {
    return this.leftAssociative('AND', () => this.notExpression());
  }

  /** `operand (op operand)*`, folded to the left: AND binds tighter than OR. */
  private leftAssociative(op: 'AND' | 'OR', operand: () => Ast.Expression): Ast.Expression {
    let left = operand();
    while (this.isKeyword(op)) {
      const token = this.next();
      const right = operand();
      left = { kind: 'LogicalBinary', loc: this.loc(token), op, left, right };
    }
    return left;
  }

  private notExpression(): Ast.Expression {
    if (this.isKeyword('NOT')) {
      const t = this.next();
      return { kind: 'Not', loc: this.loc(t), operand: this.notExpression() };
    }
    return this.predicated();
  }

  private predicated(): Ast.Expression {
    const value = this.valueExpression();
    const t = this.peek();
    if (t.type === 'SYMBOL' && COMPARISON_OPERATORS.has(t.value)) {
      this.next();
      const right = this.valueExpression();
      return { kind: 'Comparison', loc: this.loc(t), op: t.value as Ast.ComparisonOperator, left: value, right };
    }
    const negated = this.isKeyword('NOT') && (this.isKeyword('BETWEEN', 1) || this.isKeyword('IN', 1) || this.isKeyword('LIKE', 1));
    if (negated) this.next();
    const loc = this.loc(t);
    if (this.acceptKeyword('BETWEEN')) {
      const min = this.valueExpression();
      this.expect('AND');
      const max = this.valueExpression();
      return { kind: 'Between', loc, value, min, max, negated };
    }
    if (this.acceptKeyword('IN')) {
      this.expect('(');
      const list = [this.expression()];
      while (this.acceptSymbol(',')) list.push(this.expression());
      this.expect(')', [',', ')']);
      return { kind: 'InList', loc, value, list, negated };
    }
    if (this.acceptKeyword('LIKE')) {
      const pattern = this.valueExpression();
      if (this.isKeyword('ESCAPE') && this.peek(1).type === 'STRING') {
        this.next();
        const escapeToken = this.next();
        if (escapeToken.value.length !== 1) {
          this.defer(
            prepareError(
              `Optional[Line: ${escapeToken.line}, Col: ${escapeToken.column + 1}]: Expected single character escape but got: ${escapeToken.value}`,
            ),
          );
        }
        return { kind: 'Like', loc, value, pattern, escape: escapeToken.value, negated };
      }
      return { kind: 'Like', loc, value, pattern, negated };
    }
    if (this.isKeyword('IS')) {
      this.next();
      const not = this.acceptKeyword('NOT');
      if (this.acceptKeyword('NULL')) return { kind: 'IsNull', loc, operand: value, negated: not };
      if (this.acceptKeyword('DISTINCT')) {
        this.expect('FROM');
        const right = this.valueExpression();
        return { kind: 'Comparison', loc, op: not ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', left: value, right };
      }
      throw this.mismatch(not ? ['NULL', 'DISTINCT'] : ['NOT', 'NULL', 'DISTINCT']);
    }
    return value;
  }

  /** valueExpression: `||` binds loosest, then `+ -`, then `* / %`, then unary signs. */
  valueExpression(): Ast.Expression {
    let left = this.additive();
    while (this.isSymbol('||')) {
      const op = this.next();
      const right = this.additive();
      left = { kind: 'FunctionCall', loc: this.loc(op), name: 'CONCAT', args: [left, right] };
    }
    return left;
  }

  private additive(): Ast.Expression {
    let left = this.multiplicative();
    while (this.isSymbol('+') || this.isSymbol('-')) {
      const op = this.next();
      const right = this.multiplicative();
      left = { kind: 'Arithmetic', loc: this.loc(op), op: op.value as Ast.ArithmeticOperator, left, right };
    }
    return left;
  }

  private multiplicative(): Ast.Expression {
    let left = this.unary();
    while (this.isSymbol('*') || this.isSymbol('/') || this.isSymbol('%')) {
      const op = this.next();
      const right = this.unary();
      left = { kind: 'Arithmetic', loc: this.loc(op), op: op.value as Ast.ArithmeticOperator, left, right };
    }
    return left;
  }

  private unary(): Ast.Expression {
    const t = this.peek();
    if (this.isSymbol('-') || this.isSymbol('+')) {
      // `-5` is a negative literal (the grammar's `number` includes the sign); `-x` is a negation.
      const n = this.peek(1).type;
      if (this.isSymbol('-') && (n === 'INTEGER_VALUE' || n === 'DECIMAL_VALUE' || n === 'FLOATING_POINT_VALUE')) {
        return this.postfix(this.numberLiteral());
      }
      this.next();
      const operand = this.unary();
      return t.value === '-' ? { kind: 'Negation', loc: this.loc(t), operand } : operand;
    }
    return this.postfix(this.primary());
  }

  private postfix(base: Ast.Expression): Ast.Expression {
    let e = base;
    for (;;) {
      if (this.isSymbol('[')) {
        const t = this.next();
        const index = this.valueExpression();
        this.expect(']');
        e = { kind: 'Subscript', loc: this.loc(t), base: e, index };
      } else if (this.isSymbol('->') && !this.isSymbol('*', 1)) {
        const t = this.next();
        const field = this.identifier();
        e = { kind: 'Dereference', loc: this.loc(t), base: e, field: field.name };
      } else {
        return e;
      }
    }
  }

  private primary(): Ast.Expression {
    const t = this.peek();
    const loc = this.loc(t);
    switch (t.type) {
      case 'STRING':
        this.next();
        return { kind: 'StringLiteral', loc, value: t.value };
      case 'INTEGER_VALUE':
      case 'DECIMAL_VALUE':
      case 'FLOATING_POINT_VALUE':
        return this.numberLiteral();
      case 'VARIABLE':
        if (!this.isSymbol('(', 1) && !this.isSymbol('.', 1) && this.peek(1).type !== 'STRING') {
          return this.variableLiteral();
        }
        break;
      case 'SYMBOL':
        if (t.value === '(') {
          this.next();
          const e = this.expression();
          this.expect(')');
          return e;
        }
        throw this.noViable(t);
      case 'KEYWORD':
        switch (t.value) {
          case 'NULL':
            this.next();
            return { kind: 'NullLiteral', loc };
          case 'TRUE':
          case 'FALSE':
            this.next();
            return { kind: 'BooleanLiteral', loc, value: t.value === 'TRUE' };
          case 'CASE':
            return this.caseExpression();
          case 'CAST': {
            this.next();
            this.expect('(');
            const expression = this.expression();
            this.expect('AS');
            const type = this.type();
            this.expect(')');
            return { kind: 'Cast', loc, expression, type };
          }
          case 'ARRAY':
            if (this.isSymbol('[', 1)) {
              this.next();
              this.next();
              const items: Ast.Expression[] = [];
              if (!this.acceptSymbol(']')) {
                items.push(this.expression());
                while (this.acceptSymbol(',')) items.push(this.expression());
                this.expect(']', [',', ']']);
              }
              return { kind: 'CreateArray', loc, items };
            }
            break;
          case 'MAP':
            if (this.isSymbol('(', 1)) {
              if (this.isConstructorCall()) return this.mapConstructor();
            }
            break;
          case 'STRUCT':
            if (this.isSymbol('(', 1)) {
              if (this.isConstructorCall()) return this.structConstructor();
            }
            break;
        }
        if (!this.isIdentifierToken(t)) throw this.noViable(t);
        break;
      case 'IDENTIFIER':
      case 'QUOTED_IDENTIFIER':
      case 'BACKQUOTED_IDENTIFIER':
      case 'DIGIT_IDENTIFIER':
        break;
      default:
        throw this.noViable(t);
    }
    return this.identifierExpression();
  }

  /**
   * At `MAP (` / `STRUCT (`: the grammar lists the constructors before function calls, so the
   * constructor wins whenever it can match: empty parentheses or a top-level `:=` inside them.
   */
  private isConstructorCall(): boolean {
    let depth = 0;
    for (let i = this.pos + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.type === 'EOF') return false;
      if (t.type !== 'SYMBOL') continue;
      if (t.value === '(' || t.value === '[') depth++;
      else if (t.value === ')' || t.value === ']') {
        depth--;
        if (depth === 0) return i === this.pos + 2;
      } else if (t.value === ':=' && depth === 1) return true;
    }
    return false;
  }


  private mapConstructor(): Ast.CreateMap {
    const t = this.next();
    const entries = this.assignments(() => this.expression());
    return { kind: 'CreateMap', loc: this.loc(t), entries };
  }

  private structConstructor(): Ast.CreateStruct {
    const t = this.next();
    const fields = this.assignments(() => this.identifier().name).map(({ key, value }) => ({ name: key, value }));
    return { kind: 'CreateStruct', loc: this.loc(t), fields };
  }

  /** `( key := expression, ... )`, possibly empty: the body of MAP(...) and STRUCT(...). */
  private assignments<K>(key: () => K): { key: K; value: Ast.Expression }[] {
    this.expect('(');
    const entries: { key: K; value: Ast.Expression }[] = [];
    if (!this.acceptSymbol(')')) {
      do {
        const k = key();
        this.expect(':=');
        entries.push({ key: k, value: this.expression() });
      } while (this.acceptSymbol(','));
      this.expect(')', [',', ')']);
    }
    return entries;
  }

  /** Expressions starting with an identifier: type constructor, function call, column reference. */
  private identifierExpression(): Ast.Expression {
    const t = this.peek();
    const loc = this.loc(t);
    // identifier STRING: only DECIMAL '1.0' is a known type constructor.
    if (this.peek(1).type === 'STRING') {
      const id = this.identifier();
      const value = this.next();
      if (id.name === 'DECIMAL') return { kind: 'DecimalLiteral', loc, text: value.value };
      this.defer(prepareError(`Unknown type: ${id.name}, location:Optional[Line: ${t.line}, Col: ${t.column + 1}]`));
      return { kind: 'NullLiteral', loc };
    }
    if (this.isSymbol('(', 1)) return this.functionCall();
    const first = this.identifier();
    if (this.isSymbol('.') && this.isIdentifierToken(this.peek(1))) {
      this.next();
      const column = this.identifier();
      this.qualifierChecks.push({ name: first.name });
      return { kind: 'ColumnRef', loc, source: first.name, name: column.name, ...(column.quoted ? { quoted: true } : {}) };
    }
    if (!first.quoted && this.lambdaArgs.some((args) => args.includes(first.name))) {
      return { kind: 'LambdaVariable', loc, name: first.name };
    }
    return { kind: 'ColumnRef', loc, name: first.name, ...(first.quoted ? { quoted: true } : {}) };
  }

  private functionCall(): Ast.FunctionCall {
    const t = this.peek();
    // Function names are case-insensitive (ksqlDB's FunctionName upper-cases them).
    const name = this.identifier().name.toUpperCase();
    this.expect('(');
    const loc = this.loc(t);
    if (this.isSymbol('*') && this.isSymbol(')', 1)) {
      this.next();
      this.next();
      return { kind: 'FunctionCall', loc, name, args: [], star: true };
    }
    const args: Ast.Expression[] = [];
    if (this.acceptSymbol(')')) return { kind: 'FunctionCall', loc, name, args };
    args.push(this.functionArgument());
    while (this.acceptSymbol(',')) {
      args.push(this.isLambdaStart() ? this.lambda() : this.functionArgument());
    }
    this.expect(')', [',', ')']);
    return { kind: 'FunctionCall', loc, name, args };
  }

  /** functionArgument: expression | windowUnit (reserved unit words only; DAY etc. are columns). */
  private functionArgument(): Ast.Expression {
    const t = this.peek();
    if (t.type === 'KEYWORD' && WINDOW_UNITS[t.value] !== undefined && !NON_RESERVED.has(t.value)) {
      if (this.isSymbol(',', 1) || this.isSymbol(')', 1)) {
        this.next();
        return { kind: 'IntervalUnit', loc: this.loc(t), unit: WINDOW_UNITS[t.value]! };
      }
    }
    return this.expression();
  }

  private isLambdaStart(): boolean {
    if (this.isIdentifierToken(this.peek()) && this.isSymbol('=>', 1)) return true;
    if (!this.isSymbol('(')) return false;
    let i = 1;
    for (;;) {
      if (!this.isIdentifierToken(this.peek(i))) return false;
      i++;
      if (this.isSymbol(',', i)) {
        i++;
        continue;
      }
      return this.isSymbol(')', i) && this.isSymbol('=>', i + 1);
    }
  }

  private lambda(): Ast.Lambda {
    const t = this.peek();
    const params: string[] = [];
    if (this.acceptSymbol('(')) {
      params.push(this.identifier().name);
      while (this.acceptSymbol(',')) params.push(this.identifier().name);
      this.expect(')');
    } else {
      params.push(this.identifier().name);
    }
    this.expect('=>');
    this.lambdaArgs.push(params);
    try {
      const body = this.expression();
      return { kind: 'Lambda', loc: this.loc(t), params, body };
    } finally {
      this.lambdaArgs.pop();
    }
  }

  private caseExpression(): Ast.Expression {
    const t = this.next();
    const loc = this.loc(t);
    let operand: Ast.Expression | undefined;
    if (!this.isKeyword('WHEN')) operand = this.valueExpression();
    const whens: Ast.WhenClause[] = [];
    while (this.acceptKeyword('WHEN')) {
      const condition = this.expression();
      this.expect('THEN');
      const result = this.expression();
      whens.push({ condition, result });
    }
    if (whens.length === 0) throw this.mismatch(['WHEN']);
    let otherwise: Ast.Expression | undefined;
    if (this.acceptKeyword('ELSE')) otherwise = this.expression();
    this.expect('END', otherwise === undefined ? ['WHEN', 'ELSE', 'END'] : ['END']);
    const elsePart = otherwise === undefined ? {} : { else: otherwise };
    return operand === undefined
      ? { kind: 'SearchedCase', loc, whens, ...elsePart }
      : { kind: 'SimpleCase', loc, operand, whens, ...elsePart };
  }

  /** The grammar's `literal` (table property values, ASSERT SCHEMA ID). */
  private literal(): Ast.Expression {
    const t = this.peek();
    const loc = this.loc(t);
    if (t.type === 'STRING') {
      this.next();
      return { kind: 'StringLiteral', loc, value: t.value };
    }
    if (this.isKeyword('NULL')) {
      this.next();
      return { kind: 'NullLiteral', loc };
    }
    if (this.isKeyword('TRUE') || this.isKeyword('FALSE')) {
      this.next();
      return { kind: 'BooleanLiteral', loc, value: t.value === 'TRUE' };
    }
    if (t.type === 'VARIABLE') return this.variableLiteral();
    if (this.isSymbol('-') || t.type === 'INTEGER_VALUE' || t.type === 'DECIMAL_VALUE' || t.type === 'FLOATING_POINT_VALUE') {
      return this.numberLiteral();
    }
    throw this.noViable(t);
  }

  /**
   * A `${name}` where a literal is expected. While substituting variables it is only reported;
   * left in a statement being parsed for execution it is an illegal argument, as in ksqlDB.
   */
  private variableLiteral(): Ast.Expression {
    const t = this.next();
    if (this.options.onVariable !== undefined) {
      this.options.onVariable(t, 'literal');
      return { kind: 'NullLiteral', loc: this.loc(t) };
    }
    this.defer(new ParseError(`Illegal argument at Line: ${t.line}, Col: ${t.column + 1}.`, t.line, t.column + 1));
    return { kind: 'NullLiteral', loc: this.loc(t) };
  }

  /** `MINUS? (INTEGER_VALUE | DECIMAL_VALUE | FLOATING_POINT_VALUE)` */
  private numberLiteral(): Ast.Expression {
    const first = this.peek();
    const negative = this.isSymbol('-');
    const t = negative ? this.peek(1) : first;
    const loc = this.loc(first);
    const sign = negative ? '-' : '';
    const text = sign + t.text;
    switch (t.type) {
      case 'INTEGER_VALUE': {
        if (negative) this.next();
        this.next();
        const value = BigInt(text);
        if (value >= INT_MIN && value <= INT_MAX) return { kind: 'IntegerLiteral', loc, value: Number(value) };
        if (value >= LONG_MIN && value <= LONG_MAX) return { kind: 'BigintLiteral', loc, value };
        this.defer(prepareError(`line ${first.line}:${first.column + 1}: Invalid numeric literal: ${text}`));
        return { kind: 'IntegerLiteral', loc, value: 0 };
      }
      case 'DECIMAL_VALUE':
        if (negative) this.next();
        this.next();
        return { kind: 'DecimalLiteral', loc, text };
      case 'FLOATING_POINT_VALUE': {
        if (negative) this.next();
        this.next();
        const value = Number(text);
        if (!Number.isFinite(value)) this.defer(prepareError(`line ${first.line}:${first.column + 1}: Number overflows DOUBLE: ${text}`));
        return { kind: 'DoubleLiteral', loc, value };
      }
      default:
        throw negative ? this.mismatch(['#DECIMAL_VALUE', '#FLOATING_POINT_VALUE', '#INTEGER_VALUE']) : this.noViable(t);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Types
  // -------------------------------------------------------------------------------------------

  private type(): SqlType {
    let type = this.baseOrComplexType();
    // `type ARRAY`: the grammar's postfix array form.
    while (this.isKeyword('ARRAY') && !this.isSymbol('<', 1)) {
      this.next();
      type = SqlTypes.array(type);
    }
    return type;
  }

  private baseOrComplexType(): SqlType {
    const t = this.peek();
    if (this.isKeyword('ARRAY') && this.isSymbol('<', 1)) {
      this.next();
      this.next();
      const item = this.type();
      this.expect('>');
      return SqlTypes.array(item);
    }
    if (this.isKeyword('MAP') && this.isSymbol('<', 1)) {
      this.next();
      this.next();
      const key = this.type();
      this.expect(',');
      const value = this.type();
      this.expect('>');
      return SqlTypes.map(key, value);
    }
    if (this.isKeyword('STRUCT') && this.isSymbol('<', 1)) {
      this.next();
      this.next();
      const fields: StructField[] = [];
      if (!this.acceptSymbol('>')) {
        do {
          const name = this.identifier().name;
          const type = this.type();
          const existing = fields.find((f) => f.name === name);
          if (existing !== undefined) {
            this.defer(
              prepareError(
                `Duplicate field names found in STRUCT: '\`${existing.name}\` ${formatSqlType(existing.type)}' and '\`${name}\` ${formatSqlType(type)}'`,
              ),
            );
          }
          fields.push({ name, type });
        } while (this.acceptSymbol(','));
        this.expect('>', [',', '>']);
      }
      return SqlTypes.struct(fields);
    }
    if (this.isKeyword('DECIMAL') && this.isSymbol('(', 1)) {
      this.next();
      this.next();
      const precision = this.integerNumber('DECIMAL(PRECISION)');
      this.expect(',');
      const scale = this.integerNumber('DECIMAL(SCALE)');
      this.expect(')');
      return this.decimalType(precision, scale);
    }
    if (!this.isIdentifierToken(t)) throw this.noViable(t);
    const id = this.identifier();
    if (this.acceptSymbol('(')) {
      do {
        const p = this.peek();
        if (p.type === 'INTEGER_VALUE' || (p.type === 'KEYWORD' && p.value === 'STRING')) this.next();
        else throw this.mismatch(['STRING', '#INTEGER_VALUE']);
      } while (this.acceptSymbol(','));
      this.expect(')', [',', ')']);
    }
    // ksqlDB matches primitive names case-insensitively, even when quoted.
    const primitive = PRIMITIVE_TYPES[id.name.toUpperCase()];
    if (primitive !== undefined) return primitive;
    this.defer(prepareError(`Cannot resolve unknown type: ${id.name}`));
    return SqlTypes.STRING;
  }

  private decimalType(precision: number, scale: number): SqlType {
    const invalid =
      precision < 1
        ? 'DECIMAL precision must be >= 1'
        : scale < 0
          ? 'DECIMAL scale must be >= 0'
          : precision < scale
            ? 'DECIMAL precision must be >= scale'
            : undefined;
    if (invalid !== undefined) {
      this.defer(prepareError(`${invalid}: DECIMAL(${precision},${scale})`));
      return SqlTypes.decimal(1, 0);
    }
    return SqlTypes.decimal(precision, scale);
  }

  // -------------------------------------------------------------------------------------------
  // Identifiers and names
  // -------------------------------------------------------------------------------------------

  private isIdentifierToken(t: Token): boolean {
    switch (t.type) {
      case 'IDENTIFIER':
      case 'QUOTED_IDENTIFIER':
      case 'BACKQUOTED_IDENTIFIER':
      case 'DIGIT_IDENTIFIER':
      case 'VARIABLE':
        return true;
      case 'KEYWORD':
        return NON_RESERVED.has(t.value);
      default:
        return false;
    }
  }

  /** The grammar's `identifier`: unquoted names upper-cased, quoted ones verbatim. */
  private identifier(variablePosition: VariablePosition = 'identifier'): Identifier {
    const t = this.peek();
    if (!this.isIdentifierToken(t)) throw this.noViable(t);
    this.next();
    switch (t.type) {
      case 'QUOTED_IDENTIFIER':
      case 'BACKQUOTED_IDENTIFIER':
        return { name: t.value, quoted: true, token: t };
      case 'VARIABLE':
        this.options.onVariable?.(t, variablePosition);
        return { name: t.text.toUpperCase(), quoted: false, token: t };
      default:
        return { name: t.text.toUpperCase(), quoted: false, token: t };
    }
  }

  /** `sourceName`: an identifier that must also be a valid Kafka Streams store name. */
  private sourceName(): string {
    const t = this.peek();
    const id = this.identifier();
    // A `${name}` stands in for a name that substitution supplies later.
    if (t.type !== 'VARIABLE' && !VALID_SOURCE_NAME.test(id.name)) {
      this.defer(new ParseError(
        `Illegal argument at Line: ${t.line}, Col: ${t.column + 1}. Source names may only contain alphanumeric values, '_' or '-'. Got: '${id.name}'`,
        t.line,
        t.column + 1,
      ));
    }
    return id.name;
  }

  /**
   * All relation names and aliases of the statement (AstBuilder's SourceAccumulator), gathered by
   * a pre-scan because qualifiers may be used before FROM.
   */
  private collectSourceNames(): Set<string> {
    const names = new Set<string>();
    const start = this.pos;
    for (let i = start; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.type !== 'KEYWORD' || (t.value !== 'FROM' && t.value !== 'JOIN')) continue;
      const save = this.pos;
      this.pos = i + 1;
      try {
        if (!this.isIdentifierToken(this.peek())) continue;
        names.add(this.identifier().name);
        if (this.acceptKeyword('AS') || this.isAliasCandidate()) {
          if (this.isIdentifierToken(this.peek())) names.add(this.identifier().name);
        }
      } catch {
        // malformed; the real parse reports it
      } finally {
        this.pos = save;
      }
    }
    this.pos = start;
    return names;
  }

  private checkQualifiers(): void {
    const names = this.sourceNames;
    if (names === undefined) return;
    for (const { name } of this.qualifierChecks) {
      if (!names.has(name)) {
        this.defer(prepareError(`'${name}' is not a valid stream/table name or alias.`));
      }
    }
  }
}

function opt<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}


/**
 * ksqlDB builds the AST after parsing and wraps any failure there as "Failed to prepare
 * statement: ..." (DefaultKsqlParser.prepare).
 */
function prepareError(message: string): KsqlStatementError {
  return new KsqlStatementError(`Failed to prepare statement: ${message}`);
}
