/**
 * Tokenizer for ksqlDB's SQL dialect, following the lexer rules of ksqlDB 0.29's SqlBase.g4:
 * case-insensitive keywords, `'...'` strings with `''` escapes, back-quoted and double-quoted
 * identifiers, `${name}` variable references, comments (`--`, `/* *\/`) and whitespace skipped.
 * Anything it cannot recognise becomes an UNRECOGNIZED token so the parser reports it at the
 * right position (ksqlDB's lexer has the same catch-all rule). Runs in one linear pass.
 */

export type TokenType =
  | 'KEYWORD' // value: upper-cased word
  | 'IDENTIFIER' // value: upper-cased
  | 'DIGIT_IDENTIFIER' // e.g. 1ABC; value upper-cased
  | 'QUOTED_IDENTIFIER' // "..." ; value unescaped
  | 'BACKQUOTED_IDENTIFIER' // `...` ; value unescaped
  | 'STRING' // '...' ; value unescaped
  | 'INTEGER_VALUE'
  | 'DECIMAL_VALUE'
  | 'FLOATING_POINT_VALUE'
  | 'VARIABLE' // ${name}; value: the name as written
  | 'SYMBOL' // operators and punctuation; value: the symbol (`!=` normalised to `<>`)
  | 'UNRECOGNIZED'
  | 'EOF';

export interface Token {
  readonly type: TokenType;
  /** Exact source text. */
  readonly text: string;
  /** Normalised value (see TokenType). */
  readonly value: string;
  /** Offset of the first character in the source. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
  /** 1-based line. */
  readonly line: number;
  /** 0-based column (ANTLR's charPositionInLine). */
  readonly column: number;
}

/** Every keyword token of SqlBase.g4 (the lexer's word rules plus the implicit 'STRING'). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'EMIT', 'CHANGES', 'FINAL', 'SELECT', 'FROM', 'AS', 'ALL', 'DISTINCT', 'WHERE', 'WITHIN',
  'WINDOW', 'GROUP', 'BY', 'HAVING', 'LIMIT', 'AT', 'OR', 'AND', 'IN', 'NOT', 'EXISTS',
  'BETWEEN', 'LIKE', 'ESCAPE', 'IS', 'NULL', 'TRUE', 'FALSE', 'INTEGER', 'DATE', 'TIME',
  'TIMESTAMP', 'INTERVAL', 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND',
  'YEARS', 'MONTHS', 'DAYS', 'HOURS', 'MINUTES', 'SECONDS', 'MILLISECONDS', 'ZONE', 'TUMBLING',
  'HOPPING', 'SIZE', 'ADVANCE', 'RETENTION', 'GRACE', 'PERIOD', 'CASE', 'WHEN', 'THEN', 'ELSE',
  'END', 'JOIN', 'FULL', 'OUTER', 'INNER', 'LEFT', 'RIGHT', 'ON', 'PARTITION', 'STRUCT', 'WITH',
  'VALUES', 'CREATE', 'TABLE', 'TOPIC', 'STREAM', 'STREAMS', 'INSERT', 'DELETE', 'INTO',
  'DESCRIBE', 'EXTENDED', 'PRINT', 'EXPLAIN', 'ANALYZE', 'TYPE', 'TYPES', 'CAST', 'SHOW', 'LIST',
  'TABLES', 'TOPICS', 'QUERY', 'QUERIES', 'TERMINATE', 'LOAD', 'COLUMNS', 'COLUMN', 'PARTITIONS',
  'FUNCTIONS', 'FUNCTION', 'DROP', 'TO', 'RENAME', 'ARRAY', 'MAP', 'SET', 'DEFINE', 'UNDEFINE',
  'RESET', 'SESSION', 'SAMPLE', 'EXPORT', 'CATALOG', 'PROPERTIES', 'BEGINNING', 'UNSET', 'RUN',
  'SCRIPT', 'DECIMAL', 'KEY', 'CONNECTOR', 'CONNECTORS', 'SINK', 'SOURCE', 'NAMESPACE',
  'MATERIALIZED', 'VIEW', 'PRIMARY', 'REPLACE', 'ASSERT', 'ADD', 'ALTER', 'VARIABLES', 'PLUGINS',
  'HEADERS', 'HEADER', 'SYSTEM', 'TIMEOUT', 'SCHEMA', 'SUBJECT', 'ID', 'IF', 'PAUSE', 'RESUME',
  'STRING',
]);

/** The grammar's `nonReserved` rule: keywords that may still be used as identifiers. */
export const NON_RESERVED: ReadonlySet<string> = new Set([
  'SHOW', 'TABLES', 'COLUMNS', 'COLUMN', 'PARTITIONS', 'FUNCTIONS', 'FUNCTION', 'SESSION',
  'STRUCT', 'MAP', 'ARRAY', 'PARTITION', 'INTEGER', 'DATE', 'TIME', 'TIMESTAMP', 'INTERVAL',
  'ZONE', 'STRING', 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'EXPLAIN', 'ANALYZE',
  'TYPE', 'TYPES', 'SET', 'RESET', 'IF', 'SOURCE', 'SINK', 'PRIMARY', 'KEY', 'EMIT', 'CHANGES',
  'FINAL', 'ESCAPE', 'REPLACE', 'ASSERT', 'ALTER', 'ADD', 'HEADER', 'HEADERS', 'GRACE', 'PERIOD',
  'DEFINE', 'UNDEFINE', 'VARIABLES', 'PLUGINS', 'SYSTEM', 'TIMEOUT', 'SCHEMA', 'SUBJECT', 'ID',
  'PAUSE', 'RESUME',
]);

