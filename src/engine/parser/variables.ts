/**
 * Variable substitution (`${name}`), after ksqlDB's VariableSubstitutor: the statement is parsed
 * with the references in place to learn where each one sits, then every reference is replaced in
 * the statement text:
 * - identifier position: the raw value, which must be a valid identifier (quoted allowed);
 * - literal position: the value, which must be a quoted string, a boolean or a number, SQL-escaped;
 * - inside a string literal: the SQL-escaped value.
 * Unknown variables stay as written (and fail in identifier/literal positions); `$${x}` is an
 * escape for a literal `${x}`. Names are case-insensitive.
 */
import { ParseError } from '../errors.js';
import { tokenize, type Token } from './lexer.js';
import { parseStatements, type VariablePosition } from './parser.js';

const VALID_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_@]*$/;
/** Numbers Java's Long.parseLong / Double.parseDouble / BigDecimal accept (finite only). */
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?\s*$/;
const REFERENCE = /\$\{([^}]*)\}/g;

/** Replaces `${name}` references in one statement's text. */
export function substituteVariables(statementText: string, vars: ReadonlyMap<string, string>): string {
  if (!statementText.includes('${')) return statementText;
  const lookup = caseInsensitive(vars);
  const replacements = new Map<string, string>();

  for (const use of variableUses(statementText)) {
    const name = use.token.value;
    const value = lookup.get(name.toUpperCase()) ?? use.token.text;
    const { line, column } = use.token;
    if (use.position === 'identifier') {
      if (!VALID_IDENTIFIER.test(unquoteIdentifier(value))) {
        throw new ParseError(
          `Illegal argument at Line: ${line}, Col: ${column + 1}. Identifier names cannot start with '@' and may only contain alphanumeric values and '_'.`,
          line,
          column + 1,
          statementText,
        );
      }
      if (!replacements.has(name)) replacements.set(name, value);
    } else {
      if (!isLiteral(value)) {
        throw new ParseError(`Illegal argument at Line: ${line}, Col: ${column + 1}.`, line, column + 1, statementText);
      }
      if (!replacements.has(name)) replacements.set(name, sanitize(value));
    }
  }

  for (const t of tokenize(statementText)) {
    if (t.type !== 'STRING') continue;
    for (const m of t.value.matchAll(REFERENCE)) {
      const name = m[1]!;
      const value = lookup.get(name.toUpperCase());
      if (value !== undefined && !replacements.has(name)) replacements.set(name, sanitize(value));
    }
  }

  return replaceReferences(statementText, replacements);
}

/**
 * ksqlDB's ParserUtil.sanitize: a value already in single quotes keeps them with inner quotes
 * doubled; any other value has its single quotes doubled.
 */
export function sanitize(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
    const inner = value.slice(1, -1).replace(/''/g, "'");
    return "'" + inner.replace(/'/g, "''") + "'";
  }
  return value.replace(/'/g, "''");
}

interface VariableUse {
  readonly token: Token;
  readonly position: VariablePosition;
}

/** Every `${name}` token of the statement with the grammar position it occupies. */
function variableUses(statementText: string): VariableUse[] {
  const uses: VariableUse[] = [];
  try {
    parseStatements(statementText, { onVariable: (token, position) => uses.push({ token, position }) });
  } catch (e) {
    // Syntax errors are the statement's own. Errors ksqlDB raises only while building the AST
    // come after substitution there, so they are left to the real parse; keep the uses found.
    if (e instanceof ParseError) throw e;
  }
  return uses;
}

function caseInsensitive(vars: ReadonlyMap<string, string>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of vars) m.set(k.toUpperCase(), v);
  return m;
}

function unquoteIdentifier(value: string): string {
  if (value.length >= 2) {
    const q = value[0];
    if ((q === '"' || q === '`') && value.endsWith(q)) return value.slice(1, -1).split(q + q).join(q);
  }
  return value;
}

function isLiteral(value: string): boolean {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return true;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') return true;
  return NUMBER.test(value);
}

/** StringSubstitutor.replace: `${name}` for known names, `$${` escapes, everything else verbatim. */
function replaceReferences(text: string, replacements: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (text.startsWith('${', i)) {
      const close = text.indexOf('}', i + 2);
      if (close > 0) {
        const name = text.slice(i + 2, close);
        const value = replacements.get(name);
        if (value !== undefined) {
          out += value;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i];
    i++;
  }
  return out;
}

/** Name and value of a `DEFINE name = 'value';` statement, or undefined for any other statement. */
export function parseDefine(statementText: string): { name: string; value: string } | undefined {
  const tokens = tokenize(statementText).filter((t) => t.type !== 'EOF');
  const [define, name, eq, value, semi] = tokens;
  if (
    tokens.length >= 4 &&
    define!.type === 'KEYWORD' &&
    define!.value === 'DEFINE' &&
    (name!.type === 'IDENTIFIER' || name!.type === 'KEYWORD') &&
    eq!.type === 'SYMBOL' &&
    eq!.value === '=' &&
    value!.type === 'STRING' &&
    (semi === undefined || (semi.type === 'SYMBOL' && semi.value === ';' && tokens.length === 5))
  ) {
    return { name: name!.text, value: value!.value };
  }
  return undefined;
}