/** True for words that cannot be used as identifiers without back quotes (ksqlDB ParserUtil.isReserved). */
export function isReservedWord(word: string): boolean {
  const upper = word.toUpperCase();
  return KEYWORDS.has(upper) && !NON_RESERVED.has(upper);
}

/**
 * Whether a (case-sensitive) name must be back-quoted to be read back as the same name:
 * ksqlDB's IdentifierUtil.needsQuotes, i.e. the whole text must lex as one identifier token
 * (plain, digit-led or non-reserved keyword) and already be upper case.
 */
export function needsQuotes(name: string): boolean {
  if (name !== name.toUpperCase()) return true;
  const tokens = tokenize(name);
  if (tokens.length !== 2) return true;
  const t = tokens[0]!;
  if (t.start !== 0 || t.end !== name.length) return true;
  switch (t.type) {
    case 'IDENTIFIER':
    case 'DIGIT_IDENTIFIER':
    case 'QUOTED_IDENTIFIER':
    case 'BACKQUOTED_IDENTIFIER':
    case 'VARIABLE':
      return false;
    case 'KEYWORD':
      return !NON_RESERVED.has(t.value);
    default:
      return true;
  }
}

const SYMBOLS_2 = ['<>', '!=', '<=', '>=', '||', ':=', '->', '=>'];
const SYMBOLS_1 = new Set(['=', '<', '>', '+', '-', '*', '/', '%', ';', ',', '(', ')', '.', '[', ']']);

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isLetter(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
}
function isIdentifierPart(c: string | undefined): boolean {
  return isLetter(c) || isDigit(c) || c === '_' || c === '@';
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let pos = 0;
  let line = 1;
  let lineStart = 0;

  /** Advances `line`/`lineStart` over source[from, to). */
  const trackLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      if (sql.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
  };

  const push = (type: TokenType, start: number, end: number, value: string): void => {
    tokens.push({ type, text: sql.slice(start, end), value, start, end, line, column: start - lineStart });
    trackLines(start, end);
  };

  while (pos < n) {
    const c = sql[pos]!;
    const start = pos;

    // Whitespace.
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      pos++;
      while (pos < n && ' \t\r\n'.includes(sql[pos]!)) pos++;
      trackLines(start, pos);
      continue;
    }
    // Comments: `--` to end of line, `/* ... */`.
    if (c === '-' && sql[pos + 1] === '-') {
      pos += 2;
      while (pos < n && sql[pos] !== '\n' && sql[pos] !== '\r') pos++;
      if (sql[pos] === '\r') pos++;
      if (sql[pos] === '\n') pos++;
      trackLines(start, pos);
      continue;
    }
    if (c === '/' && sql[pos + 1] === '*') {
      const close = sql.indexOf('*/', pos + 2);
      if (close >= 0) {
        pos = close + 2;
        trackLines(start, pos);
        continue;
      }
      // Unterminated: falls through to a '/' symbol, as ANTLR would.
    }
    // Strings and quoted identifiers.
    if (c === "'" || c === '"' || c === '`') {
      let i = pos + 1;
      let value = '';
      let closed = false;
      while (i < n) {
        const ch = sql[i]!;
        if (ch === c) {
          if (sql[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        value += ch;
        i++;
      }
      if (!closed) {
        push('UNRECOGNIZED', pos, pos + 1, c);
        pos++;
        continue;
      }
      const type: TokenType = c === "'" ? 'STRING' : c === '"' ? 'QUOTED_IDENTIFIER' : 'BACKQUOTED_IDENTIFIER';
      push(type, pos, i, value);
      pos = i;
      continue;
    }
    // Variable references ${name}.
    if (c === '$' && sql[pos + 1] === '{') {
      let i = pos + 2;
      if (isLetter(sql[i]) || sql[i] === '_') {
        i++;
        while (isIdentifierPart(sql[i])) i++;
        if (sql[i] === '}') {
          push('VARIABLE', pos, i + 1, sql.slice(pos + 2, i));
          pos = i + 1;
          continue;
        }
      }
      push('UNRECOGNIZED', pos, pos + 1, c);
      pos++;
      continue;
    }
    // Numbers and digit identifiers: longest match wins, the earlier rule on ties.
    if (isDigit(c) || (c === '.' && isDigit(sql[pos + 1]))) {
      const numeric = scanNumber(sql, pos);
      let digitIdentEnd = -1;
      if (isDigit(c)) {
        let i = pos + 1;
        while (isIdentifierPart(sql[i])) i++;
        if (i - pos >= 2) digitIdentEnd = i;
      }
      if (digitIdentEnd > numeric.end) {
        push('DIGIT_IDENTIFIER', pos, digitIdentEnd, sql.slice(pos, digitIdentEnd).toUpperCase());
        pos = digitIdentEnd;
      } else {
        push(numeric.type, pos, numeric.end, sql.slice(pos, numeric.end));
        pos = numeric.end;
      }
      continue;
    }
    // Words.
    if (isLetter(c) || c === '_') {
      let i = pos + 1;
      while (isIdentifierPart(sql[i])) i++;
      const word = sql.slice(pos, i).toUpperCase();
      push(KEYWORDS.has(word) ? 'KEYWORD' : 'IDENTIFIER', pos, i, word);
      pos = i;
      continue;
    }
    // Operators and punctuation.
    const two = sql.slice(pos, pos + 2);
    if (SYMBOLS_2.includes(two)) {
      push('SYMBOL', pos, pos + 2, two === '!=' ? '<>' : two);
      pos += 2;
      continue;
    }
    if (SYMBOLS_1.has(c)) {
      push('SYMBOL', pos, pos + 1, c);
      pos++;
      continue;
    }
    push('UNRECOGNIZED', pos, pos + 1, c);
    pos++;
  }
  tokens.push({ type: 'EOF', text: '<EOF>', value: '<EOF>', start: n, end: n, line, column: n - lineStart });
  return tokens;
}

function scanNumber(sql: string, start: number): { type: TokenType; end: number } {
  let i = start;
  while (isDigit(sql[i])) i++;
  let type: TokenType = 'INTEGER_VALUE';
  if (sql[i] === '.') {
    // DIGIT+ '.' DIGIT* or '.' DIGIT+
    i++;
    while (isDigit(sql[i])) i++;
    type = 'DECIMAL_VALUE';
  }
  // EXPONENT: 'E' [+-]? DIGIT+
  if (sql[i] === 'E' || sql[i] === 'e') {
    let j = i + 1;
    if (sql[j] === '+' || sql[j] === '-') j++;
    if (isDigit(sql[j])) {
      while (isDigit(sql[j])) j++;
      return { type: 'FLOATING_POINT_VALUE', end: j };
    }
  }
  return { type, end: i };
}

/** One statement's tokens (including its terminating ';' when present) and source range. */
export interface StatementSlice {
  readonly tokens: readonly Token[];
  /** Source text from the first token to the ';' inclusive. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits a token stream at top-level ';' tokens. Strings, quoted identifiers and comments are
 * already single tokens (or skipped), so a ';' inside them never splits. A trailing statement
 * without ';' is returned too (the parser reports the missing ';').
 */
export function splitTokens(sql: string, tokens: readonly Token[]): StatementSlice[] {
  const slices: StatementSlice[] = [];
  let current: Token[] = [];
  for (const t of tokens) {
    if (t.type === 'EOF') break;
    current.push(t);
    if (t.type === 'SYMBOL' && t.value === ';') {
      slices.push(sliceOf(sql, current));
      current = [];
    }
  }
  if (current.length > 0) slices.push(sliceOf(sql, current));
  return slices;
}

function sliceOf(sql: string, tokens: Token[]): StatementSlice {
  const start = tokens[0]!.start;
  const end = tokens[tokens.length - 1]!.end;
  return { tokens, text: sql.slice(start, end), start, end };
}

/** Splits SQL text into statements (text including ';'), respecting strings and comments. */
export function splitStatements(sql: string): string[] {
  return splitTokens(sql, tokenize(sql)).map((s) => s.text);
}
